"""Clinic settings (settings.yml): contact routes the page does not give, and where the bot keeps
and sends things. Each concern reads its own section through the typed objects below."""

import os
from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.paths import PROJECT_ROOT, SETTINGS_FILE
from bot.yamlfile import ConfigError, load_yaml_mapping

# The clinic's contact routes the page does not give. Each may be left empty until the clinic
# sets it: the bot then leaves that route out of its replies (bot/contact.py), and `make run`
# lists what is unset (python -m bot.settings).
CONTACT_SETTINGS = ("phone", "opening_hours", "booking_url")


@dataclass(frozen=True)
class ClinicSettings:
    name: str
    phone: str = ""
    booking_url: str = ""
    opening_hours: str = ""
    # The clinic's clock (IANA name): "tomorrow at 10" in a booking and the days in the staff
    # console are the clinic's, whatever zone the server runs in.
    timezone: str = "UTC"

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def now(self) -> datetime:
        """The clinic's wall-clock time, without tzinfo (how the booking form reads dates)."""
        return datetime.now(self.zone).replace(tzinfo=None)

    @property
    def unset_contact_settings(self) -> tuple[str, ...]:
        """The contact settings still empty, as `clinic.<name>`."""
        return tuple(f"clinic.{name}" for name in CONTACT_SETTINGS if not getattr(self, name))


@dataclass(frozen=True)
class WebhookSettings:
    enabled: bool = False
    url: str = ""


SMTP_SECURITY = ("starttls", "ssl", "none")


@dataclass(frozen=True)
class EmailSettings:
    """SMTP for booking notifications. The message holds a patient's contact details, so the
    default is STARTTLS on the submission port; the password never sits in this file, only the
    name of the environment variable that holds it."""

    enabled: bool = False
    smtp_host: str = "localhost"
    smtp_port: int = 587
    security: str = "starttls"  # starttls | ssl | none (a relay on this machine only)
    username: str = ""  # empty: no login
    password_env: str = "BOOKING_SMTP_PASSWORD"
    ca_file: str = ""  # empty: the system's trusted certificates
    sender: str = ""
    recipients: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.security not in SMTP_SECURITY:
            raise TypeError(f"security must be one of {', '.join(SMTP_SECURITY)}, not {self.security!r}")


@dataclass(frozen=True)
class NotificationSettings:
    webhook: WebhookSettings = field(default_factory=WebhookSettings)
    email: EmailSettings = field(default_factory=EmailSettings)
    # Also tell the enabled channels when the bot sends a patient to emergency care (conversation
    # id and the symptoms' names only; bot/safety/alerts.py).
    emergencies: bool = False


@dataclass(frozen=True)
class WebSettings:
    allowed_origins: tuple[str, ...] = ("http://localhost:8000",)
    rasa_url: str = "http://localhost:5005"


@dataclass(frozen=True)
class StaffSettings:
    """The staff console (bot/staff, bot/web/console/routes.py): its own database, sessions, retention."""

    database_url: str = "sqlite:///var/staff.db"
    tracker_store_url: str = ""  # empty: the tracker_store of `endpoints_file`
    endpoints_file: str = "endpoints.yml"
    secret_key_file: str = "var/staff_secret.key"
    retention_days: int = 180
    session_idle_minutes: int = 30
    session_max_hours: int = 12
    login_max_failures: int = 5
    login_window_minutes: int = 15
    secure_cookies: bool = False
    page_size: int = 25


@dataclass(frozen=True)
class LiveChatSettings:
    """A person in the same chat (bot/live): when staff can take chats, how long a patient waits."""

    enabled: bool = True
    # "Mon-Fri 09:00-17:00" in the clinic's time zone; none: whenever staff are online.
    hours: tuple[str, ...] = ()
    # A patient who waits this long without anyone joining is offered the callback request.
    wait_seconds: int = 180
    # A staff member counts as online while their live page checked in this recently.
    presence_seconds: int = 60
    # Staff in a chat who leave the patient's message unanswered this long hand it back to the bot.
    reply_seconds: int = 300


@dataclass(frozen=True)
class RasaServerSettings:
    """How the Rasa server takes in patients' messages (bot/runtime/channels.py)."""

    messages_at_once: int = 3


@dataclass(frozen=True)
class RateLimitSettings:
    """Flood protection on the patient channels (bot/runtime/rate_limit.py); 0 turns a rule off."""

    enabled: bool = True
    messages_per_address: int = 60
    messages_per_conversation: int = 20
    window_seconds: int = 60
    redis_url: str = ""  # empty: counted in each Rasa server; RATE_LIMIT_REDIS_URL wins


@dataclass(frozen=True)
class Settings:
    clinic: ClinicSettings
    booking_database_url: str = "sqlite:///var/bookings.db"
    # Countries tried, in order, for phone numbers written without a +country code.
    booking_phone_regions: tuple[str, ...] = ("US",)
    notifications: NotificationSettings = field(default_factory=NotificationSettings)
    web: WebSettings = field(default_factory=WebSettings)
    staff: StaffSettings = field(default_factory=StaffSettings)
    rate_limit: RateLimitSettings = field(default_factory=RateLimitSettings)
    rasa_server: RasaServerSettings = field(default_factory=RasaServerSettings)
    live_chat: LiveChatSettings = field(default_factory=LiveChatSettings)


def _required_text(section: dict, key: str, path: Path) -> str:
    value = section.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{path}: clinic.{key} must be a non-empty text")
    return value.strip()


def _contact_text(section: dict, key: str, path: Path) -> str:
    """A contact route: empty when unset; never a stand-in such as "[PLACEHOLDER phone]" or
    "TBD", which a patient would be shown as if it were the clinic's."""
    value = section.get(key, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ConfigError(f"{path}: clinic.{key} must be a text (empty until the clinic sets it)")
    value = " ".join(value.split())
    if any(mark in value for mark in "[]{}<>") or value.upper() in ("TBD", "TODO", "XXX", "N/A"):
        raise ConfigError(
            f"{path}: clinic.{key} looks like a stand-in ({value!r}); leave it empty until the "
            "clinic's real detail is known, and the bot leaves that route out"
        )
    if key == "booking_url" and value and not value.startswith(("https://", "http://")):
        raise ConfigError(f"{path}: clinic.booking_url must be a web address starting with https://")
    return value


def _section(raw: dict[str, Any], name: str, path: Path) -> dict[str, Any]:
    value = raw.get(name) or {}
    if not isinstance(value, dict):
        raise ConfigError(f"{path}: `{name}` must be a mapping")
    return value


def _build(cls, values: dict[str, Any], path: Path, where: str):
    _check_numbers(cls, values, path, where)
    try:
        return cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in values.items()})
    except TypeError as error:
        raise ConfigError(f"{path}: unknown or missing field in `{where}`: {error}") from error


def _check_numbers(cls, values: dict[str, Any], path: Path, where: str) -> None:
    """A whole-number setting given as text ("180") or true/false is named, not a TypeError later."""
    for spec in fields(cls):
        value = values.get(spec.name)
        if (
            spec.type in (int, "int")
            and value is not None
            and (isinstance(value, bool) or not isinstance(value, int))
        ):
            raise ConfigError(f"{path}: {where}.{spec.name} must be a whole number, not {value!r}")


def resolve_sqlite_url(url: str) -> str:
    """Make a relative SQLite path relative to the project folder, so any working folder works."""
    prefix = "sqlite:///"
    if url.startswith(prefix) and not url.startswith(prefix + "/") and url != prefix:
        return prefix + str(PROJECT_ROOT / url[len(prefix) :])
    return url


def _phone_regions(booking: dict[str, Any], path: Path) -> tuple[str, ...]:
    regions = booking.get("phone_regions", list(Settings.booking_phone_regions))
    if (
        not isinstance(regions, list)
        or not regions
        or not all(isinstance(r, str) and len(r) == 2 and r.isalpha() for r in regions)
    ):
        raise ConfigError(f"{path}: booking.phone_regions must be a list of two-letter country codes")
    return tuple(r.upper() for r in regions)


def _time_zone_name(clinic: dict[str, Any], path: Path) -> str:
    name = clinic.get("timezone", "UTC")
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError) as error:
        raise ConfigError(
            f"{path}: clinic.timezone: unknown time zone {name!r} (use an IANA name such as America/Chicago)"
        ) from error
    return name


def load_settings(path: Path | None = None) -> Settings:
    """Read settings from `path`, $BOT_SETTINGS_FILE, or the project's settings.yml."""
    path = Path(path or os.environ.get("BOT_SETTINGS_FILE") or SETTINGS_FILE)
    raw = load_yaml_mapping(path)
    clinic = raw.get("clinic")
    if not isinstance(clinic, dict):
        raise ConfigError(f"{path}: a `clinic` section is required")
    notifications = _section(raw, "notifications", path)
    booking = _section(raw, "booking", path)
    database_url = os.environ.get("BOOKING_DATABASE_URL") or booking.get(
        "database_url", Settings.booking_database_url
    )
    return Settings(
        clinic=ClinicSettings(
            name=_required_text(clinic, "name", path),
            **{key: _contact_text(clinic, key, path) for key in CONTACT_SETTINGS},
            timezone=_time_zone_name(clinic, path),
        ),
        booking_database_url=resolve_sqlite_url(database_url),
        booking_phone_regions=_phone_regions(booking, path),
        notifications=NotificationSettings(
            webhook=_build(
                WebhookSettings, _section(notifications, "webhook", path), path, "notifications.webhook"
            ),
            email=_build(EmailSettings, _section(notifications, "email", path), path, "notifications.email"),
            emergencies=_flag(notifications, "emergencies", path),
        ),
        web=_build(WebSettings, _section(raw, "web", path), path, "web"),
        staff=_staff_settings(_section(raw, "staff", path), path),
        rate_limit=_rate_limit_settings(_section(raw, "rate_limit", path), path),
        rasa_server=_rasa_server_settings(_section(raw, "rasa_server", path), path),
        live_chat=_live_chat_settings(_section(raw, "live_chat", path), path),
    )


def _flag(section: dict[str, Any], key: str, path: Path) -> bool:
    value = section.get(key, False)
    if not isinstance(value, bool):
        raise ConfigError(f"{path}: notifications.{key} must be true or false")
    return value


def _live_chat_settings(section: dict[str, Any], path: Path) -> LiveChatSettings:
    from bot.live.hours import HoursError, parse_hours

    settings = _build(LiveChatSettings, section, path, "live_chat")
    if min(settings.wait_seconds, settings.presence_seconds, settings.reply_seconds) < 10:
        raise ConfigError(f"{path}: live_chat.wait_seconds, presence_seconds and reply_seconds must be >= 10")
    try:
        parse_hours(settings.hours)
    except HoursError as error:
        raise ConfigError(f"{path}: live_chat.hours: {error}") from error
    return settings


def _rasa_server_settings(section: dict[str, Any], path: Path) -> RasaServerSettings:
    settings = _build(RasaServerSettings, section, path, "rasa_server")
    if settings.messages_at_once < 1:
        raise ConfigError(f"{path}: rasa_server.messages_at_once must be >= 1")
    return settings


def _rate_limit_settings(section: dict[str, Any], path: Path) -> RateLimitSettings:
    settings = _build(RateLimitSettings, section, path, "rate_limit")
    counts = (settings.messages_per_address, settings.messages_per_conversation)
    if settings.window_seconds < 1 or min(counts) < 0:
        raise ConfigError(f"{path}: rate_limit.window_seconds must be >= 1 and message counts >= 0")
    return settings


def _staff_settings(section: dict[str, Any], path: Path) -> StaffSettings:
    """Staff console settings; STAFF_DATABASE_URL and STAFF_TRACKER_STORE_URL, when set, win."""
    values = dict(section)
    for key, variable in (
        ("database_url", "STAFF_DATABASE_URL"),
        ("tracker_store_url", "STAFF_TRACKER_STORE_URL"),
    ):
        if os.environ.get(variable):
            values[key] = os.environ[variable]
    staff = _build(StaffSettings, values, path, "staff")
    if staff.retention_days < 1 or staff.session_idle_minutes < 1:
        raise ConfigError(f"{path}: staff.retention_days and staff.session_idle_minutes must be >= 1")
    return replace(
        staff,
        database_url=resolve_sqlite_url(staff.database_url),
        tracker_store_url=resolve_sqlite_url(staff.tracker_store_url),
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings of this process, read once."""
    return load_settings()


def unset_contact_warning(settings: Settings) -> str | None:
    """What `make run` prints while clinic contact routes are unset, or None when all are set."""
    unset = settings.clinic.unset_contact_settings
    if not unset:
        return None
    return (
        f"Warning: {', '.join(unset)} {'is' if len(unset) == 1 else 'are'} empty in the settings file. "
        "Until set, the bot leaves out of its replies what is missing (it never makes up a phone "
        "number, opening hours or booking link). Set the clinic's real details before going live."
    )


if __name__ == "__main__":  # python -m bot.settings: the settings load, and what is unset
    try:
        warning = unset_contact_warning(load_settings())
    except ConfigError as error:
        raise SystemExit(f"The settings file has a mistake: {error}") from None
    if warning:
        print(warning)
