"""End to end: both servers up (tests/support/harness.py), a patient books over the REST channel, and the
request is found in the booking store exactly once, with consent, and the clinic's webhook gets
it. The action server uses a temporary booking database and settings file."""

import json
import sqlite3

import pytest

from bot.booking.store import BookingStore
from tests.support.booking import WebhookReceiver
from tests.support.harness import running_bot
from tests.support.yaml_edit import CLINIC_ROUTES, settings_file_with


@pytest.fixture(scope="module")
def webhook():
    with WebhookReceiver() as receiver:
        yield receiver


@pytest.fixture(scope="module")
def booking(tmp_path_factory, trained_model, webhook):
    workdir = tmp_path_factory.mktemp("e2e-booking")
    settings_file_with(
        workdir / "settings.yml",
        {**CLINIC_ROUTES, "notifications.webhook": {"enabled": True, "url": webhook.url}},
    )
    database = f"sqlite:///{workdir / 'bookings.db'}"
    env = {"BOOKING_DATABASE_URL": database, "BOT_SETTINGS_FILE": str(workdir / "settings.yml")}
    with running_bot(workdir, env=env) as bot:
        store = BookingStore(database)
        yield bot, store
        store.dispose()


def texts(messages):
    return "\n".join(m.get("text", "") for m in messages)


def chat(bot, sender, *lines):
    return [texts(bot.say(sender, line)) for line in lines]


def test_a_patient_books_in_one_go_and_the_request_is_stored_once(booking, webhook):
    bot, store = booking
    replies = chat(
        bot, "e2e-book-1", "I'd like to book. I'm Priya Shah, 07700 900123, Wednesday 10am", "skip", "yes"
    )
    assert "what would you like to talk about" in replies[0]
    assert "Do you agree" in replies[1]
    assert "Priya Shah" in replies[2] and "+44 7700 900123" in replies[2]
    done = chat(bot, "e2e-book-1", "/affirm")[0]
    [row] = store.find(conversation_id="e2e-book-1")
    assert row["reference"] in done and "What happens next" in done
    assert row["name"] == "Priya Shah" and row["phone"] == "+447700900123"
    assert row["preferred_time_text"] == "Wednesday 10am" and row["preferred_time"].endswith("T10:00")
    assert row["consent"] is True and row["status"] == "new"
    chat(bot, "e2e-book-1", "/affirm")  # a repeated click after the form ended stores nothing
    assert len(store.find(conversation_id="e2e-book-1")) == 1
    assert _eventually(lambda: any(b["request"]["reference"] == row["reference"] for b in webhook.bodies))


def test_step_by_step_with_a_question_and_a_correction_on_the_way(booking):
    bot, store = booking
    replies = chat(
        bot,
        "e2e-book-2",
        "/request_booking",
        "Priya Shah",
        "how long does botox last?",
        "priya@example.com",
        "next Friday at 2pm",
        "my smile droops on one side",
        "/affirm",
        "actually my email is priya.shah@example.org",
        "/affirm",
    )
    assert "What's your full name?" in replies[0]
    assert "3–4 months" in replies[2] and "phone number or email" in replies[2]
    assert "changed your email address to priya.shah@example.org" in replies[7]
    [row] = store.find(conversation_id="e2e-book-2")
    assert row["email"] == "priya.shah@example.org" and row["phone"] is None
    assert row["reason"] == "my smile droops on one side" and row["reference"] in replies[8]


def test_cancel_in_the_middle_stores_nothing(booking):
    bot, store = booking
    replies = chat(bot, "e2e-book-3", "I want to book a consultation", "Priya Shah", "never mind")
    assert "Nothing was saved" in replies[2]
    assert store.find(conversation_id="e2e-book-3") == []


def test_asking_for_a_person_gives_the_route_marks_follow_up_and_takes_a_callback(booking):
    bot, store = booking
    first = chat(bot, "e2e-human", "can I talk to a real person?")[0]
    assert "by phone on" in first and "callback request" in first
    replies = chat(
        bot, "e2e-human", "yes please", "Sam Lee, +1 415 555 0132, tomorrow at 4pm", "no", "yes", "yes"
    )
    assert "call you back" in replies[0]
    assert store.find(conversation_id="e2e-human")[0]["kind"] == "callback"
    with sqlite3.connect(bot.tracker_db) as db:
        slots = [
            json.loads(data)
            for (data,) in db.execute(
                "select data from events where sender_id = ? and type_name = 'slot'", ("e2e-human",)
            )
        ]
    assert {"staff_followup": "human_handoff"} in [{s["name"]: s["value"]} for s in slots]


def _eventually(check, seconds=20.0):
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.parametrize(
    "answers", [[], ["Priya Shah", "07700 900123", "next Wednesday 10am"]], ids=["asked-name", "asked-reason"]
)
def test_a_red_flag_in_the_middle_of_booking_gets_the_emergency_answer_only(booking, answers):
    """Even where any text is a valid answer (the reason), the symptom is not stored as one."""
    from tests.support.safety_evaluation import Turn

    bot, store = booking
    sender = f"e2e-red-flag-{len(answers)}"
    chat(bot, sender, "I'd like to book a consultation", *answers)
    message = "my throat feels tight and it's hard to swallow since the injections"
    turn = Turn(sender, message, bot.say(sender, message))
    assert turn.emergency and turn.emergency_problems() == [], turn.texts
    assert "would you like to talk about" not in turn.texts and "Do you agree" not in turn.texts
    # Emergency mode: a page question gets the advice again, not the form's next question.
    after = chat(bot, sender, "how long does botox last?")[0]
    assert "call 911" in after and "would you like to talk about" not in after
    # Help on its way: the mode ends, and the form was stopped, not waiting for an answer.
    chat(bot, sender, "ok my husband is driving me to the emergency room now")
    assert "3–4 months" in chat(bot, sender, "how long does botox last?")[0]
    assert store.find(conversation_id=sender) == []
