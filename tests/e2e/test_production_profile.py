"""The production profile (endpoints.production.yml) on the real PostgreSQL and Redis: two Rasa
servers share one conversation, turn by turn and at the same time; a restarted Rasa server or a
database that is briefly unreachable loses nothing. The servers reach PostgreSQL and Redis through
proxies the tests cut (the real servers are shared)."""
import json
import threading
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import pytest
import sqlalchemy

from sqlalchemy.engine import make_url

from bot.production import ProductionServices
from bot.service_notices import unavailable_reply
from tests.conftest import PROJECT_ROOT
from tests.harness import running_bot
from tests.tcp_proxy import tcp_proxy

PRODUCTION_ENDPOINTS = PROJECT_ROOT / "endpoints.production.yml"


@pytest.fixture(scope="module")
def cluster(tmp_path_factory, trained_model, module_postgres_url, module_redis_url):
    database, redis = make_url(module_postgres_url), urlsplit(module_redis_url)
    with tcp_proxy(database.host, database.port or 5432) as database_proxy, \
            tcp_proxy(redis.hostname, redis.port or 6379) as redis_proxy:
        through_proxy = database.set(host="127.0.0.1", port=database_proxy.port).render_as_string(False)
        env = ProductionServices.from_urls(
            through_proxy, f"redis://127.0.0.1:{redis_proxy.port}{redis.path}").as_env()
        env["BOOKING_DATABASE_URL"] = through_proxy
        with running_bot(tmp_path_factory.mktemp("production"), env=env,
                         endpoints_file=PRODUCTION_ENDPOINTS, rasa_instances=2) as bot:
            bot.database_url, bot.database_proxy, bot.redis_proxy = (
                module_postgres_url, database_proxy, redis_proxy)
            yield bot


def stored_events(bot, sender):
    """(type, text or action name) of a conversation's events in the tracker store, in order."""
    engine = sqlalchemy.create_engine(bot.database_url)
    with engine.connect() as connection:
        rows = connection.execute(sqlalchemy.text(
            "select type_name, action_name, data from events where sender_id = :s order by id"),
            {"s": sender}).fetchall()
    engine.dispose()
    return [(kind, json.loads(data).get("text") if kind == "user" else action)
            for kind, action, data in rows]


def turns(events):
    """The events split into turns, each starting with the user's message."""
    result = []
    for kind, value in events:
        if kind == "user":
            result.append([(kind, value)])
        elif result:
            result[-1].append((kind, value))
    return result


def texts(messages):
    return " ".join(m["text"] for m in messages if m.get("text"))


def test_one_conversation_alternating_between_two_rasa_servers(cluster):
    sender = "prod-alternating"
    script = [
        ("hello", "virtual assistant"),
        ("how much does it cost?", "doesn't list prices"),
        ("yes please", "request a consultation"),       # "yes" to the offer made by the other server
        ("how long does botox last for facial palsy?", "3–4 months"),
        ("thanks", "welcome"),
    ]
    for index, (message, expected) in enumerate(script):
        assert expected in texts(cluster.say(sender, message, instance=index % 2)), message
    conversation = turns(stored_events(cluster, sender))
    assert [turn[0][1] for turn in conversation] == [message for message, _ in script]
    assert all(turn[-1] == ("action", "action_listen") for turn in conversation)
    assert ("action", "action_booking_handoff") in conversation[2]


def test_messages_sent_at_once_to_both_servers_are_handled_one_at_a_time(cluster):
    sender = "prod-concurrent"
    messages = [f"how long does botox last? ({n})" for n in range(6)]
    with ThreadPoolExecutor(max_workers=6) as pool:
        replies = list(pool.map(lambda item: cluster.say(sender, item[1], instance=item[0] % 2),
                                enumerate(messages)))
    assert all("3–4 months" in texts(reply) for reply in replies)
    conversation = turns(stored_events(cluster, sender))
    assert sorted(turn[0][1] for turn in conversation) == sorted(messages)
    # With the Redis lock each turn is complete before the next starts: one answer, then listen.
    actions = [[value for kind, value in turn if kind == "action"] for turn in conversation]
    assert actions == [["action_answer_topic", "action_listen"]] * len(messages)


def test_a_restarted_rasa_server_continues_the_conversation(cluster):
    sender = "prod-restart"
    assert "doesn't list prices" in texts(cluster.say(sender, "is it covered by insurance?", instance=0))
    cluster.rasa[0].restart()
    assert "request a consultation" in texts(cluster.say(sender, "yes", instance=0))
    assert [turn[0][1] for turn in turns(stored_events(cluster, sender))] == [
        "is it covered by insurance?", "yes"]


def say_in_background(bot, sender, message, instance):
    """Send a message from another thread; `.join()` then `.reply` holds the bot's answer."""
    thread = threading.Thread(target=lambda: setattr(thread, "reply", bot.say(sender, message, instance)))
    thread.start()
    return thread


def test_a_brief_database_outage_delays_the_answer_and_loses_nothing(cluster):
    sender = "prod-db-blip"
    assert "virtual assistant" in texts(cluster.say(sender, "hello", instance=0))
    cluster.database_proxy.cut()
    try:
        waiting = say_in_background(cluster, sender, "how much does it cost?", instance=1)
        waiting.join(timeout=3)
        assert waiting.is_alive(), "answered while the database was unreachable"
    finally:
        cluster.database_proxy.restore()
    waiting.join(timeout=30)
    assert "doesn't list prices" in texts(waiting.reply)
    assert "request a consultation" in texts(cluster.say(sender, "yes", instance=0))
    assert [turn[0][1] for turn in turns(stored_events(cluster, sender))] == [
        "hello", "how much does it cost?", "yes"]


def test_a_long_database_outage_tells_the_patient_and_keeps_the_conversation(cluster):
    sender = "prod-db-down"
    assert "doesn't list prices" in texts(cluster.say(sender, "how much does it cost?", instance=0))
    cluster.database_proxy.cut()
    try:
        assert texts(cluster.say(sender, "yes", instance=1)) == unavailable_reply().text
    finally:
        cluster.database_proxy.restore()
    # The conversation is where it was before the outage, not a blank one: "yes" still accepts the
    # booking offer. The turn the patient was told about is not stored.
    assert "request a consultation" in texts(cluster.say(sender, "yes", instance=1))
    assert [turn[0][1] for turn in turns(stored_events(cluster, sender))] == [
        "how much does it cost?", "yes"]


def test_redis_unreachable_gives_the_notice_and_the_conversation_continues(cluster):
    sender = "prod-redis-down"
    assert "doesn't list prices" in texts(cluster.say(sender, "how much does it cost?", instance=0))
    cluster.redis_proxy.cut()
    try:
        assert texts(cluster.say(sender, "yes", instance=1)) == unavailable_reply().text
    finally:
        cluster.redis_proxy.restore()
    assert "request a consultation" in texts(cluster.say(sender, "yes", instance=0))
