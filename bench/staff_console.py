"""How fast the staff console reads a large tracker store.

The trained bot records the staff tests' conversations once
(tests/support/staff_conversations.py); their rows are then replicated under new conversation
ids, spread over the last 30 days, into a SQLite tracker store of N conversations. Prints the
time to build the conversation index from nothing, to refresh it when nothing changed and after
one new conversation, and to serve the main pages.

    .venv/bin/python -m bench.staff_console [--conversations 5000]
"""

import argparse
import gc
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import psutil
import sqlalchemy as sa

from bot.staff.events import EVENTS
from tests.support.staff_conversations import RecordedConversations, make_console, record_conversations
from tests.support.staff_web import signed_in_client

DAY = 86400.0


def replicate(source_url: str, target_url: str, conversations: int) -> int:
    """Copies of the recorded conversations under new ids, each copy moved back in time."""
    source, target = sa.create_engine(source_url), sa.create_engine(target_url)
    with source.connect() as connection:
        rows = [dict(row._mapping) for row in connection.execute(sa.select(EVENTS).order_by(EVENTS.c.id))]
    senders = sorted({row["sender_id"] for row in rows})
    copies = -(-conversations // len(senders))
    EVENTS.metadata.create_all(target)
    written = 0
    with target.begin() as connection:
        for copy in range(copies):
            shift = (copies - copy) / copies * 30 * DAY
            batch = [
                {
                    **row,
                    "id": None,
                    "sender_id": f"{row['sender_id']}-{copy}",
                    "timestamp": row["timestamp"] - shift,
                }
                for row in rows
                if senders.index(row["sender_id"]) + copy * len(senders) < conversations
            ]
            connection.execute(EVENTS.insert(), [{k: v for k, v in r.items() if k != "id"} for r in batch])
            written += len(batch)
    source.dispose()
    target.dispose()
    return written


def timed(label: str, work: Callable[[], object], results: dict[str, float]) -> object:
    started = time.perf_counter()
    value = work()
    results[label] = time.perf_counter() - started
    print(f"  {label:<52} {results[label] * 1000:9.1f} ms")
    return value


def main(argv: list[str] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=5000)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        print("Recording conversations with the trained bot ...")
        (workdir / "bot").mkdir()
        bookings = f"sqlite:///{workdir / 'bot' / 'bookings.db'}"
        record_conversations(workdir / "bot", bookings)
        url = f"sqlite:///{workdir / 'tracker.db'}"
        events = replicate(f"sqlite:///{workdir / 'bot' / 'tracker.db'}", url, args.conversations)
        size = (workdir / "tracker.db").stat().st_size / 2**20
        print(f"Tracker store: {args.conversations} conversations, {events} events, {size:.1f} MB (SQLite)")
        console = make_console(workdir, RecordedConversations(url, bookings, 0.0, workdir))
        results: dict[str, float] = {}
        process = psutil.Process()
        gc.collect()
        before = process.memory_info().rss
        timed("index built from nothing (first page view)", console.summaries, results)
        print(f"  {'index memory (RSS growth)':<52} {(process.memory_info().rss - before) / 2**20:9.1f} MB")
        timed("index refresh, nothing new", console.summaries, results)
        replicate(f"sqlite:///{workdir / 'bot' / 'tracker.db'}", url, 1)
        timed("index refresh after one more conversation", console.summaries, results)
        client = signed_in_client(console, "bench", role="admin")
        month = f"from={console.today() - timedelta(days=29)}&to={console.today()}"
        first = console.summaries()[0].conversation_id
        for label, path in [
            ("GET /staff/conversations (page 1)", "/staff/conversations"),
            ("GET /staff/conversations?flag=booking", "/staff/conversations?flag=booking"),
            ("GET /staff/conversations?q=weather (text search)", "/staff/conversations?q=weather"),
            ("GET /staff/overview (30 days)", f"/staff/overview?{month}"),
            ("GET /staff/unanswered", "/staff/unanswered"),
            ("GET /staff/transcript", f"/staff/transcript?id={first}"),
            ("GET /staff/export?format=csv (everything)", "/staff/export?format=csv"),
        ]:
            response = timed(label, lambda path=path: client.get(path), results)
            assert response.status_code == 200, (path, response.status_code)


if __name__ == "__main__":
    main()
