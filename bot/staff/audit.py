"""The audit log: who viewed, revealed, exported or changed what, and when. It names
conversations and bookings by id and never copies their content."""

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from bot.staff.database import AuditEntry, StaffDatabase, utcnow

# What the console records (AuditEntry.action).
SIGN_IN = "sign_in"
SIGN_IN_FAILED = "sign_in_failed"
SIGN_IN_THROTTLED = "sign_in_throttled"
SIGN_OUT = "sign_out"
VIEW_OVERVIEW = "view_overview"
VIEW_LIST = "view_conversations"
VIEW_TRANSCRIPT = "view_transcript"
REVEAL_CONTACTS = "reveal_contacts"
EXPORT = "export"
VIEW_UNANSWERED = "view_unanswered"
VIEW_BOOKINGS = "view_bookings"
VIEW_BOOKING = "view_booking"
CHANGE_BOOKING_STATUS = "change_booking_status"
VIEW_AUDIT_LOG = "view_audit_log"
MANAGE_ACCOUNTS = "manage_accounts"
RETENTION = "retention"
SEARCH_CONTACT = "search_contact"
CHANGE_REVIEW = "change_review"
ADD_NOTE = "add_note"
VIEW_LIVE_CHAT = "view_live_chat"
LIVE_CHAT_JOIN = "live_chat_join"
LIVE_CHAT_MESSAGE = "live_chat_message"
LIVE_CHAT_HAND_BACK = "live_chat_hand_back"
ACTIONS = (
    SIGN_IN,
    SIGN_IN_FAILED,
    SIGN_IN_THROTTLED,
    SIGN_OUT,
    VIEW_OVERVIEW,
    VIEW_LIST,
    VIEW_TRANSCRIPT,
    REVEAL_CONTACTS,
    EXPORT,
    VIEW_UNANSWERED,
    VIEW_BOOKINGS,
    VIEW_BOOKING,
    CHANGE_BOOKING_STATUS,
    VIEW_AUDIT_LOG,
    MANAGE_ACCOUNTS,
    RETENTION,
    SEARCH_CONTACT,
    CHANGE_REVIEW,
    ADD_NOTE,
    VIEW_LIVE_CHAT,
    LIVE_CHAT_JOIN,
    LIVE_CHAT_MESSAGE,
    LIVE_CHAT_HAND_BACK,
)


@dataclass(frozen=True)
class AuditRecord:
    id: int
    at: datetime
    username: str
    action: str
    conversation_id: str | None
    booking_reference: str | None
    detail: str
    client_address: str


@dataclass(frozen=True)
class AuditFilter:
    username: str = ""
    action: str = ""
    conversation_id: str = ""
    booking_reference: str = ""


class AuditLog:
    def __init__(self, db: StaffDatabase) -> None:
        self.db = db

    def record(
        self,
        username: str,
        action: str,
        *,
        conversation_id: str | None = None,
        booking_reference: str | None = None,
        detail: str = "",
        client_address: str = "",
    ) -> None:
        with self.db.session() as session:
            session.add(
                AuditEntry(
                    at=utcnow(),
                    username=username[:80],
                    action=action,
                    conversation_id=conversation_id,
                    booking_reference=booking_reference,
                    detail=detail[:500],
                    client_address=client_address[:64],
                )
            )

    def record_each(
        self,
        username: str,
        action: str,
        conversation_ids: list[str],
        *,
        detail: str = "",
        client_address: str = "",
    ) -> None:
        """One entry per conversation, written together (a range export names each one)."""
        with self.db.session() as session:
            session.add_all(
                [
                    AuditEntry(
                        at=utcnow(),
                        username=username[:80],
                        action=action,
                        conversation_id=conversation_id,
                        detail=detail[:500],
                        client_address=client_address[:64],
                    )
                    for conversation_id in conversation_ids
                ]
            )

    def entries(
        self, where: AuditFilter = AuditFilter(), page: int = 1, page_size: int = 50
    ) -> tuple[list[AuditRecord], int]:
        """Newest first: (entries of `page`, number of matching entries)."""
        conditions = [getattr(AuditEntry, name) == value for name, value in where.__dict__.items() if value]
        with self.db.session() as session:
            total = session.execute(sa.select(sa.func.count(AuditEntry.id)).where(*conditions)).scalar()
            rows = session.execute(
                sa.select(AuditEntry)
                .where(*conditions)
                .order_by(AuditEntry.id.desc())
                .offset((max(page, 1) - 1) * page_size)
                .limit(page_size)
            ).scalars()
            return [
                AuditRecord(
                    r.id,
                    r.at,
                    r.username,
                    r.action,
                    r.conversation_id,
                    r.booking_reference,
                    r.detail,
                    r.client_address,
                )
                for r in rows
            ], total
