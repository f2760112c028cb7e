"""Every test file sits where tests/conftest.py can tell its kind (unit, rasa, e2e, browser), so
that `pytest -m unit` (make test-fast) never picks up a slow test by accident and no test is left
out of every selection."""

from pathlib import Path, PurePosixPath

import pytest

from tests.support.markers import BROWSER, E2E, FOLDER_KINDS, RASA, SERVICES, UNIT, kind_of, needs_services

TESTS_DIR = Path(__file__).resolve().parent.parent


def collected_test_files() -> list[PurePosixPath]:
    """Every file pytest collects tests from (its default `python_files` patterns)."""
    found = [*TESTS_DIR.rglob("test_*.py"), *TESTS_DIR.rglob("*_test.py")]
    return sorted(PurePosixPath(path.relative_to(TESTS_DIR).as_posix()) for path in found)


def test_every_test_file_sits_in_a_folder_the_markers_know():
    unclassified = [str(path) for path in collected_test_files() if kind_of(path) is None]
    assert not unclassified, (
        f"add the folder to FOLDER_KINDS in tests/support/markers.py, or move the file: {unclassified}"
    )


def test_the_walk_finds_the_test_files():
    files = collected_test_files()
    assert PurePosixPath("unit/test_markers.py") in files
    assert {path.parts[0] for path in files} >= {"unit", "actions", "rasa", "e2e"}


@pytest.mark.parametrize(
    "path, fixtures, kind",
    [
        ("unit/test_x.py", (), UNIT),
        ("actions/test_action_x.py", ("dispatcher",), UNIT),
        ("rasa/test_rasa_checks.py", ("trained_model",), RASA),
        ("e2e/test_x.py", (), E2E),
        ("safety/test_safety_sets.py", ("trained_model",), E2E),
        ("staff/test_x.py", ("tmp_path",), UNIT),
        ("staff/test_x.py", ("console", "sqlite_conversations", "trained_model"), E2E),
        ("web/test_web_app.py", ("client",), UNIT),
        ("web/test_widget_rendering.py", ("chromium",), BROWSER),
        ("staff/test_console_browser.py", ("chromium", "trained_model"), BROWSER),
        ("test_at_the_top.py", (), None),
        ("somewhere_new/test_x.py", (), None),
    ],
)
def test_kind_comes_from_the_folder_the_file_and_the_fixtures(path, fixtures, kind):
    assert kind_of(PurePosixPath(path), fixtures) == kind


def test_postgres_and_redis_fixtures_need_services():
    assert needs_services(["tmp_path", "postgres_url"]) and needs_services(["module_redis_url"])
    assert not needs_services(["tmp_path", "sqlite_conversations"])


def test_mixed_folders_are_the_only_ones_told_apart_by_fixtures():
    assert {folder for folder, kind in FOLDER_KINDS.items() if kind is None} == {"staff", "web"}


def test_the_hook_marks_collected_tests(request):
    assert request.node.get_closest_marker(UNIT) is not None
    assert request.node.get_closest_marker(SERVICES) is None
