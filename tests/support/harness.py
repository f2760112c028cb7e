"""Starting the real servers for end-to-end tests: the action server and one or more Rasa servers
on free ports, with their own endpoints file and tracker store, stopped when the test is done.
Each server can be stopped and started again on its port, for fault tests."""

import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests
import yaml

from tests.support.paths import MODEL_PATH, PROJECT_ROOT, RASA_BIN

SERVER_ENV = {
    "RASA_TELEMETRY_ENABLED": "false",
    "TF_CPP_MIN_LOG_LEVEL": "2",
    "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
    # Tests send many conversations from 127.0.0.1; tests/e2e/test_flood_protection.py turns the
    # flood protection back on with its own limits.
    "CLINIC_RATE_LIMIT": "off",
    # The shared secret of the action server and the Rasa servers (bot/runtime/action_token.py).
    "ACTION_SERVER_TOKEN": secrets.token_urlsafe(32),
    # The staff console's secret for the Rasa server's live channel (bot/runtime/live_channel.py).
    "LIVE_CHAT_TOKEN": secrets.token_urlsafe(32),
}
# The header the Rasa server sends on every action call, for tests that call the action server.
ACTION_AUTHORIZATION = {"Authorization": f"Bearer {SERVER_ENV['ACTION_SERVER_TOKEN']}"}
# As scripts/run.sh: the Rasa server refuses bodies over 1 MB before reading them.
RASA_SERVER_ENV = {"SANIC_REQUEST_MAX_SIZE": "1048576"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, log: Path, timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url} exited early:\n{log.read_text()[-3000:]}")
        try:
            requests.get(url, timeout=2)
            return
        except requests.RequestException:
            time.sleep(0.5)
    raise RuntimeError(f"{url} did not come up in {timeout}s:\n{log.read_text()[-3000:]}")


def start_process(args: list[str], log: Path, env: dict[str, str] | None = None) -> subprocess.Popen:
    # Appends, so a restarted server keeps its earlier log; the process owns the handle.
    handle = open(log, "ab")  # noqa: SIM115
    return subprocess.Popen(
        args,
        cwd=PROJECT_ROOT,
        stdout=handle,
        stderr=subprocess.STDOUT,
        env={**os.environ, **SERVER_ENV, **(env or {})},
    )


def stop_process(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@dataclass
class Server:
    """One server process that can be stopped and started again on the same port."""

    args: list[str]
    health_url: str
    log: Path
    env: dict[str, str]
    process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = start_process(self.args, self.log, self.env)

    def wait_until_up(self) -> None:
        if self.process is None:
            raise RuntimeError(f"{self.health_url}: wait_until_up before start")
        wait_until_up(self.health_url, self.process, self.log)

    def stop(self) -> None:
        if self.process is not None:
            stop_process(self.process)

    def restart(self) -> None:
        self.stop()
        self.start()
        self.wait_until_up()

    @property
    def pid(self) -> int:
        return self.process.pid if self.process else 0


class RunningBot:
    """The action server and one or more Rasa servers sharing one endpoints file."""

    def __init__(
        self,
        actions: Server,
        rasa: list[Server],
        action_url: str,
        rasa_urls: list[str],
        tracker_db: Path,
        workdir: Path,
    ) -> None:
        self.actions, self.rasa = actions, rasa
        self.action_url, self.rasa_urls = action_url, rasa_urls
        self.tracker_db, self.workdir = tracker_db, workdir

    @property
    def rasa_url(self) -> str:
        return self.rasa_urls[0]

    @property
    def rasa_pid(self) -> int:
        return self.rasa[0].pid

    @property
    def action_pid(self) -> int:
        return self.actions.pid

    def post(self, body: bytes | dict, instance: int = 0, **headers: str) -> requests.Response:
        """POST a raw body (bytes) or a JSON object to the REST channel of one Rasa instance."""
        url = f"{self.rasa_urls[instance]}/webhooks/rest/webhook"
        if isinstance(body, bytes):
            return requests.post(
                url, data=body, timeout=60, headers={"Content-Type": "application/json", **headers}
            )
        return requests.post(url, json=body, timeout=60, headers=headers)

    def say(self, sender: str, message: str, instance: int = 0) -> list[dict]:
        """Send one message over the REST channel; returns the bot's messages."""
        response = self.post({"sender": sender, "message": message}, instance)
        response.raise_for_status()
        return response.json()


def write_endpoints(
    path: Path, action_port: int, tracker_db: Path, tracker_store: dict[str, Any] | None = None
) -> None:
    path.write_text(
        yaml.safe_dump(
            {
                "action_endpoint": action_endpoint(f"http://127.0.0.1:{action_port}/webhook"),
                "tracker_store": tracker_store or sqlite_tracker_store(tracker_db),
                "lock_store": {"type": "in_memory"},
            }
        )
    )


def action_endpoint(url: str) -> dict[str, Any]:
    """endpoints.yml's action endpoint (with the header carrying the shared secret) at `url`."""
    shipped = yaml.safe_load((PROJECT_ROOT / "endpoints.yml").read_text())["action_endpoint"]
    return {**shipped, "url": url}


def sqlite_tracker_store(path: Path) -> dict[str, Any]:
    """The tracker store of endpoints.yml (the embedded default) on the SQLite file `path`."""
    return {
        "type": "bot.runtime.tracker_store.ResilientSQLTrackerStore",
        "dialect": "sqlite",
        "db": str(path),
    }


def postgres_tracker_store(url: str) -> dict[str, Any]:
    """Rasa's SQL tracker store settings for a postgresql://user[:password]@host:port/db URL."""
    from sqlalchemy.engine import make_url

    parts = make_url(url)
    return {
        "type": "SQL",
        "dialect": "postgresql",
        "url": parts.host,
        "port": parts.port or 5432,
        "db": parts.database,
        "username": parts.username,
        "password": parts.password or "",
    }


def action_server_args(port: int) -> list[str]:
    return [sys.executable, "-m", "bot.runtime.action_server", "--port", str(port)]


def rasa_server_args(port: int, endpoints: Path, cors: Sequence[str] = ()) -> list[str]:
    return [
        sys.executable,
        "-m",
        "bot.runtime.rasa_server",
        "run",
        "-m",
        str(MODEL_PATH),
        "--port",
        str(port),
        "--endpoints",
        str(endpoints),
        "--credentials",
        "credentials.yml",
        *(["--cors", *cors] if cors else []),
    ]


@contextmanager
def running_bot(
    workdir: Path,
    env: dict[str, str] | None = None,
    cors: Sequence[str] = (),
    endpoints_file: Path | None = None,
    rasa_instances: int = 1,
    tracker_store: dict[str, Any] | None = None,
) -> Iterator[RunningBot]:
    """The trained bot with both servers up; everything stops when the block ends.

    `cors`: page origins allowed to call the Rasa server from a browser (the widget's tests).
    By default the Rasa server keeps conversations in a SQLite file in `workdir`. With
    `endpoints_file` (e.g. endpoints.production.yml) it uses that file instead, with the action
    server's URL in ACTION_SERVER_URL and everything else from `env`; `rasa_instances` Rasa
    servers then share its tracker and lock stores. `tracker_store`: other tracker store
    settings for the generated endpoints file (e.g. `postgres_tracker_store(url)`). Booking
    requests are stored in `workdir` (BOOKING_DATABASE_URL), and so are those the store could not
    take (BOOKING_PENDING_FILE) and the staff database (STAFF_DATABASE_URL), not in var/, unless
    `env` names others.
    """
    action_port = free_port()
    action_url = f"http://127.0.0.1:{action_port}"
    tracker_db = workdir / "tracker.db"
    if endpoints_file is None:
        endpoints_file = workdir / "endpoints.yml"
        write_endpoints(endpoints_file, action_port, tracker_db, tracker_store)
    env = {
        "BOOKING_PENDING_FILE": str(workdir / "pending_bookings.jsonl"),
        "BOOKING_DATABASE_URL": f"sqlite:///{workdir / 'bookings.db'}",
        # Whether staff are online for a live chat: the action server reads the staff database.
        "STAFF_DATABASE_URL": f"sqlite:///{workdir / 'staff.db'}",
        **(env or {}),
        "ACTION_SERVER_URL": f"{action_url}/webhook",
    }
    actions = Server(action_server_args(action_port), f"{action_url}/health", workdir / "actions.log", env)
    rasa_ports = [free_port() for _ in range(rasa_instances)]
    rasa = [
        Server(
            rasa_server_args(port, endpoints_file, cors),
            f"http://127.0.0.1:{port}/",
            workdir / f"rasa{index}.log" if index else workdir / "rasa.log",
            {**env, **RASA_SERVER_ENV},
        )
        for index, port in enumerate(rasa_ports)
    ]
    servers = [actions, *rasa]
    try:
        for server in servers:
            server.start()
        for server in servers:
            server.wait_until_up()
        yield RunningBot(
            actions,
            rasa,
            action_url,
            [f"http://127.0.0.1:{port}" for port in rasa_ports],
            tracker_db,
            workdir,
        )
    finally:
        for server in reversed(servers):
            server.stop()


def run_rasa_cli(args: list[str], timeout: float = 900) -> subprocess.CompletedProcess:
    """Run a `rasa` command in the project folder and capture its output."""
    return subprocess.run(
        [str(RASA_BIN), *args],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **SERVER_ENV},
    )


if __name__ == "__main__":  # pragma: no cover - manual use
    sys.exit("import this module from tests")
