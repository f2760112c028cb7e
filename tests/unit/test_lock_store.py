"""The production lock store on the real Redis: servers contending for one conversation."""

import asyncio
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis
from rasa.core.lock_store import RedisLockStore
from rasa.utils.endpoints import EndpointConfig

from bot.runtime.lock_store import AtomicRedisLockStore

SERVERS, TICKETS_EACH = 8, 40


@pytest.fixture
def prefix(redis_url):
    prefix = f"test{uuid.uuid4().hex[:10]}"
    yield prefix
    client = redis.Redis.from_url(redis_url)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


def new_store(cls, redis_url, prefix):
    config = EndpointConfig(
        url="127.0.0.1", port=int(redis_url.rsplit(":", 1)[1].split("/")[0]), db=0, key_prefix=prefix
    )
    if cls is AtomicRedisLockStore:
        return cls(endpoint_config=config)
    return cls(host=config.url, **config.kwargs)


def tickets_from_contending_servers(cls, redis_url, prefix):
    stores = [new_store(cls, redis_url, prefix) for _ in range(SERVERS)]
    with ThreadPoolExecutor(max_workers=SERVERS) as pool:
        batches = pool.map(lambda store: [store.issue_ticket("conv") for _ in range(TICKETS_EACH)], stores)
    return [ticket for batch in batches for ticket in batch]


def test_every_server_gets_its_own_ticket(redis_url, prefix):
    tickets = tickets_from_contending_servers(AtomicRedisLockStore, redis_url, prefix)
    assert len(set(tickets)) == SERVERS * TICKETS_EACH


def test_why_rasas_own_redis_lock_store_is_not_used_in_production(redis_url, prefix):
    """Rasa 3.6 as shipped hands the same ticket to two servers: both then run the turn."""
    tickets = tickets_from_contending_servers(RedisLockStore, redis_url, prefix)
    assert len(set(tickets)) < SERVERS * TICKETS_EACH


def test_one_server_at_a_time_holds_a_conversation(redis_url, prefix):
    holders, most, guard = [0], [0], threading.Lock()

    async def take_turns(store):
        for _ in range(5):
            async with store.lock("conv", wait_time_in_seconds=0.005):
                with guard:
                    holders[0] += 1
                    most[0] = max(most[0], holders[0])
                await asyncio.sleep(0.01)
                with guard:
                    holders[0] -= 1

    stores = [new_store(AtomicRedisLockStore, redis_url, prefix) for _ in range(4)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(lambda store: asyncio.run(take_turns(store)), stores))
    assert most[0] == 1
    assert stores[0].get_lock("conv") is None  # the last one out deleted the lock
