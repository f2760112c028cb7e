"""Schema migrations (Alembic) for the project's own databases: the booking store
(bot/booking/migrations/) and the staff console (bot/staff/migrations/). docs/database.md tells
how to run them and how to add one.

Each database has its script directory next to the code that owns its schema, and its own version
table (`booking_alembic_version`, `staff_alembic_version`), so both can live in one PostgreSQL
database beside Rasa's tracker store. Alembic is driven from code: a `Config` built here, no
alembic.ini, and the connection handed to the directory's env.py (`run_environment`).

`upgrade_to_head` is what `python -m bot.migrations upgrade` (`make migrate`, `make run`) runs,
and what a store runs on first use:
- a database at head is left alone (one read of its version table);
- otherwise the whole upgrade runs in one transaction under a lock that serialises every process
  migrating the same database (PostgreSQL: a transaction-level advisory lock; SQLite: BEGIN
  IMMEDIATE, the database's own write lock). Whoever gets the lock second finds the database at
  head and does nothing, so replicas starting together converge;
- a database made before migrations existed (the baseline's tables, no version table) is stamped
  at the baseline revision first, so its rows are kept and only later revisions run;
- a database at a revision this code does not know (migrated by a newer release), or with only
  part of the baseline's tables, raises `MigrationError` instead of being touched.
"""

import logging
import zlib
from collections.abc import Iterator, MutableMapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import sqlalchemy as sa
from alembic import command, context
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection, Engine, make_url

from bot.paths import private_sqlite_file

logger = logging.getLogger(__name__)

BASELINE = "0001"


class MigrationError(Exception):
    """The database's schema is in a state the migrations cannot safely move to head."""


@dataclass(frozen=True)
class Schema:
    """One database's schema: the models' metadata and the migrations that build it."""

    name: str  # "booking", "staff": names the version table and the messages
    metadata: sa.MetaData
    migrations: Path  # the Alembic script directory
    # The tables the code before migrations created with create_all: their presence without a
    # version table marks such a database. Frozen here: the metadata moves on, the baseline not.
    baseline_tables: tuple[str, ...]

    @property
    def version_table(self) -> str:
        return f"{self.name}_alembic_version"

    def owns(self, name: str | None, type_: str, parent_names: MutableMapping[Any, str | None]) -> bool:
        """Autogenerate's filter: only this schema's tables, not a neighbour's in a shared
        database (the other schema, Rasa's events)."""
        return type_ != "table" or name in self.metadata.tables

    def config(self, connection: Connection | None = None) -> Config:
        config = Config()
        config.set_main_option("script_location", str(self.migrations))
        config.attributes.update(schema=self, connection=connection)
        return config

    def head(self) -> str:
        head = ScriptDirectory.from_config(self.config()).get_current_head()
        assert head is not None, f"{self.migrations} has no revision"
        return head

    def knows(self, revision: str) -> bool:
        script = ScriptDirectory.from_config(self.config())
        return any(known.revision == revision for known in script.walk_revisions())


class Upgrade(NamedTuple):
    before: str | None  # None: no version table (a new database, or one made before migrations)
    after: str
    adopted: bool = False  # made before migrations: stamped at the baseline, then upgraded

    @property
    def changed(self) -> bool:
        return self.before != self.after


def database_engine(url: str, busy_timeout: float = 10.0) -> Engine:
    """An engine whose waits for another client's lock are bounded by `busy_timeout` seconds
    (SQLite's busy timeout, PostgreSQL's lock_timeout); a SQLite file gets its folder."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        private_sqlite_file(parsed.database)
        connect_args: dict[str, Any] = {"timeout": busy_timeout}
    elif parsed.get_backend_name() == "postgresql":
        milliseconds = int(busy_timeout * 1000)
        connect_args = {
            "connect_timeout": max(1, int(busy_timeout)),
            "options": f"-c lock_timeout={milliseconds}",
        }
    else:
        connect_args = {}
    return sa.create_engine(url, future=True, pool_pre_ping=True, connect_args=connect_args)


def current_revision(schema: Schema, connection: Connection) -> str | None:
    """The revision the database is at; None when it has no version table (or an empty one)."""
    migration = MigrationContext.configure(connection, opts={"version_table": schema.version_table})
    return migration.get_current_revision()


def upgrade_to_head(schema: Schema, engine: Engine) -> Upgrade:
    """Bring the database to the newest revision, safely when several processes do it at once."""
    head = schema.head()
    with engine.connect() as connection:
        before = _known(schema, current_revision(schema, connection))
        connection.rollback()  # the read above began a transaction; the locked one starts anew
        if before == head:
            return Upgrade(before, head)
        with _serialised(connection, schema):
            before = _known(schema, current_revision(schema, connection))
            config = schema.config(connection)
            adopted = before is None and _made_before_migrations(schema, connection)
            if adopted:
                command.stamp(config, BASELINE)
            command.upgrade(config, "head")
    if before != head:
        logger.info(
            "%s database upgraded from %s to %s",
            schema.name,
            "the tables made before migrations" if adopted else before or "nothing",
            head,
        )
    return Upgrade(before, head, adopted)


def _known(schema: Schema, revision: str | None) -> str | None:
    if revision is not None and not schema.knows(revision):
        raise MigrationError(
            f"the {schema.name} database is at revision {revision}, which this code does not "
            f"know (a newer release migrated it?): run this release's code against a database "
            f"it migrated, or upgrade the code"
        )
    return revision


def _made_before_migrations(schema: Schema, connection: Connection) -> bool:
    """True when the baseline's tables are all there (created by create_all before migrations);
    False when none are (a new database). Part of them is refused: nobody knows what it holds."""
    present = set(schema.baseline_tables) & set(sa.inspect(connection).get_table_names())
    if present and present != set(schema.baseline_tables):
        missing = ", ".join(sorted(set(schema.baseline_tables) - present))
        raise MigrationError(
            f"the {schema.name} database has some of its tables but not {missing}, and no "
            f"{schema.version_table}: repair it by hand, then run `make migrate`"
        )
    return bool(present)


@contextmanager
def _serialised(connection: Connection, schema: Schema) -> Iterator[None]:
    """One transaction on `connection` holding the database's migration lock until it ends:
    PostgreSQL's advisory lock (one per version table, so the two schemas never wait for each
    other) or SQLite's write lock. DDL is transactional on both: a failed upgrade leaves nothing."""
    dialect = connection.dialect.name
    if dialect == "sqlite":
        # pysqlite opens transactions only before DML: in autocommit mode it passes our BEGIN
        # IMMEDIATE through, so the lock comes first and the DDL is inside the transaction.
        connection.execution_options(isolation_level="AUTOCOMMIT")
    with connection.begin():
        if dialect == "sqlite":
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        elif dialect == "postgresql":
            key = zlib.crc32(schema.version_table.encode())
            connection.execute(sa.select(sa.func.pg_advisory_xact_lock(key)))
        yield


def run_environment() -> None:
    """The body of every env.py: run the migrations on the connection `upgrade_to_head` (or the
    revision command) put in the Config. Offline SQL scripts are not supported."""
    if context.is_offline_mode():
        raise MigrationError("offline (--sql) migrations are not supported: run them on a database")
    schema: Schema = context.config.attributes["schema"]
    connection: Connection = context.config.attributes["connection"]
    context.configure(
        connection=connection,
        target_metadata=schema.metadata,
        version_table=schema.version_table,
        include_name=schema.owns,
        compare_type=True,
        # SQLite alters a table by copying it; autogenerate writes such steps in batch mode.
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()
