"""The channels' message handler wrapper (bot/runtime/channels.py), with a stand-in for Rasa's handler."""

import asyncio
import logging

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

from bot.runtime.channels import guarded
from bot.runtime.input_guard import MAX_MESSAGE_CHARS, empty_message_reply, too_long_reply
from bot.runtime.service_notices import unavailable_reply
from bot.runtime.tracker_store import TrackerStoreUnavailable
from bot.settings import get_settings


def handle(text, bot):
    """Run one message through `guarded(bot)`; returns (texts sent, texts the bot received)."""
    received, output = [], CollectingOutputChannel()

    async def rasa(message):
        received.append(message.text)
        await bot(message)

    asyncio.run(guarded(rasa)(UserMessage(text, output, "patient-1")))
    return [m.get("text") for m in output.messages if m.get("text")], received


async def answers(message):
    await message.output_channel.send_text_message(message.sender_id, "an answer")


def test_a_normal_message_reaches_the_bot_cleaned():
    assert handle("  how\u200b long\n does it last? ", answers) == (["an answer"], ["how long does it last?"])


def test_empty_and_over_long_messages_are_answered_without_the_bot():
    assert handle(" \x00 ", answers) == ([empty_message_reply().text], [])
    assert handle("x" * (MAX_MESSAGE_CHARS + 1), answers) == ([too_long_reply().text], [])


def test_a_failing_turn_gets_the_notice():
    async def fails(message):
        raise ConnectionError("lock store down")

    assert handle("hello", fails) == ([unavailable_reply().text], ["hello"])


def test_a_tracker_store_that_stays_down_gets_the_notice():
    async def store_down(message):
        raise TrackerStoreUnavailable("OperationalError")

    assert handle("hello", store_down)[0] == [unavailable_reply().text]


def test_an_action_failure_rasa_only_logs_gets_the_notice_after_what_was_said():
    async def action_fails(message):
        await answers(message)
        try:
            raise RuntimeError("Failed to execute custom action")
        except RuntimeError:
            logging.getLogger("rasa.core.processor").exception("Encountered an exception")

    assert handle("hello", action_fails)[0] == ["an answer", unavailable_reply().text]


def test_errors_logged_outside_a_turn_change_nothing():
    try:
        raise RuntimeError("unrelated")
    except RuntimeError:
        logging.getLogger("rasa.core.processor").exception("outside any turn")
    assert handle("hello", answers)[0] == ["an answer"]


def test_the_failure_log_never_holds_the_message(caplog):
    async def fails(message):
        raise ValueError(f"boom {message.text}")

    with caplog.at_level(logging.INFO):
        handle("my secret symptom", fails)
    assert "secret" not in caplog.text and "ValueError" in caplog.text


def test_messages_beyond_the_admission_limit_wait_their_turn_in_arrival_order():
    """settings.yml rasa_server.messages_at_once: the rest wait, first come first served."""
    limit = get_settings().rasa_server.messages_at_once
    in_progress, most, started = 0, 0, []

    async def slow_bot(message):
        nonlocal in_progress, most
        in_progress += 1
        most = max(most, in_progress)
        started.append(message.text)
        await asyncio.sleep(0.01)  # an action server call: the message yields while it waits
        in_progress -= 1

    async def many() -> None:
        handler = guarded(slow_bot)
        messages = [UserMessage(f"message {i}", CollectingOutputChannel(), f"p{i}") for i in range(limit + 5)]
        await asyncio.gather(*(handler(message) for message in messages))

    asyncio.run(many())
    assert most == limit
    assert started == [f"message {i}" for i in range(limit + 5)]
