"""The tracker store of both profiles: Rasa's SQL tracker store (SQLite by default, PostgreSQL in
production), made to ride out a brief database outage without losing or forking a conversation.

Rasa 3.6 wraps every tracker store in `FailSafeTrackerStore`, which catches any `Exception`:
a failed read starts a blank conversation, a failed write keeps the turn in that one process's
memory only. On PostgreSQL that silently forgets a half-filled booking form and never stores the
messages sent during the outage. This store instead retries for a bounded time (a failover or a
restart takes seconds), so the message waits and is stored when the database is back; if the
database stays down it raises `TrackerStoreUnavailable`, which that wrapper does not catch, and
the channel tells the patient (bot/runtime/channels.py).

On SQLite it also writes ahead (WAL) and syncs to disk at checkpoints rather than on every commit:
Rasa saves each turn on the Rasa server's event loop, so the per-commit fsync of SQLite's default
settings held up every other conversation (a third of the save time under load, py-spy). A
committed turn survives a crash of the server; only a power cut can lose the last turns, and
conversations that must survive that belong on PostgreSQL (the production profile).
"""

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import sqlalchemy as sa
import sqlalchemy.exc
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.trackers import DialogueStateTracker

from bot.paths import private_sqlite_file

logger = logging.getLogger(__name__)
Result = TypeVar("Result")

DEFAULT_RETRY_SECONDS = 15.0
CONNECT_TIMEOUT_SECONDS = 5
# Errors that mean "the database cannot be reached right now", as opposed to a bad query.
UNREACHABLE_ERRORS = (sqlalchemy.exc.OperationalError, sqlalchemy.exc.InterfaceError)
# busy_timeout: the staff console and a second process read the same file; wait, don't fail.
SQLITE_PRAGMAS = ("journal_mode=WAL", "synchronous=NORMAL", "busy_timeout=5000")


def _tune_sqlite(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    for pragma in SQLITE_PRAGMAS:
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


class TrackerStoreUnavailable(BaseException):
    """The tracker store stayed unreachable for the whole retry window.

    A `BaseException` on purpose, so that Rasa's `FailSafeTrackerStore` (which catches
    `Exception`) cannot turn it into a blank or memory-only conversation. Only the project's
    channels catch it (bot/runtime/channels.py).
    """


class ResilientSQLTrackerStore(SQLTrackerStore):
    """`SQLTrackerStore` that retries reads and writes while the database is unreachable."""

    engine: sa.engine.Engine

    def __init__(self, *args: Any, retry_seconds: float = DEFAULT_RETRY_SECONDS, **kwargs: Any) -> None:
        if kwargs.get("dialect") == "sqlite":
            private_sqlite_file(kwargs.get("db"))  # before Rasa's engine makes it world-readable
        super().__init__(*args, **kwargs)
        self.retry_seconds = float(retry_seconds)
        url = self.engine.url
        self.engine.dispose()
        engine_kwargs = create_engine_kwargs(url)
        if url.get_backend_name() == "postgresql":
            connect_args = engine_kwargs.setdefault("connect_args", {})
            connect_args.setdefault("connect_timeout", CONNECT_TIMEOUT_SECONDS)
        # pool_pre_ping replaces pooled connections that died with a database restart;
        # hide_parameters keeps event data (the patient's words) out of error messages and logs.
        self.engine = sa.create_engine(url, pool_pre_ping=True, hide_parameters=True, **engine_kwargs)
        if url.get_backend_name() == "sqlite":
            sa.event.listen(self.engine, "connect", _tune_sqlite)
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)

    async def _retrieve(
        self, sender_id: str, fetch_events_from_all_sessions: bool
    ) -> DialogueStateTracker | None:
        parent = super()._retrieve
        return await self._retrying(lambda: parent(sender_id, fetch_events_from_all_sessions))

    async def save(self, tracker: DialogueStateTracker) -> None:
        # Safe to repeat: `save` writes only the events the database does not hold yet, in one
        # transaction. (No event broker is configured, so nothing is streamed twice.)
        parent = super().save
        await self._retrying(lambda: parent(tracker))

    async def _retrying(self, operation: Callable[[], Awaitable[Result]]) -> Result:
        deadline = time.monotonic() + self.retry_seconds
        delay = 0.2
        while True:
            try:
                return await operation()
            except UNREACHABLE_ERRORS as error:
                if time.monotonic() + delay > deadline:
                    logger.error(
                        "Tracker store still unreachable after %.0f s (%s).",
                        self.retry_seconds,
                        type(error).__name__,
                    )
                    raise TrackerStoreUnavailable(type(error).__name__) from None
                logger.warning(
                    "Tracker store unreachable (%s); retrying in %.1f s.", type(error).__name__, delay
                )
                self.engine.dispose()
                await asyncio.sleep(delay)
                delay = min(delay * 2, 2.0)
