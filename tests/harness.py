"""Starting the real servers for end-to-end tests: the action server and a Rasa server on free
ports, with their own endpoints file and tracker store, stopped when the test is done."""
import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Sequence

import requests
import yaml

from tests.conftest import MODEL_PATH, PROJECT_ROOT, RASA_BIN

SERVER_ENV = {
    "RASA_TELEMETRY_ENABLED": "false",
    "TF_CPP_MIN_LOG_LEVEL": "2",
    "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
}


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


def start_process(args: List[str], log: Path, env: Optional[Dict[str, str]] = None) -> subprocess.Popen:
    handle = open(log, "wb")
    return subprocess.Popen(
        args, cwd=PROJECT_ROOT, stdout=handle, stderr=subprocess.STDOUT,
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
class RunningBot:
    rasa_url: str
    action_url: str
    tracker_db: Path
    workdir: Path
    rasa_pid: int = 0
    action_pid: int = 0

    def say(self, sender: str, message: str) -> List[dict]:
        """Send one message over the REST channel; returns the bot's messages."""
        response = requests.post(
            f"{self.rasa_url}/webhooks/rest/webhook",
            json={"sender": sender, "message": message}, timeout=60,
        )
        response.raise_for_status()
        return response.json()


def write_endpoints(path: Path, action_port: int, tracker_db: Path,
                    tracker_store: Optional[Dict[str, Any]] = None) -> None:
    path.write_text(yaml.safe_dump({
        "action_endpoint": {"url": f"http://127.0.0.1:{action_port}/webhook"},
        "tracker_store": tracker_store or {"type": "SQL", "dialect": "sqlite", "db": str(tracker_db)},
        "lock_store": {"type": "in_memory"},
    }))


def postgres_tracker_store(url: str) -> Dict[str, Any]:
    """Rasa's SQL tracker store settings for a postgresql://user[:password]@host:port/db URL."""
    from sqlalchemy.engine import make_url

    parts = make_url(url)
    return {"type": "SQL", "dialect": "postgresql", "url": parts.host, "port": parts.port or 5432,
            "db": parts.database, "username": parts.username, "password": parts.password or ""}


@contextmanager
def running_bot(
    workdir: Path, env: Optional[Dict[str, str]] = None, cors: Sequence[str] = (),
    tracker_store: Optional[Dict[str, Any]] = None,
) -> Iterator[RunningBot]:
    """The trained bot with both servers up; everything stops when the block ends.

    `cors`: page origins allowed to call the Rasa server from a browser (the widget's tests).
    `tracker_store`: Rasa tracker store settings (default: SQLite at RunningBot.tracker_db).
    """
    action_port, rasa_port = free_port(), free_port()
    tracker_db = workdir / "tracker.db"
    endpoints = workdir / "endpoints.yml"
    write_endpoints(endpoints, action_port, tracker_db, tracker_store)
    actions = start_process(
        [str(RASA_BIN), "run", "actions", "--port", str(action_port)], workdir / "actions.log", env)
    rasa = start_process(
        [str(RASA_BIN), "run", "-m", str(MODEL_PATH), "--port", str(rasa_port),
         "--endpoints", str(endpoints), "--credentials", "credentials.yml",
         *(["--cors", *cors] if cors else [])],
        workdir / "rasa.log", env)
    try:
        wait_until_up(f"http://127.0.0.1:{action_port}/health", actions, workdir / "actions.log")
        wait_until_up(f"http://127.0.0.1:{rasa_port}/", rasa, workdir / "rasa.log")
        yield RunningBot(f"http://127.0.0.1:{rasa_port}", f"http://127.0.0.1:{action_port}",
                         tracker_db, workdir, rasa.pid, actions.pid)
    finally:
        stop_process(rasa)
        stop_process(actions)


def run_rasa_cli(args: List[str], timeout: float = 900) -> subprocess.CompletedProcess:
    """Run a `rasa` command in the project folder and capture its output."""
    return subprocess.run(
        [str(RASA_BIN), *args], cwd=PROJECT_ROOT, capture_output=True, text=True,
        timeout=timeout, env={**os.environ, **SERVER_ENV},
    )


if __name__ == "__main__":  # pragma: no cover - manual use
    sys.exit("import this module from tests")
