"""Reading form messages: details in any order or all at once, corrections, change and cancel,
questions in the middle of the form, and the order in which the form asks."""

from datetime import datetime

import pytest

from bot.booking import slots as s
from bot.booking.reading import Message, read_message
from bot.wording import wording

NOW = datetime(2026, 11, 25, 15, 36)
REGIONS = ("US", "GB")
FILLED = {
    s.KIND: s.CONSULTATION,
    s.NAME: "Priya Shah",
    s.PHONE: "+447700900123",
    s.EMAIL: "old@example.org",
    s.PREFERRED_TIME: "Wednesday 10am",
    s.REASON: "",
    s.CONSENT: True,
}


def read(text, intent="inform", requested=None, slots=None):
    return read_message(Message(text, intent), requested, slots or {}, REGIONS, NOW)


def test_everything_in_one_message_at_the_start():
    reading = read("I'd like to book, I'm Priya Shah, 07700 900123, Wednesday 10am", "request_booking")
    assert reading.values == {
        s.NAME: "Priya Shah",
        s.PHONE: "+447700900123",
        s.PREFERRED_TIME: "Wednesday 10am",
    }


def test_everything_in_one_message_when_the_name_is_asked():
    reading = read("Priya Shah, priya@example.com, tomorrow at 9", requested=s.NAME)
    assert reading.values == {
        s.NAME: "Priya Shah",
        s.EMAIL: "priya@example.com",
        s.PREFERRED_TIME: "tomorrow at 9",
    }


@pytest.mark.parametrize(
    "text,slot,value",
    [
        ("priya@example.com", s.EMAIL, "priya@example.com"),
        ("07700 900123", s.PHONE, "+447700900123"),
        ("next Monday 2pm", s.PREFERRED_TIME, "next Monday 2pm"),
    ],
)
def test_a_detail_given_before_it_is_asked_fills_its_own_slot(text, slot, value):
    assert read(text, requested=s.NAME).values == {slot: value}


def test_the_answer_to_the_question_asked_is_passed_on_even_when_wrong():
    assert read("12345", requested=s.NAME).values == {s.NAME: "12345"}
    assert read("0770 090", requested=s.PHONE).values == {s.PHONE: "0770 090"}
    assert read("31 February", requested=s.PREFERRED_TIME).values == {s.PREFERRED_TIME: "31 February"}
    assert read("maybe", "nlu_fallback", s.CONSENT).values == {s.CONSENT: "maybe"}


@pytest.mark.parametrize(
    "text,intent,requested",
    [
        ("how long does it last?", "ask_results_duration", s.NAME),
        ("what are the side effects", "ask_side_effects", s.PREFERRED_TIME),
        ("can it help my eye?", "ask_synkinesis", s.REASON),
        ("can I talk to a real person", "request_human", s.REASON),
        ("how much is it", "ask_cost", s.PHONE),
    ],
)
def test_questions_in_the_middle_are_digressions(text, intent, requested):
    reading = read(text, intent, requested)
    assert reading.digression and reading.values == {}


def test_a_statement_while_the_reason_is_asked_is_the_reason_whatever_its_intent():
    reading = read("my eye won't close since last March", "ask_side_effects", s.REASON)
    assert reading.values == {s.REASON: "my eye won't close since last March"}


def test_a_name_is_a_name_even_if_nlu_thought_it_was_a_question():
    assert read("Priya Shah", "ask_surgeon", s.NAME).values == {s.NAME: "Priya Shah"}


@pytest.mark.parametrize(
    "text,intent", [("never mind", "cancel"), ("stop", "nlu_fallback"), ("bye", "goodbye")]
)
@pytest.mark.parametrize("requested", [None, s.NAME, s.REASON, s.OUTCOME])
def test_cancel_at_any_point(text, intent, requested):
    assert read(text, intent, requested).values == {s.OUTCOME: s.CANCELLED}


def test_a_correction_replaces_the_value_and_says_so():
    reading = read(
        "actually my email is new@example.org", "correct", s.OUTCOME, {**FILLED, s.EMAIL: "old@example.org"}
    )
    assert reading.values == {s.EMAIL: "new@example.org"}
    assert reading.notes == [
        wording("booking.notes.changed", value="new@example.org", detail=wording("booking.details.email"))
    ]


def test_a_bad_correction_keeps_the_old_value_and_asks_for_the_new_one():
    reading = read("actually my email is priya@exa", "correct", s.OUTCOME, FILLED)
    assert reading.values == {s.CHANGE: s.EMAIL}
    assert reading.notes[0].endswith(wording("booking.notes.kept_email"))


@pytest.mark.parametrize(
    "text,intent,change",
    [
        ("/correct", "correct", s.CHANGE_PENDING),
        ("no", "deny", s.CHANGE_PENDING),
        ("change the time", "correct", s.PREFERRED_TIME),
        ("my phone number is wrong", "correct", s.PHONE),
    ],
)
def test_change_at_the_summary(text, intent, change):
    assert read(text, intent, s.OUTCOME, FILLED).values == {s.CHANGE: change}


def test_change_in_the_middle_of_the_form():
    assert read("I want to change my name", "correct", s.PREFERRED_TIME).values == {s.CHANGE: s.NAME}


def test_confirm_at_the_summary():
    assert read("/affirm", "affirm", s.OUTCOME, FILLED).values == {s.OUTCOME: s.CONFIRMED}
    assert read("yes", "nlu_fallback", s.OUTCOME, FILLED).values == {s.OUTCOME: s.CONFIRMED}


def test_choosing_what_to_change_and_giving_the_new_value():
    assert read("Phone number", "inform", s.CHANGE, FILLED).values == {s.CHANGE: s.PHONE}
    assert read("nothing", "deny", s.CHANGE, FILLED).values == {s.CHANGE: None}
    changing = {**FILLED, s.CHANGE: s.PHONE}
    assert read("07700 900456", "inform", s.PHONE, changing).values == {
        s.PHONE: "+447700900456",
        s.CHANGE: None,
    }


def test_consent_needs_an_explicit_answer():
    assert read("/affirm", "affirm", s.CONSENT).values == {s.CONSENT: True}
    assert read("no", "deny", s.CONSENT).values == {s.OUTCOME: s.DECLINED_CONSENT}
    assert s.CONSENT not in read("yes", "affirm", s.NAME).values  # never inferred


def test_reason_can_be_skipped_with_the_button():
    assert read("/deny", "deny", s.REASON).values == {s.REASON: ""}


@pytest.mark.parametrize(
    "slots,expected",
    [
        ({}, s.NAME),
        ({s.NAME: "P"}, s.PHONE),
        ({s.NAME: "P", s.EMAIL: "p@example.com"}, s.PREFERRED_TIME),
        ({s.NAME: "P", s.PHONE: "+1", s.PREFERRED_TIME: "x"}, s.REASON),
        ({s.NAME: "P", s.PHONE: "+1", s.PREFERRED_TIME: "x", s.REASON: ""}, s.CONSENT),
        (FILLED, s.OUTCOME),
        ({**FILLED, s.CHANGE: s.CHANGE_PENDING}, s.CHANGE),
        ({**FILLED, s.CHANGE: s.EMAIL}, s.EMAIL),
        ({**FILLED, s.OUTCOME: s.CONFIRMED}, None),
        ({s.OUTCOME: s.CANCELLED}, None),
    ],
)
def test_the_form_asks_in_order_and_stops_once_an_outcome_is_set(slots, expected):
    assert s.next_slot_to_ask(slots) == expected


@pytest.mark.parametrize(
    "text,intent,requested,values",
    [
        ("Rebecca Taylor", "goodbye", s.NAME, {s.NAME: "Rebecca Taylor"}),
        ("the name's Ahmed Khan", "correct", s.NAME, {s.NAME: "Ahmed Khan"}),
        ("friday at 2pm", "cancel", s.PREFERRED_TIME, {s.PREFERRED_TIME: "friday at 2pm"}),
        ("i don't want to book anymore", "cancel", s.REASON, {s.OUTCOME: s.CANCELLED}),
        ("dont go ahead with it", "nlu_fallback", s.OUTCOME, {s.OUTCOME: s.CANCELLED}),
        ("forget the appointment", "cancel", s.NAME, {s.OUTCOME: s.CANCELLED}),
    ],
)
def test_a_usable_answer_wins_over_a_misread_intent_and_a_real_cancel_still_cancels(
    text, intent, requested, values
):
    assert read(text, intent, requested).values == values


@pytest.mark.parametrize(
    "text,intent,requested,values",
    [
        ("last tuesday", "ask_results_duration", s.PREFERRED_TIME, {s.PREFERRED_TIME: "last tuesday"}),
        ("07700 90", "ask_what_is", s.PHONE, {s.PHONE: "07700 90"}),
        ("maybe", "deny", s.CONSENT, {s.CONSENT: "maybe"}),
        ("hmm", "nlu_fallback", s.NAME, {s.NAME: "hmm"}),
    ],
)
def test_attempts_at_an_answer_are_checked_not_taken_for_questions_or_a_no(text, intent, requested, values):
    reading = read(text, intent, requested)
    assert reading.values == values and not reading.digression
