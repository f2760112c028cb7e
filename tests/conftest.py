"""Shared fixtures (dispatchers and domains for action tests, the trained model), the service
fixtures (tests/support/services.py), and the markers every test gets from where it lives and
what it uses (tests/support/markers.py). Helpers for tests and benchmarks live in tests/support/."""

from pathlib import Path, PurePosixPath
from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from bot.settings import Settings, get_settings
from tests.support.markers import KINDS, SERVICES, kind_of, needs_services
from tests.support.paths import MODEL_PATH
from tests.support.yaml_edit import CLINIC_ROUTES, settings_file_with

TESTS_DIR = Path(__file__).resolve().parent

# Service fixtures (PostgreSQL, Redis) live in tests/support/services.py.
pytest_plugins = ["tests.support.services"]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark each test with its kind (unless it says its own) and `services` where it needs them."""
    for item in items:
        if not item.path.is_relative_to(TESTS_DIR):
            continue
        fixtures = getattr(item, "fixturenames", ())
        if not any(item.get_closest_marker(kind) for kind in KINDS):
            kind = kind_of(PurePosixPath(item.path.relative_to(TESTS_DIR).as_posix()), fixtures)
            if kind:
                item.add_marker(kind)
        if needs_services(fixtures):
            item.add_marker(SERVICES)


@pytest.fixture
def staff_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """This process's settings with a staff database of the test's own (accounts, live-chat
    presence), never this checkout's var/staff.db; yields its URL."""
    url = f"sqlite:///{tmp_path / 'staff.db'}"
    monkeypatch.setenv("STAFF_DATABASE_URL", url)
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()


@pytest.fixture
def domain() -> dict[str, Any]:
    return {}


@pytest.fixture
def clinic_with_routes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """This process's settings (get_settings) with CLINIC_ROUTES set, for the test only."""
    monkeypatch.setenv("BOT_SETTINGS_FILE", str(settings_file_with(tmp_path / "routes.yml", CLINIC_ROUTES)))
    get_settings.cache_clear()
    settings: Settings = get_settings()
    yield settings
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def trained_model() -> Path:
    if not MODEL_PATH.exists():
        pytest.fail(f"{MODEL_PATH} is missing: run `make test` (it trains first) or `make train`")
    return MODEL_PATH
