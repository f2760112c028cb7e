"""The tracker store: the production one on the real PostgreSQL, reached through a proxy the test
cuts, and the embedded default on SQLite."""

import asyncio
import threading

import pytest
from rasa.core.tracker_store import FailSafeTrackerStore, SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.engine import make_url

from bot.runtime.tracker_store import ResilientSQLTrackerStore, TrackerStoreUnavailable
from tests.support.tcp_proxy import tcp_proxy


@pytest.fixture
def proxy(postgres_url):
    url = make_url(postgres_url)
    with tcp_proxy(url.host, url.port or 5432) as running:
        running.database = url.database
        yield running


def store_kwargs(proxy):
    return {
        "domain": Domain.empty(),
        "dialect": "postgresql",
        "host": "127.0.0.1",
        "port": proxy.port,
        "username": "postgres",
        "db": proxy.database,
    }


def conversation(sender: str, *texts: str) -> DialogueStateTracker:
    events = []
    for text in texts:
        events += [UserUttered(text, {"name": "greet", "confidence": 1.0}), ActionExecuted("utter_greet")]
    return DialogueStateTracker.from_events(sender, events)


def restore_after(proxy, seconds: float) -> threading.Timer:
    timer = threading.Timer(seconds, proxy.restore)
    timer.start()
    return timer


def test_a_read_waits_for_the_database_to_come_back(proxy):
    store = ResilientSQLTrackerStore(**store_kwargs(proxy), retry_seconds=15)
    asyncio.run(store.save(conversation("p1", "hello", "second")))
    proxy.cut()
    restore_after(proxy, 2.0)
    tracker = asyncio.run(store.retrieve("p1"))
    assert [e.text for e in tracker.events if isinstance(e, UserUttered)] == ["hello", "second"]


def test_a_write_waits_for_the_database_and_stores_every_event_once(proxy):
    store = ResilientSQLTrackerStore(**store_kwargs(proxy), retry_seconds=15)
    asyncio.run(store.save(conversation("p2", "one")))
    proxy.cut()
    restore_after(proxy, 2.0)
    asyncio.run(store.save(conversation("p2", "one", "two")))
    asyncio.run(store.save(conversation("p2", "one", "two")))  # a repeated save adds nothing
    tracker = asyncio.run(store.retrieve("p2"))
    assert [e.text for e in tracker.events if isinstance(e, UserUttered)] == ["one", "two"]


def test_a_long_outage_fails_the_turn_instead_of_forking_the_conversation(proxy):
    store = FailSafeTrackerStore(ResilientSQLTrackerStore(**store_kwargs(proxy), retry_seconds=1.5))
    asyncio.run(store.save(conversation("p3", "hello")))
    proxy.cut()
    with pytest.raises(TrackerStoreUnavailable):
        asyncio.run(store.retrieve("p3"))
    with pytest.raises(TrackerStoreUnavailable):
        asyncio.run(store.save(conversation("p3", "hello", "lost?")))


def test_why_rasas_own_sql_store_is_not_used_in_production(proxy):
    """Rasa 3.6 as shipped: during an outage the conversation silently starts again empty."""
    store = FailSafeTrackerStore(SQLTrackerStore(**store_kwargs(proxy)))
    asyncio.run(store.save(conversation("p4", "hello")))
    proxy.cut()
    assert asyncio.run(store.retrieve("p4")) is None


def test_the_sqlite_default_writes_ahead_and_keeps_every_turn(tmp_path):
    path = tmp_path / "tracker.db"
    store = ResilientSQLTrackerStore(domain=Domain.empty(), dialect="sqlite", db=str(path))
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
    asyncio.run(store.save(conversation("sqlite-patient", "hello", "how long does it last?")))
    # A second store, as after a restart, reads the whole conversation back.
    reopened = ResilientSQLTrackerStore(domain=Domain.empty(), dialect="sqlite", db=str(path))
    tracker = asyncio.run(reopened.retrieve("sqlite-patient"))
    assert [event.text for event in tracker.events if isinstance(event, UserUttered)] == [
        "hello",
        "how long does it last?",
    ]
