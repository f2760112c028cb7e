"""Flood protection through the whole bot: a bounded flood from one loopback address is held to
its limit, patients at other addresses are still answered, and nothing accepted is lost.

Linux routes all of 127.0.0.0/8 to the loopback device, so clients bound to 127.0.0.2... are other
addresses to the Rasa server.
"""

import sqlite3
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from bot.runtime.service_notices import slow_down_reply
from tests.support.harness import running_bot
from tests.support.socketio_chat import socketio_replies
from tests.support.yaml_edit import settings_file_with

PER_ADDRESS, PER_CONVERSATION, WINDOW = 30, 10, 120
# Not 127.0.0.1: the socket.io client connects from there, and REST and socket.io share one
# budget per address, so the flood would leave it nothing.
FLOODER = "127.0.0.9"


@pytest.fixture(scope="module")
def bot(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("flood")
    limits = {
        "rate_limit.messages_per_address": PER_ADDRESS,
        "rate_limit.messages_per_conversation": PER_CONVERSATION,
        "rate_limit.window_seconds": WINDOW,
    }
    settings = settings_file_with(workdir / "settings.yml", limits)
    with running_bot(workdir, env={"CLINIC_RATE_LIMIT": "on", "BOT_SETTINGS_FILE": str(settings)}) as bot:
        yield bot


def post_from(bot, address: str, sender: str, message: str) -> httpx.Response:
    transport = httpx.HTTPTransport(local_address=address)
    with httpx.Client(transport=transport, timeout=120) as client:
        return client.post(
            f"{bot.rasa_url}/webhooks/rest/webhook", json={"sender": sender, "message": message}
        )


def stored_user_messages(bot, senders: list[str]) -> Counter:
    with sqlite3.connect(bot.tracker_db) as db:
        marks = ",".join("?" * len(senders))
        query = f"select sender_id from events where type_name = 'user' and sender_id in ({marks})"
        rows = db.execute(query, senders).fetchall()
    return Counter(sender for (sender,) in rows)


def test_a_flood_from_one_address_is_held_and_other_patients_are_answered(bot):
    run = uuid.uuid4().hex[:8]
    flood = [(f"flood-{run}-{i % 8}", f"hello {i}") for i in range(96)]
    patients = [(f"127.0.0.{2 + i}", f"patient-{run}-{i}") for i in range(3)]
    with ThreadPoolExecutor(max_workers=11) as pool:
        flooded = [pool.submit(post_from, bot, FLOODER, sender, text) for sender, text in flood]
        asked = [
            pool.submit(post_from, bot, address, sender, "how long does botox last for facial palsy?")
            for address, sender in patients
        ]
        flood_responses = [future.result() for future in flooded]
        patient_responses = [future.result() for future in asked]

    statuses = Counter(response.status_code for response in flood_responses)
    assert statuses == {200: PER_ADDRESS, 429: len(flood) - PER_ADDRESS}
    for response in flood_responses:
        if response.status_code == 429:
            wait = response.json()["retry_after"]
            assert 1 <= wait <= WINDOW and response.headers["Retry-After"] == str(wait)
    for response in patient_responses:
        assert response.status_code == 200
        assert any("3–4 months" in (message.get("text") or "") for message in response.json())

    # Every accepted message is in the tracker store, each once; no refused one is.
    accepted = Counter(
        sender
        for (sender, _), response in zip(flood, flood_responses, strict=True)
        if response.status_code == 200
    )
    assert stored_user_messages(bot, sorted({sender for sender, _ in flood})) == accepted


def test_one_conversation_sending_too_fast_is_told_to_wait(bot):
    sender = f"fast-{uuid.uuid4().hex[:8]}"
    responses = [post_from(bot, "127.0.0.20", sender, f"hi {i}") for i in range(PER_CONVERSATION + 2)]
    assert [r.status_code for r in responses] == [200] * PER_CONVERSATION + [429, 429]
    assert stored_user_messages(bot, [sender]) == {sender: PER_CONVERSATION}


def test_the_socketio_channel_sends_the_wait_notice(bot):
    session = f"socket-{uuid.uuid4().hex[:8]}"
    replies = socketio_replies(bot, [f"hello {i}" for i in range(PER_CONVERSATION + 1)], session_id=session)
    notices = [slow_down_reply(seconds).text for seconds in range(1, WINDOW + 1)]
    assert len(replies[-1]) == 1 and replies[-1][0] in notices, replies[-1]
    assert not any(text in notices for texts in replies[:-1] for text in texts)
    assert stored_user_messages(bot, [session]) == {session: PER_CONVERSATION}
    # REST from the same address draws on the same budget: what socket.io used is gone.
    left = PER_ADDRESS - (PER_CONVERSATION + 1)
    statuses = [post_from(bot, "127.0.0.1", f"{session}-rest-{i}", "hi").status_code for i in range(left + 1)]
    assert statuses == [200] * left + [429]
