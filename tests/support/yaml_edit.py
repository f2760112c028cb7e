"""Editing a parsed YAML mapping by a dotted key, for tests that break one value of a data file."""

from typing import Any


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
