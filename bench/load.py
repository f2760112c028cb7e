"""Load benchmark: the stock `rasa init` bot and this bot on one identical schedule.

    make bench-load                     (or: .venv/bin/python -m bench.load)
    .venv/bin/python -m bench.load --conversations 50 --messages 20 --rounds 3 --only stock-memory,sqlite

Workload, the same for every configuration: C conversations at once (--conversations, default 50),
each sending M messages (--messages, default 20) over the REST channel, closed loop (the next
message is sent when the reply has come), conversation i starting 0.02 * i s after the first. The
texts and their order are the same everywhere: small talk, page questions and a whole booking
through the form (the stock bot answers them in its own way). Each configuration's servers start
once; one warm-up conversation goes first (not counted), then --rounds rounds (default 3), each
with new conversation ids. Every round's figures are printed, then each figure's median over the
rounds. One client (httpx, on this machine, sharing its cores with the servers) for all.

Configurations (--only picks some, comma-separated):
- stock-memory:  a stock `rasa init` bot, trained now in a temporary folder and served with the
                 endpoints.yml `rasa init` writes: in-memory tracker store, no action server
- stock-sqlite:  the same model with the tracker and lock store settings of this bot's
                 endpoints.yml, copied as they are (the server runs in the project folder, so a
                 tracker store class from bot/ loads)
- memory:        this bot with no tracker store set (Rasa keeps conversations in memory), so that
                 sqlite - memory is the cost of persistence in this bot
- sqlite:        this bot with its default endpoints.yml (SQLite tracker store)
- production-1:  this bot on the production profile (PostgreSQL + Redis) with the defaults of
                 scripts/production-env.sh, one Rasa server
- production-2:  the same plus a second Rasa server started as a user starts it: PORT=<port>
                 scripts/run-replica.sh, with no DB_*, REDIS_*, ACTION_SERVER_URL or ACTION_PORT
                 in its environment; messages go to the two in turn (round robin, as a load
                 balancer)

Figures: throughput (messages/s), p50/p95/p99 latency (ms, nearest rank), errors (non-200,
timeout, or this bot's "can't answer right now" notice), no reply (200 with no bot message: the
stock bot's policies sometimes just listen; this bot should always answer), lost (user messages
sent that the tracker store does not hold in the order sent; n/a for an in-memory store), booked
(booking requests this bot stored, against the number the script completes), the peak RSS (MB,
sampled every 0.25 s) of every process: each Rasa server and the action server ("-": the stock
bot has none). Then the ratios of the medians to stock-memory (the stock bot as a user gets it)
and to stock-sqlite; target: p95 at most 1.3x the stock bot's.

Every server of this bot runs with CLINIC_RATE_LIMIT=off: all the conversations come from
127.0.0.1, and a per-address rate limit on the patient channels would refuse most of them.

The production configurations use what the replica finds with no settings: the database
clinic_bot on 127.0.0.1:5432 (created when missing, as `make run-production` does), Redis db 1 and
the action server on port 5055 (which must be free). This run's conversations and booking
requests are deleted from that database afterwards.
"""

import argparse
import asyncio
import itertools
import json
import math
import os
import secrets
import socket
import statistics
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

import httpx
import psutil
import sqlalchemy
import yaml

from bench import profiling
from bot.booking.store import SCHEMA as BOOKING_SCHEMA
from bot.migrations import database_engine, upgrade_to_head
from bot.runtime.service_notices import unavailable_reply
from tests.support.harness import SERVER_ENV, Server, action_server_args, free_port
from tests.support.paths import PROJECT_ROOT, RASA_BIN

CONFIGURATIONS = ("stock-memory", "stock-sqlite", "memory", "sqlite", "production-1", "production-2")
STOCK_CONFIGURATIONS = ("stock-memory", "stock-sqlite")
TARGET_P95_RATIO = 1.3
RAMP_SECONDS = 0.02  # conversation i starts i * RAMP_SECONDS after the first: no single burst
REPLY_TIMEOUT_SECONDS = 120
RATE_LIMIT_OFF = {"CLINIC_RATE_LIMIT": "off"}
DEFAULT_ENDPOINTS = PROJECT_ROOT / "endpoints.yml"
# What scripts/production-env.sh and the run scripts read: a user's new terminal has none of them.
PROFILE_PREFIXES = ("DB_", "REDIS_")
PROFILE_VARIABLES = (
    "ACTION_PORT",
    "ACTION_SERVER_URL",
    "BOOKING_DATABASE_URL",
    "ENDPOINTS",
    "RASA_PORT",
    "RATE_LIMIT_REDIS_URL",
)

FAQ = [
    "how long does botox last for facial palsy?",
    "what are the side effects?",
    "who is the surgeon?",
    "is there any downtime after the injections?",
    "am I a good candidate for botox?",
    "what is botox for facial paralysis?",
    "when will I start to see results?",
    "how does the treatment work?",
    "can botox help with synkinesis?",
    "what should I do after the injections?",
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


def whole_conversation(index: int) -> list[str]:
    """The 20 messages of conversation `index`: small talk, eight page questions and a booking."""
    questions = [FAQ[(index + k) % len(FAQ)] for k in range(8)]
    return [
        "hello",
        questions[0],
        "are you a bot?",
        questions[1],
        *booking_messages(index),
        questions[2],
        "how much does it cost?",
        questions[3],
        questions[4],
        "thanks",
        questions[5],
        questions[6],
        questions[7],
        "bye",
    ]


def conversation_script(index: int, messages: int) -> list[str]:
    """The first `messages` messages of conversation `index` (the 20 repeated when more are asked)."""
    whole = whole_conversation(index)
    return [whole[k % len(whole)] for k in range(messages)]


def bookings_in_script(messages: int) -> int:
    """How many whole bookings one conversation of `messages` messages goes through."""
    script, booking = conversation_script(0, messages), booking_messages(0)
    return sum(script[k : k + len(booking)] == booking for k in range(len(script)))


@dataclass(frozen=True)
class Workload:
    conversations: int
    messages: int
    rounds: int
    profile: Path | None = None  # where py-spy's profiles go (--profile)


@dataclass
class Deployment:
    """The running servers of one configuration and where they keep what they were sent."""

    rasa_urls: list[str]
    rasa_pids: list[int]
    action_pid: int | None  # None: the stock bot has no action server
    tracker_url: str | None  # SQLAlchemy URL of the tracker store; None: in memory
    booking_url: str | None  # where this bot keeps booking requests; None: the stock bot


@dataclass
class Figures:
    """One round's figures, or each figure's median over the rounds."""

    throughput: float
    p50: float
    p95: float
    p99: float
    errors: float
    unanswered: float
    lost: float | None
    booked: float | None
    rasa_rss: list[float]
    action_rss: float | None

    @classmethod
    def median(cls, rounds: Sequence["Figures"]) -> "Figures":
        def middle(values: Sequence[float | None]) -> float | None:
            known = [value for value in values if value is not None]
            return statistics.median(known) if known else None

        return cls(
            statistics.median(r.throughput for r in rounds),
            statistics.median(r.p50 for r in rounds),
            statistics.median(r.p95 for r in rounds),
            statistics.median(r.p99 for r in rounds),
            statistics.median(r.errors for r in rounds),
            statistics.median(r.unanswered for r in rounds),
            middle([r.lost for r in rounds]),
            middle([r.booked for r in rounds]),
            [statistics.median(peaks) for peaks in zip(*(r.rasa_rss for r in rounds), strict=True)],
            middle([r.action_rss for r in rounds]),
        )

    def cells(self, expected_bookings: int) -> str:
        def count(value: float | None) -> str:
            return "n/a" if value is None else f"{value:g}"

        booked = "-" if self.booked is None else f"{self.booked:g}/{expected_bookings}"
        rasa = "+".join(f"{mb:.0f}" for mb in self.rasa_rss)
        action = "-" if self.action_rss is None else f"{self.action_rss:.0f}"
        return (
            f"{self.throughput:7.1f} {self.p50:7.0f} {self.p95:7.0f} {self.p99:7.0f} "
            f"{self.errors:6g} {self.unanswered:8g} {count(self.lost):>5} {booked:>7} {rasa:>11} {action:>10}"
        )


TABLE_HEADER = (
    f"{'msg/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'errors':>6} {'no reply':>8} {'lost':>5} "
    f"{'booked':>7} {'Rasa RSS':>11} {'action RSS':>10}"
)


class RssSampler:
    """Peak resident memory (MB) of each process, with its children, while the block runs."""

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

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._stop.set()
        self._thread.join()


@dataclass
class Replies:
    latencies: list[float]
    errors: int
    unanswered: list[str]  # texts answered 200 with no bot message
    seconds: float


async def send_conversations(
    urls: Sequence[str], scripts: dict[str, list[str]], ramp: float = RAMP_SECONDS
) -> Replies:
    """Each sender's script, closed loop, all senders at once; messages go to `urls` in turn."""
    round_robin = itertools.cycle(urls)
    notice = unavailable_reply().text
    replies = Replies([], 0, [], 0.0)

    async def converse(client: httpx.AsyncClient, delay: float, sender: str, texts: list[str]) -> None:
        await asyncio.sleep(delay)
        for text in texts:
            url = next(round_robin)
            started = time.perf_counter()
            try:
                response = await client.post(
                    f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": text}
                )
                messages = response.json() if response.status_code == 200 else None
            except (httpx.HTTPError, ValueError):
                messages = None
            replies.latencies.append(time.perf_counter() - started)
            if messages == []:
                replies.unanswered.append(text)
            elif messages is None or any(m.get("text") == notice for m in messages):
                replies.errors += 1

    limits = httpx.Limits(max_connections=len(scripts), max_keepalive_connections=len(scripts))
    async with httpx.AsyncClient(timeout=REPLY_TIMEOUT_SECONDS, limits=limits) as client:
        started = time.perf_counter()
        await asyncio.gather(
            *(
                converse(client, index * ramp, sender, texts)
                for index, (sender, texts) in enumerate(scripts.items())
            )
        )
        replies.seconds = time.perf_counter() - started
    return replies


def percentile_ms(latencies: Sequence[float], p: float) -> float:
    """Nearest-rank percentile, in milliseconds."""
    ordered = sorted(latencies)
    return ordered[max(0, math.ceil(len(ordered) * p / 100) - 1)] * 1000


def stored_user_messages(database_url: str, prefix: str) -> dict[str, list[str]]:
    """The user messages the tracker store holds for conversations whose id starts with `prefix`-."""
    engine = sqlalchemy.create_engine(database_url)
    stored: dict[str, list[str]] = {}
    query = sqlalchemy.text(
        "select sender_id, data from events where type_name = 'user' and sender_id like :ids order by id"
    )
    with engine.connect() as connection:
        for sender, data in connection.execute(query, {"ids": f"{prefix}-%"}):
            stored.setdefault(sender, []).append(json.loads(data).get("text"))
    engine.dispose()
    return stored


def count_lost(sent: dict[str, list[str]], stored: dict[str, list[str]]) -> int:
    """Messages sent that are not in the store in the order sent (each conversation compared)."""
    lost = 0
    for sender, texts in sent.items():
        kept = iter(stored.get(sender, []))
        lost += sum(1 for text in texts if not any(text == candidate for candidate in kept))
    return lost


def count_bookings(database_url: str, prefix: str) -> int:
    engine = sqlalchemy.create_engine(database_url)
    query = sqlalchemy.text("select count(*) from booking_requests where conversation_id like :ids")
    with engine.connect() as connection:
        count = connection.execute(query, {"ids": f"{prefix}-%"}).scalar_one()
    engine.dispose()
    return int(count)


def warm_up(deployment: Deployment, workload: Workload, prefix: str) -> None:
    """One whole conversation before measuring: the first messages load lazily initialised parts."""
    script = {f"{prefix}-warmup-0": conversation_script(0, workload.messages)}
    replies = asyncio.run(send_conversations(deployment.rasa_urls, script))
    silent = f"; no reply to {replies.unanswered}" if replies.unanswered else ""
    print(
        f"  warm-up (not counted): 1 conversation, {len(replies.latencies)} messages, "
        f"{replies.errors} errors{silent}",
        flush=True,
    )


def measure_round(deployment: Deployment, workload: Workload, prefix: str) -> Figures:
    scripts = {
        f"{prefix}-{index}": conversation_script(index, workload.messages)
        for index in range(workload.conversations)
    }
    pids = [*deployment.rasa_pids, *([deployment.action_pid] if deployment.action_pid else [])]
    with RssSampler(pids) as sampler:
        replies = asyncio.run(send_conversations(deployment.rasa_urls, scripts))
    lost = booked = None
    if deployment.tracker_url:
        lost = count_lost(scripts, stored_user_messages(deployment.tracker_url, prefix))
    if deployment.booking_url:
        booked = count_bookings(deployment.booking_url, prefix)
    rasa_count = len(deployment.rasa_pids)
    return Figures(
        len(replies.latencies) / replies.seconds,
        percentile_ms(replies.latencies, 50),
        percentile_ms(replies.latencies, 95),
        percentile_ms(replies.latencies, 99),
        replies.errors,
        len(replies.unanswered),
        lost,
        booked,
        sampler.peaks[:rasa_count],
        sampler.peaks[rasa_count] if deployment.action_pid else None,
    )


# Starting the servers


class ProfileUnavailable(Exception):
    """The production profile cannot run here (a service down, the action port taken)."""


class CleanEnvironmentServer(Server):
    """A server started with exactly its `env`, nothing inherited: as from a user's new terminal."""

    def start(self) -> None:
        handle = open(self.log, "ab")  # noqa: SIM115 - the process owns the handle, as in the harness
        self.process = subprocess.Popen(
            self.args, cwd=PROJECT_ROOT, stdout=handle, stderr=subprocess.STDOUT, env=self.env
        )


@contextmanager
def serving(servers: Sequence[Server]) -> Iterator[None]:
    """Start every server, wait until each answers; stop them all when the block ends."""
    try:
        for server in servers:
            server.start()
        for server in servers:
            server.wait_until_up()
        yield
    finally:
        for server in reversed(servers):
            server.stop()


def action_server(port: int, workdir: Path, env: dict[str, str]) -> Server:
    """This bot's action server, as scripts/run.sh starts it."""
    return Server(
        action_server_args(port),
        f"http://127.0.0.1:{port}/health",
        workdir / "actions.log",
        {**env, **RATE_LIMIT_OFF},
    )


def rasa_server(port: int, workdir: Path, env: dict[str, str]) -> Server:
    """This bot's Rasa server as every run script starts it (scripts/rasa-server.sh, $ENDPOINTS)."""
    return Server(
        [str(PROJECT_ROOT / "scripts" / "rasa-server.sh")],
        f"http://127.0.0.1:{port}/",
        workdir / "rasa.log",
        {**env, "RASA_PORT": str(port), **RATE_LIMIT_OFF},
    )


def replica_server(port: int, workdir: Path) -> Server:
    """A second Rasa server as a user starts one: PORT=<port> scripts/run-replica.sh, nothing else
    set, so it finds the stores and the action server by scripts/production-env.sh's defaults."""
    env = {**cleaned_environment(), **SERVER_ENV, **RATE_LIMIT_OFF, "PORT": str(port)}
    return CleanEnvironmentServer(
        [str(PROJECT_ROOT / "scripts" / "run-replica.sh")],
        f"http://127.0.0.1:{port}/",
        workdir / "replica.log",
        env,
    )


def this_bot_stores(tracker_db: Path) -> dict[str, Any]:
    """The tracker and lock store settings of this bot's endpoints.yml, the SQLite file moved."""
    settings = yaml.safe_load(DEFAULT_ENDPOINTS.read_text())
    stores = {"tracker_store": settings["tracker_store"], "lock_store": settings["lock_store"]}
    stores["tracker_store"]["db"] = str(tracker_db)
    return stores


def prepare_booking_store(url: str) -> None:
    """The booking tables at their newest schema before the servers start (as scripts/run.sh)."""
    engine = database_engine(url)
    upgrade_to_head(BOOKING_SCHEMA, engine)
    engine.dispose()


def train_stock_bot(folder: Path) -> Path:
    """`rasa init --no-prompt` in an empty folder: the stock project and its trained model."""
    print("training the stock `rasa init` bot ...", flush=True)
    started = time.monotonic()
    subprocess.run(
        [str(RASA_BIN), "init", "--no-prompt", "--init-dir", str(folder)],
        check=True,
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, **SERVER_ENV},
    )
    print(f"  trained in {time.monotonic() - started:.0f} s", flush=True)
    return next((folder / "models").glob("*.tar.gz"))


@contextmanager
def stock_deployment(project: Path, model: Path, workdir: Path, persistent: bool) -> Iterator[Deployment]:
    """The stock bot served by `rasa run`, with its own endpoints.yml or, when `persistent`, that
    file plus this bot's tracker and lock store settings."""
    endpoints, tracker_url = project / "endpoints.yml", None
    if persistent:
        settings = yaml.safe_load(endpoints.read_text()) or {}
        settings.update(this_bot_stores(workdir / "tracker.db"))
        endpoints = workdir / "endpoints.yml"
        endpoints.write_text(yaml.safe_dump(settings))
        tracker_url = f"sqlite:///{workdir / 'tracker.db'}"
    port = free_port()
    args = [str(RASA_BIN), "run", "-m", str(model), "--port", str(port)]
    args += ["--endpoints", str(endpoints), "--credentials", str(project / "credentials.yml")]
    server = Server(args, f"http://127.0.0.1:{port}/", workdir / "rasa.log", {})
    with serving([server]):
        yield Deployment([f"http://127.0.0.1:{port}"], [server.pid], None, tracker_url, None)


@contextmanager
def embedded_deployment(workdir: Path, persistent: bool) -> Iterator[Deployment]:
    """This bot with endpoints.yml (the SQLite file in `workdir`), or with no tracker store set."""
    action_port, rasa_port = free_port(), free_port()
    settings = yaml.safe_load(DEFAULT_ENDPOINTS.read_text())
    settings["action_endpoint"]["url"] = f"http://127.0.0.1:{action_port}/webhook"
    tracker_url = None
    if persistent:
        settings.update(this_bot_stores(workdir / "tracker.db"))
        tracker_url = f"sqlite:///{workdir / 'tracker.db'}"
    else:
        del settings["tracker_store"]  # none set: Rasa's InMemoryTrackerStore
    endpoints = workdir / "endpoints.yml"
    endpoints.write_text(yaml.safe_dump(settings))
    bookings = f"sqlite:///{workdir / 'bookings.db'}"
    prepare_booking_store(bookings)
    env = {
        "ENDPOINTS": str(endpoints),
        "BOOKING_DATABASE_URL": bookings,
        "BOOKING_PENDING_FILE": str(workdir / "pending_bookings.jsonl"),
    }
    actions, rasa = action_server(action_port, workdir, env), rasa_server(rasa_port, workdir, env)
    with serving([actions, rasa]):
        yield Deployment([f"http://127.0.0.1:{rasa_port}"], [rasa.pid], actions.pid, tracker_url, bookings)


def cleaned_environment() -> dict[str, str]:
    """This process's environment without any production-profile setting."""
    return {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(PROFILE_PREFIXES) and name not in PROFILE_VARIABLES
    }


def production_profile() -> dict[str, str]:
    """The settings scripts/production-env.sh makes from a clean environment (its defaults), which
    also checks PostgreSQL and Redis and creates the database when missing."""
    result = subprocess.run(
        ["bash", "-c", "source scripts/production-env.sh >&2 && env -0"],
        cwd=PROJECT_ROOT,
        env=cleaned_environment(),
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise ProfileUnavailable((result.stderr.strip().splitlines() or ["production-env.sh failed"])[-1])
    pairs = (item.split("=", 1) for item in result.stdout.split("\0") if "=" in item)
    return {
        name: value for name, value in pairs if name.startswith(PROFILE_PREFIXES) or name in PROFILE_VARIABLES
    }


def port_taken(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def forget_conversations(database_url: str, prefix: str) -> None:
    """Delete this run's conversations and booking requests from the production database."""
    engine = sqlalchemy.create_engine(database_url)
    tables = set(sqlalchemy.inspect(engine).get_table_names())
    ids = {"ids": f"{prefix}-%"}
    requests = "select reference from booking_requests where conversation_id like :ids"
    statements = [
        ("events", "delete from events where sender_id like :ids"),
        ("booking_notifications", f"delete from booking_notifications where reference in ({requests})"),
        ("booking_requests", "delete from booking_requests where conversation_id like :ids"),
    ]
    with engine.begin() as connection:
        for table, statement in statements:
            if table in tables:  # the events table is made by the Rasa server when it starts
                connection.execute(sqlalchemy.text(statement), ids)
    engine.dispose()


@contextmanager
def production_deployment(workdir: Path, rasa_servers: int, prefix: str) -> Iterator[Deployment]:
    """This bot on the production profile's defaults: the action server and one Rasa server as
    `make run-production` starts them, and with two, a replica started as `make run-replica`."""
    profile = production_profile()
    action_port = int(profile["ACTION_PORT"])
    if port_taken(action_port):
        raise ProfileUnavailable(
            f"port {action_port} is taken (a `make run-production` running?): the replica would use it"
        )
    database = profile["BOOKING_DATABASE_URL"]
    prepare_booking_store(database)
    env = {**profile, "BOOKING_PENDING_FILE": str(workdir / "pending_bookings.jsonl")}
    ports = [free_port() for _ in range(rasa_servers)]
    rasa = [rasa_server(ports[0], workdir, env)]
    rasa += [replica_server(port, workdir) for port in ports[1:]]
    actions = action_server(action_port, workdir, env)
    try:
        with serving([actions, *rasa]):
            yield Deployment(
                [f"http://127.0.0.1:{port}" for port in ports],
                [server.pid for server in rasa],
                actions.pid,
                database,
                database,
            )
    finally:
        forget_conversations(database, prefix)


class StockBot:
    """The stock project, trained once when a stock configuration first needs it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.model: Path | None = None

    def trained(self) -> tuple[Path, Path]:
        if self.model is None:
            self.folder.mkdir()
            self.model = train_stock_bot(self.folder)
        return self.folder, self.model


@contextmanager
def deployment(name: str, workdir: Path, stock: StockBot, prefix: str) -> Iterator[Deployment]:
    if name in STOCK_CONFIGURATIONS:
        project, model = stock.trained()
        with stock_deployment(project, model, workdir, persistent=name == "stock-sqlite") as running:
            yield running
    elif name in ("memory", "sqlite"):
        with embedded_deployment(workdir, persistent=name == "sqlite") as running:
            yield running
    else:
        with production_deployment(workdir, int(name.rsplit("-", 1)[1]), prefix) as running:
            yield running


# The run and its report


def run_configuration(
    name: str, workdir: Path, stock: StockBot, workload: Workload, run_id: str
) -> list[Figures]:
    """Start the configuration's servers, warm up, measure every round; [] when it cannot run."""
    load = "/".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"{name}: starting the servers (load average {load}) ...", flush=True)
    prefix = f"bench-{run_id}-{name}"
    rounds = []
    expected = workload.conversations * bookings_in_script(workload.messages)
    try:
        with deployment(name, workdir, stock, prefix) as running:
            warm_up(running, workload, prefix)
            print(f"{'':<9} {TABLE_HEADER}", flush=True)
            for number in range(1, workload.rounds + 1):
                if workload.profile is not None and number == 1:
                    folder = workload.profile / name
                    figures = profiled_round(running, workload, f"{prefix}-r{number}", folder)
                else:
                    figures = measure_round(running, workload, f"{prefix}-r{number}")
                print(f"  round {number} {figures.cells(expected)}", flush=True)
                rounds.append(figures)
    except ProfileUnavailable as error:
        print(f"  skipped: {error}", flush=True)
    return rounds


def profiled_round(running: Deployment, workload: Workload, prefix: str, folder: Path) -> Figures:
    """A round with py-spy sampling every server; its profiles are printed after the round (the
    sampling itself slows the servers a little, so it is round 1 only)."""
    processes = {f"rasa{index}": pid for index, pid in enumerate(running.rasa_pids)}
    if running.action_pid is not None:
        processes["actions"] = running.action_pid
    with profiling.sampling(processes, folder) as outputs:
        figures = measure_round(running, workload, prefix)
    for path in outputs.values():
        profiling.print_top(path)
    return figures


def ratio_cells(figures: Figures, reference: Figures | None) -> str:
    """p95 and throughput as multiples of a stock configuration's ("-": it did not run)."""
    if reference is None:
        return f" {'-':>17} {'-':>19}"
    return f" {figures.p95 / reference.p95:17.2f} {figures.throughput / reference.throughput:19.2f}"


def report(results: dict[str, list[Figures]], workload: Workload) -> None:
    expected = workload.conversations * bookings_in_script(workload.messages)
    medians = {name: Figures.median(rounds) for name, rounds in results.items() if rounds}
    print(f"\nmedians over {workload.rounds} round(s)\n{'configuration':<14} {TABLE_HEADER}")
    for name in results:
        print(f"{name:<14} {medians[name].cells(expected) if name in medians else 'did not run'}")
    stocks = {name: medians.get(name) for name in STOCK_CONFIGURATIONS}
    print("\nratios to the stock bot (p95: lower is better; msg/s: higher is better)")
    print(f"{'configuration':<14}" + "".join(f" {'p95/' + s:>17} {'msg/s/' + s:>19}" for s in stocks))
    for name, figures in medians.items():
        print(f"{name:<14}" + "".join(ratio_cells(figures, reference) for reference in stocks.values()))
    print(
        f"\ntarget for this bot: p95 at most {TARGET_P95_RATIO}x the stock bot's, zero errors, "
        "zero lost, a reply to every message"
    )
    for stock, reference in stocks.items():
        if reference is None:
            continue
        over = [
            name
            for name, figures in medians.items()
            if name not in STOCK_CONFIGURATIONS and figures.p95 > TARGET_P95_RATIO * reference.p95
        ]
        print(f"  against {stock}: {'met by all' if not over else 'not met by ' + ', '.join(over)}")
    troubled = [
        f"{name} round {number}"
        for name, rounds in results.items()
        for number, figures in enumerate(rounds, 1)
        if figures.errors or figures.lost or (figures.unanswered and name not in STOCK_CONFIGURATIONS)
    ]
    print(f"  rounds with errors, lost messages or (this bot) no reply: {', '.join(troubled) or 'none'}")


def parse_workload(argv: list[str] | None) -> tuple[Workload, list[str]]:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--conversations", type=int, default=50, help="concurrent conversations")
    parser.add_argument("--messages", type=int, default=20, help="messages per conversation")
    parser.add_argument("--rounds", type=int, default=3, help="measured rounds per configuration")
    parser.add_argument(
        "--only", default=",".join(CONFIGURATIONS), help="comma-separated configurations to run"
    )
    parser.add_argument(
        "--profile", type=Path, help="sample every server with py-spy in round 1; profiles go to this folder"
    )
    args = parser.parse_args(argv)
    names = args.only.split(",")
    unknown = [name for name in names if name not in CONFIGURATIONS]
    if unknown:
        parser.error(f"unknown configuration {', '.join(unknown)}; known: {', '.join(CONFIGURATIONS)}")
    if min(args.conversations, args.messages, args.rounds) < 1:
        parser.error("--conversations, --messages and --rounds must be at least 1")
    return Workload(args.conversations, args.messages, args.rounds, args.profile), names


def main(argv: list[str] | None = None) -> None:
    workload, names = parse_workload(argv)
    run_id = secrets.token_hex(4)
    print(
        f"{workload.conversations} concurrent conversations x {workload.messages} messages, "
        f"{workload.rounds} round(s) per configuration, on {psutil.cpu_count()} cores shared with "
        f"the client and anything else running\n",
        flush=True,
    )
    results: dict[str, list[Figures]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp:
        stock = StockBot(Path(tmp) / "stock-project")
        for name in names:
            workdir = Path(tmp) / name
            workdir.mkdir()
            results[name] = run_configuration(name, workdir, stock, workload, run_id)
    report(results, workload)


if __name__ == "__main__":
    main()
