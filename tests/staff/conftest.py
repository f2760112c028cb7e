"""Real conversations for the staff console's tests: the trained bot (both servers, over REST)
talks through a script once per test session, into a SQLite tracker store and into PostgreSQL
(tests/support/staff_conversations.py)."""

from collections.abc import Iterator

import pytest

from bot.booking.store import SCHEMA as BOOKING
from bot.migrations import database_engine, upgrade_to_head
from tests.support.harness import postgres_tracker_store
from tests.support.services import fresh_postgres_database
from tests.support.staff_conversations import (
    RecordedConversations,
    copy_of,
    make_console,
    record_conversations,
)
from tests.support.staff_web import signed_in_client


@pytest.fixture(scope="session")
def sqlite_conversations(tmp_path_factory, trained_model) -> RecordedConversations:
    workdir = tmp_path_factory.mktemp("staff-sqlite")
    booking_url = f"sqlite:///{workdir / 'bookings.db'}"
    boundary = record_conversations(workdir, booking_url)
    return RecordedConversations(
        f"sqlite:///{workdir / 'tracker.db'}",
        booking_url,
        boundary,
        workdir,
        workdir / "tracker.db",
        workdir / "bookings.db",
    )


@pytest.fixture(scope="session")
def postgres_conversations(tmp_path_factory, trained_model) -> Iterator[RecordedConversations]:
    with fresh_postgres_database() as url:
        workdir = tmp_path_factory.mktemp("staff-postgres")
        # The booking store's tables exist before the bot runs, as in production (`make migrate`):
        # BookingStore creating them on first use can race with itself on PostgreSQL.
        engine = database_engine(url)
        try:
            upgrade_to_head(BOOKING, engine)
        finally:
            engine.dispose()
        boundary = record_conversations(workdir, url, postgres_tracker_store(url))
        yield RecordedConversations(url, url, boundary, workdir)


# Marked here: the store is picked at run time, so tests/conftest.py cannot tell from the
# fixture names that these tests run the trained bot, and PostgreSQL for one of them.
@pytest.fixture(
    params=[
        pytest.param("sqlite", marks=pytest.mark.e2e),
        pytest.param("postgres", marks=[pytest.mark.e2e, pytest.mark.services]),
    ]
)
def conversations(request) -> RecordedConversations:
    """The recorded conversations, once from each kind of tracker store."""
    return request.getfixturevalue(f"{request.param}_conversations")


@pytest.fixture
def console(sqlite_conversations, tmp_path):
    """A console over a private copy of the recorded conversations (tests change bookings and
    reviews); a module that needs another console defines its own."""
    return make_console(tmp_path, copy_of(sqlite_conversations, tmp_path))


@pytest.fixture
def staff(console):
    """A browser signed in to that console as a staff member."""
    return signed_in_client(console, "nurse")
