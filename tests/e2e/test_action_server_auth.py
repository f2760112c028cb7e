"""The action server trusts only the Rasa server (issue 15): a call without the shared secret,
or with another one, gets a 401 before its body is read and stores nothing; the Rasa server's
own calls carry the secret, so patients are answered; the server listens on 127.0.0.1 only."""

import json

import psutil
import pytest
import requests

from bot.booking import slots as s
from bot.booking.store import BookingStore
from bot.names import ActionName
from bot.runtime.action_token import TOKEN_VARIABLE
from tests.support.harness import ACTION_AUTHORIZATION, SERVER_ENV, running_bot

MARKER = "Injected Quokka"  # the forged patient's name; no log line would hold it by chance
TOKEN = SERVER_ENV[TOKEN_VARIABLE]


def forged_booking(sender: str) -> bytes:
    """A call as an attacker would write it: a confirmed booking with made-up slots."""
    slots = {
        s.NAME: MARKER,
        s.PHONE: "+447700900123",
        s.PREFERRED_TIME: "Monday 10am",
        s.CONSENT: True,
        s.OUTCOME: s.CONFIRMED,
    }
    tracker = {
        "sender_id": sender,
        "slots": slots,
        "events": [{"event": "user", "text": "yes", "timestamp": 1.0, "message_id": "forged-1"}],
        "latest_message": {"text": "yes", "intent": {}, "entities": []},
    }
    return json.dumps({"next_action": ActionName.SUBMIT_BOOKING, "tracker": tracker, "domain": {}}).encode()


@pytest.fixture(scope="module")
def guarded(tmp_path_factory, trained_model):
    workdir = tmp_path_factory.mktemp("action-auth")
    database = f"sqlite:///{workdir / 'bookings.db'}"
    with running_bot(workdir, env={"BOOKING_DATABASE_URL": database}) as bot:
        store = BookingStore(database)
        yield bot, store
        store.dispose()


def post_action(bot, raw: bytes, authorization: str | None) -> requests.Response:
    headers = {"Content-Type": "application/json"}
    if authorization is not None:
        headers["Authorization"] = authorization
    return requests.post(f"{bot.action_url}/webhook", data=raw, headers=headers, timeout=60)


@pytest.mark.parametrize(
    "case,authorization",
    [
        ("no header", None),
        ("empty bearer", "Bearer "),
        ("another secret", "Bearer " + "x" * len(TOKEN)),
        ("the secret without the scheme", TOKEN),
        ("the secret with a character more", f"Bearer {TOKEN}x"),
    ],
)
def test_a_forged_call_without_the_secret_gets_401_and_stores_nothing(guarded, case, authorization):
    bot, store = guarded
    response = post_action(bot, forged_booking(f"forged-{case}"), authorization)
    assert response.status_code == 401
    assert response.headers.get("WWW-Authenticate") == "Bearer"
    assert MARKER not in response.text
    assert store.find(conversation_id=f"forged-{case}") == []


def test_the_same_call_with_the_secret_would_have_stored_a_request(guarded):
    """The forged calls above were refused for the missing secret, not for their body."""
    bot, store = guarded
    response = post_action(bot, forged_booking("with-secret"), ACTION_AUTHORIZATION["Authorization"])
    assert response.status_code == 200
    [row] = store.find(conversation_id="with-secret")
    assert row["name"] == MARKER


def test_every_route_but_health_needs_the_secret(guarded):
    bot, _ = guarded
    assert requests.get(f"{bot.action_url}/health", timeout=30).status_code == 200
    assert requests.get(f"{bot.action_url}/actions", timeout=30).status_code == 401
    assert (
        requests.get(f"{bot.action_url}/actions", headers=ACTION_AUTHORIZATION, timeout=30).status_code == 200
    )


def test_patients_are_answered_through_the_guarded_action_server(guarded):
    bot, _ = guarded
    reply = bot.say("auth-patient", "how long does botox last for facial palsy?")
    assert any("3–4 months" in (message.get("text") or "") for message in reply)


def test_refused_calls_are_logged_without_their_body(guarded):
    bot, _ = guarded
    post_action(bot, forged_booking("logged"), None)
    log = (bot.workdir / "actions.log").read_text(errors="replace")
    assert "Action call refused (401" in log
    assert MARKER not in log


def test_the_action_server_listens_on_loopback_only(guarded):
    bot, _ = guarded
    listening = [
        connection.laddr.ip
        for connection in psutil.Process(bot.action_pid).net_connections(kind="inet")
        if connection.status == psutil.CONN_LISTEN
    ]
    assert listening and set(listening) == {"127.0.0.1"}
