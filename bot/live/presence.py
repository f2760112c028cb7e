"""Which staff members can take a live chat: those whose console showed the live page within the
last `live_chat.presence_seconds` (the page checks in while it is open). Kept in the staff
database, so every web worker writes and the action server reads the same rows."""

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

from bot.live.hours import parse_hours, within_hours
from bot.migrations import MigrationError
from bot.settings import Settings
from bot.staff.database import StaffDatabase, StaffPresence, StaffUser, utcnow

logger = logging.getLogger(__name__)


def _name_parts(username: str) -> list[str]:
    return [part for part in username.replace("_", ".").replace("-", ".").split(".") if part]


def first_name(username: str) -> str:
    """How staff are named to patients: "alice.smith" → "Alice"."""
    first = (_name_parts(username) or [username])[0]
    return first[:1].upper() + first[1:]


def display_name(username: str, colleagues: Iterable[str]) -> str:
    """The first name, told apart from a colleague's with the same one by an initial: "alice.smith"
    beside "alice.jones" is "Alice S." ("bob" beside "bob_lee" stays "Bob"). Live chats name their
    staff member by this, so two Alices never speak in each other's chats."""
    name, parts = first_name(username), _name_parts(username)
    shared = any(first_name(other) == name for other in colleagues if other != username)
    return f"{name} {parts[1][:1].upper()}." if shared and len(parts) > 1 else name


def check_in(db: StaffDatabase, user_id: int) -> None:
    """Record that this staff member's live page is open now."""
    with db.session() as session:
        row = session.get(StaffPresence, user_id)
        if row is None:
            session.add(StaffPresence(user_id=user_id, seen_at=utcnow()))
        else:
            row.seen_at = utcnow()


def check_out(db: StaffDatabase, user_id: int) -> None:
    """The staff member signed out: not available for live chats any more."""
    with db.session() as session:
        session.execute(sa.delete(StaffPresence).where(StaffPresence.user_id == user_id))


def staff_online(db: StaffDatabase, presence_seconds: int) -> list[str]:
    """Usernames of active staff whose live page checked in within `presence_seconds`."""
    since = utcnow() - timedelta(seconds=presence_seconds)
    with db.session() as session:
        rows = session.execute(
            sa.select(StaffUser.username)
            .join(StaffPresence, StaffPresence.user_id == StaffUser.id)
            .where(StaffPresence.seen_at >= since, StaffUser.active.is_(True))
            .order_by(StaffUser.username)
        )
        return [username for (username,) in rows]


_databases: dict[str, StaffDatabase] = {}


def _database(url: str) -> StaffDatabase:
    if url not in _databases:
        _databases[url] = StaffDatabase(url)
    return _databases[url]


def live_chat_open(settings: Settings, now: datetime | None = None) -> bool:
    """Whether a patient asking for a person now can have one in the chat: live chat enabled,
    within its hours (the clinic's clock), and a staff member online. False when the staff
    database cannot be read: the patient then gets the clinic's other routes, never a wait."""
    live = settings.live_chat
    local_now = (now or datetime.now(timezone.utc)).astimezone(ZoneInfo(settings.clinic.timezone))
    if not live.enabled or not within_hours(parse_hours(live.hours), local_now):
        return False
    try:
        return bool(staff_online(_database(settings.staff.database_url), live.presence_seconds))
    except (SQLAlchemyError, MigrationError) as error:
        logger.warning("Live chat treated as closed: the staff database could not be read (%s).", error)
        return False
