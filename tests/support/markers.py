"""Which kind of test each test is, from where it lives and what it uses. tests/conftest.py marks
every collected test with its kind (pyproject.toml registers the markers), so that `pytest -m
unit` is the quick edit loop and the slow kinds can be picked or left out."""

from collections.abc import Iterable
from pathlib import PurePosixPath

UNIT = "unit"  # one module or one action, no trained model
RASA = "rasa"  # Rasa's own checks: data validation, test stories, the NLU test set
E2E = "e2e"  # the trained bot running (action server and Rasa server), over REST
BROWSER = "browser"  # headless Chromium driven by Playwright
SERVICES = "services"  # PostgreSQL or Redis; comes on top of the kind
KINDS = (UNIT, RASA, E2E, BROWSER)  # every test has exactly one

# Folder under tests/ -> the kind of the tests in it. None: the folder holds both fast pieces and
# tests over conversations the running bot recorded, told apart by the fixtures they use.
FOLDER_KINDS = {
    "unit": UNIT,
    "actions": UNIT,
    "rasa": RASA,  # runs tests/stories and tests/nlu through `rasa test`
    "e2e": E2E,
    "safety": E2E,  # the safety sets through the running bot
    "conversations": E2E,  # the blind patient conversations through the running bot
    "staff": None,
    "web": None,
}
# Playwright tests, wherever they are (relative to tests/).
BROWSER_FILES = ("web/test_widget_*.py", "staff/test_*browser.py")
# A test that uses one of these (directly or through another fixture) runs the trained bot.
BOT_FIXTURES = frozenset({"trained_model"})
# Fixtures that need PostgreSQL or Redis (tests/support/services.py, tests/staff/conftest.py).
SERVICE_FIXTURES = frozenset(
    {
        "postgres_url",
        "module_postgres_url",
        "redis_url",
        "module_redis_url",
        "postgres_conversations",
    }
)


def kind_of(test_file: PurePosixPath, fixtures: Iterable[str] = ()) -> str | None:
    """The kind of a test in `test_file` (relative to tests/) that uses `fixtures`; None where the
    file sits outside every folder this module knows."""
    if any(test_file.match(pattern) for pattern in BROWSER_FILES):
        return BROWSER
    folder = test_file.parts[0] if len(test_file.parts) > 1 else ""
    if folder not in FOLDER_KINDS:
        return None
    kind = FOLDER_KINDS[folder]
    if kind is None:
        kind = E2E if BOT_FIXTURES.intersection(fixtures) else UNIT
    return kind


def needs_services(fixtures: Iterable[str]) -> bool:
    return bool(SERVICE_FIXTURES.intersection(fixtures))
