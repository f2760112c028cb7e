"""The booking form's slots (names as in domain/booking.yml) and the values that steer it."""
import re
from typing import Dict, Optional, Pattern, Tuple

REQUESTED_SLOT = "requested_slot"

KIND = "booking_kind"  # consultation | callback (after asking for a person)
NAME = "booking_name"
PHONE = "booking_phone"  # E.164, e.g. +447700900123
EMAIL = "booking_email"
PREFERRED_TIME = "booking_preferred_time"  # the patient's own words
PREFERRED_TIME_NORMALISED = "booking_preferred_time_normalised"  # ISO date[Thh:mm] or None
REASON = "booking_reason"  # "" when the patient skipped it
CONSENT = "booking_consent"  # True only after an explicit yes
CHANGE = "booking_change"  # None | CHANGE_PENDING | the slot being changed
OUTCOME = "booking_outcome"  # how the form ended, see OUTCOMES
FAILED_ATTEMPTS = "booking_failed_attempts"  # {"slot": ..., "count": n}
REFERENCE = "booking_reference"  # set once a request is stored

# The details a patient gives, in the order the form asks for them. PHONE stands for
# "phone or email": it is asked while neither is known.
DETAIL_SLOTS = (NAME, PHONE, EMAIL, PREFERRED_TIME, REASON, CONSENT)
# Every slot the form may fill (the form's required_slots in domain/booking.yml).
FORM_SLOTS = (KIND, NAME, PHONE, EMAIL, PREFERRED_TIME, REASON, CONSENT, CHANGE, OUTCOME)
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

# Details a patient can ask to change, and the words that name them.
CHANGEABLE: Dict[str, Tuple[str, Pattern[str]]] = {
    NAME: ("Name", re.compile(r"\bname\b", re.I)),
    PHONE: ("Phone number", re.compile(r"\b(phone|number|mobile|cell|telephone|tel)\b", re.I)),
    EMAIL: ("Email", re.compile(r"\b(e-?mail|mail address)\b", re.I)),
    PREFERRED_TIME: ("Day and time", re.compile(r"\b(day|date|time|when|slot)\b", re.I)),
    REASON: ("Reason", re.compile(r"\b(reason|concern|note)\b", re.I)),
}


def named_detail(text: str) -> Optional[str]:
    """The detail the text names first ("change my phone number" -> booking_phone)."""
    hits = [(match.start(), slot) for slot, (_, pattern) in CHANGEABLE.items()
            for match in [pattern.search(text)] if match]
    return min(hits)[1] if hits else None


def next_slot_to_ask(slots: Dict[str, object]) -> Optional[str]:
    """What the form asks next, or None when it is finished (an outcome is set)."""
    if slots.get(OUTCOME):
        return None
    change = slots.get(CHANGE)
    if change == CHANGE_PENDING:
        return CHANGE
    if change in CHANGEABLE:
        return str(change)
    if not slots.get(NAME):
        return NAME
    if not slots.get(PHONE) and not slots.get(EMAIL):
        return PHONE
    if not slots.get(PREFERRED_TIME):
        return PREFERRED_TIME
    if slots.get(REASON) is None:
        return REASON
    if slots.get(CONSENT) is not True:
        return CONSENT
    return OUTCOME
