"""Flood protection for the patient channels: at most N messages per window from one address and
from one conversation (settings.yml `rate_limit`).

Each rule is a fixed-window counter: the first message of a window starts it, every message counts,
and once a counter passes its limit the message is refused until the window ends; the time left is
the retry time the channel sends back (REST: 429 with Retry-After). A window can let through up to
twice its limit across a boundary, which is fine for flood protection and costs one round trip.

Counters live in this process (embedded default) or in Redis (the production profile), so several
Rasa servers share one budget per address. The `limits` library would be the usual choice, but every
release that supports asyncio needs packaging>=21 and Rasa 3.6 pins packaging<21. If Redis cannot
be reached the message is let through (and logged): flood protection must never silence patients.
"""

import logging
import math
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

import redis
import redis.asyncio

from bot.settings import RateLimitSettings, load_settings

logger = logging.getLogger(__name__)

# The benchmark and the test harness send many conversations from one address; they switch the
# limit off with CLINIC_RATE_LIMIT=off (RATE_LIMIT_REDIS_URL picks the shared store).
SWITCH_ENV = "CLINIC_RATE_LIMIT"
REDIS_URL_ENV = "RATE_LIMIT_REDIS_URL"
KEY_PREFIX = "clinic-bot:rate"


@dataclass(frozen=True)
class Rule:
    """At most `messages` per `seconds` for one key."""

    name: str
    messages: int
    seconds: int


class Counters(Protocol):
    async def hit(self, key: str, seconds: int) -> tuple[int, float]:
        """Count one message for `key`; return the count in this window and the seconds left."""


class MemoryCounters:
    """Windows kept in this process; expired ones are dropped as new windows start."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._windows: dict[str, tuple[float, int]] = {}

    async def hit(self, key: str, seconds: int) -> tuple[int, float]:
        now = self._clock()
        ends, count = self._windows.get(key, (0.0, 0))
        if now >= ends:
            if len(self._windows) > 10_000:
                self._windows = {k: w for k, w in self._windows.items() if w[0] > now}
            ends, count = now + seconds, 0
        self._windows[key] = (ends, count + 1)
        return count + 1, ends - now


class RedisCounters:
    """Windows as Redis keys with a time to live: INCR, then EXPIRE NX starts the window."""

    def __init__(self, url: str) -> None:
        self._redis = redis.asyncio.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)

    async def hit(self, key: str, seconds: int) -> tuple[int, float]:
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.incr(key).expire(key, seconds, nx=True).pttl(key)
            count, _, ttl_ms = await pipe.execute()
        return int(count), max(ttl_ms, 0) / 1000


class FloodGuard:
    """Decides whether a patient's message may reach the bot."""

    def __init__(self, rules: dict[str, Rule], counters: Counters) -> None:
        self._rules = rules
        self._counters = counters

    async def retry_after(self, address: str, conversation: str) -> int | None:
        """Seconds the sender must wait, or None when the message may go on. Every rule counts the
        message, so a refused flood keeps its own windows full."""
        refused, wait = False, 0.0
        for kind, value in (("address", address), ("conversation", conversation)):
            rule = self._rules.get(kind)
            if rule is None or not value:
                continue
            try:
                count, left = await self._counters.hit(f"{KEY_PREFIX}:{kind}:{value}", rule.seconds)
            except (redis.RedisError, OSError) as error:
                logger.warning("Rate limit store unreachable (%s); let through.", type(error).__name__)
                return None
            if count > rule.messages:
                refused, wait = True, max(wait, left)
        return max(1, math.ceil(wait)) if refused else None


def rules_from(settings: RateLimitSettings) -> dict[str, Rule]:
    return {
        kind: Rule(kind, messages, settings.window_seconds)
        for kind, messages in (
            ("address", settings.messages_per_address),
            ("conversation", settings.messages_per_conversation),
        )
        if messages > 0
    }


def flood_guard_from_settings() -> FloodGuard | None:
    """The guard the channels use, or None when the limit is switched off."""
    settings = load_settings().rate_limit
    if not settings.enabled or os.environ.get(SWITCH_ENV, "").lower() in ("off", "0", "false"):
        return None
    url = os.environ.get(REDIS_URL_ENV) or settings.redis_url
    counters: Counters = RedisCounters(url) if url else MemoryCounters()
    return FloodGuard(rules_from(settings), counters)


@lru_cache(maxsize=1)
def server_flood_guard() -> FloodGuard | None:
    """The one guard of this server, so that REST and socket.io count against the same budgets."""
    return flood_guard_from_settings()
