"""Clinic settings (settings.yml): name and contact routes that the page itself does not give."""
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional

from bot.paths import SETTINGS_FILE
from bot.yamlfile import ConfigError, load_yaml_mapping

PLACEHOLDER_MARK = "[PLACEHOLDER"


@dataclass(frozen=True)
class ClinicSettings:
    name: str
    phone: str
    booking_url: str
    opening_hours: str

    @property
    def has_placeholders(self) -> bool:
        """True while any contact detail still holds the shipped placeholder."""
        return any(
            value.startswith(PLACEHOLDER_MARK)
            for value in (self.phone, self.booking_url, self.opening_hours)
        )


@dataclass(frozen=True)
class Settings:
    clinic: ClinicSettings


def _required_text(section: dict, key: str, path: Path) -> str:
    value = section.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{path}: clinic.{key} must be a non-empty text")
    return value.strip()


def load_settings(path: Optional[Path] = None) -> Settings:
    """Read settings from `path`, $BOT_SETTINGS_FILE, or the project's settings.yml."""
    path = Path(path or os.environ.get("BOT_SETTINGS_FILE") or SETTINGS_FILE)
    raw = load_yaml_mapping(path)
    clinic = raw.get("clinic")
    if not isinstance(clinic, dict):
        raise ConfigError(f"{path}: a `clinic` section is required")
    return Settings(
        clinic=ClinicSettings(
            **{
                key: _required_text(clinic, key, path)
                for key in ("name", "phone", "booking_url", "opening_hours")
            }
        )
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings of this process, read once."""
    return load_settings()
