"""Load benchmark: C concurrent conversations of M messages each through the REST channel.

    make bench-load                     (or: .venv/bin/python -m bench.load)
    .venv/bin/python -m bench.load --conversations 50 --only sqlite,stock

Each conversation mixes page questions, a whole booking through the form and small talk, one
message at a time (the next is sent when the reply has come). Configurations, all in this one
run on this machine:

- stock:         a stock `rasa init` bot trained in a temporary folder now, SQLite tracker store
- sqlite:        this bot, embedded default (SQLite tracker store, in-memory lock store)
- production-1:  this bot, production profile (PostgreSQL + Redis), one Rasa server
- production-2:  the same with two Rasa servers, messages sent round-robin (as a load balancer)

For each it prints throughput, p50/p95/p99 latency, errors (non-200, no reply, or the
"can't answer right now" notice), the Rasa servers' peak memory (RSS, sampled every 0.25 s), and
lost messages: user messages sent that the tracker store does not hold, in order, and the booking
requests found in the booking store (one per conversation expected). Then the p95
ratio of each configuration to the stock bot (target: at most 1.3). The client runs on the same
machine and shares its cores with the servers.
"""

import argparse
import asyncio
import itertools
import json
import math
import os
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psutil
import sqlalchemy

from bot.booking.store import BookingStore
from bot.runtime.production import ProductionServices
from bot.runtime.service_notices import unavailable_reply
from tests.support.harness import RASA_SERVER_ENV, SERVER_ENV, Server, free_port, running_bot, write_endpoints
from tests.support.paths import PROJECT_ROOT, RASA_BIN

PRODUCTION_ENDPOINTS = PROJECT_ROOT / "endpoints.production.yml"
TARGET_P95_RATIO = 1.3
FAQ = [
    "how long does botox last for facial palsy?",
    "what are the side effects?",
    "who is the surgeon?",
    "is there any downtime after the injections?",
    "am I a good candidate for botox?",
    "what is botox for facial paralysis?",
]
FIRST_NAMES = ["Priya", "Sam", "Maria", "Tom", "Aisha", "Li", "Oscar", "Nora"]
LAST_NAMES = ["Shah", "Lee", "Garcia", "Brown", "Khan", "Wei", "Novak", "Hill", "Okafor"]


def booking_messages(index: int) -> list[str]:
    """A whole booking through the form: request, name, email, day, reason skipped, consent, send."""
    name = f"{FIRST_NAMES[index % len(FIRST_NAMES)]} {LAST_NAMES[index % len(LAST_NAMES)]}"
    return [
        "I'd like to book a consultation",
        name,
        f"patient{index}@example.com",
        "next Friday at 2pm",
        "skip",
        "yes",
        "/affirm",
    ]


def conversation_script(index: int) -> list[str]:
    """The messages of conversation `index`: small talk, page questions and a booking."""
    questions = [FAQ[(index + k) % len(FAQ)] for k in range(3)]
    return [
        "hello",
        questions[0],
        "are you a bot?",
        questions[1],
        *booking_messages(index),
        questions[2],
        "thanks",
        "bye",
    ]


@dataclass
class Figures:
    name: str
    sent: int = 0
    errors: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    peak_rss_mb: list[float] = field(default_factory=list)
    lost: int = 0
    booked: int | None = None  # booking requests in the store (None: not this bot)
    note: str = ""

    def percentile(self, p: float) -> float:
        """Nearest-rank percentile of the latencies, in milliseconds."""
        ordered = sorted(self.latencies)
        return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)] * 1000

    def row(self, stock_p95: float | None) -> str:
        if self.note:
            return f"{self.name:<14} {self.note}"
        ratio = f"{self.percentile(95) / stock_p95:5.2f}" if stock_p95 else "   - "
        rss = "+".join(f"{mb:.0f}" for mb in self.peak_rss_mb)
        booked = "-" if self.booked is None else str(self.booked)
        return (
            f"{self.name:<14} {self.sent / self.seconds:7.1f} {self.percentile(50):7.0f} "
            f"{self.percentile(95):7.0f} {self.percentile(99):7.0f} {self.errors:6d} "
            f"{self.lost:5d} {booked:>6} {rss:>12} {ratio}"
        )


class RssSampler:
    """Peak resident memory of each process (with its children) while the block runs."""

    def __init__(self, pids: Sequence[int]) -> None:
        self.pids, self.peaks = list(pids), [0.0] * len(pids)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.25):
            for index, pid in enumerate(self.pids):
                try:
                    process = psutil.Process(pid)
                    rss = sum(p.memory_info().rss for p in [process, *process.children(recursive=True)])
                except psutil.Error:
                    continue
                self.peaks[index] = max(self.peaks[index], rss / 2**20)

    def __enter__(self) -> "RssSampler":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


async def run_load(
    urls: Sequence[str], conversations: int, tag: str, figures: Figures
) -> dict[str, list[str]]:
    """Send every conversation's script; returns the messages sent per sender."""
    round_robin = itertools.cycle(urls)
    notice = unavailable_reply().text
    sent: dict[str, list[str]] = {}

    async def converse(client: httpx.AsyncClient, index: int) -> None:
        sender = f"{tag}-{index}"
        sent[sender] = []
        await asyncio.sleep(index * 0.02)  # a ramp of one second, not one burst
        for text in conversation_script(index):
            url = next(round_robin)
            started = time.perf_counter()
            sent[sender].append(text)
            try:
                response = await client.post(
                    f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": text}
                )
                replies = response.json() if response.status_code == 200 else []
                ok = bool(replies) and not any(m.get("text") == notice for m in replies)
            except (httpx.HTTPError, ValueError):
                ok = False
            figures.latencies.append(time.perf_counter() - started)
            figures.errors += not ok

    limits = httpx.Limits(max_connections=conversations, max_keepalive_connections=conversations)
    async with httpx.AsyncClient(timeout=120, limits=limits) as client:
        started = time.perf_counter()
        await asyncio.gather(*(converse(client, index) for index in range(conversations)))
        figures.seconds = time.perf_counter() - started
    figures.sent = sum(len(texts) for texts in sent.values())
    return sent


def stored_user_messages(database_url: str, senders: Sequence[str]) -> dict[str, list[str]]:
    engine = sqlalchemy.create_engine(database_url)
    stored: dict[str, list[str]] = {sender: [] for sender in senders}
    with engine.connect() as connection:
        rows = connection.execute(
            sqlalchemy.text("select sender_id, data from events where type_name = 'user' order by id")
        )
        for sender, data in rows:
            if sender in stored:
                stored[sender].append(json.loads(data).get("text"))
    engine.dispose()
    return stored


def count_lost(sent: dict[str, list[str]], stored: dict[str, list[str]]) -> int:
    """Messages sent that are not in the store in the order sent (each conversation compared)."""
    lost = 0
    for sender, texts in sent.items():
        kept = stored.get(sender, [])
        matcher = iter(kept)
        lost += sum(1 for text in texts if not any(text == candidate for candidate in matcher))
    return lost


def measure(
    name: str,
    urls: Sequence[str],
    pids: Sequence[int],
    database_url: str,
    conversations: int,
    booking_url: str | None = None,
) -> Figures:
    figures = Figures(name)
    for url in urls:  # the first message loads lazily initialised parts: not measured
        httpx.post(
            f"{url}/webhooks/rest/webhook", json={"sender": f"warmup-{name}", "message": "hello"}, timeout=120
        )
    with RssSampler(pids) as sampler:
        sent = asyncio.run(run_load(urls, conversations, name, figures))
    figures.peak_rss_mb = sampler.peaks
    figures.lost = count_lost(sent, stored_user_messages(database_url, list(sent)))
    if booking_url:
        store = BookingStore(booking_url)
        figures.booked = sum(len(store.find(conversation_id=sender)) for sender in sent)
        store.dispose()
    return figures


@contextmanager
def stock_bot(workdir: Path) -> Iterator[tuple[Server, str, Path]]:
    """A stock `rasa init` bot, trained now in the empty folder `workdir`, served with a SQLite
    tracker store; yields the server, its URL and the tracker database."""
    print("training the stock `rasa init` bot ...", flush=True)
    started = time.monotonic()
    subprocess.run(
        [str(RASA_BIN), "init", "--no-prompt", "--init-dir", str(workdir)],
        check=True,
        cwd=workdir,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, **SERVER_ENV},
    )
    model = next((workdir / "models").glob("*.tar.gz"))
    print(f"  trained in {time.monotonic() - started:.0f} s", flush=True)
    endpoints, port = workdir / "bench-endpoints.yml", free_port()
    write_endpoints(endpoints, free_port(), workdir / "tracker.db")
    server = Server(
        [
            str(RASA_BIN),
            "run",
            "-m",
            str(model),
            "--port",
            str(port),
            "--endpoints",
            str(endpoints),
            "--credentials",
            str(workdir / "credentials.yml"),
        ],
        f"http://127.0.0.1:{port}/",
        workdir / "rasa.log",
        {**SERVER_ENV, **RASA_SERVER_ENV},
    )
    server.start()
    try:
        server.wait_until_up()
        yield server, f"http://127.0.0.1:{port}", workdir / "tracker.db"
    finally:
        server.stop()


@contextmanager
def production_database() -> Iterator[str | None]:
    """A fresh PostgreSQL database for one run, or None (with the reason printed) when absent."""
    from tests.support.services import fresh_postgres_database

    try:
        with fresh_postgres_database() as url:
            yield url
    except BaseException as error:  # pytest's skip is a BaseException
        if type(error).__name__ != "Skipped":
            raise
        print(f"  skipped: {error}", flush=True)
        yield None


def run_configuration(name: str, workdir: Path, conversations: int, redis_url: str) -> Figures:
    print(f"{name}: starting the servers ...", flush=True)
    if name == "stock":
        with stock_bot(workdir) as (server, url, tracker_db):
            return measure(name, [url], [server.pid], f"sqlite:///{tracker_db}", conversations)
    if name == "sqlite":
        bookings = f"sqlite:///{workdir / 'bookings.db'}"
        with running_bot(workdir, env={"BOOKING_DATABASE_URL": bookings}) as bot:
            return measure(
                name,
                bot.rasa_urls,
                [server.pid for server in bot.rasa],
                f"sqlite:///{bot.tracker_db}",
                conversations,
                bookings,
            )
    instances = int(name.rsplit("-", 1)[1])
    with production_database() as database_url:
        if database_url is None:
            return Figures(name, note="skipped: PostgreSQL is not reachable")
        env = {
            **ProductionServices.from_urls(database_url, redis_url).as_env(),
            "BOOKING_DATABASE_URL": database_url,
        }
        with running_bot(
            workdir, env=env, endpoints_file=PRODUCTION_ENDPOINTS, rasa_instances=instances
        ) as bot:
            return measure(
                name,
                bot.rasa_urls,
                [server.pid for server in bot.rasa],
                database_url,
                conversations,
                database_url,
            )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--conversations", type=int, default=50)
    parser.add_argument(
        "--only",
        default="stock,sqlite,production-1,production-2",
        help="comma-separated configurations to run",
    )
    args = parser.parse_args(argv)
    names = args.only.split(",")
    redis_url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    messages = len(conversation_script(0))
    print(
        f"{args.conversations} concurrent conversations x {messages} messages, on "
        f"{psutil.cpu_count()} cores (shared with the client and anything else running)\n",
        flush=True,
    )
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp:
        for name in names:
            workdir = Path(tmp) / name
            workdir.mkdir()
            figures = run_configuration(name, workdir, args.conversations, redis_url)
            results.append(figures)
            print(f"  done: {figures.row(None)}", flush=True)
    stock = next((f for f in results if f.name == "stock" and f.latencies), None)
    stock_p95 = stock.percentile(95) if stock else None
    print(
        f"\n{'config':<14} {'msg/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'errors':>6} "
        f"{'lost':>5} {'booked':>6} {'peak RSS MB':>12} p95/stock"
    )
    for figures in results:
        print(figures.row(stock_p95))
    if stock_p95:
        worst = max(
            (f.percentile(95) / stock_p95 for f in results if f.latencies and f is not stock), default=0
        )
        print(
            f"\ntarget: zero errors, zero lost, p95 at most {TARGET_P95_RATIO}x the stock bot's; "
            f"worst p95 ratio here {worst:.2f}"
        )


if __name__ == "__main__":
    main()
