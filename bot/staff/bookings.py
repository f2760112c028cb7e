"""Booking requests as the staff console sees them, read from and updated in the bot's own
`BookingStore` (bot/booking): the console keeps no second copy of them."""
from dataclasses import dataclass
from datetime import datetime
from typing import FrozenSet, List, Optional, Protocol

from bot.settings import Settings

STATUSES = ("new", "contacted", "booked", "closed")


@dataclass(frozen=True)
class BookingView:
    reference: str
    conversation_id: Optional[str]
    created_at: datetime
    status: str
    name: str
    phone: str
    email: str
    preferred_time: str
    reason: str
    consent: bool
    status_changed_at: Optional[datetime] = None
    status_changed_by: Optional[str] = None


class BookingError(ValueError):
    """A booking change that cannot be made, with a message for staff."""


class BookingRequests(Protocol):
    available: bool

    def list(self, status: Optional[str] = None) -> List[BookingView]: ...

    def get(self, reference: str) -> Optional[BookingView]: ...

    def set_status(self, reference: str, status: str, changed_by: str) -> BookingView: ...

    def conversation_ids(self) -> FrozenSet[str]: ...


class BookingStoreMissing:
    """Used while bot/booking (the booking form and its store) is not part of this checkout."""

    available = False

    def list(self, status: Optional[str] = None) -> List[BookingView]:
        return []

    def get(self, reference: str) -> Optional[BookingView]:
        return None

    def set_status(self, reference: str, status: str, changed_by: str) -> BookingView:
        raise BookingError("The booking store is not installed.")

    def conversation_ids(self) -> FrozenSet[str]:
        return frozenset()


def booking_requests_from_settings(settings: Settings) -> BookingRequests:
    try:
        import bot.booking  # noqa: F401 - present once the booking issue is merged
    except ImportError:
        return BookingStoreMissing()
    raise NotImplementedError("connect BookingStore here")  # pragma: no cover
