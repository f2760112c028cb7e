"""Booking figures for docs/booking.md: how long reading one form message takes (the parsers run on
every message while the form is open), and how long storing a request takes on SQLite and on
PostgreSQL (skipped when no server answers at TEST_POSTGRES_URL or 127.0.0.1:5432).

    .venv/bin/python -m bench.booking_benchmark
"""

import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import datetime

from bot.booking import slots as s
from bot.booking.reading import Message, read_message
from bot.booking.request import idempotency_key
from bot.booking.store import BookingStore, StoreUnavailable
from tests.support.booking import make_request

REGIONS = ("US", "GB")
MESSAGES = [
    (Message("I'd like to book. I'm Priya Shah, 07700 900123, Wednesday 10am", "request_booking"), None),
    (Message("Priya Shah", "inform"), s.NAME),
    (Message("+1 415 555 0132", "inform"), s.PHONE),
    (Message("next tuesday at 3pm", "inform"), s.PREFERRED_TIME),
    (Message("my smile has been uneven since Bell's palsy last year", "inform"), s.REASON),
    (Message("actually my email is priya@example.org", "correct"), s.OUTCOME),
    (Message("x" * 5000, "nlu_fallback"), s.NAME),
]
POSTGRES_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def timed(work: Callable[[], object], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    return times


def summary(times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    return f"median {statistics.median(ordered):6.2f} ms   p95 {p95:6.2f} ms   (n={len(ordered)})"


def bench_reading() -> None:
    print("Reading one form message (read_message: emails, phones, dates, names):")
    now = datetime.now()
    read_message(*MESSAGES[0], {}, REGIONS, now)  # warm-up: dateparser loads its data once
    for message, requested in MESSAGES:
        label = (message.text[:45] + "…") if len(message.text) > 45 else message.text
        times = timed(lambda m=message, r=requested: read_message(m, r, {}, REGIONS, now), 50)
        print(f"  {label:47} {summary(times)}")


def bench_store(name: str, url: str) -> None:
    store = BookingStore(url)
    store.save(make_request(conversation="warm-up"))
    times = timed(lambda: store.save(make_request(conversation=uuid.uuid4().hex)), 200)
    print(f"  {name:10} new request          {summary(times)}")
    times = timed(lambda: store.save(make_request(conversation="warm-up")), 200)
    print(f"  {name:10} same request again   {summary(times)}")
    store.dispose()


def bench_stores() -> None:
    print("Storing a request (BookingStore.save, one transaction with its notification rows):")
    with tempfile.TemporaryDirectory() as folder:
        bench_store("SQLite", f"sqlite:///{folder}/bookings.db")
    try:
        import sqlalchemy as sa

        admin = sa.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
        name = f"bench_{idempotency_key('bench', uuid.uuid4().hex)[:10]}"
        with admin.connect() as connection:
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # noqa: BLE001 - no server: say so and skip
        print(f"  PostgreSQL skipped: {type(error).__name__}")
        return
    try:
        bench_store("PostgreSQL", f"{POSTGRES_ADMIN_URL.rsplit('/', 1)[0]}/{name}")
    except StoreUnavailable as error:
        print(f"  PostgreSQL failed: {error}")
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    bench_reading()
    bench_stores()
