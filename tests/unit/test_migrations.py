"""Schema migrations (bot/migrations) on SQLite files and on the real PostgreSQL server
(tests/services.py): a new database upgraded to head has exactly the models' schema, as
create_all made it; a database made before migrations is stamped and keeps its rows; a second
upgrade changes nothing; several processes upgrading at once converge; `python -m
bot.migrations upgrade` brings both databases to head."""

import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from datetime import datetime

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from bot.booking.store import SCHEMA as BOOKING
from bot.booking.store import BookingStore, StoreUnavailable, notifications_table, requests_table
from bot.migrations import (
    MigrationError,
    Schema,
    current_revision,
    database_engine,
    upgrade_to_head,
)
from bot.staff.database import SCHEMA as STAFF
from bot.staff.database import AuditEntry, StaffDatabase, StaffUser
from tests.support.booking import make_request
from tests.support.paths import PROJECT_ROOT
from tests.support.services import fresh_postgres_database

SCHEMAS = {"booking": BOOKING, "staff": STAFF}
MOMENT = datetime(2026, 11, 2, 9, 30)
WRITES = ("CREATE", "ALTER", "DROP", "INSERT", "UPDATE", "DELETE")


@pytest.fixture(params=["sqlite", "postgresql"])
def new_database(request, tmp_path) -> Iterator[Callable[[str], str]]:
    """Makes a new, empty database of the backend under test and returns its URL."""
    with ExitStack() as cleanup:

        def make(name: str) -> str:
            if request.param == "sqlite":
                return f"sqlite:///{tmp_path / name}.db"
            return cleanup.enter_context(fresh_postgres_database())

        yield make


@pytest.fixture
def engine_for() -> Iterator[Callable[[str], sa.engine.Engine]]:
    engines: list[sa.engine.Engine] = []

    def make(url: str) -> sa.engine.Engine:
        engines.append(database_engine(url, busy_timeout=30))
        return engines[-1]

    yield make
    for engine in engines:
        engine.dispose()


@pytest.fixture(params=sorted(SCHEMAS))
def schema(request) -> Schema:
    return SCHEMAS[request.param]


def differences(schema: Schema, engine: sa.engine.Engine) -> list:
    """What autogenerate would write to bring the database to the models' metadata."""
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={"version_table": schema.version_table, "include_name": schema.owns, "compare_type": True},
        )
        return compare_metadata(context, schema.metadata)


def shape(engine: sa.engine.Engine, tables: Iterable[str]) -> dict[str, dict]:
    """Everything the database says about the tables: columns, keys, indexes, constraints."""
    inspector = sa.inspect(engine)
    return {
        table: {
            "columns": [
                (c["name"], str(c["type"]), c["nullable"], c["default"]) for c in inspector.get_columns(table)
            ],
            "primary key": inspector.get_pk_constraint(table),
            "foreign keys": sorted(map(repr, inspector.get_foreign_keys(table))),
            "indexes": sorted(
                (i["name"], i["column_names"], bool(i["unique"])) for i in inspector.get_indexes(table)
            ),
            "unique": sorted(
                (str(u["name"]), u["column_names"]) for u in inspector.get_unique_constraints(table)
            ),
            "checks": sorted((c["name"], c["sqltext"]) for c in inspector.get_check_constraints(table)),
        }
        for table in tables
    }


def revision_of(schema: Schema, engine: sa.engine.Engine) -> str | None:
    with engine.connect() as connection:
        return current_revision(schema, connection)


def test_a_new_database_upgraded_to_head_has_the_models_schema_as_create_all_made_it(
    schema, new_database, engine_for
):
    migrated, created = engine_for(new_database("migrated")), engine_for(new_database("created"))
    assert upgrade_to_head(schema, migrated) == (None, schema.head(), False)  # made, not adopted
    schema.metadata.create_all(created)  # what the code before migrations made
    assert differences(schema, migrated) == []
    tables = sorted(schema.metadata.tables)
    assert set(sa.inspect(migrated).get_table_names()) == {*tables, schema.version_table}
    assert shape(migrated, tables) == shape(created, tables)
    assert revision_of(schema, migrated) == schema.head()


def test_the_comparison_sees_a_schema_that_differs_from_the_models(new_database, engine_for):
    engine = engine_for(new_database("bookings"))
    upgrade_to_head(BOOKING, engine)
    with engine.begin() as connection:
        connection.execute(sa.text("DROP INDEX ix_booking_requests_conversation_id"))
    assert [change[0] for change in differences(BOOKING, engine)] == ["add_index"]


# Columns that migrations after the baseline added (a database made before migrations lacks them).
COLUMNS_ADDED_LATER = {"booking_requests": ("requester_name", "patient_relation", "contact_is")}


def legacy_rows(engine: sa.engine.Engine) -> dict[str, list]:
    """Every row of the legacy tables, in the columns the legacy database had."""

    def columns(table: str) -> str:
        later = COLUMNS_ADDED_LATER.get(table, ())
        names = [c["name"] for c in sa.inspect(engine).get_columns(table) if c["name"] not in later]
        return ", ".join(names)

    with engine.connect() as connection:
        return {
            table: connection.execute(sa.text(f"SELECT {columns(table)} FROM {table} ORDER BY 1")).all()
            for table in (
                "booking_requests",
                "booking_notifications",
                "staff_users",
                "staff_audit_log",
                "events",
            )
        }


def test_a_database_made_before_migrations_is_stamped_and_keeps_its_rows(new_database, engine_for):
    """Both schemas in one database beside a table of someone else's (Rasa's events), as in the
    production profile, made and filled the way the code before migrations did."""
    url = new_database("legacy")
    engine = engine_for(url)
    for schema in (BOOKING, STAFF):  # the baseline's tables only: later revisions came after
        schema.metadata.create_all(engine, tables=[schema.metadata.tables[t] for t in schema.baseline_tables])
    with engine.begin() as connection:  # and without the columns later revisions added
        for table, columns in COLUMNS_ADDED_LATER.items():
            for column in columns:
                connection.execute(sa.text(f"ALTER TABLE {table} DROP COLUMN {column}"))
    request = make_request()
    baseline_record = {
        key: value
        for key, value in request.as_record().items()
        if key not in COLUMNS_ADDED_LATER["booking_requests"]
    }
    with engine.begin() as connection:
        connection.execute(sa.text("CREATE TABLE events (id INTEGER PRIMARY KEY, data TEXT)"))
        connection.execute(sa.text("INSERT INTO events VALUES (1, 'rasa')"))
        connection.execute(
            requests_table.insert().values(
                {
                    **baseline_record,
                    "status": "contacted",
                    "consented_at": MOMENT,
                    "created_at": MOMENT,
                    "updated_at": MOMENT,
                }
            )
        )
        connection.execute(
            notifications_table.insert().values(
                reference=request.reference,
                channel="email",
                status="pending",
                attempts=2,
                last_error="SMTP down",
                next_attempt_at=MOMENT,
            )
        )
        connection.execute(
            sa.insert(StaffUser).values(
                username="alice", password_hash="$argon2id$x", role="admin", active=True, created_at=MOMENT
            )
        )
        connection.execute(
            sa.insert(AuditEntry).values(
                at=MOMENT,
                username="alice",
                action="view_booking",
                booking_reference=request.reference,
                detail="",
                client_address="127.0.0.1",
            )
        )
    before = legacy_rows(engine)

    for schema in (BOOKING, STAFF):
        assert upgrade_to_head(schema, engine) == (None, schema.head(), True)  # adopted
        assert revision_of(schema, engine) == schema.head()
        assert differences(schema, engine) == []
    assert legacy_rows(engine) == before
    store = BookingStore(url)
    try:
        assert store.get(request.reference)["status"] == "contacted"
        assert store.notifications(request.reference)[0]["attempts"] == 2
    finally:
        store.dispose()
    with StaffDatabase(url).session() as session:
        assert session.query(StaffUser).one().username == "alice"


def test_a_second_upgrade_changes_nothing(schema, new_database, engine_for):
    engine = engine_for(new_database("twice"))
    upgrade_to_head(schema, engine)
    before = shape(engine, sa.inspect(engine).get_table_names())
    statements: list[str] = []
    sa.event.listen(
        engine, "before_cursor_execute", lambda conn, cursor, statement, *rest: statements.append(statement)
    )
    again = upgrade_to_head(schema, engine)
    assert (again.before, again.after, again.changed) == (schema.head(), schema.head(), False)
    assert statements and not [s for s in statements if s.lstrip().upper().startswith(WRITES)]
    assert shape(engine, sa.inspect(engine).get_table_names()) == before


def test_several_processes_upgrading_at_once_converge(schema, new_database, engine_for):
    url = new_database("race")
    engines = [engine_for(url) for _ in range(6)]
    start, outcomes, errors = threading.Barrier(len(engines)), [], []

    def upgrade(engine: sa.engine.Engine) -> None:
        start.wait()
        try:
            outcomes.append(upgrade_to_head(schema, engine))
        except Exception as error:  # noqa: BLE001 - collected for the assertion
            errors.append(error)

    threads = [threading.Thread(target=upgrade, args=(engine,)) for engine in engines]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(outcome.changed for outcome in outcomes) == [False] * 5 + [True]
    with engines[0].connect() as connection:
        versions = connection.execute(sa.text(f"SELECT * FROM {schema.version_table}")).all()
    assert versions == [(schema.head(),)]
    assert differences(schema, engines[0]) == []


def test_a_database_with_only_some_of_the_tables_is_refused(new_database, engine_for):
    engine = engine_for(new_database("partial"))
    STAFF.metadata.tables["staff_users"].create(engine)
    with pytest.raises(MigrationError, match="staff_audit_log.*make migrate"):
        upgrade_to_head(STAFF, engine)
    assert sa.inspect(engine).get_table_names() == ["staff_users"]  # left as it was


def test_a_store_on_a_database_from_a_newer_release_is_unavailable_and_says_why(new_database, engine_for):
    url = new_database("newer")
    engine = engine_for(url)
    upgrade_to_head(BOOKING, engine)
    with engine.begin() as connection:
        connection.execute(sa.text(f"UPDATE {BOOKING.version_table} SET version_num = '9999'"))
    store = BookingStore(url)
    try:
        with pytest.raises(StoreUnavailable, match="revision 9999, which this code does not know"):
            store.find()
    finally:
        store.dispose()


def test_the_command_upgrades_both_databases_even_when_started_twice_at_once(new_database, engine_for):
    urls = {"BOOKING_DATABASE_URL": new_database("bookings"), "STAFF_DATABASE_URL": new_database("staff")}
    env = {**os.environ, **urls}

    def migrate() -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, "-m", "bot.migrations", "upgrade"],
            env=env,
            cwd=PROJECT_ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    runs = [migrate(), migrate()]
    outputs = [run.communicate(timeout=120) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    for schema, variable in ((BOOKING, "BOOKING_DATABASE_URL"), (STAFF, "STAFF_DATABASE_URL")):
        engine = engine_for(urls[variable])
        assert revision_of(schema, engine) == schema.head()
        assert differences(schema, engine) == []
    assert sum(out.count("upgraded from an empty database") for out, _ in outputs) == 2
    again = migrate().communicate(timeout=120)[0]
    assert again.count("(head)") == 2
    assert f"booking database ({urls['BOOKING_DATABASE_URL']}): at {BOOKING.head()} (head)" in again
    assert f"staff database ({urls['STAFF_DATABASE_URL']}): at {STAFF.head()} (head)" in again
