"""BookingStore on a SQLite file and on the real PostgreSQL server (tests/support/services.py): one row
per confirmation however often it is saved, statuses, the notification queue, and a store that
is locked once (a real database failure) and then works."""

import threading
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from bot.booking.request import idempotency_key, reference_for
from bot.booking.store import BookingStore, StoreUnavailable
from tests.support.booking import hold_lock, make_request


# The PostgreSQL case is marked here: tests/conftest.py cannot see a fixture fetched at run time.
@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.services)])
def store_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'bookings.db'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def store(store_url):
    booking_store = BookingStore(store_url, busy_timeout=0.3)
    yield booking_store
    booking_store.dispose()


def test_a_request_is_stored_with_every_field_consent_and_status_new(store):
    request = make_request()
    saved = store.save(request)
    row = store.get(saved.reference)
    assert saved.created and saved.reference == request.reference
    assert row["conversation_id"] == "conv-1" and row["name"] == "Priya Shah"
    assert row["phone"] == "+447700900123" and row["email"] is None
    assert row["preferred_time_text"] == "Wednesday 10am"
    assert row["preferred_time"] == "2026-12-02T10:00"
    assert row["consent"] is True and row["status"] == "new"
    assert abs(row["created_at"] - request.created_at.replace(tzinfo=None)) < timedelta(seconds=1)


def test_saving_the_same_confirmation_twice_keeps_one_request(store):
    first = store.save(make_request(), notify=["webhook"])
    again = store.save(make_request(), notify=["webhook"])  # a retry: new object, same key
    assert (first.created, again.created) == (True, False)
    assert first.reference == again.reference
    assert len(store.find(conversation_id="conv-1")) == 1
    assert len(store.notifications(first.reference)) == 1


def test_concurrent_saves_of_one_confirmation_keep_one_request(store):
    store.save(make_request(conversation="warm-up"))  # schema exists before the race
    results = []
    threads = [threading.Thread(target=lambda: results.append(store.save(make_request()))) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(r.created for r in results) == [False, False, False, True]
    assert len(store.find(conversation_id="conv-1")) == 1


def test_two_confirmations_in_one_conversation_are_two_requests(store):
    store.save(make_request(confirmation="msg-1"))
    store.save(make_request(confirmation="msg-2"))
    assert len(store.find(conversation_id="conv-1")) == 2


def test_a_request_without_consent_cannot_be_stored(store):
    with pytest.raises(sa.exc.IntegrityError):
        store.save(make_request(consent=False))


def test_status_moves_through_new_contacted_booked_closed(store):
    reference = store.save(make_request()).reference
    for status in ("contacted", "booked", "closed"):
        store.set_status(reference, status)
        assert store.get(reference)["status"] == status
    assert [r["reference"] for r in store.find(status="closed")] == [reference]
    with pytest.raises(ValueError):
        store.set_status(reference, "lost")
    with pytest.raises(KeyError):
        store.set_status("BK-NOPE", "closed")


def test_requests_are_found_by_conversation_status_and_time_of_creation(store):
    start = datetime(2026, 3, 1, 9, 0, tzinfo=timezone.utc)
    references = [
        store.save(
            make_request(
                conversation=conversation,
                confirmation=f"msg-{hour}",
                created_at=start + timedelta(hours=hour),
            )
        ).reference
        for hour, conversation in enumerate(["conv-a", "conv-b", "conv-a"])
    ]
    store.set_status(references[2], "contacted")

    def found(**filters) -> list:
        return [row["reference"] for row in store.find(**filters)]

    assert found(conversation_id="conv-a") == [references[0], references[2]]
    assert found(created_from=start + timedelta(hours=1)) == references[1:]
    assert found(created_before=start + timedelta(hours=1)) == references[:1]  # the end is excluded
    assert found(created_from=start, created_before=start + timedelta(hours=2)) == references[:2]
    # The same moment written in another zone, or as naive UTC, finds the same requests.
    new_york = (start + timedelta(hours=1)).astimezone(ZoneInfo("America/New_York"))
    assert found(created_from=new_york) == found(created_from=datetime(2026, 3, 1, 10, 0)) == references[1:]
    assert found(conversation_id="conv-a", status="new", created_from=start) == references[:1]
    assert found(created_from=start + timedelta(hours=3)) == []


def test_notifications_are_queued_with_the_request_and_rescheduled(store):
    reference = store.save(make_request(), notify=["email", "webhook"]).reference
    due = store.due_notifications()
    assert sorted(d["channel"] for d in due) == ["email", "webhook"]
    later = datetime.now(timezone.utc) + timedelta(minutes=5)
    store.record_attempt(due[0]["id"], "ConnectionError: down", retry_at=later)
    store.record_attempt(due[1]["id"])
    assert store.due_notifications() == []
    assert [d["channel"] for d in store.due_notifications(later)] == [due[0]["channel"]]
    rows = {n["channel"]: n for n in store.notifications(reference)}
    assert rows[due[1]["channel"]]["status"] == "sent"
    assert rows[due[0]["channel"]]["attempts"] == 1 and store.has_pending_notifications()


def test_a_store_that_fails_once_then_works_keeps_the_request_once(store, store_url):
    store.save(make_request(conversation="warm-up"))
    release = hold_lock(store_url)
    try:
        with pytest.raises(StoreUnavailable):
            store.save(make_request())
    finally:
        release()
    assert store.save(make_request()).created
    assert len(store.find(conversation_id="conv-1")) == 1


def test_an_unreachable_server_is_reported_as_unavailable():
    store = BookingStore("postgresql://postgres@127.0.0.1:1/nowhere", busy_timeout=1)
    with pytest.raises(StoreUnavailable):
        store.save(make_request())


def test_references_are_short_stable_and_unambiguous():
    key = idempotency_key("conv-1", "msg-1")
    assert reference_for(key) == reference_for(key)
    assert reference_for(key) != reference_for(idempotency_key("conv-1", "msg-2"))
    reference = reference_for(key)
    assert len(reference) == 11 and reference.startswith("BK-")
    assert not set(reference[3:]) & set("ILOU")


def test_first_use_by_several_processes_at_once_creates_the_tables_once(store_url):
    """Action-server threads and replicas start on an empty database together: each store upgrades
    it on first use (bot/migrations); one makes the tables under the migration lock, the others
    wait and find them made. None of that may fail a booking."""
    stores = [BookingStore(store_url, busy_timeout=5) for _ in range(6)]
    start, errors = threading.Barrier(len(stores)), []

    def first_use(store):
        start.wait()
        try:
            store.find(conversation_id="nobody")
        except Exception as error:  # noqa: BLE001 - collected for the assertion
            errors.append(error)

    threads = [threading.Thread(target=first_use, args=(s,)) for s in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for store in stores:
        store.dispose()
    assert errors == []
