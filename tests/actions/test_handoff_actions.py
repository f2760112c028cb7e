"""action_human_handoff: the contact route from settings, the offer of a callback request, and
the staff follow-up mark (which never replaces an emergency mark)."""

from actions.handoff import ActionHumanHandoff
from bot.wording import wording
from tests.support.trackers import make_tracker


def test_human_handoff_gives_the_phone_and_emergency_route_and_offers_a_callback(
    dispatcher, domain, clinic_with_routes
):
    events = ActionHumanHandoff().run(dispatcher, make_tracker("request_human"), domain)
    message = dispatcher.messages[0]
    assert clinic_with_routes.clinic.phone in message["text"] and "911" in message["text"]
    assert message["text"].endswith(wording("general.handoff.callback_offer"))
    assert [b["payload"] for b in message["buttons"]] == ["/affirm", "/deny"]
    assert events == [
        {"event": "slot", "timestamp": None, "name": "staff_followup", "value": "human_handoff"}
    ]


def test_without_a_clinic_phone_the_handoff_offers_the_callback_and_names_no_number(dispatcher, domain):
    ActionHumanHandoff().run(dispatcher, make_tracker("request_human"), domain)
    message = dispatcher.messages[0]
    assert message["text"].startswith(wording("general.handoff.route.without_route"))
    assert "by phone" not in message["text"] and "911" in message["text"]
    assert [b["payload"] for b in message["buttons"]] == ["/affirm", "/deny"]


def test_during_a_booking_the_handoff_does_not_offer_a_second_form(dispatcher, domain):
    tracker = make_tracker("request_human", active_loop={"name": "booking_form"})
    ActionHumanHandoff().run(dispatcher, tracker, domain)
    message = dispatcher.messages[0]
    assert message["text"].endswith(wording("general.handoff.finish_booking"))
    assert message["buttons"] == []


def test_an_emergency_mark_is_kept(dispatcher, domain):
    tracker = make_tracker("request_human", slots={"staff_followup": "emergency"})
    events = ActionHumanHandoff().run(dispatcher, tracker, domain)
    assert events[0]["value"] == "emergency"
