"""Sign-in sessions, CSRF tokens and the sign-in rate limit of the staff console.

A session is a row in the staff database; the browser holds only a signed random token (the
database keeps its SHA-256), so signing out, a password change or a deactivated account ends it
at once. Sessions end after `session_idle_minutes` without a request and after
`session_max_hours` in any case.
"""

import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa
from itsdangerous import BadSignature, URLSafeTimedSerializer

from bot.paths import PROJECT_ROOT
from bot.settings import StaffSettings
from bot.staff.accounts import Account, Accounts
from bot.staff.database import LoginAttempt, StaffDatabase, WebSession, utcnow

# Write last-seen at most this often, not on every request.
LAST_SEEN_RESOLUTION = timedelta(seconds=30)
# Failed sign-ins allowed from one address, as a multiple of those allowed per account.
ADDRESS_FAILURE_FACTOR = 4
LOGIN_FORM_MAX_AGE_SECONDS = 3600


def load_secret_key(settings: StaffSettings) -> str:
    """STAFF_SECRET_KEY, else the key file (made, readable by its owner only, on first use)."""
    if os.environ.get("STAFF_SECRET_KEY"):
        return os.environ["STAFF_SECRET_KEY"]
    path = Path(settings.secret_key_file)
    path = path if path.is_absolute() else PROJECT_ROOT / path
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def tokens_match(expected: str | None, given: str | None) -> bool:
    return bool(expected) and bool(given) and hmac.compare_digest(str(expected), str(given))


@dataclass(frozen=True)
class SignedIn:
    account: Account
    csrf_token: str
    token_hash: str


class SessionManager:
    def __init__(
        self, db: StaffDatabase, accounts: Accounts, secret_key: str, idle: timedelta, max_age: timedelta
    ) -> None:
        self.db, self.accounts = db, accounts
        self.idle, self.max_age = idle, max_age
        self._session_signer = URLSafeTimedSerializer(secret_key, salt="staff-session")
        self._login_signer = URLSafeTimedSerializer(secret_key, salt="staff-login-form")

    def start(self, account: Account) -> str:
        """Open a session for `account`; returns the cookie value."""
        token = secrets.token_urlsafe(32)
        with self.db.session() as session:
            session.add(
                WebSession(
                    token_hash=_hash(token),
                    user_id=account.id,
                    csrf_token=secrets.token_urlsafe(32),
                    created_at=utcnow(),
                    last_seen_at=utcnow(),
                )
            )
        return self._session_signer.dumps(token)

    def _token(self, cookie: str | None) -> str | None:
        if not cookie:
            return None
        try:
            return self._session_signer.loads(cookie, max_age=int(self.max_age.total_seconds()))
        except BadSignature:
            return None

    def resolve(self, cookie: str | None) -> SignedIn | None:
        """The signed-in account of a cookie, or None when it is absent, forged or expired."""
        token = self._token(cookie)
        if token is None:
            return None
        now = utcnow()
        with self.db.session() as session:
            row = session.get(WebSession, _hash(str(token)))
            if row is None:
                return None
            if now - row.last_seen_at > self.idle or now - row.created_at > self.max_age:
                session.delete(row)
                return None
            account = self.accounts.get(row.user_id)
            if account is None or not account.active:
                session.delete(row)
                return None
            if now - row.last_seen_at > LAST_SEEN_RESOLUTION:
                row.last_seen_at = now
            return SignedIn(account, row.csrf_token, row.token_hash)

    def end(self, signed_in: SignedIn) -> None:
        with self.db.session() as session:
            session.execute(sa.delete(WebSession).where(WebSession.token_hash == signed_in.token_hash))
        self._purge_expired()

    def _purge_expired(self) -> None:
        with self.db.session() as session:
            session.execute(
                sa.delete(WebSession).where(
                    sa.or_(
                        WebSession.last_seen_at < utcnow() - self.idle,
                        WebSession.created_at < utcnow() - self.max_age,
                    )
                )
            )

    def login_form_tokens(self) -> tuple[str, str]:
        """(cookie, form field) for the sign-in form: CSRF protection before any session."""
        token = secrets.token_urlsafe(32)
        return self._login_signer.dumps(token), token

    def login_form_valid(self, cookie: str | None, field: str | None) -> bool:
        try:
            expected = self._login_signer.loads(cookie or "", max_age=LOGIN_FORM_MAX_AGE_SECONDS)
        except BadSignature:
            return False
        return tokens_match(expected, field)


class LoginThrottle:
    """At most `max_failures` failed sign-ins for one account from one address, and a few times
    that from one address in all, within a sliding window. Counting per account and address
    means failures from elsewhere cannot lock a colleague out of their own computer; an admin can
    clear an account's failures (`unlock`). Kept in the database, so restarts and several workers
    share it."""

    def __init__(self, db: StaffDatabase, max_failures: int, window: timedelta) -> None:
        self.db, self.max_failures, self.window = db, max_failures, window

    def _failures(self, session, **where) -> int:
        return session.execute(
            sa.select(sa.func.count(LoginAttempt.id))
            .filter_by(succeeded=False, **where)
            .where(LoginAttempt.at > utcnow() - self.window)
        ).scalar()

    def blocked(self, username: str, address: str) -> bool:
        with self.db.session() as session:
            return (
                self._failures(session, username=username[:80], client_address=address[:64])
                >= self.max_failures
                or self._failures(session, client_address=address[:64])
                >= self.max_failures * ADDRESS_FAILURE_FACTOR
            )

    def locked_out(self, username: str) -> bool:
        """Whether this account is blocked from at least one address now (for the accounts page)."""
        with self.db.session() as session:
            addresses = session.execute(
                sa.select(LoginAttempt.client_address, sa.func.count(LoginAttempt.id))
                .filter_by(succeeded=False, username=username[:80])
                .where(LoginAttempt.at > utcnow() - self.window)
                .group_by(LoginAttempt.client_address)
            ).all()
        return any(count >= self.max_failures for _, count in addresses)

    def unlock(self, username: str) -> int:
        """An admin clears the account's failed sign-ins; returns how many were cleared."""
        with self.db.session() as session:
            result = session.execute(
                sa.delete(LoginAttempt).where(
                    LoginAttempt.username == username[:80], LoginAttempt.succeeded.is_(False)
                )
            )
            return result.rowcount or 0

    def record(self, username: str, address: str, succeeded: bool) -> None:
        with self.db.session() as session:
            if succeeded:  # a success clears that account's failures
                session.execute(
                    sa.delete(LoginAttempt).where(
                        LoginAttempt.username == username[:80], LoginAttempt.succeeded.is_(False)
                    )
                )
            session.add(
                LoginAttempt(
                    username=username[:80], client_address=address[:64], at=utcnow(), succeeded=succeeded
                )
            )
            session.execute(sa.delete(LoginAttempt).where(LoginAttempt.at < utcnow() - 2 * self.window))

    @property
    def window_minutes(self) -> int:
        return max(1, int(self.window.total_seconds() // 60))
