"""A booking request as the clinic keeps it, made from the form's slots. Its reference number
comes from the conversation and the confirming message, so confirming the same request twice
(a retry) gives the same reference and the store keeps it once."""

import hashlib
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from typing import Any

from bot.booking import slots as s
from bot.names import BOOKING_STATUSES

STATUSES = BOOKING_STATUSES
# Crockford's base 32: no I, L, O or U, so a reference read out on the phone is not misheard.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
REFERENCE_LENGTH = 8


def reference_for(idempotency_key: str) -> str:
    """BK-7F3K2Q9A: 40 bits of the key's SHA-256."""
    number = int.from_bytes(hashlib.sha256(idempotency_key.encode()).digest()[:5], "big")
    chars = [_ALPHABET[(number >> shift) & 31] for shift in range(35, -1, -5)]
    return "BK-" + "".join(chars)


def idempotency_key(conversation_id: str, confirmation_id: str) -> str:
    return hashlib.sha256(f"{conversation_id}\n{confirmation_id}".encode()).hexdigest()


@dataclass(frozen=True)
class BookingRequest:
    idempotency_key: str
    conversation_id: str
    kind: str
    name: str
    phone: str | None
    email: str | None
    preferred_time_text: str
    preferred_time: str | None  # ISO 8601 date or date-time, None for "as soon as possible"
    reason: str | None
    consent: bool
    consented_at: datetime
    created_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    # Booking for someone else: who asked, what the patient is to them, whose contact it is.
    requester_name: str | None = None
    patient_relation: str | None = None
    contact_is: str | None = None

    @property
    def reference(self) -> str:
        return reference_for(self.idempotency_key)

    def as_record(self) -> dict[str, Any]:
        return {**asdict(self), "reference": self.reference}

    def as_json(self) -> dict[str, Any]:
        record = self.as_record()
        for key in ("consented_at", "created_at"):
            record[key] = record[key].isoformat()
        return record

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "BookingRequest":
        values = {key: value for key, value in data.items() if key != "reference"}
        for key in ("consented_at", "created_at"):
            values[key] = datetime.fromisoformat(values[key])
        return cls(**values)


def request_from_slots(
    slots: Mapping[str, Any], conversation_id: str, confirmation_id: str
) -> BookingRequest:
    """The confirmed form as a request. Refuses a form without explicit consent."""
    if slots.get(s.CONSENT) is not True or slots.get(s.OUTCOME) != s.CONFIRMED:
        raise ValueError("a booking request needs explicit consent and a confirmation")
    now = datetime.now(timezone.utc)
    return BookingRequest(
        idempotency_key=idempotency_key(conversation_id, confirmation_id),
        conversation_id=conversation_id,
        kind=slots.get(s.KIND) or s.CONSULTATION,
        name=str(slots[s.NAME]),
        phone=slots.get(s.PHONE) or None,
        email=slots.get(s.EMAIL) or None,
        preferred_time_text=str(slots.get(s.PREFERRED_TIME) or ""),
        preferred_time=slots.get(s.PREFERRED_TIME_NORMALISED) or None,
        reason=slots.get(s.REASON) or None,
        consent=True,
        consented_at=now,
        created_at=now,
        requester_name=slots.get(s.REQUESTER_NAME) or None,
        patient_relation=slots.get(s.RELATION) or None,
        contact_is=(slots.get(s.CONTACT_IS) or None) if slots.get(s.RELATION) else None,
    )
