"""The staff console's own database (settings: staff.database_url): accounts, sign-in sessions,
sign-in attempts and the audit log. Separate from the tracker store and the booking store.

The tables are made by migrations (bot/staff/migrations/, version table staff_alembic_version),
applied by `make migrate` and before `make run` starts the servers. Opening a database that is
not at head upgrades it first (bot/migrations: one process at a time, the others find it done),
so the embedded default and the tests just work; one this code cannot migrate (a newer release's
revision, half the tables) raises bot.migrations.MigrationError, naming the problem.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, declarative_base, sessionmaker

from bot.migrations import Schema, upgrade_to_head
from bot.paths import private_sqlite_file

Base: Any = declarative_base()  # untyped in SQLAlchemy 1.4 without its mypy plugin
ROLES = ("admin", "staff")


def utcnow() -> datetime:
    """Now in UTC, without tzinfo: how every time in this database is stored."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


class StaffUser(Base):
    __tablename__ = "staff_users"
    id = sa.Column(sa.Integer, primary_key=True)
    username = sa.Column(sa.String(80), nullable=False, unique=True)
    password_hash = sa.Column(sa.String(255), nullable=False)
    role = sa.Column(sa.String(16), nullable=False, default="staff")
    active = sa.Column(sa.Boolean, nullable=False, default=True)
    created_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)
    last_login_at = sa.Column(sa.DateTime)

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


class WebSession(Base):
    """A signed-in browser. The cookie holds a signed random token; only its hash is stored."""

    __tablename__ = "staff_sessions"
    token_hash = sa.Column(sa.String(64), primary_key=True)
    user_id = sa.Column(
        sa.Integer, sa.ForeignKey("staff_users.id", ondelete="CASCADE"), nullable=False, index=True
    )
    csrf_token = sa.Column(sa.String(64), nullable=False)
    created_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)
    last_seen_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)


class LoginAttempt(Base):
    __tablename__ = "staff_login_attempts"
    id = sa.Column(sa.Integer, primary_key=True)
    username = sa.Column(sa.String(80), nullable=False, index=True)
    client_address = sa.Column(sa.String(64), nullable=False, index=True)
    at = sa.Column(sa.DateTime, nullable=False, default=utcnow, index=True)
    succeeded = sa.Column(sa.Boolean, nullable=False)


class AuditEntry(Base):
    """Who did what to which conversation or booking, and when. Holds no conversation content."""

    __tablename__ = "staff_audit_log"
    id = sa.Column(sa.Integer, primary_key=True)
    at = sa.Column(sa.DateTime, nullable=False, default=utcnow, index=True)
    username = sa.Column(sa.String(80), nullable=False, index=True)
    action = sa.Column(sa.String(40), nullable=False, index=True)
    conversation_id = sa.Column(sa.String(255), index=True)
    booking_reference = sa.Column(sa.String(64), index=True)
    detail = sa.Column(sa.String(500), nullable=False, default="")
    client_address = sa.Column(sa.String(64), nullable=False, default="")


class StaffPresence(Base):
    """When a staff member's console last showed the live page: who can take a live chat."""

    __tablename__ = "staff_presence"
    user_id = sa.Column(sa.Integer, sa.ForeignKey("staff_users.id", ondelete="CASCADE"), primary_key=True)
    seen_at = sa.Column(sa.DateTime, nullable=False, default=utcnow, index=True)


class ConversationReview(Base):
    """Staff's follow-up of one conversation: status, who has it, tags, a false alarm. A
    conversation without a row is new."""

    __tablename__ = "conversation_reviews"
    conversation_id = sa.Column(sa.String(255), primary_key=True)
    status = sa.Column(sa.String(16), nullable=False, default="new", index=True)
    assignee = sa.Column(sa.String(80), index=True)
    tags = sa.Column(sa.String(500), nullable=False, default="")  # comma-separated, lower case
    false_alarm = sa.Column(sa.Boolean, nullable=False, default=False, index=True)
    updated_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)
    updated_by = sa.Column(sa.String(80), nullable=False)


class ConversationNote(Base):
    """A note staff wrote on a conversation, kept with its author and time."""

    __tablename__ = "conversation_notes"
    id = sa.Column(sa.Integer, primary_key=True)
    conversation_id = sa.Column(sa.String(255), nullable=False, index=True)
    author = sa.Column(sa.String(80), nullable=False)
    at = sa.Column(sa.DateTime, nullable=False, default=utcnow)
    text = sa.Column(sa.String(2000), nullable=False)


SCHEMA = Schema(
    "staff",
    Base.metadata,
    Path(__file__).with_name("migrations"),
    baseline_tables=("staff_users", "staff_sessions", "staff_login_attempts", "staff_audit_log"),
)


class StaffDatabase:
    """Engine and sessions for the staff database, upgraded to the newest schema on opening."""

    def __init__(self, url: str) -> None:
        if url.startswith("sqlite:///"):
            private_sqlite_file(url[len("sqlite:///") :])
        self.engine = sa.create_engine(url, pool_pre_ping=True, future=True)
        upgrade_to_head(SCHEMA, self.engine)
        self._sessions = sessionmaker(bind=self.engine, future=True, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A database session committed at the end of the block, rolled back on error."""
        session = self._sessions()
        try:
            yield session
            session.commit()
        except Exception:
            session.rollback()
            raise
        finally:
            session.close()
