"""action_ask_booking_<slot>: the booking form's questions, and the summary with confirm /
change / cancel before anything is stored."""

import pytest

from actions.booking import (
    ActionAskBookingChange,
    ActionAskBookingConsent,
    ActionAskBookingName,
    ActionAskBookingOutcome,
    ActionAskBookingPhone,
    ActionAskBookingPreferredTime,
    ActionAskBookingReason,
    AskBookingSlot,
)
from bot.booking import slots as s
from bot.wording import wording
from tests.support.trackers import make_tracker

FILLED = {
    s.KIND: s.CONSULTATION,
    s.NAME: "Priya Shah",
    s.PHONE: "+447700900123",
    s.EMAIL: "priya@example.com",
    s.PREFERRED_TIME: "Wednesday 10am",
    s.PREFERRED_TIME_NORMALISED: "2026-12-02T10:00",
    s.REASON: "",
    s.CONSENT: True,
}


def ask(action, dispatcher, slots):
    assert action.run(dispatcher, make_tracker(slots=slots), {}) == []
    [message] = dispatcher.messages
    return message


def test_every_form_question_has_an_ask_action():
    asked = {action.slot for action in AskBookingSlot.__subclasses__()}
    assert asked == {
        s.NAME,
        s.REQUESTER_NAME,
        s.PHONE,
        s.EMAIL,
        s.PREFERRED_TIME,
        s.REASON,
        s.CONSENT,
        s.CHANGE,
        s.OUTCOME,
    }
    assert ActionAskBookingName().name() == "action_ask_booking_name"


def test_summary_lists_every_detail_and_offers_confirm_change_cancel(dispatcher):
    message = ask(ActionAskBookingOutcome(), dispatcher, FILLED)
    not_given = wording("booking.summary.not_given")
    for shown in (
        "Priya Shah",
        "+44 7700 900123",
        "priya@example.com",
        "Wednesday 2 December 2026, 10:00",
        "“Wednesday 10am”",
        wording("booking.summary.reason", reason=not_given),
        wording("booking.summary.consent"),
        wording("booking.summary.heading", request=wording("booking.request.consultation")),
    ):
        assert shown in message["text"]
    assert [b["payload"] for b in message["buttons"]] == ["/affirm", "/correct", "/cancel"]


def test_a_callback_request_is_asked_when_to_call(dispatcher):
    message = ask(ActionAskBookingPreferredTime(), dispatcher, {s.KIND: s.CALLBACK})
    assert message["text"] == wording("booking.questions.preferred_time_callback")


@pytest.mark.parametrize(
    "action,changing,key",
    [
        (ActionAskBookingName(), False, "booking.questions.name"),
        (ActionAskBookingName(), True, "booking.changing.name"),
        (ActionAskBookingPhone(), False, "booking.questions.phone"),
        (ActionAskBookingPhone(), True, "booking.changing.phone"),
    ],
)
def test_questions_are_worded_for_a_change(dispatcher, action, changing, key):
    slots = {s.CHANGE: action.slot} if changing else {}
    assert ask(action, dispatcher, slots)["text"] == wording(key)


def test_consent_names_the_contact_details_and_needs_yes_or_no(dispatcher):
    message = ask(ActionAskBookingConsent(), dispatcher, FILLED)
    assert message["text"] == wording(
        "booking.questions.consent",
        contact_you=wording(
            "booking.contact_you.phone_and_email",
            who="you",
            phone="+44 7700 900123",
            email="priya@example.com",
        ),
    )
    assert [b["payload"] for b in message["buttons"]] == ["/affirm", "/deny"]


def test_reason_is_optional_with_a_skip_button(dispatcher):
    message = ask(ActionAskBookingReason(), dispatcher, {})
    assert message["text"] == wording("booking.questions.reason")
    assert message["buttons"][0]["payload"] == "/deny"


def test_change_offers_each_detail(dispatcher):
    message = ask(ActionAskBookingChange(), dispatcher, FILLED)
    details = [s.NAME, s.PHONE, s.EMAIL, s.PREFERRED_TIME, s.REASON]
    assert [b["title"] for b in message["buttons"]] == [
        *(wording(f"booking.buttons.details.{s.wording_key(slot)}") for slot in details),
        wording("booking.buttons.change_nothing"),
    ]
    # Each detail's button sends words that name that detail.
    assert [s.named_detail(b["payload"]) for b in message["buttons"][:-1]] == details
