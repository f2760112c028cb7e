"""Live takeover on the production profile (endpoints.production.yml): two Rasa servers over one
PostgreSQL tracker store and a Redis lock store, the staff database on PostgreSQL too. The patient
talks to one Rasa server and the console speaks through the other: the live state is in the
tracker store, never in one process's memory, so both servers keep the bot quiet and both give
the widget what staff wrote."""

import pytest
import requests
from fastapi.testclient import TestClient

from bot.runtime.production import ProductionServices
from bot.web import create_app
from bot.wording import wording
from tests.support.harness import SERVER_ENV, running_bot
from tests.support.paths import PROJECT_ROOT
from tests.support.staff_conversations import make_console, stores_of
from tests.support.staff_web import BASE_URL, csrf_of, signed_in_client

PRODUCTION_ENDPOINTS = PROJECT_ROOT / "endpoints.production.yml"


@pytest.fixture(scope="module")
def cluster(tmp_path_factory, trained_model, module_postgres_url, module_redis_url):
    env = ProductionServices.from_urls(module_postgres_url, module_redis_url).as_env()
    env["BOOKING_DATABASE_URL"] = env["STAFF_DATABASE_URL"] = module_postgres_url
    patch = pytest.MonkeyPatch()
    patch.setenv("LIVE_CHAT_TOKEN", SERVER_ENV["LIVE_CHAT_TOKEN"])
    workdir = tmp_path_factory.mktemp("takeover-production")
    with running_bot(workdir, env=env, endpoints_file=PRODUCTION_ENDPOINTS, rasa_instances=2) as bot:
        console = make_console(workdir, stores_of(workdir, module_postgres_url), module_postgres_url)
        app = create_app(console=console, rasa_url=bot.rasa_urls[1])  # staff speak through server 1
        staff = signed_in_client(console, "alice", client=TestClient(app, base_url=BASE_URL))
        yield bot, staff
    patch.undo()


def updates(bot, sender, instance):
    response = requests.get(
        f"{bot.rasa_urls[instance]}/webhooks/live/updates", params={"sender": sender}, timeout=30
    )
    response.raise_for_status()
    return response.json()


def staff_post(staff, path, sender, **fields):
    token = csrf_of(staff.get("/staff/live").text)
    return staff.post(path, data={"csrf_token": token, "id": sender, **fields}, follow_redirects=False)


def test_takeover_across_two_rasa_servers_on_postgresql_and_redis(cluster):
    bot, staff = cluster
    patient = "takeover-two-servers"
    staff.get("/staff/live")  # Alice is online
    asked = bot.say(patient, "i'd like to talk to a person", instance=0)
    assert wording("live.waiting") in " ".join(m.get("text") or "" for m in asked)
    assert updates(bot, patient, 1)["state"] == "waiting"

    assert staff_post(staff, "/staff/live/take", patient).status_code == 303
    assert staff_post(staff, "/staff/live/say", patient, text="Hello from Alice").status_code == 303
    for instance in (0, 1):
        seen = updates(bot, patient, instance)
        assert seen["state"] == "joined" and seen["messages"][-1]["text"] == "Hello from Alice"
        assert bot.say(patient, "how long does botox last?", instance=instance) == []

    assert staff_post(staff, "/staff/live/hand-back", patient).status_code == 303
    assert updates(bot, patient, 0)["state"] is None
    answer = bot.say(patient, "how long does botox last?", instance=0)
    assert "3–4 months" in " ".join(m.get("text") or "" for m in answer)
