"""The production profile (endpoints.production.yml) on the real PostgreSQL and Redis: two Rasa
servers share one conversation, turn by turn and at the same time; a restarted Rasa server, or a
database or lock store that is unreachable for a while, loses nothing. The servers reach
PostgreSQL and Redis through proxies the tests cut (the real servers are shared): one proxy for
the Rasa servers' tracker store, one for the action server's booking store, one for Redis."""

import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from urllib.parse import urlsplit

import pytest
import sqlalchemy
from sqlalchemy.engine import make_url

from bot.booking.store import BookingStore
from bot.runtime.production import ProductionServices
from bot.runtime.service_notices import unavailable_reply
from tests.support.harness import running_bot
from tests.support.paths import PROJECT_ROOT
from tests.support.tcp_proxy import tcp_proxy

PRODUCTION_ENDPOINTS = PROJECT_ROOT / "endpoints.production.yml"
# One booking, one message per turn: (message, words of the bot's reply).
BOOKING = [
    ("/request_booking", "What's your full name?"),
    ("Priya Shah", "phone number or email"),
    ("priya@example.com", "Which day and time"),
    ("next Friday at 2pm", "what would you like to talk about"),
    ("my smile droops on one side", "Do you agree"),
    ("yes", "Shall I send it"),
]
CONFIRM = "/affirm"


@pytest.fixture(scope="module")
def cluster(tmp_path_factory, trained_model, module_postgres_url, module_redis_url):
    database, redis = make_url(module_postgres_url), urlsplit(module_redis_url)
    with (
        tcp_proxy(database.host, database.port or 5432) as tracker_proxy,
        tcp_proxy(database.host, database.port or 5432) as booking_proxy,
        tcp_proxy(redis.hostname, redis.port or 6379) as redis_proxy,
    ):

        def via(proxy):
            return database.set(host="127.0.0.1", port=proxy.port).render_as_string(False)

        env = ProductionServices.from_urls(
            via(tracker_proxy), f"redis://127.0.0.1:{redis_proxy.port}{redis.path}"
        ).as_env()
        env["BOOKING_DATABASE_URL"] = via(booking_proxy)
        with running_bot(
            tmp_path_factory.mktemp("production"),
            env=env,
            endpoints_file=PRODUCTION_ENDPOINTS,
            rasa_instances=2,
        ) as bot:
            bot.database_url = module_postgres_url
            bot.tracker_proxy, bot.booking_proxy, bot.redis_proxy = tracker_proxy, booking_proxy, redis_proxy
            bot.bookings = BookingStore(module_postgres_url)
            yield bot
            bot.bookings.dispose()


@contextmanager
def cut(*proxies):
    for proxy in proxies:
        proxy.cut()
    try:
        yield
    finally:
        for proxy in proxies:
            proxy.restore()


def stored_events(bot, sender):
    """(type, text, action name or slot) of a conversation's events in the tracker store, in order."""
    engine = sqlalchemy.create_engine(bot.database_url)
    with engine.connect() as connection:
        rows = connection.execute(
            sqlalchemy.text(
                "select type_name, action_name, data from events where sender_id = :s order by id"
            ),
            {"s": sender},
        ).fetchall()
    engine.dispose()
    events = []
    for kind, action, data in rows:
        data = json.loads(data)
        value = {"user": data.get("text"), "slot": (data.get("name"), data.get("value"))}.get(kind, action)
        events.append((kind, value))
    return events


def turns(events):
    """The events split into turns, each starting with the user's message."""
    result = []
    for kind, value in events:
        if kind == "user":
            result.append([(kind, value)])
        elif result:
            result[-1].append((kind, value))
    return result


def user_messages(bot, sender):
    return [turn[0][1] for turn in turns(stored_events(bot, sender))]


def last_slots(bot, sender):
    return dict(value for kind, value in stored_events(bot, sender) if kind == "slot")


def texts(messages):
    return " ".join(m["text"] for m in messages if m.get("text"))


def say_in_background(bot, sender, message, instance):
    """Send a message from another thread; `.join()` then `.reply` holds the bot's answer."""
    thread = threading.Thread(target=lambda: setattr(thread, "reply", bot.say(sender, message, instance)))
    thread.start()
    return thread


def eventually(check, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.5)
    return False


def assert_booked_once(bot, sender):
    rows = bot.bookings.find(conversation_id=sender)
    assert len(rows) == 1, rows
    row = rows[0]
    assert (row["name"], row["email"], row["reason"], row["consent"]) == (
        "Priya Shah",
        "priya@example.com",
        "my smile droops on one side",
        True,
    )
    assert row["preferred_time_text"] == "next Friday at 2pm"
    return row


def test_a_booking_alternating_between_two_rasa_servers_keeps_every_turn_and_slot(cluster):
    sender = "prod-alternating"
    for index, (message, expected) in enumerate(BOOKING):
        assert expected in texts(cluster.say(sender, message, instance=index % 2)), message
    done = texts(cluster.say(sender, CONFIRM, instance=len(BOOKING) % 2))
    row = assert_booked_once(cluster, sender)
    assert row["reference"] in done
    conversation = turns(stored_events(cluster, sender))
    assert [turn[0][1] for turn in conversation] == [m for m, _ in BOOKING] + [CONFIRM]
    assert all(turn[-1] == ("action", "action_listen") for turn in conversation)
    # Each server saw the slots the other one filled: the form never asked for a value twice.
    assert ("slot", ("booking_name", "Priya Shah")) in conversation[1]
    assert ("slot", ("booking_email", "priya@example.com")) in conversation[2]


def test_messages_sent_at_once_to_both_servers_are_handled_one_at_a_time(cluster):
    sender = "prod-concurrent"
    messages = [f"how long does botox last? ({n})" for n in range(6)]
    with ThreadPoolExecutor(max_workers=6) as pool:
        replies = list(
            pool.map(lambda item: cluster.say(sender, item[1], instance=item[0] % 2), enumerate(messages))
        )
    assert all("3–4 months" in texts(reply) for reply in replies)
    conversation = turns(stored_events(cluster, sender))
    assert sorted(turn[0][1] for turn in conversation) == sorted(messages)
    # With the Redis lock each turn is complete before the next starts: one answer (perhaps followed
    # by the booking offer), then listen.
    for turn in conversation:
        actions = [value for kind, value in turn if kind == "action"]
        assert actions.count("action_answer_topic") == 1 and actions.count("action_listen") == 1, turn
        assert actions[0] == "action_answer_topic" and actions[-1] == "action_listen", turn


def test_a_rasa_server_restarted_mid_booking_resumes_the_form_with_the_slots_kept(cluster):
    sender = "prod-restart"
    for message, expected in BOOKING[:3]:
        assert expected in texts(cluster.say(sender, message, instance=0)), message
    cluster.rasa[0].restart()
    assert last_slots(cluster, sender)["requested_slot"] == "booking_preferred_time"
    for message, expected in BOOKING[3:]:  # the form goes on at the next question
        assert expected in texts(cluster.say(sender, message, instance=0)), message
    done = texts(cluster.say(sender, CONFIRM, instance=0))
    assert assert_booked_once(cluster, sender)["reference"] in done
    assert user_messages(cluster, sender) == [m for m, _ in BOOKING] + [CONFIRM]


def test_postgresql_briefly_unreachable_at_the_confirmation_loses_nothing(cluster):
    sender = "prod-db-blip"
    for index, (message, _) in enumerate(BOOKING):
        cluster.say(sender, message, instance=index % 2)
    with cut(cluster.tracker_proxy, cluster.booking_proxy):
        waiting = say_in_background(cluster, sender, CONFIRM, instance=1)
        waiting.join(timeout=3)
        assert waiting.is_alive(), "answered while PostgreSQL was unreachable"
    waiting.join(timeout=60)
    row = assert_booked_once(cluster, sender)
    assert row["reference"] in texts(waiting.reply) and "has been sent" in texts(waiting.reply)
    assert user_messages(cluster, sender)[-1] == CONFIRM


def test_booking_store_unreachable_keeps_the_request_and_stores_it_when_back(cluster):
    sender = "prod-booking-store-down"
    for index, (message, _) in enumerate(BOOKING):
        cluster.say(sender, message, instance=index % 2)
    with cut(cluster.booking_proxy):
        reply = texts(cluster.say(sender, CONFIRM, instance=0))
        assert "couldn't save your request" in reply and "kept it" in reply
        assert cluster.bookings.find(conversation_id=sender) == []
    # The action server's worker retries every 30 s until the store takes it.
    assert eventually(lambda: cluster.bookings.find(conversation_id=sender), seconds=75)
    row = assert_booked_once(cluster, sender)
    assert row["reference"] in reply


def test_a_long_database_outage_tells_the_patient_and_keeps_the_conversation(cluster):
    sender = "prod-db-down"
    assert "doesn't list prices" in texts(cluster.say(sender, "how much does it cost?", instance=0))
    with cut(cluster.tracker_proxy, cluster.booking_proxy):
        assert texts(cluster.say(sender, "yes", instance=1)) == unavailable_reply().text
    # The conversation is where it was before the outage, not a blank one: "yes" still accepts the
    # booking offer. The turn the patient was told about is not stored.
    assert "What's your full name?" in texts(cluster.say(sender, "yes", instance=1))
    assert user_messages(cluster, sender) == ["how much does it cost?", "yes"]


def test_redis_unreachable_gives_the_notice_and_the_conversation_continues(cluster):
    sender = "prod-redis-down"
    assert "doesn't list prices" in texts(cluster.say(sender, "how much does it cost?", instance=0))
    with cut(cluster.redis_proxy):
        assert texts(cluster.say(sender, "yes", instance=1)) == unavailable_reply().text
    assert "What's your full name?" in texts(cluster.say(sender, "yes", instance=0))
