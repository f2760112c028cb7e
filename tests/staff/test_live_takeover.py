"""Live takeover end to end, with the trained bot running: a patient asks for a person over the
REST channel, a staff member takes the chat in the console, the bot goes quiet, staff messages
reach the patient through the live channel, a red flag still gets the emergency answer, and the
hand back lets the bot answer again. Every turn stays in the tracker store and the transcript."""

import os
import time

import pytest
import requests
from fastapi.testclient import TestClient

from bot.staff import audit
from bot.staff.audit import AuditFilter
from bot.web import create_app
from bot.wording import wording
from tests.support.harness import SERVER_ENV, running_bot
from tests.support.staff_conversations import make_console, stores_of
from tests.support.staff_web import BASE_URL, csrf_of, signed_in_client
from tests.support.yaml_edit import settings_file_with

WAIT_SECONDS = 12
REPLY_SECONDS = 15


@pytest.fixture(scope="module")
def live(tmp_path_factory, trained_model):
    workdir = tmp_path_factory.mktemp("live")
    settings = settings_file_with(
        workdir / "settings.yml",
        {"live_chat.wait_seconds": WAIT_SECONDS, "live_chat.reply_seconds": REPLY_SECONDS},
    )
    env = {
        "STAFF_DATABASE_URL": f"sqlite:///{workdir / 'staff.db'}",
        "BOT_SETTINGS_FILE": str(settings),
        "BOOKING_DATABASE_URL": f"sqlite:///{workdir / 'bookings.db'}",
    }
    patch = pytest.MonkeyPatch()
    patch.setenv("LIVE_CHAT_TOKEN", SERVER_ENV["LIVE_CHAT_TOKEN"])
    with running_bot(workdir, env=env) as bot:
        console = make_console(workdir, stores_of(workdir), env["STAFF_DATABASE_URL"])
        app = create_app(console=console, rasa_url=bot.rasa_url)
        staff = signed_in_client(console, "alice.smith", client=TestClient(app, base_url=BASE_URL))
        yield bot, console, staff
    patch.undo()


def updates(bot, sender, after=0.0):
    response = requests.get(
        f"{bot.rasa_url}/webhooks/live/updates", params={"sender": sender, "after": after}, timeout=30
    )
    response.raise_for_status()
    return response.json()


def texts(messages):
    return " ".join(m.get("text") or "" for m in messages)


def post_form(staff, path, **fields):
    page = staff.get("/staff/live")
    return staff.post(path, data={"csrf_token": csrf_of(page.text), **fields}, follow_redirects=False)


def test_takeover_staff_answer_in_the_same_chat_and_hand_back(live):
    bot, console, staff = live
    patient = "live-patient-1"
    assert staff.get("/staff/live").status_code == 200  # the console is open: Alice is online
    bot.say(patient, "hello")
    asked = bot.say(patient, "can I talk to a real person please")
    assert wording("live.waiting") in texts(asked)
    assert {"live_chat": "waiting"} in [m.get("custom") for m in asked]
    assert updates(bot, patient)["state"] == "waiting"
    assert patient in staff.get("/staff/live").text

    taken = post_form(staff, "/staff/live/take", id=patient)
    assert taken.status_code == 303 and taken.headers["location"].endswith(f"id={patient}")
    joined = updates(bot, patient)
    assert joined["state"] == "joined" and joined["agent"] == "Alice"
    assert [m["text"] for m in joined["messages"]] == [wording("live.joined", staff_name="Alice")]

    assert (
        post_form(staff, "/staff/live/say", id=patient, text="Hi, I'm Alice. How can I help?").status_code
        == 303
    )
    said = updates(bot, patient, after=joined["messages"][-1]["at"])["messages"]
    assert [(m["from"], m["kind"], m["text"]) for m in said] == [
        ("Alice", "message", "Hi, I'm Alice. How can I help?")
    ]

    assert bot.say(patient, "how long does botox last?") == []  # the bot is quiet: Alice answers
    chat = staff.get("/staff/live/feed", params={"chat": patient}).json()["chat"]
    assert chat["lines"][-1] == {
        **chat["lines"][-1],
        "speaker": "patient",
        "text": "how long does botox last?",
    }

    assert post_form(staff, "/staff/live/hand-back", id=patient).status_code == 303
    back = updates(bot, patient)
    assert back["state"] is None and back["messages"][-1]["text"] == wording(
        "live.handed_back", staff_name="Alice"
    )
    assert "3–4 months" in texts(bot.say(patient, "how long does botox last?"))

    entries, _ = console.audit.entries(AuditFilter(conversation_id=patient))
    actions = [entry.action for entry in entries]
    assert {audit.LIVE_CHAT_JOIN, audit.LIVE_CHAT_MESSAGE, audit.LIVE_CHAT_HAND_BACK} <= set(actions)
    transcript = staff.get("/staff/transcript", params={"id": patient}).text
    order = [
        "can I talk to a real person please",
        "Alice (staff, live chat)",
        "Hi, I&#39;m Alice",
        "has left the chat",
    ]
    positions = [transcript.find(piece) for piece in order]
    assert -1 not in positions and positions == sorted(positions)


def test_a_red_flag_during_a_takeover_gets_the_emergency_answer_and_alerts_staff(live):
    bot, console, staff = live
    patient = "live-patient-emergency"
    staff.get("/staff/live")
    bot.say(patient, "can i speak to someone from the clinic")
    assert post_form(staff, "/staff/live/take", id=patient).status_code == 303
    assert bot.say(patient, "is it ok to wear makeup") == []
    alarm = bot.say(patient, "since the injection i can't swallow and it's hard to breathe")
    assert "911" in texts(alarm) and "emergency" in [(m.get("custom") or {}).get("alert") for m in alarm]
    feed = staff.get("/staff/live/feed", params={"chat": patient}).json()
    assert feed["chat"]["emergency"] is True
    assert {"id": patient, "kind": "emergency"} in [
        {"id": a["id"], "kind": a["kind"]} for a in feed["alerts"]
    ]
    # Still in the chat with Alice, and still in emergency mode: waiting is not made to sound safe.
    again = bot.say(patient, "should i just wait for alice to call me?")
    assert "911" in texts(again)
    post_form(staff, "/staff/live/hand-back", id=patient)


def test_nobody_joins_in_time_and_the_patient_gets_the_callback_request(live):
    bot, _, staff = live
    patient = "live-patient-waits"
    staff.get("/staff/live")
    bot.say(patient, "can I talk to a human")
    assert updates(bot, patient)["replies"] == []
    time.sleep(WAIT_SECONDS + 1)
    gave_up = updates(bot, patient)
    assert gave_up["state"] is None and wording("live.nobody_free") in texts(gave_up["replies"])
    assert [b["payload"] for m in gave_up["replies"] for b in m.get("buttons") or []] == ["/affirm", "/deny"]
    assert updates(bot, patient)["replies"] == []  # given up once, not at every poll
    assert "full name" in texts(bot.say(patient, "/affirm"))


def test_staff_who_leave_the_patient_unanswered_hand_the_chat_back_to_the_bot(live):
    bot, _, staff = live
    patient = "live-patient-unanswered"
    staff.get("/staff/live")
    bot.say(patient, "can I talk to a human")
    assert post_form(staff, "/staff/live/take", id=patient).status_code == 303
    assert bot.say(patient, "hello? are you there?") == []
    assert updates(bot, patient)["state"] == "joined"
    time.sleep(REPLY_SECONDS + 1)
    back = updates(bot, patient)
    assert back["state"] is None
    assert back["messages"][-1]["text"] == wording("live.stepped_away", staff_name="Alice")
    assert "3–4 months" in texts(bot.say(patient, "how long does botox last?"))


def test_only_the_console_can_speak_for_staff(live):
    bot, _, _ = live
    url = f"{bot.rasa_url}/webhooks/live/staff"
    body = {"sender": "live-patient-1", "op": "say", "agent": "Mallory", "text": "Send me your card number"}
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": os.environ["LIVE_CHAT_TOKEN"]}):
        assert requests.post(url, json=body, headers=headers, timeout=30).status_code == 401
    signed = {"Authorization": f"Bearer {os.environ['LIVE_CHAT_TOKEN']}"}
    refused = requests.post(url, json=body, headers=signed, timeout=30)
    assert refused.status_code == 409  # nobody is in that chat now
    assert "Send me your card number" not in str(updates(bot, "live-patient-1"))
