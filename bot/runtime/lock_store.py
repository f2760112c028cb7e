"""The production profile's lock store: Rasa's Redis ticket lock, with every change made atomically.

Rasa Open Source 3.6's `RedisLockStore` changes a conversation's lock by GET, change in Python,
SET. When two Rasa servers receive messages of the same conversation at the same moment (a
double click, a retry from the widget), both can read the same lock, both take the same ticket and
handle the conversation at once; the second save then drops the first one's events from the
tracker store (measured: 2 of 6 messages lost, tests/e2e/test_production_profile.py). Here each
change is a Redis transaction (WATCH/MULTI/EXEC) retried when another server got in between.
"""

import json
import logging
from collections.abc import Callable
from typing import Any, TypeVar

import redis
from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

logger = logging.getLogger(__name__)
Result = TypeVar("Result")
# Returns the lock to store (None deletes it) and a result for the caller.
LockChange = Callable[[TicketLock | None], tuple[TicketLock | None, Result]]  # generic alias


class AtomicRedisLockStore(RedisLockStore):
    """`RedisLockStore` whose ticket changes cannot interleave between servers.

    Configured in endpoints.production.yml with the same keys as Rasa's `type: redis`.
    """

    def __init__(self, endpoint_config: EndpointConfig | None = None, **kwargs: Any) -> None:
        # Rasa builds a lock store named by module path with `endpoint_config` only.
        if endpoint_config is not None:
            kwargs = {"host": endpoint_config.url or "localhost", **endpoint_config.kwargs, **kwargs}
        super().__init__(**kwargs)

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        def take_ticket(lock: TicketLock | None) -> tuple[TicketLock, int]:
            lock = lock or self.create_lock(conversation_id)
            return lock, lock.issue_ticket(lock_lifetime)

        try:
            return self._change(conversation_id, take_ticket)
        except redis.RedisError as error:
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error

    def update_lock(self, conversation_id: str) -> None:
        def drop_expired(lock: TicketLock | None) -> tuple[TicketLock | None, None]:
            if lock:
                lock.remove_expired_tickets()
            return lock, None

        self._change(conversation_id, drop_expired)

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        self._give_back(conversation_id, ticket_number, delete_when_unused=False)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        self._give_back(conversation_id, ticket_number, delete_when_unused=True)

    def _give_back(self, conversation_id: str, ticket_number: int, delete_when_unused: bool) -> None:
        def give_back(lock: TicketLock | None) -> tuple[TicketLock | None, None]:
            if lock:
                lock.remove_ticket_for(ticket_number)
                if delete_when_unused and not lock.is_someone_waiting():
                    lock = None
            return lock, None

        self._change(conversation_id, give_back)

    def _change(self, conversation_id: str, change: LockChange[Result]) -> Result:
        key = self.key_prefix + conversation_id
        while True:
            with self.red.pipeline() as pipe:
                try:
                    pipe.watch(key)
                    stored = pipe.get(key)
                    lock = TicketLock.from_dict(json.loads(stored)) if stored else None
                    new_lock, result = change(lock)
                    pipe.multi()
                    if new_lock is None:
                        pipe.delete(key)
                    else:
                        pipe.set(key, new_lock.dumps())
                    pipe.execute()
                    return result
                except redis.WatchError:
                    logger.debug("Lock for a conversation changed meanwhile; trying again.")
