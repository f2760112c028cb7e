"""The notice a patient gets when the bot cannot answer (bot/runtime/service_notices.py)."""

from bot.contact import phone_and_web
from bot.runtime.service_notices import unavailable_reply
from bot.settings import load_settings
from bot.wording import wording


def test_unavailable_reply_gives_the_clinic_routes_from_settings(tmp_path):
    path = tmp_path / "s.yml"
    path.write_text(
        "clinic:\n  name: Test Clinic\n  phone: '+1 555 0100'\n"
        "  booking_url: https://clinic.example/book\n  opening_hours: Mon-Fri 9-5\n"
    )
    settings = load_settings(path)
    text = unavailable_reply(settings).text
    assert text == wording(
        "general.service.unavailable.with_route",
        clinic_name="Test Clinic",
        clinic_phone_and_web=phone_and_web(settings.clinic),
    )
    for detail in ("Test Clinic", "+1 555 0100", "https://clinic.example/book", "Mon-Fri 9-5", "911"):
        assert detail in text


def test_without_contact_routes_the_notice_says_try_again_and_911_only(tmp_path):
    path = tmp_path / "s.yml"
    path.write_text("clinic:\n  name: Test Clinic\n")
    text = unavailable_reply(load_settings(path)).text
    assert text == wording("general.service.unavailable.without_route", clinic_name="Test Clinic")
    assert "try again" in text and "911" in text and "phone" not in text
