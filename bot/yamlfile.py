"""Loading the project's own YAML files with clear errors."""

from pathlib import Path
from typing import Any

import yaml


class ConfigError(ValueError):
    """A project YAML file is missing, unreadable or has the wrong shape."""


def load_yaml_mapping(path: Path) -> dict[str, Any]:
    """Return the top-level mapping of a YAML file, or raise `ConfigError` saying what is wrong."""
    try:
        with open(path, encoding="utf-8") as handle:
            content = yaml.safe_load(handle)
    except FileNotFoundError as error:
        raise ConfigError(f"{path} is missing") from error
    except yaml.YAMLError as error:
        raise ConfigError(f"{path} is not valid YAML: {error}") from error
    if not isinstance(content, dict):
        raise ConfigError(f"{path} must hold a mapping at the top level")
    return content
