"""Submitting a confirmed request so that it is never lost: a few quick tries to store it; if the
store stays unavailable, the request is kept in a local file and a background worker retries it
(and any notification still owed) until it gets through. Run `python -m bot.booking retry` to
retry by hand."""

import json
import logging
import os
import tempfile
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from bot.booking.notifications import Notifier, deliver_due, notifiers_from_settings
from bot.booking.request import BookingRequest
from bot.booking.store import BookingStore, StoreUnavailable
from bot.paths import VAR_DIR
from bot.settings import get_settings

logger = logging.getLogger(__name__)

# BOOKING_PENDING_FILE moves it (a persistent volume per action-server pod on Kubernetes; a
# test's own folder).
PENDING_FILE = Path(os.environ.get("BOOKING_PENDING_FILE") or VAR_DIR / "pending_bookings.jsonl")
STORE_ATTEMPTS = 3
FIRST_RETRY_PAUSE_SECONDS = 0.5
WORKER_INTERVAL_SECONDS = 30.0


@dataclass(frozen=True)
class Submission:
    reference: str
    stored: bool  # in the clinic's store now
    kept: bool  # not stored yet but kept on disk, to be retried


class PendingRequests:
    """Requests the store could not take yet: a JSON-lines file rewritten atomically, or memory
    as the last resort when even the file cannot be written."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._in_memory: dict[str, BookingRequest] = {}

    def _read(self) -> dict[str, BookingRequest]:
        if not self.path.exists():
            return {}
        requests = {}
        for line in self.path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                request = BookingRequest.from_json(json.loads(line))
                requests[request.idempotency_key] = request
        return requests

    def _write(self, requests: Mapping[str, BookingRequest]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".pending-")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            for request in requests.values():
                out.write(json.dumps(request.as_json(), ensure_ascii=False) + "\n")
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, self.path)

    def add(self, request: BookingRequest) -> bool:
        """Keep a request; True when it is on disk (it survives a restart)."""
        with self._lock:
            try:
                requests = self._read()
                requests[request.idempotency_key] = request
                self._write(requests)
                return True
            except (OSError, ValueError) as error:
                logger.error(
                    "Could not keep booking %s on disk (%s); keeping it in memory", request.reference, error
                )
                self._in_memory[request.idempotency_key] = request
                return False

    def all(self) -> list[BookingRequest]:
        with self._lock:
            try:
                on_disk = self._read()
            except (OSError, ValueError) as error:
                logger.error("Could not read %s: %s", self.path, error)
                on_disk = {}
            return list({**on_disk, **self._in_memory}.values())

    def remove(self, request: BookingRequest) -> None:
        with self._lock:
            self._in_memory.pop(request.idempotency_key, None)
            requests = self._read()
            if requests.pop(request.idempotency_key, None) is not None:
                self._write(requests)


class RetryWorker:
    """A background thread that calls `work()` every `interval` seconds while it reports that
    work remains. `kick()` starts it, or wakes it up at once."""

    def __init__(self, work: Callable[[], bool], interval: float = WORKER_INTERVAL_SECONDS) -> None:
        self._work = work
        self._interval = interval
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._stopped = False

    def kick(self) -> None:
        with self._lock:
            if self._stopped:
                return
            self._wake.set()
            if self._thread is None:
                self._thread = threading.Thread(target=self._loop, name="booking-retry", daemon=True)
                self._thread.start()

    def _loop(self) -> None:
        while True:
            self._wake.clear()
            try:
                remaining = self._work()
            except Exception:
                logger.exception("Booking retry failed")
                remaining = True
            with self._lock:
                if self._stopped or (not remaining and not self._wake.is_set()):
                    self._thread = None
                    return
            self._wake.wait(self._interval if remaining else 0)

    def stop(self) -> None:
        """No more retries in this process (what is kept on disk is retried next time)."""
        with self._lock:
            self._stopped = True
            self._wake.set()

    def join(self, timeout: float) -> bool:
        """Wait until the worker has nothing left to do (for tests and tools)."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
        return self._thread is None


class BookingService:
    def __init__(
        self,
        store: BookingStore,
        notifiers: Mapping[str, Notifier],
        pending: PendingRequests,
        attempts: int = STORE_ATTEMPTS,
        first_pause: float = FIRST_RETRY_PAUSE_SECONDS,
        worker_interval: float = WORKER_INTERVAL_SECONDS,
    ) -> None:
        self.store = store
        self.notifiers = dict(notifiers)
        self.pending = pending
        self.attempts = attempts
        self.first_pause = first_pause
        self.worker = RetryWorker(self.retry_pending, worker_interval)

    def _save(self, request: BookingRequest) -> None:
        self.store.save(request, notify=sorted(self.notifiers))

    def submit(self, request: BookingRequest) -> Submission:
        """Store a confirmed request (idempotent). Never raises for a store that is down."""
        for attempt in range(self.attempts):
            try:
                self._save(request)
            except StoreUnavailable as error:
                logger.warning(
                    "Storing booking %s failed (try %d of %d): %s",
                    request.reference,
                    attempt + 1,
                    self.attempts,
                    error,
                )
                if attempt + 1 < self.attempts:
                    time.sleep(self.first_pause * 2**attempt)
            else:
                if self.notifiers:
                    self.worker.kick()
                return Submission(request.reference, stored=True, kept=False)
        kept = self.pending.add(request)
        self.worker.kick()
        return Submission(request.reference, stored=False, kept=kept)

    def retry_pending(self) -> bool:
        """Store kept requests and send due notifications. True while work remains."""
        waiting = self.pending.all()
        for request in waiting:
            try:
                self._save(request)
            except StoreUnavailable as error:
                logger.warning("Store still unavailable (%d bookings waiting): %s", len(waiting), error)
                return True
            self.pending.remove(request)
            logger.info("Stored kept booking %s", request.reference)
        try:
            deliver_due(self.store, self.notifiers)
            return self.store.has_pending_notifications()
        except StoreUnavailable as error:
            logger.warning("Could not deliver notifications: %s", error)
            return True


@lru_cache(maxsize=1)
def get_booking_service() -> BookingService:
    """The service of this process, from settings.yml; retries anything left from before."""
    settings = get_settings()
    service = BookingService(
        BookingStore(settings.booking_database_url),
        notifiers_from_settings(settings.notifications),
        PendingRequests(PENDING_FILE),
    )
    service.worker.kick()
    return service
