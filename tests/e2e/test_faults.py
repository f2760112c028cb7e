"""Faults on the embedded default: the action server stopped mid-conversation."""

import sqlite3

import pytest

from bot.runtime.service_notices import unavailable_reply
from tests.support.harness import running_bot


@pytest.fixture(scope="module")
def bot(tmp_path_factory, trained_model):
    with running_bot(tmp_path_factory.mktemp("faults")) as running:
        yield running


def texts(messages):
    return " ".join(m["text"] for m in messages if m.get("text"))


def test_action_server_down_gives_the_notice_and_the_conversation_continues(bot):
    sender = "fault-actions"
    assert "virtual assistant" in texts(bot.say(sender, "hello"))
    bot.actions.stop()
    try:
        down = bot.say(sender, "how long does botox last for facial palsy?")
        assert texts(down) == unavailable_reply().text
        assert any(m.get("custom", {}).get("service_notice") == "unavailable" for m in down)
        # Turns that need no custom action still work while it is down.
        assert "What would you like to know" in texts(bot.say(sender, "hi there"))
    finally:
        bot.actions.restart()
    back = bot.say(sender, "how long does botox last for facial palsy?")
    assert "3–4 months" in texts(back)
    with sqlite3.connect(bot.tracker_db) as db:
        users = db.execute(
            "select count(*) from events where sender_id = ? and type_name = 'user'", (sender,)
        ).fetchone()[0]
    assert users == 4  # every message is kept, including the one the bot could not answer
