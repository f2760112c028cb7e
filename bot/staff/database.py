"""The staff console's own database (settings: staff.database_url): accounts, sign-in sessions,
sign-in attempts and the audit log. Separate from the tracker store and the booking store."""
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

import sqlalchemy as sa
from sqlalchemy.orm import Session, declarative_base, sessionmaker


Base = declarative_base()
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
    user_id = sa.Column(sa.Integer, sa.ForeignKey("staff_users.id", ondelete="CASCADE"),
                        nullable=False, index=True)
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


class StaffDatabase:
    """Engine and sessions for the staff database; tables are created on first use."""

    def __init__(self, url: str) -> None:
        if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
            Path(url[len("sqlite:///"):]).parent.mkdir(parents=True, exist_ok=True)
        self.engine = sa.create_engine(url, pool_pre_ping=True, future=True)
        Base.metadata.create_all(self.engine)
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
