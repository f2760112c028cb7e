"""What the conversation so far says about booking: whether to offer it now (at natural moments,
without nagging) and whether a booking form is a callback request. Reads Rasa tracker events
(plain dicts), so it needs no Rasa import."""

from collections.abc import Iterable, Mapping
from typing import Any

from bot.booking.slots import CALLBACK, CONSULTATION
from bot.names import BOOKING_FORM, ActionName, Intent

OFFER_ACTION = ActionName.OFFER_BOOKING
# Offer after this many page answers without an offer, after topics that lead to booking,
# and at most this often in one conversation. Never again once declined or after booking.
OFFER_AFTER_ANSWERS = 3
OFFER_AFTER_TOPICS = frozenset({"candidacy"})
MAX_OFFERS = 2

Event = Mapping[str, Any]


def current_session(events: Iterable[Event]) -> list[Event]:
    """Events since the conversation (re)started."""
    session: list[Event] = []
    for event in events:
        if event.get("event") in ("session_started", "restart"):
            session = []
        else:
            session.append(event)
    return session


def _intent(event: Event) -> str | None:
    return ((event.get("parse_data") or {}).get("intent") or {}).get("name")


def booking_offer_due(events: Iterable[Event], topic_id: str) -> bool:
    """Whether to offer booking right after answering `topic_id`."""
    offers = answers_since_offer = 0
    declined = booking_started = False
    last_action = None
    for event in current_session(events):
        kind = event.get("event")
        if kind == "action" and event.get("name") != ActionName.LISTEN:
            last_action = event.get("name")
            if last_action in (OFFER_ACTION, ActionName.HUMAN_HANDOFF):
                offers, answers_since_offer = offers + 1, 0
            elif last_action == ActionName.ANSWER_TOPIC:
                answers_since_offer += 1
        elif kind == "active_loop" and event.get("name") == BOOKING_FORM:
            booking_started = True
        elif kind == "user" and last_action in (OFFER_ACTION, ActionName.HUMAN_HANDOFF):
            declined = declined or _intent(event) == Intent.DENY
    if declined or booking_started or offers >= MAX_OFFERS:
        return False
    return topic_id in OFFER_AFTER_TOPICS or answers_since_offer + 1 >= OFFER_AFTER_ANSWERS


def request_kind(events: Iterable[Event]) -> str:
    """A form started right after the offer of a callback (from asking for a person) is a
    callback request; any other is a consultation request."""
    before_user: str | None = None
    last_action: str | None = None
    for event in current_session(events):
        if event.get("event") == "action" and event.get("name") != ActionName.LISTEN:
            last_action = event.get("name")
        elif event.get("event") == "user":
            before_user = last_action
    return CALLBACK if before_user == ActionName.HUMAN_HANDOFF else CONSULTATION


def confirmation_id(events: Iterable[Event]) -> str:
    """Identifies the patient message that confirmed a request (the latest one): the same
    confirmation processed twice gives the same id, hence the same stored request."""
    latest = next((e for e in reversed(list(events)) if e.get("event") == "user"), {})
    return str(latest.get("message_id") or latest.get("timestamp") or "")
