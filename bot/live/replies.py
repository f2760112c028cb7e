"""What the bot says about a live chat, and the slot changes that go with it, decided from the
conversation's events (the handoff action, actions/handoff.py, sends them)."""

import time
from dataclasses import dataclass
from typing import Any

from bot.contact import callback_offer
from bot.knowledge.answers import Reply
from bot.live.state import LiveStatus, waited_too_long
from bot.names import LIVE_CHAT_KEY, LiveChat, Slot
from bot.settings import Settings
from bot.wording import wording


@dataclass(frozen=True)
class LiveReply:
    reply: Reply
    slots: dict[str, Any]


def live_handoff(
    status: LiveStatus, settings: Settings, staff_available: bool, now: float | None = None
) -> LiveReply | None:
    """The reply to a patient asking for a person when a live chat applies (`status`: their live
    chat so far): they join the queue (staff available), are reminded they are in it, or, after
    waiting too long, get the callback offer. None: no live chat, so the clinic's other routes
    are given."""
    if status.waiting:
        if waited_too_long(status, now or time.time(), settings.live_chat.wait_seconds):
            return LiveReply(callback_offer(wording("live.nobody_free")), {Slot.LIVE_CHAT: None})
        return LiveReply(Reply(wording("live.still_waiting"), custom={LIVE_CHAT_KEY: LiveChat.WAITING}), {})
    if staff_available:
        return LiveReply(
            Reply(wording("live.waiting"), custom={LIVE_CHAT_KEY: LiveChat.WAITING}),
            {Slot.LIVE_CHAT: LiveChat.WAITING},
        )
    return None
