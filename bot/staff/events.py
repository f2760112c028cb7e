"""Reading (and, for retention, deleting) events in Rasa's SQL tracker store.

Rasa's `SQLTrackerStore` keeps every event of every conversation in one table, `events`
(id, sender_id, type_name, timestamp, intent_name, action_name, data = the event as JSON), on
SQLite or PostgreSQL alike. Rasa creates the table; this module only reads it, and deletes rows
for the retention command. Event ids give the order (timestamps are floats and may tie).
"""

import json
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine

from bot.paths import PROJECT_ROOT
from bot.settings import StaffSettings, resolve_sqlite_url
from bot.yamlfile import ConfigError, load_yaml_mapping

_METADATA = sa.MetaData()
# Rasa's table, as `rasa.core.tracker_store.SQLTrackerStore.SQLEvent` declares it.
EVENTS = sa.Table(
    "events",
    _METADATA,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("sender_id", sa.String(255), nullable=False, index=True),
    sa.Column("type_name", sa.String(255), nullable=False),
    sa.Column("timestamp", sa.Float),
    sa.Column("intent_name", sa.String(255)),
    sa.Column("action_name", sa.String(255)),
    sa.Column("data", sa.Text),
)
BATCH_SIZE = 2000
_ENV_VARIABLE = re.compile(r"\$\{([^}]+)\}")


class StoredEvent:
    """One row of the events table; its JSON is decoded only when `data` is first read (most
    events are actions, whose name is a column)."""

    __slots__ = (
        "id",
        "conversation_id",
        "type_name",
        "timestamp",
        "intent_name",
        "action_name",
        "raw_data",
        "_data",
    )

    def __init__(
        self,
        id: int,  # noqa: A002 - Rasa's column name
        conversation_id: str,
        type_name: str,
        timestamp: float,
        intent_name: str | None = None,
        action_name: str | None = None,
        raw_data: str = "{}",
    ) -> None:
        self.id, self.conversation_id, self.type_name, self.timestamp = (
            id,
            conversation_id,
            type_name,
            timestamp,
        )
        self.intent_name, self.action_name, self.raw_data = intent_name, action_name, raw_data
        self._data: dict[str, Any] | None = None

    @property
    def data(self) -> dict[str, Any]:
        if self._data is None:
            try:
                data = json.loads(self.raw_data or "{}")
            except ValueError:
                data = {}
            self._data = data if isinstance(data, dict) else {}
        return self._data


def _expand_env(value: Any) -> Any:
    """Rasa expands ${VARIABLE} in endpoints files; so do we, so both read the same store."""
    if isinstance(value, str):
        return _ENV_VARIABLE.sub(lambda match: os.environ.get(match.group(1), ""), value)
    return value


def url_from_endpoints(path: Path) -> str:
    """The SQLAlchemy URL of the SQL tracker store configured in a Rasa endpoints file."""
    config = load_yaml_mapping(path).get("tracker_store") or {}
    config = {key: _expand_env(value) for key, value in config.items()}
    kind = str(config.get("type", ""))
    # Rasa's SQL store, or a subclass named by its module path with the same settings
    # (endpoints.production.yml: bot.runtime.tracker_store.ResilientSQLTrackerStore).
    if kind.lower() != "sql" and not ("." in kind and "dialect" in config):
        raise ConfigError(f"{path}: the staff console needs a `tracker_store` of type SQL")
    dialect = config.get("dialect") or "sqlite"
    host = config.get("url") or config.get("host")
    if host and "://" in str(host):
        return str(host)
    database = config.get("db") or "rasa.db"
    if dialect.startswith("sqlite"):
        # Rasa opens a relative SQLite path from its working folder, the project folder.
        return resolve_sqlite_url(f"sqlite:///{database}")
    port = config.get("port")
    return URL.create(
        dialect,
        username=config.get("username") or None,
        password=config.get("password") or None,
        host=host or None,
        port=int(port) if port else None,
        database=database,
        query=config.get("query") or {},
    ).render_as_string(hide_password=False)


def tracker_store_url(settings: StaffSettings) -> str:
    """Where the console reads conversations: the settings' URL, else the tracker store of the
    endpoints file Rasa runs with ($ENDPOINTS, as scripts/run.sh uses it, else the settings')."""
    if settings.tracker_store_url:
        return settings.tracker_store_url
    path = Path(os.environ.get("ENDPOINTS") or settings.endpoints_file)
    return url_from_endpoints(path if path.is_absolute() else PROJECT_ROOT / path)


def _decode(row: Any) -> StoredEvent:
    event_id, sender_id, type_name, timestamp, intent_name, action_name, data = row
    return StoredEvent(
        event_id, sender_id, type_name, timestamp or 0.0, intent_name, action_name, data or "{}"
    )


class TrackerStoreReader:
    """Queries over the events table; an absent table (no conversation yet) reads as empty."""

    def __init__(self, url: str, engine: Engine | None = None) -> None:
        self.engine = engine or sa.create_engine(url, pool_pre_ping=True, future=True)

    def has_events_table(self) -> bool:
        return sa.inspect(self.engine).has_table("events")

    def totals(self) -> tuple[int, int]:
        """(number of events, highest event id)."""
        if not self.has_events_table():
            return 0, 0
        with self.engine.connect() as connection:
            count, highest = connection.execute(
                sa.select(sa.func.count(EVENTS.c.id), sa.func.max(EVENTS.c.id))
            ).one()
        return count, highest or 0

    def counts_by_conversation(self) -> dict[str, int]:
        if not self.has_events_table():
            return {}
        query = sa.select(EVENTS.c.sender_id, sa.func.count(EVENTS.c.id)).group_by(EVENTS.c.sender_id)
        with self.engine.connect() as connection:
            # Not dict(result): a result has keys(), so dict() would read it as a mapping.
            return {sender: count for sender, count in connection.execute(query)}  # noqa: C416

    def events_after(self, last_id: int) -> Iterator[StoredEvent]:
        """Every event with an id above `last_id`, in id order, read in batches."""
        if not self.has_events_table():
            return
        while True:
            query = sa.select(EVENTS).where(EVENTS.c.id > last_id).order_by(EVENTS.c.id).limit(BATCH_SIZE)
            with self.engine.connect() as connection:
                rows = [tuple(row) for row in connection.execute(query).all()]
            for row in rows:
                yield _decode(row)
            if len(rows) < BATCH_SIZE:
                return
            last_id = rows[-1][0]

    def events_of(self, conversation_ids: Iterable[str]) -> list[StoredEvent]:
        """All events of the given conversations, in id order."""
        ids = list(conversation_ids)
        if not ids or not self.has_events_table():
            return []
        events: list[StoredEvent] = []
        with self.engine.connect() as connection:
            for start in range(0, len(ids), 500):
                query = (
                    sa.select(EVENTS)
                    .where(EVENTS.c.sender_id.in_(ids[start : start + 500]))
                    .order_by(EVENTS.c.id)
                )
                events.extend(_decode(row) for row in connection.execute(query))
        events.sort(key=lambda event: event.id)
        return events

    def conversations_setting_slot(self, slot: str, since: float) -> list[str]:
        """Conversations that set `slot` at or after the timestamp `since`."""
        if not self.has_events_table():
            return []
        query = (
            sa.select(EVENTS.c.sender_id)
            .where(
                EVENTS.c.type_name == "slot",
                EVENTS.c.timestamp >= since,
                EVENTS.c.data.contains(json.dumps(slot)),
            )
            .distinct()
        )
        with self.engine.connect() as connection:
            return list(connection.execute(query).scalars())

    def conversation_ids(self) -> list[str]:
        if not self.has_events_table():
            return []
        with self.engine.connect() as connection:
            return list(connection.execute(sa.select(EVENTS.c.sender_id).distinct()).scalars())

    def delete_events(self, event_ids: list[int]) -> int:
        """Delete events by id in one transaction; returns how many rows went."""
        deleted = 0
        with self.engine.begin() as connection:
            for start in range(0, len(event_ids), 500):
                result = connection.execute(
                    EVENTS.delete().where(EVENTS.c.id.in_(event_ids[start : start + 500]))
                )
                deleted += result.rowcount
        return deleted
