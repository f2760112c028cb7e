"""`make run`'s script (scripts/run.sh) as a user starts it, on other ports: the three processes
come up, the Rasa server reaches the action server with the shared secret from this checkout's
token file, the unset clinic routes are named, and Ctrl-C stops everything. The stores and logs
go to a temporary folder; only var/action-server.token is this checkout's, as with make run."""

import os
import signal
import subprocess
import time

import pytest
import requests
import yaml

from tests.support.harness import free_port, sqlite_tracker_store
from tests.support.paths import PROJECT_ROOT

FROM_ENVIRONMENT = (
    "ACTION_",
    "LIVE_CHAT",
    "RASA_PORT",
    "RASA_PUBLIC",
    "WEB_PORT",
    "ENDPOINTS",
    "BOOKING_",
    "STAFF_",
    "BOT_SETTINGS",
)


@pytest.fixture(scope="module")
def started(tmp_path_factory, trained_model):
    workdir = tmp_path_factory.mktemp("run-script")
    endpoints = yaml.safe_load((PROJECT_ROOT / "endpoints.yml").read_text())
    endpoints["tracker_store"] = sqlite_tracker_store(workdir / "tracker.db")
    (workdir / "endpoints.yml").write_text(yaml.safe_dump(endpoints))
    ports = {"RASA_PORT": free_port(), "ACTION_PORT": free_port(), "WEB_PORT": free_port()}
    env = {k: v for k, v in os.environ.items() if not k.startswith(FROM_ENVIRONMENT)}
    env.update(
        {name: str(port) for name, port in ports.items()},
        ENDPOINTS=str(workdir / "endpoints.yml"),
        LOG_DIR=str(workdir / "logs"),
        BOOKING_DATABASE_URL=f"sqlite:///{workdir / 'bookings.db'}",
        STAFF_DATABASE_URL=f"sqlite:///{workdir / 'staff.db'}",
        STAFF_TRACKER_STORE_URL=f"sqlite:///{workdir / 'tracker.db'}",
        RASA_TELEMETRY_ENABLED="false",
    )
    output = workdir / "run.out"
    with open(output, "wb") as handle:
        script = subprocess.Popen(
            ["scripts/run.sh"], cwd=PROJECT_ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT
        )
    try:
        deadline = time.monotonic() + 400
        while "Press Ctrl-C" not in output.read_text(errors="replace"):
            assert script.poll() is None, output.read_text(errors="replace")
            assert time.monotonic() < deadline, output.read_text(errors="replace")
            time.sleep(1)
        yield script, ports, output
    finally:
        if script.poll() is None:
            script.send_signal(signal.SIGINT)
            script.wait(timeout=60)


def say(ports, sender: str, message: str) -> str:
    reply = requests.post(
        f"http://127.0.0.1:{ports['RASA_PORT']}/webhooks/rest/webhook",
        json={"sender": sender, "message": message},
        timeout=120,
    )
    reply.raise_for_status()
    return "\n".join(m.get("text") or "" for m in reply.json())


def test_the_bot_answers_through_its_action_server_on_other_ports(started):
    _, ports, _ = started
    assert "3–4 months" in say(ports, "run-1", "how long does botox last for facial palsy?")
    assert "callback request" in say(ports, "run-1", "can I talk to a person?")


def test_the_checkout_token_is_used_and_the_action_server_refuses_others(started):
    """No ACTION_SERVER_TOKEN was set: the action server takes this checkout's token file."""
    _, ports, _ = started
    token_file = PROJECT_ROOT / "var" / "action-server.token"
    assert token_file.stat().st_mode & 0o077 == 0
    actions = f"http://127.0.0.1:{ports['ACTION_PORT']}/actions"
    assert requests.get(actions, timeout=30).status_code == 401
    bearer = {"Authorization": f"Bearer {token_file.read_text().strip()}"}
    assert requests.get(actions, headers=bearer, timeout=30).status_code == 200


def test_the_widget_and_the_live_chat_reach_this_rasa_server(started):
    """The web app is told the Rasa server's port, and the console holds the checkout's live-chat
    secret, which the Rasa server's live channel requires."""
    _, ports, output = started
    page = requests.get(f"http://127.0.0.1:{ports['WEB_PORT']}/", timeout=30).text
    assert f'data-server-url="http://localhost:{ports["RASA_PORT"]}"' in page
    assert f"http://localhost:{ports['WEB_PORT']}/staff/live" in output.read_text(errors="replace")
    token_file = PROJECT_ROOT / "var" / "live-chat.token"
    assert token_file.stat().st_mode & 0o077 == 0
    live = f"http://127.0.0.1:{ports['RASA_PORT']}/webhooks/live/staff"
    body = {"sender": "run-1", "op": "join", "agent": "Alice"}
    assert requests.post(live, json=body, timeout=30).status_code == 401
    bearer = {"Authorization": f"Bearer {token_file.read_text().strip()}"}
    assert (
        requests.post(live, json={**body, "sender": "nobody-here"}, headers=bearer, timeout=30).status_code
        == 404
    )


def test_what_the_servers_write_is_readable_by_this_user_only(started, tmp_path_factory):
    _, ports, output = started
    say(ports, "run-private", "how long does botox last?")
    workdir = output.parent
    for name in ("tracker.db", "staff.db", "bookings.db", "logs/rasa.log", "logs/web.log"):
        path = workdir / name
        if path.exists():
            assert path.stat().st_mode & 0o077 == 0, name
    assert (workdir / "tracker.db").exists() and (workdir / "staff.db").exists()


def test_the_unset_clinic_routes_are_named_after_the_addresses(started):
    _, ports, output = started
    text = output.read_text(errors="replace")
    assert f"http://localhost:{ports['WEB_PORT']}/" in text
    assert "clinic.phone, clinic.opening_hours, clinic.booking_url are empty" in text


def test_ctrl_c_stops_every_process(started):
    script, ports, output = started
    script.send_signal(signal.SIGINT)
    assert script.wait(timeout=60) == 0
    assert "All processes stopped." in output.read_text(errors="replace")
    for port in ports.values():
        with pytest.raises(requests.ConnectionError):
            requests.get(f"http://127.0.0.1:{port}/", timeout=5)
