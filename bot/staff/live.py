"""Live chat as the console sees it: the queue of patients waiting for a person, the chats staff
are in, and the calls that speak for staff through the Rasa server's live channel
(bot/runtime/live_channel.py). The state itself is read from the tracker store (bot/live/state.py),
never kept in this process, so every web worker shows the same queue."""

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

import requests

from bot.live.state import LIVE_AGENT_KEY, LIVE_KIND_KEY, live_status
from bot.names import ActionName, Slot
from bot.staff.conversations import to_datetime
from bot.staff.events import StoredEvent, TrackerStoreReader
from bot.staff.masking import mask_contacts

# Chats looked at for the queue: those that asked for a person within this many seconds.
LIVE_LOOKBACK_SECONDS = 24 * 3600
EMERGENCY_ACTIONS = {ActionName.ANSWER_EMERGENCY, ActionName.REPEAT_EMERGENCY}
REQUEST_TIMEOUT_SECONDS = 10


@dataclass(frozen=True)
class ChatLine:
    at: datetime
    speaker: str  # "patient", "bot" or "staff"
    text: str  # contact details masked
    name: str | None = None  # the staff member, for staff lines


@dataclass
class LiveChat:
    conversation_id: str
    state: str  # LiveChat.WAITING or LiveChat.JOINED (bot/names.py)
    agent: str | None
    since: datetime
    emergency: bool = False
    lines: list[ChatLine] = field(default_factory=list)


def _current_session(events: list[StoredEvent]) -> list[StoredEvent]:
    starts = [i for i, event in enumerate(events) if event.type_name == "session_started"]
    return events[starts[-1] :] if starts else events


def chat_lines(events: Iterable[StoredEvent]) -> list[ChatLine]:
    """The patient's, the bot's and staff messages, in order, contact details masked."""
    lines = []
    for event in events:
        if event.type_name == "user" and not (event.data.get("text") or "").startswith("/"):
            lines.append(
                ChatLine(to_datetime(event.timestamp), "patient", mask_contacts(event.data.get("text") or ""))
            )
        elif event.type_name == "bot" and event.data.get("text"):
            metadata = event.data.get("metadata") or {}
            staff = LIVE_KIND_KEY in metadata and metadata.get(LIVE_KIND_KEY) == "message"
            lines.append(
                ChatLine(
                    to_datetime(event.timestamp),
                    "staff" if staff else "bot",
                    mask_contacts(event.data["text"]),
                    metadata.get(LIVE_AGENT_KEY) if staff else None,
                )
            )
    return lines


def live_chat_of(conversation_id: str, events: list[StoredEvent]) -> LiveChat | None:
    """The conversation's live chat (current session), or None when nobody is asked for."""
    session = _current_session(events)
    status = live_status({"event": e.type_name, "timestamp": e.timestamp, **e.data} for e in session)
    if status.state is None or status.since is None:
        return None
    return LiveChat(
        conversation_id,
        status.state,
        status.agent,
        to_datetime(status.since),
        emergency=any(e.type_name == "action" and e.action_name in EMERGENCY_ACTIONS for e in session),
        lines=chat_lines(session),
    )


def live_chats(reader: TrackerStoreReader, now: float | None = None) -> list[LiveChat]:
    """Patients waiting for a person (longest wait first), then chats staff are in."""
    since = (now or time.time()) - LIVE_LOOKBACK_SECONDS
    ids = reader.conversations_setting_slot(Slot.LIVE_CHAT, since)
    by_conversation: dict[str, list[StoredEvent]] = {}
    for event in reader.events_of(ids):
        by_conversation.setdefault(event.conversation_id, []).append(event)
    chats = [chat for cid, events in by_conversation.items() if (chat := live_chat_of(cid, events))]
    return sorted(chats, key=lambda chat: (chat.state != "waiting", chat.since))


class LiveChatError(Exception):
    """The Rasa server refused or could not take a staff operation; the message says why."""


class LiveChatClient:
    """Speaks for staff in a patient's chat through the Rasa server's live channel."""

    def __init__(self, rasa_url: str, token: str | None) -> None:
        self.url = f"{rasa_url.rstrip('/')}/webhooks/live/staff"
        self.token = token

    def send(self, conversation_id: str, op: str, agent: str, text: str = "") -> dict:
        """`op` is "join", "say" or "leave"; returns the chat's new state."""
        if not self.token:
            raise LiveChatError("Live chat is not set up: the web app has no LIVE_CHAT_TOKEN.")
        try:
            answer = requests.post(
                self.url,
                json={"sender": conversation_id, "op": op, "agent": agent, "text": text},
                headers={"Authorization": f"Bearer {self.token}"},
                timeout=REQUEST_TIMEOUT_SECONDS,
            )
        except requests.RequestException as error:
            raise LiveChatError(
                "The assistant's server cannot be reached just now. Please try again."
            ) from error
        body = answer.json() if answer.headers.get("content-type", "").startswith("application/json") else {}
        if answer.status_code != 200:
            raise LiveChatError(
                str(body.get("error") or f"The assistant's server answered {answer.status_code}.")
            )
        return body
