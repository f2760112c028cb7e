"""validate_booking_form through whole conversations. `FormRun` plays Rasa's part the way
rasa/core/actions/forms.py does: it calls the validation action with the latest message, treats
a run that sets no slot as a rejection (the bot answers the digression elsewhere), applies the
events, and asks the next question with the form's ask action."""

import asyncio
import uuid
from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.booking import AskBookingSlot, ValidateBookingForm
from bot.booking import slots as s
from bot.wording import wording
from tests.support.paths import PROJECT_ROOT

DOMAIN = {"forms": yaml.safe_load(Path(PROJECT_ROOT, "domain.yml").read_text())["forms"]}
ASKERS = {asker.slot: asker() for asker in AskBookingSlot.__subclasses__()}


class FormRun:
    def __init__(self, history: list[dict[str, Any]] | None = None) -> None:
        self.slots: dict[str, Any] = {}
        self.events: list[dict[str, Any]] = list(history or [])
        self.active = False
        self.finished = False
        self.rejected = False

    @property
    def asking(self) -> str | None:
        return self.slots.get(s.REQUESTED_SLOT)

    def say(self, text: str, intent: str = "inform", signs: tuple[str, ...] = ()) -> list[str]:
        """One patient message (the first one starts the form), with the secondary signs the
        red-flag rules found in it; the bot's messages."""
        user = {
            "event": "user",
            "text": text,
            "message_id": uuid.uuid4().hex,
            "parse_data": {"intent": {"name": intent}, "red_flag": {"signs": list(signs)}},
        }
        starting = [] if self.active else [{"event": "active_loop", "name": "booking_form"}]
        requested = self.asking if self.active else None
        tracker = Tracker(
            "patient-1",
            {**self.slots, s.REQUESTED_SLOT: requested},
            {"text": text, "intent": {"name": intent}},
            self.events + [user] + starting + [{"event": "action", "name": "booking_form"}],
            False,
            None,
            {"name": "booking_form"},
            "action_listen",
        )
        dispatcher = CollectingDispatcher()
        events = asyncio.run(ValidateBookingForm().run(dispatcher, tracker, DOMAIN))
        filled = [e for e in events if e["event"] == "slot" and e["name"] != s.REQUESTED_SLOT]
        self.rejected = bool(self.active and requested and not filled)
        if self.rejected:
            return []
        self.events += [user] + starting + events
        for event in events:
            self.slots[event["name"]] = event["value"]
        self.active = True
        if self.asking is None:
            self.active, self.finished = False, True
        else:
            ASKERS[self.asking].run(dispatcher, tracker_with(self.slots, self.events), {})
        return [m["text"] for m in dispatcher.messages]


def tracker_with(slots: dict[str, Any], events: list[dict[str, Any]] | None = None) -> Tracker:
    return Tracker("patient-1", dict(slots), {}, list(events or []), False, None, {}, None)


def start(text="I'd like to book a consultation", intent="request_booking", history=None):
    run = FormRun(history)
    return run, run.say(text, intent)


def changed_note(slot: str, value: str) -> str:
    """The note that a detail given earlier was changed."""
    detail = wording(f"booking.details.{s.wording_key(slot)}")
    return wording("booking.notes.changed", detail=detail, value=value)


def fill_up_to_summary(run: FormRun) -> None:
    run.say("Priya Shah")
    run.say("07700 900123")
    run.say("next Wednesday at 10am")
    run.say("my smile has been uneven since Bell's palsy")
    run.say("/affirm", "affirm")
    assert run.asking == s.OUTCOME


def test_happy_path_asks_each_question_once_in_order():
    run, said = start()
    assert said == [wording("booking.opening.consultation"), wording("booking.questions.name")]
    # Each detail is acknowledged with the next question, in one message (issue 13, item 5).
    assert run.say("Priya Shah")[-1] == f"Got it: Priya Shah.\n{wording('booking.questions.phone')}"
    assert (
        run.say("07700 900123")[-1]
        == f"Got it: +44 7700 900123.\n{wording('booking.questions.preferred_time')}"
    )
    said = run.say("next Wednesday at 10am")[-1]
    assert said.startswith("Got it: Wednesday ") and ", 10:00.\n" in said
    assert said.endswith(wording("booking.questions.reason"))
    consent = run.say("my smile has been uneven since Bell's palsy")[-1]
    assert consent == wording(
        "booking.questions.consent",
        contact_you=wording("booking.contact_you.phone", who="you", phone="+44 7700 900123"),
    )
    summary = run.say("/affirm", "affirm")[-1]
    assert "Priya Shah" in summary and "+44 7700 900123" in summary and "10:00" in summary
    assert summary.endswith(wording("booking.summary.question"))
    assert run.say("/affirm", "affirm") == [] and run.finished
    assert run.slots[s.OUTCOME] == s.CONFIRMED and run.slots[s.CONSENT] is True
    assert run.slots[s.KIND] == s.CONSULTATION
    assert run.slots[s.PREFERRED_TIME] == "next Wednesday at 10am"
    assert run.slots[s.PREFERRED_TIME_NORMALISED].endswith("T10:00")


def test_all_values_in_one_message_are_not_asked_again():
    run, said = start("I'd like to book. I'm Priya Shah, 07700 900123, Wednesday 10am")
    assert run.asking == s.REASON
    # All three acknowledged with the next question.
    assert said[-1].startswith("Got it: Priya Shah; +44 7700 900123; Wednesday ")
    assert said[-1].endswith(wording("booking.questions.reason"))
    assert (run.slots[s.NAME], run.slots[s.PHONE], run.slots[s.PREFERRED_TIME]) == (
        "Priya Shah",
        "+447700900123",
        "Wednesday 10am",
    )


def test_values_in_an_unusual_order():
    run, _ = start()
    run.say("priya@example.com")
    assert run.asking == s.NAME
    run.say("Friday at 2pm")
    assert run.asking == s.NAME
    said = run.say("Priya Shah")
    assert run.asking == s.REASON
    assert said[-1] == f"Got it: Priya Shah.\n{wording('booking.questions.reason')}"
    assert run.slots[s.EMAIL] == "priya@example.com" and run.slots.get(s.PHONE) is None


def test_correction_of_email_at_the_summary():
    run, _ = start()
    fill_up_to_summary(run)
    said = run.say("actually my email is priya.shah@example.org", "correct")
    assert said[0] == changed_note(s.EMAIL, "priya.shah@example.org") or "priya.shah@example.org" in said[-1]
    assert run.slots[s.EMAIL] == "priya.shah@example.org" and run.asking == s.OUTCOME
    assert "priya.shah@example.org" in said[-1]


def test_correction_of_phone_in_the_middle_is_acknowledged():
    run, _ = start()
    run.say("Priya Shah")
    run.say("07700 900123")
    said = run.say("sorry my number is actually 07700 900456", "correct")
    assert said[0] == changed_note(s.PHONE, "+44 7700 900456")
    assert run.slots[s.PHONE] == "+447700900456" and run.asking == s.PREFERRED_TIME


@pytest.mark.parametrize(
    "slot,question,answer,value",
    [
        (s.NAME, "booking.changing.name", "Priya Patel", "Priya Patel"),
        (s.PHONE, "booking.changing.phone", "+1 415 555 0132", "+14155550132"),
        (s.EMAIL, "booking.questions.email", "p@example.org", "p@example.org"),
        (s.PREFERRED_TIME, "booking.changing.preferred_time", "tomorrow at 4pm", "tomorrow at 4pm"),
        (s.REASON, "booking.questions.reason", "my eye", "my eye"),
    ],
)
def test_change_each_detail_from_the_summary(slot, question, answer, value):
    run, _ = start()
    fill_up_to_summary(run)
    assert run.say("/correct", "correct")[-1] == wording("booking.questions.change")
    payload, _ = s.CHANGEABLE[slot]  # what the detail's button sends
    assert run.say(payload)[-1] == wording(question)
    said = run.say(answer)
    assert run.slots[slot] == value and run.asking == s.OUTCOME and run.slots[s.CHANGE] is None
    assert said[-1].endswith(wording("booking.summary.question"))


def test_change_named_at_the_summary_goes_straight_to_that_question():
    run, _ = start()
    fill_up_to_summary(run)
    assert run.say("change the time", "correct")[-1] == wording("booking.changing.preferred_time")


# The error: a key of data/wording/booking_errors.yml with its values, or (for the email
# library's own reason) words the message must contain.
@pytest.mark.parametrize(
    "asking_after,bad,error,good,filled",
    [
        (0, "12345", ("name.digits", {}), "Priya Shah", s.NAME),
        (1, "0770 090", ("phone.no_area_code", {}), "07700 900123", s.PHONE),
        (1, "priya@example", "should have a period", "priya@example.com", s.EMAIL),
        (1, "+999 123 456 789", ("phone.country_code", {}), "+44 7700 900123", s.PHONE),
        (
            2,
            "31 February",
            ("preferred_time.impossible_day", {"month": "February", "day": "31st"}),
            "3 December at 10am",
            s.PREFERRED_TIME,
        ),
        (
            2,
            "1 March 2020",
            ("preferred_time.passed", {"words": "1 March 2020"}),
            "tomorrow at 10am",
            s.PREFERRED_TIME,
        ),
        (
            2,
            "yesterday",
            ("preferred_time.passed", {"words": "yesterday"}),
            "the day after tomorrow",
            s.PREFERRED_TIME,
        ),
        (3, "x" * 600, ("reason.too_long", {"max_chars": 500, "length": 600}), "uneven smile", s.REASON),
        (4, "maybe", ("consent.not_yes_or_no", {}), "yes", s.CONSENT),
    ],
)
def test_each_invalid_answer_gets_a_reason_and_the_question_again(asking_after, bad, error, good, filled):
    run, _ = start()
    for answer in ["Priya Shah", "07700 900123", "next Friday", "skip"][:asking_after]:
        run.say(answer)
    asked = run.asking
    said = run.say(bad, "nlu_fallback")
    if isinstance(error, str):
        assert error in said[0]
    else:
        key, values = error
        assert said[0] == wording(f"booking_errors.{key}", **values)
    assert run.asking == asked and run.slots.get(asked) is None
    run.say(good)
    assert run.slots.get(filled) is not None and run.asking != asked
    assert run.slots.get(s.FAILED_ATTEMPTS) is None


def test_invalid_answer_at_the_summary_then_confirm():
    run, _ = start()
    fill_up_to_summary(run)
    said = run.say("hmm what", "nlu_fallback")
    assert said[0] == wording("booking_errors.summary.not_understood")
    assert run.asking == s.OUTCOME
    run.say("yes")
    assert run.finished and run.slots[s.OUTCOME] == s.CONFIRMED


def test_three_invalid_answers_give_the_phone_route_instead_of_looping():
    run, _ = start()
    first = run.say("123", "nlu_fallback")
    second = run.say("456", "nlu_fallback")
    assert len(first) == 2 and second[1] == wording("booking.explanations.name")  # second time
    third = run.say("789", "nlu_fallback")
    assert run.finished and run.slots[s.OUTCOME] == s.PHONE_ROUTE
    assert third == [wording("booking_errors.name.digits")]


def test_the_count_is_per_question():
    run, _ = start()
    run.say("123", "nlu_fallback")
    run.say("456", "nlu_fallback")
    run.say("Priya Shah")
    run.say("0770", "nlu_fallback")
    assert run.slots[s.FAILED_ATTEMPTS] == {"slot": s.PHONE, "count": 1}


def test_a_page_question_in_the_middle_is_left_to_the_bot_then_the_form_goes_on():
    run, _ = start()
    run.say("Priya Shah")
    assert run.say("how long does botox last?", "ask_results_duration") == []
    assert run.rejected and run.asking == s.PHONE
    run.say("07700 900123")
    assert run.slots[s.PHONE] == "+447700900123" and run.asking == s.PREFERRED_TIME


HAPPY_ANSWERS = [
    ("Priya Shah", "inform"),
    ("07700 900123", "inform"),
    ("next Wednesday at 10am", "inform"),
    ("uneven smile", "inform"),
    ("/affirm", "affirm"),
]
# Words that would fill the reason, a day and a phone number if they were read as answers.
RED_FLAG = "since Wednesday it's hard to swallow and my voice is slurred, call me on 07700 900123"


@pytest.mark.parametrize("answered", range(len(HAPPY_ANSWERS) + 1))
def test_a_red_flag_at_any_question_is_never_taken_as_an_answer(answered):
    """Rasa runs an active form before any rule unless the form rejects the turn: a red flag
    must be rejected at every question (the free-text reason included), so that the emergency
    rule answers it."""
    run, _ = start()
    for text, intent in HAPPY_ANSWERS[:answered]:
        run.say(text, intent)
    asking, slots = run.asking, dict(run.slots)
    assert asking is not None
    assert run.say(RED_FLAG, "report_emergency") == [] and run.rejected
    assert run.asking == asking and run.slots == slots


def test_a_sign_that_adds_up_with_an_earlier_one_is_never_taken_as_an_answer():
    """ "My eyelid is heavy", then at the name question "my daughter says I sound hoarse": the
    two signs together are an emergency, so the form rejects the turn and the emergency answer
    comes next (bot/safety/conversation.py)."""
    earlier = {
        "event": "user",
        "text": "my right eyelid is rather heavy today",
        "parse_data": {"intent": {"name": "inform"}, "red_flag": {"signs": ["eyelid_droop"]}},
    }
    run, _ = start(history=[earlier])
    assert run.asking is not None
    assert run.say("my daughter says i sound hoarse", signs=("voice_change",)) == [] and run.rejected
    assert run.say("Priya Shah", signs=()) != [] and not run.rejected  # a name is still a name


@pytest.mark.parametrize(
    "text,intent",
    [
        ("can botox cause trouble swallowing?", "ask_serious_risk"),
        ("is a little bruising normal after the injections?", "report_mild_symptom"),
    ],
)
def test_a_safety_question_in_the_middle_is_left_to_the_bot_then_the_form_goes_on(text, intent):
    run, _ = start()
    assert run.say(text, intent) == [] and run.rejected and run.asking == s.NAME
    run.say("Priya Shah")
    assert run.slots[s.NAME] == "Priya Shah" and run.slots.get(s.FAILED_ATTEMPTS) is None


def test_a_mild_effect_given_as_the_reason_is_the_reason():
    run, _ = start()
    for text, intent in HAPPY_ANSWERS[:3]:
        run.say(text, intent)
    assert run.asking == s.REASON
    run.say("some bruising from my last injections", "report_mild_symptom")
    assert run.slots[s.REASON] == "some bruising from my last injections"


@pytest.mark.parametrize("text,intent", [("never mind", "cancel"), ("stop", "nlu_fallback")])
def test_cancel_mid_form_ends_it_with_nothing_confirmed(text, intent):
    run, _ = start()
    run.say("Priya Shah")
    run.say(text, intent)
    assert run.finished and run.slots[s.OUTCOME] == s.CANCELLED


def test_cancel_at_the_summary():
    run, _ = start()
    fill_up_to_summary(run)
    run.say("/cancel", "cancel")
    assert run.finished and run.slots[s.OUTCOME] == s.CANCELLED


def test_no_to_consent_ends_the_form():
    run, _ = start("I'd like to book. I'm Priya Shah, 07700 900123, Wednesday 10am")
    run.say("skip")
    run.say("/deny", "deny")
    assert run.finished and run.slots[s.OUTCOME] == s.DECLINED_CONSENT


def test_after_asking_for_a_person_the_form_takes_a_callback_request():
    history = [
        {"event": "user", "parse_data": {"intent": {"name": "request_human"}}},
        {"event": "action", "name": "action_human_handoff"},
        {"event": "action", "name": "action_listen"},
    ]
    run, said = start("yes", "affirm", history)
    assert said[0] == wording("booking.opening.callback")
    run.say("Priya Shah")
    said = run.say("07700 900123")
    assert run.slots[s.KIND] == s.CALLBACK
    assert said[-1] == f"Got it: +44 7700 900123.\n{wording('booking.questions.preferred_time_callback')}"


# --- issue 13: bookings for someone else, plain-word corrections, details given early ---------


def test_a_booking_for_a_parent_takes_both_names_and_whose_contact_it_is():
    run, said = start("hi can i book a consult for my mum")
    assert said[-1] == wording("booking.someone_else.questions.name", relation="your mother")
    run.say("her name is dorothy kline")
    assert run.asking == s.REQUESTER_NAME
    run.say("i'm amy, her daughter")
    said = run.say("call her directly on 415 555 0134")
    assert run.slots[s.NAME] == "Dorothy Kline" and run.slots[s.REQUESTER_NAME] == "Amy"
    assert run.slots[s.RELATION] == "mother" and run.slots[s.CONTACT_IS] == "patient"
    assert run.asking == s.PREFERRED_TIME
    run.say("any weekday morning")
    run.say("skip")
    consent = run.say("/affirm", "affirm")[-1]
    assert "Patient: Dorothy Kline (your mother)" in consent and "Requested by: Amy" in consent
    assert "are Dorothy's" in consent


def test_a_name_given_before_it_came_out_the_booking_is_for_someone_else_is_the_requesters():
    run, _ = start()
    run.say("Amy Smith")
    said = run.say("oh its for my husband actually")
    assert run.slots[s.REQUESTER_NAME] == "Amy Smith" and run.slots.get(s.NAME) is None
    assert said[-1] == wording("booking.someone_else.questions.name", relation="your husband")
    run.say("his name is Robert Smith")
    assert run.slots[s.NAME] == "Robert Smith" and run.asking == s.PHONE


def test_no_its_for_me_takes_the_booking_back_to_the_patient():
    run, _ = start("can i book for my dad")
    said = run.say("no sorry, it's for me. Priya Shah")
    assert run.slots.get(s.RELATION) is None and run.slots[s.NAME] == "Priya Shah"
    assert said[-1].endswith(wording("booking.questions.phone"))


def test_a_name_spelled_again_in_plain_words_is_changed_and_said():
    run, _ = start()
    run.say("Sara Jones")
    said = run.say("oops it's Sarah with an h")
    assert run.slots[s.NAME] == "Sarah Jones"
    assert said[0] == changed_note(s.NAME, "Sarah Jones") and run.asking == s.PHONE


def test_make_that_thursday_at_the_reason_question_changes_the_day_not_the_reason():
    run, _ = start()
    run.say("Priya Shah")
    run.say("07700 900123")
    run.say("tuesday at 3pm")
    said = run.say("make that thursday")
    assert run.slots[s.PREFERRED_TIME] == "thursday" and run.slots.get(s.REASON) is None
    assert said[0] == changed_note(s.PREFERRED_TIME, "thursday") and run.asking == s.REASON


def test_use_my_email_instead_drops_the_phone_and_says_so():
    run, _ = start()
    run.say("Nina Alvarez")
    run.say("702 555 0132")
    said = run.say("actually use my email instead, nina@example.org")
    assert run.slots.get(s.PHONE) is None and run.slots[s.EMAIL] == "nina@example.org"
    assert wording("booking.notes.using", detail="email address", value="nina@example.org") in said


def test_availability_given_at_the_name_question_is_kept_and_the_name_asked_again():
    run, _ = start()
    said = run.say("whenever, afternoons mostly")
    assert run.slots[s.PREFERRED_TIME] == "whenever, afternoons mostly" and run.asking == s.NAME
    assert said[-1] == f"Got it: Afternoons.\n{wording('booking.questions.name')}"


def test_an_all_in_one_opening_message_gives_the_window_and_the_reason_too():
    run, said = start(
        "Hi I'm Tom Baker, want to book a consult, 0770 0900 123, any weekday after 4, my smile is uneven"
    )
    assert run.slots[s.PREFERRED_TIME] == "any weekday after 4"
    assert run.slots[s.PREFERRED_TIME_NORMALISED] is None  # a window: no day picked for him
    assert run.slots[s.REASON] == "my smile is uneven" and run.asking == s.CONSENT
    assert said[-1].startswith("Got it: Tom Baker; +44 7700 900123; Weekdays, after 4 pm.\n")


def test_messages_just_before_the_form_are_read_for_someone_else():
    history = [
        {"event": "user", "text": "can i book for my partner? he's too shy", "parse_data": {}},
        {"event": "user", "text": "Alex Romero", "parse_data": {}},
        {"event": "user", "text": "I'm his partner, Sam Ellis", "parse_data": {}},
    ]
    run, _ = start("use his email, alex.romero@example.org", "inform", history)
    assert (run.slots[s.NAME], run.slots[s.REQUESTER_NAME]) == ("Alex Romero", "Sam Ellis")
    assert run.slots[s.RELATION] == "partner" and run.slots[s.CONTACT_IS] == "patient"
    assert run.asking == s.PREFERRED_TIME


def test_a_day_the_patient_ruled_out_is_never_taken_as_their_day():
    run, _ = start()
    run.say("Priya Shah")
    run.say("any day morning time but not friday")
    assert run.slots[s.PREFERRED_TIME_NORMALISED] is None
    assert "Friday" not in (run.slots[s.PREFERRED_TIME] or "").split()


@pytest.mark.parametrize(
    "typed,outcome",
    [("Yes, send it", s.CONFIRMED), ("cancel", s.CANCELLED), ("yes, send it.", s.CONFIRMED)],
)
def test_a_summary_button_typed_out_acts_as_the_button(typed, outcome):
    run, _ = start()
    fill_up_to_summary(run)
    run.say(typed, "nlu_fallback")
    assert run.finished and run.slots[s.OUTCOME] == outcome


def test_change_something_typed_out_asks_what_to_change_and_nothing_go_back_returns():
    run, _ = start()
    fill_up_to_summary(run)
    assert run.say("Change something", "nlu_fallback")[-1] == wording("booking.questions.change")
    run.say("Nothing, go back", "nlu_fallback")
    assert run.asking == s.OUTCOME


def test_a_reason_said_with_the_availability_is_kept_apart():
    run, _ = start()
    run.say("Hyun-woo Park, hyunwoo.park@example.net")
    run.say("any morning next week, reason is twitching on my left cheek since my palsy")
    assert run.slots[s.PREFERRED_TIME] == "any morning next week"
    assert run.slots[s.REASON] == "twitching on my left cheek since my palsy" and run.asking == s.CONSENT


def test_one_dictated_message_keeps_only_the_words_about_time_as_availability():
    run, _ = start(
        "hey this is Priscilla Oyelaran I want to book a consult you can reach me at 9105550197 "
        "I'm free Monday Wednesday Friday between 10 and 2 reason is my face is still droopy on one side"
    )
    assert run.slots[s.NAME] == "Priscilla Oyelaran" and run.slots[s.PHONE] == "+19105550197"
    assert run.slots[s.PREFERRED_TIME] == "Monday Wednesday Friday between 10 and 2"
    assert run.slots[s.REASON] == "my face is still droopy on one side" and run.asking == s.CONSENT


def test_a_form_started_by_a_name_alone_takes_it():
    run, said = start("its Desmond Achterberg", "inform")
    assert run.slots[s.NAME] == "Desmond Achterberg" and run.asking == s.PHONE
