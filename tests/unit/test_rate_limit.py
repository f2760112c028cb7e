"""Flood protection (bot/runtime/rate_limit.py): the rules, both counter stores, the settings."""

import asyncio
import uuid

import pytest
import redis

from bot.runtime.rate_limit import (
    KEY_PREFIX,
    FloodGuard,
    MemoryCounters,
    RedisCounters,
    Rule,
    flood_guard_from_settings,
    server_flood_guard,
)
from bot.runtime.service_notices import slow_down_reply
from bot.settings import ConfigError, load_settings
from tests.support.yaml_edit import settings_file_with


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def rules(per_address: int = 5, per_conversation: int = 3, seconds: int = 10) -> dict[str, Rule]:
    return {
        "address": Rule("address", per_address, seconds),
        "conversation": Rule("conversation", per_conversation, seconds),
    }


def run(coroutine):
    return asyncio.run(coroutine)


async def send(guard: FloodGuard, address: str, conversation: str, times: int) -> list[int | None]:
    return [await guard.retry_after(address, conversation) for _ in range(times)]


def test_a_conversation_over_its_limit_waits_until_its_window_ends():
    clock = Clock()
    guard = FloodGuard(rules(per_conversation=3, seconds=10), MemoryCounters(clock))
    assert run(send(guard, "10.0.0.1", "c1", 3)) == [None, None, None]
    clock.now += 4
    assert run(guard.retry_after("10.0.0.1", "c1")) == 6
    clock.now += 6
    assert run(guard.retry_after("10.0.0.1", "c1")) is None


def test_one_address_flooding_many_conversations_is_limited_and_others_are_not():
    guard = FloodGuard(rules(per_address=5, per_conversation=100), MemoryCounters(Clock()))
    flood = [run(guard.retry_after("10.0.0.9", f"c{i}")) for i in range(8)]
    assert flood[:5] == [None] * 5
    assert all(wait == 10 for wait in flood[5:])
    assert run(guard.retry_after("10.0.0.2", "patient")) is None


def test_a_rule_set_to_nothing_and_an_unknown_address_are_not_counted():
    guard = FloodGuard({"conversation": Rule("conversation", 2, 60)}, MemoryCounters(Clock()))
    assert run(send(guard, "", "c1", 2)) == [None, None]
    assert run(guard.retry_after("", "c1")) == 60
    assert run(send(guard, "10.0.0.1", "c2", 2)) == [None, None]


def test_the_memory_store_forgets_ended_windows_when_it_grows():
    clock = Clock()
    counters = MemoryCounters(clock)
    for i in range(10_001):
        run(counters.hit(f"k{i}", 10))
    clock.now += 11
    run(counters.hit("new", 10))
    assert len(counters._windows) == 1


@pytest.fixture
def unique() -> str:
    return uuid.uuid4().hex


@pytest.fixture
def clean_redis(redis_url, unique):
    yield redis_url
    client = redis.Redis.from_url(redis_url)
    for key in client.scan_iter(f"{KEY_PREFIX}:*{unique}*"):
        client.delete(key)


def test_two_servers_share_one_budget_in_redis(clean_redis, unique):
    first, second = (FloodGuard(rules(per_conversation=4), RedisCounters(clean_redis)) for _ in range(2))

    async def alternate() -> list[int | None]:
        guards = [first, second] * 3
        return [await guard.retry_after(f"addr-{unique}", f"conv-{unique}") for guard in guards]

    waits = run(alternate())
    assert waits[:4] == [None] * 4
    assert all(wait is not None and 1 <= wait <= 10 for wait in waits[4:])


def test_an_unreachable_redis_lets_the_patient_through():
    guard = FloodGuard(rules(per_conversation=1), RedisCounters("redis://127.0.0.1:1/0"))
    assert run(send(guard, "10.0.0.1", "c1", 3)) == [None, None, None]


def test_the_wait_reply_names_the_seconds_and_the_emergency_route():
    reply = slow_down_reply(7)
    assert "7 seconds" in reply.text and "911" in reply.text
    assert "wait 1 second," in slow_down_reply(1).text
    assert reply.custom == {"service_notice": "slow_down", "retry_after": 7}


def test_settings_turn_rules_off_and_refuse_nonsense(tmp_path, monkeypatch):
    path = settings_file_with(
        tmp_path / "settings.yml", {"rate_limit.messages_per_address": 0, "rate_limit.window_seconds": 30}
    )
    monkeypatch.setenv("BOT_SETTINGS_FILE", str(path))
    monkeypatch.delenv("CLINIC_RATE_LIMIT", raising=False)
    guard = flood_guard_from_settings()
    assert guard is not None and set(guard._rules) == {"conversation"}
    assert guard._rules["conversation"] == Rule("conversation", 20, 30)
    monkeypatch.setenv("CLINIC_RATE_LIMIT", "off")
    assert flood_guard_from_settings() is None
    for key, bad in (("window_seconds", 0), ("messages_per_conversation", -1), ("window_seconds", "soon")):
        with pytest.raises(ConfigError, match="rate_limit"):
            load_settings(settings_file_with(tmp_path / "bad.yml", {f"rate_limit.{key}": bad}))


def test_the_project_settings_limit_both_by_default(monkeypatch):
    monkeypatch.delenv("CLINIC_RATE_LIMIT", raising=False)
    monkeypatch.delenv("BOT_SETTINGS_FILE", raising=False)
    guard = flood_guard_from_settings()
    assert guard is not None and set(guard._rules) == {"address", "conversation"}


def test_the_channels_of_one_server_share_one_guard(monkeypatch):
    monkeypatch.delenv("CLINIC_RATE_LIMIT", raising=False)
    server_flood_guard.cache_clear()
    try:
        assert server_flood_guard() is server_flood_guard() is not None
    finally:
        server_flood_guard.cache_clear()
