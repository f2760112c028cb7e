"""What the conversation so far says about booking: whether to offer it now (at natural moments,
without nagging) and whether a booking form is a callback request. Reads Rasa tracker events
(plain dicts), so it needs no Rasa import."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from bot.booking.slots import CALLBACK, CONSULTATION
from bot.names import BOOKING_FORM, ActionName, Intent

OFFER_ACTION = ActionName.OFFER_BOOKING
# Offer after this many answers without an offer, after topics that lead to booking, and at most
# this often in one conversation. Never twice in a row, never again once declined or after booking.
OFFER_AFTER_ANSWERS = 3
OFFER_AFTER_TOPICS = frozenset({"candidacy"})
MAX_OFFERS = 2
# What counts as an answer between two offers: page answers and honest "not on the page" ones.
ANSWER_ACTIONS = frozenset(
    {
        ActionName.ANSWER_TOPIC,
        ActionName.ANSWER_UNSURE,
        ActionName.ANSWER_SERIOUS_RISK,
        ActionName.ANSWER_MILD_SYMPTOM,
        ActionName.NO_PRICE_INFO,
        ActionName.OUT_OF_SCOPE,
    }
)
# The answers that the rules follow with the offer (data/rules): bot/runtime/offer_policy.py
# holds the offer back after them when `booking_offer_allowed` says no.
ANSWERS_FOLLOWED_BY_AN_OFFER = frozenset(
    {ActionName.NO_PRICE_INFO, ActionName.OUT_OF_SCOPE, ActionName.ANSWER_SERIOUS_RISK}
)

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


@dataclass
class OfferHistory:
    """What this session says about booking offers so far."""

    offers: int = 0
    answers_since_offer: int = 0
    declined: bool = False
    booking_started: bool = False
    # The patient said they are getting emergency care: nobody on the way to the ER is offered a
    # consultation.
    getting_emergency_care: bool = False

    @property
    def closed(self) -> bool:
        """No more offers: declined, booked, getting emergency care, or offered as often as
        allowed."""
        return (
            self.declined or self.booking_started or self.getting_emergency_care or self.offers >= MAX_OFFERS
        )


def offer_history(events: Iterable[Event]) -> OfferHistory:
    history = OfferHistory()
    last_action = None
    for event in current_session(events):
        kind = event.get("event")
        if kind == "action" and event.get("name") != ActionName.LISTEN:
            last_action = event.get("name")
            if last_action in (OFFER_ACTION, ActionName.HUMAN_HANDOFF):
                history.offers, history.answers_since_offer = history.offers + 1, 0
            elif last_action in ANSWER_ACTIONS:
                history.answers_since_offer += 1
            elif last_action == ActionName.EMERGENCY_ACKNOWLEDGED:
                history.getting_emergency_care = True
        elif kind == "active_loop" and event.get("name") == BOOKING_FORM:
            history.booking_started = True
        elif kind == "user" and last_action in (OFFER_ACTION, ActionName.HUMAN_HANDOFF):
            history.declined = history.declined or _intent(event) == Intent.DENY
    return history


def booking_offer_due(events: Iterable[Event], topic_id: str) -> bool:
    """Whether to offer booking right after answering `topic_id` (the answer is not yet among
    `events`)."""
    history = offer_history(events)
    if history.closed:
        return False
    first_offer_now = topic_id in OFFER_AFTER_TOPICS and history.offers == 0
    return first_offer_now or history.answers_since_offer + 1 >= OFFER_AFTER_ANSWERS


def booking_offer_allowed(events: Iterable[Event]) -> bool:
    """Whether the offer the rules make after an answer that is already among `events` (a price
    question, something off the page) may be made: the first offer of the session, or one
    OFFER_AFTER_ANSWERS answers after the last, unless offers are closed."""
    history = offer_history(events)
    if history.closed:
        return False
    return history.offers == 0 or history.answers_since_offer >= OFFER_AFTER_ANSWERS


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


def details_new_this_turn(events: Iterable[Event]) -> set[str]:
    """The slots the patient's last message filled that were empty before it (a detail given
    for the first time; a changed one is announced by its own note), with a value the form did
    not already hold in another slot (a name moved to the requester's is nothing new)."""
    before: dict[str, Any] = {}
    this_turn: dict[str, Any] = {}
    for event in events:
        if event.get("event") == "user":
            before.update(this_turn)
            this_turn = {}
        elif event.get("event") == "slot":
            this_turn[event["name"]] = event.get("value")
    known = {value for value in before.values() if isinstance(value, str)}
    return {
        slot
        for slot, value in this_turn.items()
        if value not in (None, "")
        and before.get(slot) in (None, "")
        and not (isinstance(value, str) and value in known)
    }


# How many of the patient's messages just before the form started are read with it.
EARLIER_MESSAGES = 3


def messages_before_form(events: Iterable[Event]) -> list[str]:
    """The patient's last few messages before the latest one, in this session and since the last
    booking form ended ("can I book for my partner?", "his name is Alex Romero"), oldest first."""
    texts: list[str] = []
    for event in current_session(events):
        if event.get("event") == "active_loop" and event.get("name") is None:
            texts = []  # a form ended: what came before it was about that one
        elif event.get("event") == "user":
            texts.append(str(event.get("text") or ""))
    return texts[:-1][-EARLIER_MESSAGES:]
