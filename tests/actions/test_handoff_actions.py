"""action_booking_handoff and action_human_handoff: contact routes come from settings."""
from actions.handoff import ActionBookingHandoff, ActionHumanHandoff
from bot.settings import get_settings
from tests.conftest import make_tracker


def test_booking_handoff_gives_the_booking_route(dispatcher, domain):
    ActionBookingHandoff().run(dispatcher, make_tracker("request_booking"), domain)
    assert get_settings().clinic.booking_url in dispatcher.messages[0]["text"]


def test_human_handoff_gives_the_phone_and_emergency_route(dispatcher, domain):
    ActionHumanHandoff().run(dispatcher, make_tracker("request_human"), domain)
    text = dispatcher.messages[0]["text"]
    assert get_settings().clinic.phone in text and "911" in text
