"""`make run-replica PORT=...` as a newcomer types it in a second terminal: nothing exported but
the port, and a second Rasa server on the production profile comes up and answers. The action
server runs as `make run-production` starts it, with this checkout's token file."""

import os
import subprocess
from pathlib import Path

import requests
from sqlalchemy.engine import make_url

from bot.runtime.action_token import TOKEN_VARIABLE, local_token
from tests.support.harness import (
    SERVER_ENV,
    Server,
    action_server_args,
    free_port,
    stop_process,
    wait_until_up,
)
from tests.support.paths import PROJECT_ROOT

SETTINGS_FROM_ENVIRONMENT = (
    "DB_",
    "REDIS_",
    "ACTION_SERVER_URL",
    TOKEN_VARIABLE,
    "BOOKING_DATABASE_URL",
    "RATE_LIMIT_",
)


def newcomer_environment(**values: str) -> dict[str, str]:
    """This process's environment without any of the profile's settings, plus `values`."""
    kept = {k: v for k, v in os.environ.items() if not k.startswith(SETTINGS_FROM_ENVIRONMENT)}
    server_env = {k: v for k, v in SERVER_ENV.items() if not k.startswith(SETTINGS_FROM_ENVIRONMENT)}
    return {**kept, **server_env, **values}


def test_a_replica_starts_with_only_a_port_and_answers(tmp_path: Path, postgres_url, redis_url):
    action_port, rasa_port = free_port(), free_port()
    actions = Server(
        action_server_args(action_port),
        f"http://127.0.0.1:{action_port}/health",
        tmp_path / "a.log",
        {TOKEN_VARIABLE: local_token()},
    )
    log = tmp_path / "replica.log"
    env = newcomer_environment(
        PORT=str(rasa_port), ACTION_PORT=str(action_port), DB_DATABASE=make_url(postgres_url).database
    )
    actions.start()
    with open(log, "ab") as handle:
        replica = subprocess.Popen(
            ["scripts/run-replica.sh"], cwd=PROJECT_ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT
        )
    try:
        actions.wait_until_up()
        wait_until_up(f"http://127.0.0.1:{rasa_port}/", replica, log)
        reply = requests.post(
            f"http://127.0.0.1:{rasa_port}/webhooks/rest/webhook",
            json={"sender": "replica-patient", "message": "how long does botox last for facial palsy?"},
            timeout=120,
        )
        assert reply.status_code == 200
        assert any("3–4 months" in (m.get("text") or "") for m in reply.json())
        assert "Set these environment variables" not in log.read_text(errors="replace")
    finally:
        stop_process(replica)
        actions.stop()
