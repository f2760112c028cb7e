"""A conversation's live-chat state, read from its events, and the events that change it.

The state is two slots in the tracker (so every Rasa server, the action server and the console
read the same thing): `live_chat` is "waiting" from the moment the patient is told a person will
join until staff take the chat or the wait runs out, then "joined" until staff hand back;
`live_agent` is the staff member's first name. Staff messages are bot messages whose metadata
names the staff member (`live_agent`), so they stay in the tracker store and the transcript.

Events are Rasa's JSON form (`Event.as_dict()`), as the tracker store keeps them and rasa_sdk
hands them to actions.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot.names import LiveChat, Slot
from bot.wording import wording

# Bot messages the live chat adds carry this metadata key: "joined", "message", "left".
LIVE_KIND_KEY = "live"
LIVE_AGENT_KEY = "live_agent"
LIVE_TEXT_MAX_CHARS = 2000


@dataclass(frozen=True)
class LiveStatus:
    state: str | None  # LiveChat.WAITING, LiveChat.JOINED or None
    agent: str | None
    since: float | None  # when the state began (the slot event's timestamp)

    @property
    def waiting(self) -> bool:
        return self.state == LiveChat.WAITING

    @property
    def joined(self) -> bool:
        return self.state == LiveChat.JOINED


def live_status(events: Iterable[Mapping[str, Any]]) -> LiveStatus:
    """The live-chat state after these events (oldest first); a new session ends it."""
    state: str | None = None
    agent: str | None = None
    since: float | None = None
    for event in events:
        kind = event.get("event")
        if kind == "session_started" or kind == "restart":
            state, agent, since = None, None, None
        elif kind == "slot" and event.get("name") == Slot.LIVE_CHAT:
            state, since = event.get("value"), event.get("timestamp")
        elif kind == "slot" and event.get("name") == Slot.LIVE_AGENT:
            agent = event.get("value")
    return LiveStatus(state, agent if state == LiveChat.JOINED else None, since)


def waited_too_long(status: LiveStatus, now: float, wait_seconds: int) -> bool:
    """The patient has waited for a person longer than the clinic allows."""
    return status.waiting and status.since is not None and now - status.since >= wait_seconds


def staff_silent_too_long(events: Sequence[Mapping[str, Any]], now: float, reply_seconds: int) -> bool:
    """Staff are in the chat, but the patient's latest message has waited `reply_seconds`
    without a word from them (the console closed, or they were called away)."""
    if not live_status(events).joined:
        return False
    last_patient = max((e.get("timestamp") or 0 for e in events if e.get("event") == "user"), default=0)
    last_staff = max(
        (e.get("timestamp") or 0 for e in events if LIVE_KIND_KEY in (e.get("metadata") or {})), default=0
    )
    return last_patient > last_staff and now - last_patient >= reply_seconds


def stepped_away_events(agent: str) -> list[dict[str, Any]]:
    """Staff went quiet: the bot takes the chat back and says so."""
    return [
        _staff_bot_message(wording("live.stepped_away", staff_name=agent), "left", agent),
        _slot(Slot.LIVE_CHAT, None),
        _slot(Slot.LIVE_AGENT, None),
    ]


def _slot(name: str, value: Any) -> dict[str, Any]:
    return {"event": "slot", "name": name, "value": value}


def _staff_bot_message(text: str, kind: str, agent: str) -> dict[str, Any]:
    return {"event": "bot", "text": text, "metadata": {LIVE_KIND_KEY: kind, LIVE_AGENT_KEY: agent}}


def join_events(agent: str) -> list[dict[str, Any]]:
    """A staff member takes the chat: the bot goes quiet and the patient is told who joined."""
    return [
        _slot(Slot.LIVE_CHAT, LiveChat.JOINED),
        _slot(Slot.LIVE_AGENT, agent),
        _staff_bot_message(wording("live.joined", staff_name=agent), "joined", agent),
    ]


def staff_message_events(agent: str, text: str) -> list[dict[str, Any]]:
    """One message typed by the staff member, kept as a bot message naming them."""
    return [_staff_bot_message(text, "message", agent)]


def hand_back_events(agent: str) -> list[dict[str, Any]]:
    """The staff member hands the chat back: the bot answers again."""
    return [
        _staff_bot_message(wording("live.handed_back", staff_name=agent), "left", agent),
        _slot(Slot.LIVE_CHAT, None),
        _slot(Slot.LIVE_AGENT, None),
    ]


def staff_messages_after(events: Iterable[Mapping[str, Any]], after: float) -> list[dict[str, Any]]:
    """The live chat's bot messages newer than `after` (a timestamp), as the widget shows them."""
    return [
        {
            "text": event.get("text") or "",
            "from": (event.get("metadata") or {}).get(LIVE_AGENT_KEY),
            "kind": (event.get("metadata") or {}).get(LIVE_KIND_KEY),
            "at": event.get("timestamp"),
        }
        for event in events
        if event.get("event") == "bot"
        and (event.get("timestamp") or 0) > after
        and LIVE_KIND_KEY in (event.get("metadata") or {})
    ]


def clean_staff_text(text: str) -> str:
    """A staff message as sent: trimmed, at most LIVE_TEXT_MAX_CHARS; empty means nothing to send."""
    return text.strip()[:LIVE_TEXT_MAX_CHARS]
