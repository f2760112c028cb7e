"""Where the project's files live, so that no module guesses relative paths."""

import contextlib
import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"
KNOWLEDGE_FILE = DATA_DIR / "knowledge" / "page.yml"
# Reviewed data that is not training data: what the bot says (wording), and the red-flag symptoms
# with the emergency wording and the sources both rest on (safety).
WORDING_DIR = DATA_DIR / "wording"
SAFETY_WORDING_FILE = DATA_DIR / "safety" / "emergency.yml"
RED_FLAGS_FILE = DATA_DIR / "safety" / "red_flags.yml"
RELATIONS_FILE = DATA_DIR / "booking" / "relations.yml"
SETTINGS_FILE = PROJECT_ROOT / "settings.yml"
# Build output (never committed): the spaCy pipeline and other generated artefacts.
BUILD_DIR = PROJECT_ROOT / "build"
SPACY_PIPELINE_DIR = BUILD_DIR / "spacy_en"
# Runtime data (never committed): SQLite databases for the embedded default.
VAR_DIR = PROJECT_ROOT / "var"
# Rasa's NLU pipeline and policies (the staff console reads the fallback threshold from it).
RASA_CONFIG_FILE = PROJECT_ROOT / "config.yml"
# The assistant's domain: intents, slots, forms, responses and actions in one file.
DOMAIN_FILE = PROJECT_ROOT / "domain.yml"


def private_sqlite_file(database: str | None) -> None:
    """Make a SQLite database file readable by its owner only (0600, in a folder made 0700)
    before SQLite opens it: it holds patients' words or staff accounts. SQLite gives its journal
    files the same mode. An existing file, ":memory:" or no path is left as it is."""
    if not database or database == ":memory:":
        return
    path = Path(database)
    if not path.parent.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
