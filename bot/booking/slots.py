"""The booking form's slots (short aliases of bot.names.Slot) and the values that steer it."""

import re
from collections.abc import Mapping
from re import Pattern

from bot.names import Slot

REQUESTED_SLOT = Slot.REQUESTED

KIND = Slot.BOOKING_KIND  # consultation | callback (after asking for a person)
NAME = Slot.BOOKING_NAME
PHONE = Slot.BOOKING_PHONE  # E.164, e.g. +447700900123
EMAIL = Slot.BOOKING_EMAIL
PREFERRED_TIME = Slot.BOOKING_PREFERRED_TIME  # the patient's own words
PREFERRED_TIME_NORMALISED = Slot.BOOKING_PREFERRED_TIME_NORMALISED  # ISO date[Thh:mm] or None
REASON = Slot.BOOKING_REASON  # "" when the patient skipped it
CONSENT = Slot.BOOKING_CONSENT  # True only after an explicit yes
RELATION = Slot.BOOKING_RELATION  # None (for themself) | "mother", ... | "someone_else"
REQUESTER_NAME = Slot.BOOKING_REQUESTER_NAME  # the person booking for someone else
CONTACT_IS = Slot.BOOKING_CONTACT_IS  # whose phone/email: "requester" | "patient"
CHANGE = Slot.BOOKING_CHANGE  # None | CHANGE_PENDING | the slot being changed
OUTCOME = Slot.BOOKING_OUTCOME  # how the form ended, see OUTCOMES
FAILED_ATTEMPTS = Slot.BOOKING_FAILED_ATTEMPTS  # {"slot": ..., "count": n}
REFERENCE = Slot.BOOKING_REFERENCE  # set once a request is stored

# The details a patient gives, in the order the form asks for them. PHONE stands for
# "phone or email": it is asked while neither is known.
DETAIL_SLOTS = (NAME, REQUESTER_NAME, PHONE, EMAIL, PREFERRED_TIME, REASON, CONSENT)
# Every slot the form may fill (the form's required_slots in domain.yml).
FORM_SLOTS = (
    KIND,
    RELATION,
    NAME,
    REQUESTER_NAME,
    CONTACT_IS,
    PHONE,
    EMAIL,
    PREFERRED_TIME,
    REASON,
    CONSENT,
    CHANGE,
    OUTCOME,
)
# Slots emptied when a booking ends, whatever the outcome.
RESET_SLOTS = FORM_SLOTS + (PREFERRED_TIME_NORMALISED, FAILED_ATTEMPTS)

CONSULTATION = "consultation"
CALLBACK = "callback"

CHANGE_PENDING = "pending"

CONFIRMED = "confirmed"
CANCELLED = "cancelled"
DECLINED_CONSENT = "declined_consent"
PHONE_ROUTE = "phone_route"  # too many invalid answers: the clinic's phone route instead
OUTCOMES = (CONFIRMED, CANCELLED, DECLINED_CONSENT, PHONE_ROUTE)

# Details a patient can ask to change: what the detail's button sends (its label is wording,
# data/wording/booking.yml), and the words that name the detail in a message.
CHANGEABLE: dict[str, tuple[str, Pattern[str]]] = {
    NAME: ("name", re.compile(r"\bname\b", re.I)),
    PHONE: ("phone number", re.compile(r"\b(phone|number|mobile|cell|telephone|tel)\b", re.I)),
    EMAIL: ("email", re.compile(r"\b(e-?mail|mail address)\b", re.I)),
    PREFERRED_TIME: ("day and time", re.compile(r"\b(day|date|time|when|slot)\b", re.I)),
    REASON: ("reason", re.compile(r"\b(reason|concern|note)\b", re.I)),
}


def wording_key(slot: str) -> str:
    """How the wording files name a detail: booking_preferred_time -> preferred_time."""
    return slot.removeprefix("booking_")


# Only while booking for someone else: the requester's own name ("my name is spelt ...").
REQUESTER_CHANGE = ("your name", re.compile(r"\b(?:my|your) (?:own )?name\b", re.I))


def changeable(slots: Mapping[str, object]) -> dict[str, tuple[str, Pattern[str]]]:
    """The details this form can change: the requester's name too when booking for another."""
    if slots.get(RELATION):
        return {NAME: CHANGEABLE[NAME], REQUESTER_NAME: REQUESTER_CHANGE, **CHANGEABLE}
    return CHANGEABLE


def named_detail(text: str, slots: Mapping[str, object] | None = None) -> str | None:
    """The detail the text names first ("change my phone number" -> booking_phone); while
    booking for someone else, "my name" is the requester's."""
    hits = [
        (match.start(), slot)
        for slot, (_, pattern) in changeable(slots or {}).items()
        for match in [pattern.search(text)]
        if match
    ]
    return min(hits)[1] if hits else None


def next_slot_to_ask(slots: Mapping[str, object]) -> str | None:
    """What the form asks next, or None when it is finished (an outcome is set)."""
    if slots.get(OUTCOME):
        return None
    change = slots.get(CHANGE)
    if change == CHANGE_PENDING:
        return CHANGE
    if change in changeable(slots):
        return str(change)
    if not slots.get(NAME):
        return NAME
    if slots.get(RELATION) and not slots.get(REQUESTER_NAME):
        return REQUESTER_NAME
    if not slots.get(PHONE) and not slots.get(EMAIL):
        return PHONE
    if not slots.get(PREFERRED_TIME):
        return PREFERRED_TIME
    if slots.get(REASON) is None:
        return REASON
    if slots.get(CONSENT) is not True:
        return CONSENT
    return OUTCOME
