"""Clinic settings are read from YAML and never invented."""

import pytest
import yaml

from bot.booking.replies import ended_without_request
from bot.booking.slots import PHONE_ROUTE
from bot.contact import human_handoff_reply
from bot.settings import load_settings
from bot.yamlfile import ConfigError

VALID = """
clinic:
  name: Test Clinic
  phone: "+1 555 0100"
  booking_url: https://clinic.example/book
  opening_hours: Mon-Fri 9-5
"""


def test_settings_load_from_a_file(tmp_path):
    path = tmp_path / "s.yml"
    path.write_text(VALID)
    settings = load_settings(path)
    assert settings.clinic.phone == "+1 555 0100"
    assert settings.clinic.unset_contact_settings == ()


def test_the_shipped_settings_leave_every_contact_route_empty():
    """The page gives no phone, hours or booking link, so none is shipped (not even a stand-in)."""
    assert load_settings().clinic.unset_contact_settings == (
        "clinic.phone",
        "clinic.opening_hours",
        "clinic.booking_url",
    )


@pytest.mark.parametrize(
    "key,value",
    [
        ("phone", "[PLACEHOLDER clinic phone]"),
        ("opening_hours", "TBD"),
        ("booking_url", "<booking page>"),
        ("phone", "{phone}"),
        ("opening_hours", "n/a"),
        ("booking_url", "clinic.example/book"),
        ("phone", 5550100),
    ],
)
def test_a_stand_in_contact_detail_is_refused_naming_it(tmp_path, key, value):
    settings = yaml.safe_load(VALID)
    settings["clinic"][key] = value
    path = tmp_path / "s.yml"
    path.write_text(yaml.safe_dump(settings))
    with pytest.raises(ConfigError, match=f"clinic.{key}"):
        load_settings(path)


def test_settings_file_can_be_chosen_by_environment(tmp_path, monkeypatch):
    path = tmp_path / "s.yml"
    path.write_text(VALID)
    monkeypatch.setenv("BOT_SETTINGS_FILE", str(path))
    assert load_settings().clinic.name == "Test Clinic"


@pytest.mark.parametrize(
    "text,message",
    [
        ("other: 1\n", "clinic"),
        ("clinic:\n  name: X\n  phone: 5\n", "phone"),
        ("clinic:\n  name: ''\n  phone: 1\n", "name"),
    ],
)
def test_incomplete_settings_are_refused_clearly(tmp_path, text, message):
    path = tmp_path / "s.yml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=message):
        load_settings(path)


def test_handoff_replies_use_only_the_settings(tmp_path):
    path = tmp_path / "s.yml"
    path.write_text(VALID)
    settings = load_settings(path)
    assert "+1 555 0100" in human_handoff_reply(settings).text
    phone_route = ended_without_request(PHONE_ROUTE, settings).text
    assert "+1 555 0100" in phone_route and "https://clinic.example/book" in phone_route


def test_shipped_settings_keep_notifications_off_and_bookings_in_sqlite():
    settings = load_settings()
    assert not settings.notifications.webhook.enabled and not settings.notifications.email.enabled
    assert settings.booking_database_url.startswith("sqlite:////")  # made absolute
    assert "*" not in settings.web.allowed_origins
    assert settings.notifications.email.security == "starttls"  # never in clear by default


def test_unknown_smtp_security_is_refused(tmp_path):
    path = tmp_path / "s.yml"
    path.write_text(VALID + "notifications:\n  email:\n    security: tls-maybe\n")
    with pytest.raises(ConfigError, match="starttls, ssl, none"):
        load_settings(path)


def test_booking_database_url_can_come_from_environment(monkeypatch):
    monkeypatch.setenv("BOOKING_DATABASE_URL", "postgresql://u@127.0.0.1:5432/x")
    assert load_settings().booking_database_url == "postgresql://u@127.0.0.1:5432/x"


def test_unknown_notification_field_is_refused(tmp_path):
    path = tmp_path / "s.yml"
    path.write_text(VALID + "notifications:\n  webhook:\n    urll: x\n")
    with pytest.raises(ConfigError, match="notifications.webhook"):
        load_settings(path)


def test_phone_regions_for_numbers_without_a_country_code(tmp_path):
    path = tmp_path / "s.yml"
    path.write_text(VALID + "booking:\n  phone_regions: [gb, US]\n")
    assert load_settings(path).booking_phone_regions == ("GB", "US")
    path.write_text(VALID + "booking:\n  phone_regions: UK\n")
    with pytest.raises(ConfigError, match="phone_regions"):
        load_settings(path)


@pytest.mark.parametrize("value", ['"180"', "true", "180.5"])
def test_a_whole_number_setting_given_otherwise_is_named(tmp_path, value):
    path = tmp_path / "s.yml"
    path.write_text(VALID + f"staff:\n  retention_days: {value}\n")
    with pytest.raises(ConfigError, match="staff.retention_days must be a whole number"):
        load_settings(path)


def test_messages_at_once_defaults_and_must_be_at_least_one(tmp_path):
    path = tmp_path / "s.yml"
    path.write_text(VALID)
    assert load_settings(path).rasa_server.messages_at_once == 3
    path.write_text(VALID + "rasa_server:\n  messages_at_once: 0\n")
    with pytest.raises(ConfigError, match="rasa_server.messages_at_once"):
        load_settings(path)
