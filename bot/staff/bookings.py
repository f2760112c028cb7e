"""Booking requests as the staff console sees them, read from and updated in the bot's own
`BookingStore` (bot/booking): the console keeps no second copy of them. Who changed a status,
and when, is in the console's audit log."""

import logging
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from typing import Any, Protocol

from bot.names import BOOKING_STATUSES
from bot.settings import Settings

logger = logging.getLogger(__name__)

STATUSES = BOOKING_STATUSES


@dataclass(frozen=True)
class BookingView:
    reference: str
    conversation_id: str | None
    created_at: datetime
    status: str
    name: str
    phone: str
    email: str
    preferred_time: str
    reason: str
    consent: bool
    kind: str = "consultation"
    updated_at: datetime | None = None
    # Booking for someone else: who asked, what the patient is to them, whose contact it is.
    requester_name: str = ""
    patient_relation: str = ""
    contact_is: str = ""
    # (channel, pending | sent | failed, attempts) of the clinic's notifications about it
    notifications: tuple[tuple[str, str, int], ...] = ()


class BookingError(ValueError):
    """A booking change that cannot be made, with a message for staff."""


class BookingRequests(Protocol):
    available: bool

    def list(
        self,
        status: str | None = None,
        conversation_id: str | None = None,
        created_from: datetime | None = None,
        created_before: datetime | None = None,
        phone: str | None = None,
        email: str | None = None,
    ) -> list[BookingView]: ...

    def get(self, reference: str) -> BookingView | None: ...

    def set_status(self, reference: str, status: str, changed_by: str) -> BookingView: ...

    def conversation_ids(self) -> frozenset[str]: ...


def _utc(moment: datetime | None) -> datetime | None:
    """The store keeps naive UTC times."""
    return moment.replace(tzinfo=timezone.utc) if moment and moment.tzinfo is None else moment


def booking_view(row: dict[str, Any]) -> BookingView:
    preferred = row.get("preferred_time_text") or ""
    if row.get("preferred_time"):
        preferred = f"{preferred} ({row['preferred_time']})" if preferred else row["preferred_time"]
    return BookingView(
        reference=row["reference"],
        conversation_id=row.get("conversation_id"),
        created_at=_utc(row["created_at"]) or datetime.now(timezone.utc),  # never empty in the store
        status=row["status"],
        name=row.get("name") or "",
        phone=row.get("phone") or "",
        email=row.get("email") or "",
        preferred_time=preferred,
        reason=row.get("reason") or "",
        consent=bool(row.get("consent")),
        kind=row.get("kind") or "consultation",
        requester_name=row.get("requester_name") or "",
        patient_relation=(row.get("patient_relation") or "").replace("_", " "),
        contact_is=row.get("contact_is") or "",
        updated_at=_utc(row.get("updated_at")),
    )


class StoredBookings:
    """The BookingStore's requests, newest first; store failures become `BookingError`."""

    available = True

    def __init__(self, store: Any) -> None:
        self.store = store

    def _call(self, work):
        from bot.booking.store import StoreUnavailable

        try:
            return work()
        except StoreUnavailable as error:
            raise BookingError("The booking store cannot be reached right now; try again soon.") from error

    def list(
        self,
        status: str | None = None,
        conversation_id: str | None = None,
        created_from: datetime | None = None,
        created_before: datetime | None = None,
        phone: str | None = None,
        email: str | None = None,
    ) -> list[BookingView]:
        """Requests, newest first, filtered by the store (see `BookingStore.find`)."""
        rows = self._call(
            lambda: self.store.find(
                conversation_id=conversation_id,
                status=status,
                created_from=created_from,
                created_before=created_before,
                phone=phone,
                email=email,
            )
        )
        return [booking_view(row) for row in reversed(rows)]

    def get(self, reference: str) -> BookingView | None:
        """One request, with the delivery state of its notifications."""
        row = self._call(lambda: self.store.get(reference)) if reference else None
        if not row:
            return None
        sent = self._call(lambda: self.store.notifications(reference))
        return replace(
            booking_view(row), notifications=tuple((n["channel"], n["status"], n["attempts"]) for n in sent)
        )

    def set_status(self, reference: str, status: str, changed_by: str) -> BookingView:
        try:
            self._call(lambda: self.store.set_status(reference, status))
        except KeyError:
            raise BookingError("There is no such booking request.") from None
        changed = self.get(reference)
        if changed is None:  # deleted between the two calls
            raise BookingError("There is no such booking request.")
        return changed

    def conversation_ids(self) -> frozenset[str]:
        """Conversations with a stored request; none while the store is down (logged)."""
        try:
            return frozenset(row["conversation_id"] for row in self._call(self.store.find))
        except BookingError:
            logger.warning("booking store unreachable: booking flags show only the conversations")
            return frozenset()


def booking_requests_from_settings(settings: Settings) -> BookingRequests:
    from bot.booking.store import BookingStore  # here: the console starts without the store's engine

    return StoredBookings(BookingStore(settings.booking_database_url))
