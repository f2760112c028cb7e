"""Editing a parsed YAML mapping by a dotted key, for tests that break one value of a data file."""

from pathlib import Path
from typing import Any

import yaml

from tests.support.paths import PROJECT_ROOT


def set_dotted(raw: dict[str, Any], key: str, value: Any) -> None:
    """Set `raw` at dotted `key` ("symptoms.choking.level") to `value`, or remove it when None."""
    *parents, last = key.split(".")
    section = raw
    for parent in parents:
        section = section[parent]
    if value is None:
        del section[last]
    else:
        section[last] = value


# A clinic that has set its contact routes; the shipped settings.yml leaves them empty.
CLINIC_ROUTES = {
    "clinic.phone": "+1 214 555 0100",
    "clinic.opening_hours": "Mon–Fri 8 am–5 pm",
    "clinic.booking_url": "https://clinic.example/book",
}


def settings_file_with(target: Path, values: dict[str, Any]) -> Path:
    """A copy of the project's settings.yml at `target` with dotted keys set (BOT_SETTINGS_FILE)."""
    raw = yaml.safe_load((PROJECT_ROOT / "settings.yml").read_text())
    for key, value in values.items():
        set_dotted(raw, key, value)
    target.write_text(yaml.safe_dump(raw, allow_unicode=True))
    return target
