"""Where confirmed booking requests are kept: any SQLAlchemy database (a SQLite file by default,
PostgreSQL in production). Saving is idempotent by the request's key, and the notifications to
send about a request are queued in the same transaction, so none is lost or sent twice.

The tables are made by migrations (bot/booking/migrations/, version table
booking_alembic_version), applied by `make migrate` and before `make run` starts the servers. A
store whose database is not at head on first use upgrades it itself (bot/migrations: one process
at a time, the others find it done), so the embedded default, the tests and replicas starting
together just work. A database this code cannot migrate (a newer release's revision, half the
tables) makes every call fail with StoreUnavailable, naming the problem.
"""

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from bot.booking.request import STATUSES, BookingRequest
from bot.migrations import MigrationError, Schema, database_engine, upgrade_to_head

metadata = sa.MetaData()

requests_table = sa.Table(
    "booking_requests",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("reference", sa.String(16), nullable=False, unique=True),
    sa.Column("idempotency_key", sa.String(64), nullable=False, unique=True),
    sa.Column("conversation_id", sa.String(255), nullable=False, index=True),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("phone", sa.String(32)),
    sa.Column("email", sa.String(320)),
    sa.Column("preferred_time_text", sa.String(1000), nullable=False),
    sa.Column("preferred_time", sa.String(32)),
    sa.Column("reason", sa.Text),
    sa.Column("consent", sa.Boolean, nullable=False),
    sa.Column("consented_at", sa.DateTime, nullable=False),  # UTC
    sa.Column("created_at", sa.DateTime, nullable=False),  # UTC
    sa.Column("status", sa.String(16), nullable=False, default="new"),
    sa.Column("updated_at", sa.DateTime, nullable=False),  # UTC
    # Booking for someone else (empty otherwise): migration 0002.
    sa.Column("requester_name", sa.String(200)),
    sa.Column("patient_relation", sa.String(40)),
    sa.Column("contact_is", sa.String(16)),  # requester | patient
    sa.CheckConstraint("consent", name="ck_booking_requests_consent"),
    sa.CheckConstraint(f"status IN {STATUSES!r}", name="ck_booking_requests_status"),
)

notifications_table = sa.Table(
    "booking_notifications",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("reference", sa.String(16), sa.ForeignKey("booking_requests.reference"), nullable=False),
    sa.Column("channel", sa.String(16), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),  # pending | sent | failed
    sa.Column("attempts", sa.Integer, nullable=False, default=0),
    sa.Column("last_error", sa.Text),
    sa.Column("next_attempt_at", sa.DateTime, nullable=False),  # UTC
    sa.Column("sent_at", sa.DateTime),
    sa.UniqueConstraint("reference", "channel", name="uq_booking_notifications_channel"),
)


SCHEMA = Schema(
    "booking",
    metadata,
    Path(__file__).with_name("migrations"),
    baseline_tables=("booking_requests", "booking_notifications"),
)


class StoreUnavailable(Exception):
    """The database could not be reached or written."""


@dataclass(frozen=True)
class SavedRequest:
    reference: str
    created: bool  # False when the same request was already stored (a retry)


def utc_naive(moment: datetime | None = None) -> datetime:
    """UTC without tzinfo: how times are stored, so SQLite and PostgreSQL compare alike."""
    moment = moment or datetime.now(timezone.utc)
    return moment.astimezone(timezone.utc).replace(tzinfo=None) if moment.tzinfo else moment


class BookingStore:
    """Booking requests and their notification queue in one SQL database."""

    def __init__(self, url: str, busy_timeout: float = 10.0) -> None:
        self.url = url
        self.engine = database_engine(url, busy_timeout)
        self._schema_ready = False
        self._schema_lock = threading.Lock()

    def _ensure_schema(self) -> None:
        with self._schema_lock:  # the retry worker and the actions share this store
            if not self._schema_ready:
                upgrade_to_head(SCHEMA, self.engine)
                self._schema_ready = True

    def _run(self, work):
        """Run `work(connection)` in one transaction; database failures become StoreUnavailable."""
        try:
            self._ensure_schema()
            with self.engine.begin() as connection:
                return work(connection)
        except IntegrityError:
            raise
        except (SQLAlchemyError, MigrationError) as error:
            raise StoreUnavailable(f"{type(error).__name__}: {str(error).splitlines()[0]}") from error

    def save(self, request: BookingRequest, notify: Sequence[str] = ()) -> SavedRequest:
        """Store a request once, with a pending notification per channel in `notify`.
        Saving the same request again returns the stored one (`created` is False)."""
        now = utc_naive()
        record = {
            **request.as_record(),
            "status": "new",
            "updated_at": now,
            "consented_at": utc_naive(request.consented_at),
            "created_at": utc_naive(request.created_at),
        }

        def insert(connection) -> SavedRequest:
            connection.execute(requests_table.insert().values(**record))
            for channel in notify:
                connection.execute(
                    notifications_table.insert().values(
                        reference=request.reference,
                        channel=channel,
                        status="pending",
                        attempts=0,
                        next_attempt_at=now,
                    )
                )
            return SavedRequest(request.reference, created=True)

        try:
            return self._run(insert)
        except IntegrityError:
            existing = self.get_by_key(request.idempotency_key)
            if existing is None:
                raise
            return SavedRequest(existing["reference"], created=False)

    def get_by_key(self, key: str) -> dict[str, Any] | None:
        return self._one(requests_table.c.idempotency_key == key)

    def get(self, reference: str) -> dict[str, Any] | None:
        return self._one(requests_table.c.reference == reference)

    def _one(self, condition) -> dict[str, Any] | None:
        rows = self._run(lambda c: c.execute(sa.select(requests_table).where(condition)).all())
        return dict(rows[0]._mapping) if rows else None

    def find(
        self,
        conversation_id: str | None = None,
        status: str | None = None,
        created_from: datetime | None = None,
        created_before: datetime | None = None,
        phone: str | None = None,
        email: str | None = None,
    ) -> list[dict[str, Any]]:
        """Requests, oldest first, optionally of one conversation or status, created from
        `created_from` (included) to `created_before` (excluded), naive times being UTC, or with
        one phone number (E.164, as stored) or email address (any case)."""
        query = sa.select(requests_table).order_by(requests_table.c.id)
        if phone is not None:
            query = query.where(requests_table.c.phone == phone)
        if email is not None:
            query = query.where(sa.func.lower(requests_table.c.email) == email.lower())
        if conversation_id is not None:
            query = query.where(requests_table.c.conversation_id == conversation_id)
        if status is not None:
            query = query.where(requests_table.c.status == status)
        if created_from is not None:
            query = query.where(requests_table.c.created_at >= utc_naive(created_from))
        if created_before is not None:
            query = query.where(requests_table.c.created_at < utc_naive(created_before))
        return [dict(row._mapping) for row in self._run(lambda c: c.execute(query).all())]

    def set_status(self, reference: str, status: str) -> None:
        """Staff progress a request: new -> contacted -> booked -> closed."""
        if status not in STATUSES:
            raise ValueError(f"status must be one of {', '.join(STATUSES)}")
        result = self._run(
            lambda c: c.execute(
                requests_table.update()
                .where(requests_table.c.reference == reference)
                .values(status=status, updated_at=utc_naive())
            )
        )
        if result.rowcount != 1:
            raise KeyError(reference)

    # -- notification queue ------------------------------------------------------------------
    def due_notifications(self, now: datetime | None = None) -> list[dict[str, Any]]:
        query = (
            sa.select(notifications_table)
            .where(
                notifications_table.c.status == "pending",
                notifications_table.c.next_attempt_at <= utc_naive(now),
            )
            .order_by(notifications_table.c.id)
        )
        return [dict(row._mapping) for row in self._run(lambda c: c.execute(query).all())]

    def has_pending_notifications(self) -> bool:
        query = sa.select(sa.func.count()).where(notifications_table.c.status == "pending")
        return bool(self._run(lambda c: c.execute(query).scalar()))

    def notifications(self, reference: str) -> list[dict[str, Any]]:
        query = (
            sa.select(notifications_table)
            .where(notifications_table.c.reference == reference)
            .order_by(notifications_table.c.channel)
        )
        return [dict(row._mapping) for row in self._run(lambda c: c.execute(query).all())]

    def record_attempt(
        self, notification_id: int, error: str | None = None, retry_at: datetime | None = None
    ) -> None:
        """A delivery attempt: sent (no error), to retry at `retry_at`, or given up (failed)."""
        table = notifications_table
        values: dict[str, Any] = {"attempts": table.c.attempts + 1, "last_error": error}
        if error is None:
            values.update(status="sent", sent_at=utc_naive())
        elif retry_at is not None:
            values.update(next_attempt_at=utc_naive(retry_at))
        else:
            values.update(status="failed")
        self._run(lambda c: c.execute(table.update().where(table.c.id == notification_id).values(**values)))

    def dispose(self) -> None:
        self.engine.dispose()
