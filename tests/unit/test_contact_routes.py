"""No route that does not exist reaches a patient (bot/contact.py): every reply that names the
clinic's phone, hours or booking page, built for a clinic that has set all, some or none of them,
names exactly the routes that are set and no stand-in, and reads as whole sentences."""

from collections.abc import Callable
from dataclasses import replace

import pytest

from bot.booking import slots as s
from bot.booking.replies import ended_without_request, not_stored, stored
from bot.contact import human_handoff_reply, offline_contact_line
from bot.runtime.service_notices import unavailable_reply
from bot.safety.replies import emergency_acknowledged_reply, emergency_reply, mild_symptom_reply
from bot.settings import ClinicSettings, Settings, load_settings

PHONE, HOURS, WEB = "+1 214 555 0100", "Mon–Fri 8 am–5 pm", "https://clinic.example/book"
SLOTS = {s.NAME: "Priya Shah", s.PHONE: "+447700900123", s.CONSENT: True, s.OUTCOME: s.CONFIRMED}

# Every reply that can name a clinic route, built for `settings`.
REPLIES: dict[str, Callable[[Settings], str]] = {
    "service unavailable": lambda settings: unavailable_reply(settings).text,
    "widget offline": offline_contact_line,
    "handoff": lambda settings: human_handoff_reply(settings).text,
    "handoff during a booking": lambda settings: human_handoff_reply(settings, booking_open=True).text,
    "request stored": lambda settings: stored(SLOTS, "BK-TEST", settings).text,
    "request kept on disk": lambda settings: not_stored(SLOTS, "BK-TEST", True, settings).text,
    "request kept in memory": lambda settings: not_stored(SLOTS, "BK-TEST", False, settings).text,
    "no consent": lambda settings: ended_without_request(s.DECLINED_CONSENT, settings).text,
    "too many tries": lambda settings: ended_without_request(s.PHONE_ROUTE, settings).text,
    "emergency": lambda settings: emergency_reply(["swallowing"], settings).text,
    "getting help": lambda settings: emergency_acknowledged_reply(settings).text,
    "mild effects": lambda settings: mild_symptom_reply(settings).text,
}

# (phone, opening hours, booking page) as a clinic may have set them.
CLINICS = {
    "none set (as shipped)": ("", "", ""),
    "phone only": (PHONE, "", ""),
    "phone and hours": (PHONE, HOURS, ""),
    "booking page only": ("", "", WEB),
    "all set": (PHONE, HOURS, WEB),
}
STAND_INS = ("PLACEHOLDER", "None", "{", "}", "[", "]", "()", "TBD")


def clinic(phone: str, hours: str, web: str) -> Settings:
    shipped = load_settings()
    return replace(shipped, clinic=ClinicSettings(shipped.clinic.name, phone, web, hours))


@pytest.mark.parametrize("case", CLINICS)
@pytest.mark.parametrize("reply", REPLIES)
def test_each_reply_names_only_the_routes_that_are_set(reply, case):
    phone, hours, web = CLINICS[case]
    text = REPLIES[reply](clinic(phone, hours, web))
    assert not [mark for mark in STAND_INS if mark in text], text
    assert "  " not in text and " ." not in text and " ," not in text and ": ." not in text
    assert text.rstrip().endswith((".", "?", "”.")), text
    if not phone:
        assert "by phone" not in text and "call the clinic team:" not in text
    if not web:
        assert "https://" not in text
    if hours:
        assert (HOURS in text) == (PHONE in text)


def test_the_shipped_settings_put_no_route_in_any_reply():
    shipped = load_settings()
    for build in REPLIES.values():
        text = build(shipped)
        assert "PLACEHOLDER" not in text and "phone on" not in text and "https://" not in text


@pytest.mark.parametrize(
    "reply,route",
    [
        ("handoff", PHONE),
        ("request stored", PHONE),
        ("too many tries", WEB),
        ("service unavailable", WEB),
        ("emergency", PHONE),
        ("mild effects", PHONE),
    ],
)
def test_a_route_that_is_set_is_given(reply, route):
    assert route in REPLIES[reply](clinic(PHONE, HOURS, WEB))
