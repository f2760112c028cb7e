"""Staff accounts: one per person, passwords hashed with argon2id, roles admin and staff."""

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from bot.staff.database import ROLES, StaffDatabase, StaffUser, WebSession, utcnow

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1024
USERNAME_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789._-@")
HASHER = PasswordHasher()
# Checked when the username is unknown, so that a wrong name takes as long as a wrong password.
_DUMMY_HASH = HASHER.hash("not a real password, only for equal timing")


class AccountError(ValueError):
    """A request about accounts that cannot be done, with a message for the person who asked."""


@dataclass(frozen=True)
class Account:
    id: int
    username: str
    role: str
    active: bool
    created_at: datetime
    last_login_at: datetime | None

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


def _account(user: StaffUser) -> Account:
    return Account(user.id, user.username, user.role, user.active, user.created_at, user.last_login_at)


def normalise_username(username: str) -> str:
    name = (username or "").strip().lower()
    if not 2 <= len(name) <= 80 or not set(name) <= USERNAME_CHARS:
        raise AccountError("A username is 2-80 characters: letters, digits and . _ - @")
    return name


def check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"A password needs at least {MIN_PASSWORD_LENGTH} characters.")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise AccountError(f"A password may have at most {MAX_PASSWORD_LENGTH} characters.")


def _check_role(role: str) -> str:
    if role not in ROLES:
        raise AccountError(f"The role must be one of: {', '.join(ROLES)}")
    return role


class Accounts:
    def __init__(self, db: StaffDatabase) -> None:
        self.db = db

    def add(self, username: str, password: str, role: str = "staff") -> Account:
        name, role = normalise_username(username), _check_role(role)
        check_password_rules(password)
        with self.db.session() as session:
            if session.execute(sa.select(StaffUser).filter_by(username=name)).scalar():
                raise AccountError(f"The account {name!r} exists already.")
            user = StaffUser(
                username=name,
                password_hash=HASHER.hash(password),
                role=role,
                active=True,
                created_at=utcnow(),
            )
            session.add(user)
            session.flush()
            return _account(user)

    def _user(self, session, username: str) -> StaffUser:
        user = session.execute(
            sa.select(StaffUser).filter_by(username=(username or "").strip().lower())
        ).scalar()
        if user is None:
            raise AccountError(f"There is no account {username!r}.")
        return user

    def set_password(self, username: str, password: str) -> None:
        """A new password also signs the person out everywhere."""
        check_password_rules(password)
        with self.db.session() as session:
            user = self._user(session, username)
            user.password_hash = HASHER.hash(password)
            session.execute(sa.delete(WebSession).where(WebSession.user_id == user.id))

    def update(self, username: str, role: str | None = None, active: bool | None = None) -> Account:
        """Change role or (de)activate; a deactivated account is signed out at once."""
        with self.db.session() as session:
            user = self._user(session, username)
            was_admin = user.is_admin and user.active
            if role is not None:
                user.role = _check_role(role)
            if active is not None:
                user.active = active
            if was_admin and not (user.is_admin and user.active):
                self._keep_one_admin(session, user)
            if not user.active:
                session.execute(sa.delete(WebSession).where(WebSession.user_id == user.id))
            return _account(user)

    @staticmethod
    def _keep_one_admin(session, changed: StaffUser) -> None:
        admins = session.execute(
            sa.select(sa.func.count(StaffUser.id)).where(
                StaffUser.role == "admin", StaffUser.active.is_(True), StaffUser.id != changed.id
            )
        ).scalar()
        if not admins:
            raise AccountError("At least one active admin account must remain.")

    def all(self) -> list[Account]:
        with self.db.session() as session:
            users = session.execute(sa.select(StaffUser).order_by(StaffUser.username)).scalars()
            return [_account(user) for user in users]

    def get(self, user_id: int) -> Account | None:
        with self.db.session() as session:
            user = session.get(StaffUser, user_id)
            return _account(user) if user else None

    def authenticate(self, username: str, password: str) -> Account | None:
        """The active account whose password this is, or None (same work either way)."""
        password = (password or "")[:MAX_PASSWORD_LENGTH]
        with self.db.session() as session:
            user = session.execute(
                sa.select(StaffUser).filter_by(username=(username or "").strip().lower())
            ).scalar()
            try:
                HASHER.verify(user.password_hash if user else _DUMMY_HASH, password)
            except (VerificationError, InvalidHashError):
                return None
            if user is None or not user.active:
                return None
            if HASHER.check_needs_rehash(user.password_hash):
                user.password_hash = HASHER.hash(password)
            user.last_login_at = utcnow()
            return _account(user)
