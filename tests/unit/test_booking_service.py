"""Submitting confirmed requests so none is lost: a store that fails once and then works, a
store that stays down (the request is kept on disk and retried), a disk that cannot be written
either, idempotent retries, and the background worker that retries and sends notifications."""

import threading

import pytest

from bot.booking.notifications import WEBHOOK, WebhookNotifier
from bot.booking.service import BookingService, PendingRequests
from bot.booking.store import BookingStore
from tests.support.booking import WebhookReceiver, hold_lock, make_request


@pytest.fixture
def store_url(tmp_path):
    return f"sqlite:///{tmp_path / 'bookings.db'}"


@pytest.fixture
def store(store_url):
    booking_store = BookingStore(store_url, busy_timeout=0.1)
    booking_store.save(make_request(conversation="schema"))  # the table exists, so it can be locked
    yield booking_store
    booking_store.dispose()


@pytest.fixture
def service_for(tmp_path):
    services = []

    def make(store, notifiers=None, pending=None, **options):
        options = {"first_pause": 0.3, "worker_interval": 0.2, **options}
        services.append(
            BookingService(
                store, notifiers or {}, pending or PendingRequests(tmp_path / "pending.jsonl"), **options
            )
        )
        return services[-1]

    yield make
    for service in services:
        service.worker.stop()


def stored_count(store):
    return len(store.find(conversation_id="conv-1"))


def test_a_request_is_stored_once_even_when_submitted_twice(store, service_for):
    service = service_for(store)
    first, again = service.submit(make_request()), service.submit(make_request())
    assert first.stored and again.stored and first.reference == again.reference
    assert stored_count(store) == 1


def test_a_store_that_fails_once_then_works_stores_the_request_on_the_next_try(
    store, store_url, tmp_path, service_for
):
    release = hold_lock(store_url)
    timer = threading.Timer(0.2, release)  # freed between the first and second try
    timer.start()
    submission = service_for(store).submit(make_request())
    timer.join()
    assert submission.stored and stored_count(store) == 1
    assert (
        not (tmp_path / "pending.jsonl").exists() or PendingRequests(tmp_path / "pending.jsonl").all() == []
    )


def test_a_store_that_stays_down_keeps_the_request_and_stores_it_later_once(
    store, store_url, tmp_path, service_for
):
    service = service_for(store, attempts=2, first_pause=0.01, worker_interval=60)
    release = hold_lock(store_url)
    try:
        submission = service.submit(make_request())
        assert (submission.stored, submission.kept) == (False, True)
        assert [r.reference for r in PendingRequests(tmp_path / "pending.jsonl").all()] == [
            submission.reference
        ]  # on disk: survives a restart
        assert service.retry_pending() is True  # still down: still waiting
    finally:
        release()
    assert service.retry_pending() is False
    assert service.retry_pending() is False
    assert stored_count(store) == 1
    assert store.get(submission.reference)["name"] == "Priya Shah"
    assert service.pending.all() == []


def test_when_even_the_disk_fails_the_request_is_kept_in_memory_and_retried(
    store, store_url, tmp_path, service_for
):
    blocked = PendingRequests(tmp_path / "a-file" / "pending.jsonl")
    (tmp_path / "a-file").write_text("not a folder")
    service = service_for(store, pending=blocked, attempts=1, worker_interval=60)
    release = hold_lock(store_url)
    try:
        submission = service.submit(make_request())
    finally:
        release()
    assert (submission.stored, submission.kept) == (False, False)
    assert service.retry_pending() is False
    assert stored_count(store) == 1


def test_the_background_worker_retries_until_the_store_is_back(store, store_url, service_for):
    service = service_for(store, attempts=1)
    release = hold_lock(store_url)
    submission = service.submit(make_request())
    assert not submission.stored
    release()
    assert service.worker.join(timeout=10)
    assert stored_count(store) == 1


def test_after_storing_the_worker_sends_the_notifications(store, service_for):
    with WebhookReceiver() as receiver:
        service = service_for(store, notifiers={WEBHOOK: WebhookNotifier(receiver.url)})
        submission = service.submit(make_request())
        assert service.worker.join(timeout=10)
    assert [b["request"]["reference"] for b in receiver.bodies] == [submission.reference]


def test_a_failing_webhook_never_fails_the_booking(store, service_for):
    with WebhookReceiver(fail_first=100) as receiver:
        service = service_for(store, notifiers={WEBHOOK: WebhookNotifier(receiver.url)}, worker_interval=60)
        submission = service.submit(make_request())
        assert submission.stored
        assert service.retry_pending() is True  # the notification is still owed
    assert store.get(submission.reference) is not None
    assert store.notifications(submission.reference)[0]["status"] == "pending"
