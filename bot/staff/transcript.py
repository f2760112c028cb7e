"""One conversation as staff read it: turns in time order, each with the patient's words, the
recognised intent and confidence, the actions the bot took and its replies with their buttons."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.live.state import LIVE_AGENT_KEY
from bot.names import ANSWER_ID_KEY, ActionName, Slot
from bot.staff.conversations import to_datetime
from bot.staff.events import StoredEvent
from bot.staff.flags import CONTROL_INTENTS, FALLBACK_INTENT, best_guess, is_low_confidence, rule_override
from bot.staff.masking import mask_contacts, mask_value

SESSION_START_ACTION = ActionName.SESSION_START
# Bookkeeping actions that say nothing to staff.
SILENT_ACTIONS = {ActionName.LISTEN, SESSION_START_ACTION}


@dataclass
class BotReply:
    at: datetime
    text: str
    buttons: list[dict[str, str]] = field(default_factory=list)
    topic: str | None = None
    action: str | None = None
    staff: str | None = None  # a live chat's staff member, for what they wrote or announced
    rating: str | None = None  # the patient's thumbs "up" or "down" on this answer


@dataclass
class SlotChange:
    at: datetime
    name: str
    value: Any


@dataclass
class Turn:
    """What the patient said (absent for what the bot says first) and all that followed."""

    session: int
    at: datetime
    user_text: str | None = None
    intent: str | None = None
    confidence: float | None = None
    best_guess: str | None = None  # the classifier's own top intent when it fell back
    best_guess_confidence: float | None = None
    decided_by_rule: str | None = None  # e.g. "red_flag": a rule set the intent, not the model
    low_confidence: bool = False
    is_button: bool = False
    button_title: str | None = None  # what the patient saw on the button they pressed
    actions: list[str] = field(default_factory=list)
    replies: list[BotReply] = field(default_factory=list)
    slots: list[SlotChange] = field(default_factory=list)


@dataclass
class Transcript:
    conversation_id: str
    turns: list[Turn]
    masked: bool

    @property
    def sessions(self) -> int:
        return max((turn.session for turn in self.turns), default=0)


def _mask(text: str | None, masked: bool) -> str | None:
    return mask_contacts(text) if masked and text else text


class _TranscriptBuilder:
    def __init__(self, threshold: float, masked: bool) -> None:
        self.threshold = threshold
        self.masked = masked
        self.turns: list[Turn] = []
        self.session = 0
        self.last_action: str | None = None
        self.offered: dict[str, str] = {}  # payload -> title of the buttons the bot last offered
        self.answers: dict[str, BotReply] = {}  # answer id -> the reply, for the patient's rating

    def current_turn(self, at: datetime) -> Turn:
        if not self.turns or self.turns[-1].session != self.session:
            self.turns.append(Turn(session=self.session, at=at))
        return self.turns[-1]

    def add(self, event: StoredEvent) -> None:
        at, data = to_datetime(event.timestamp), event.data
        if event.type_name == "action" and event.action_name == SESSION_START_ACTION:
            self.session += 1  # what the session start says (a greeting) belongs to the new one
        elif event.type_name == "user":
            self.add_user(at, data)
        elif event.type_name == "action" and data.get("name") not in SILENT_ACTIONS:
            self.last_action = str(data.get("name"))
            self.current_turn(at).actions.append(self.last_action)
        elif event.type_name == "bot":
            self.add_bot(at, data)
        elif event.type_name == "slot" and data.get("name") == Slot.ANSWER_RATING:
            self.add_rating(data.get("value"))
        elif event.type_name == "slot":
            value = mask_value(data.get("value")) if self.masked else data.get("value")
            self.current_turn(at).slots.append(SlotChange(at, str(data.get("name")), value))

    def add_bot(self, at: datetime, data: dict) -> None:
        payload = data.get("data") or {}
        custom: dict = payload["custom"] if isinstance(payload.get("custom"), dict) else {}
        buttons = [b for b in payload.get("buttons") or [] if isinstance(b, dict)]
        if buttons:
            self.offered = {str(b.get("payload", "")): str(b.get("title", "")) for b in buttons}
        if not data.get("text") and not buttons:
            return
        metadata = data.get("metadata") or {}
        reply = BotReply(
            at=at,
            text=_mask(str(data.get("text") or ""), self.masked) or "",
            buttons=[
                {
                    "title": _mask(str(b.get("title", "")), self.masked) or "",
                    "payload": str(b.get("payload", "")),
                }
                for b in buttons
            ],
            topic=custom.get("topic"),
            action=metadata.get("utter_action") or self.last_action,
            staff=metadata.get(LIVE_AGENT_KEY),
        )
        self.current_turn(at).replies.append(reply)
        if custom.get(ANSWER_ID_KEY):
            self.answers[str(custom[ANSWER_ID_KEY])] = reply

    def add_rating(self, rated: Any) -> None:
        """The patient's thumbs on an answer: shown on that answer (the latest one counts)."""
        if isinstance(rated, dict) and rated.get("answer_id") in self.answers:
            self.answers[rated["answer_id"]].rating = rated.get("rating")

    def add_user(self, at: datetime, data: dict) -> None:
        parse_data = data.get("parse_data") or {}
        intent = parse_data.get("intent") or {}
        if intent.get("name") in CONTROL_INTENTS:
            return
        text = str(data.get("text") or "")
        override = rule_override(parse_data)
        guess = best_guess(parse_data) if intent.get("name") == FALLBACK_INTENT or override else None
        self.turns.append(
            Turn(
                session=self.session,
                at=at,
                user_text=_mask(text, self.masked),
                intent=intent.get("name"),
                confidence=intent.get("confidence"),
                best_guess=(guess or {}).get("name"),
                best_guess_confidence=(guess or {}).get("confidence"),
                low_confidence=is_low_confidence(parse_data, self.threshold),
                decided_by_rule=override.rule if override else None,
                is_button=text.startswith("/"),
                button_title=_mask(self.offered.get(text), self.masked) if text.startswith("/") else None,
            )
        )


def build_transcript(
    conversation_id: str, events: list[StoredEvent], threshold: float, masked: bool = True
) -> Transcript:
    """The turns of a conversation; contact details masked unless `masked` is False."""
    builder = _TranscriptBuilder(threshold, masked)
    for event in sorted(events, key=lambda e: e.id):
        builder.add(event)
    return Transcript(conversation_id, builder.turns, masked)
