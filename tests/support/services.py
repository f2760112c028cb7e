"""Real PostgreSQL and Redis for tests: a fresh database per test session, skipped with a clear
reason where the server is absent (and failed instead under REQUIRE_SERVICES=1, as in CI)."""

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from tests.support.skips import skip_or_fail

POSTGRES_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def _postgres_admin():
    import sqlalchemy

    engine = sqlalchemy.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        engine.connect().close()
    except Exception as error:  # noqa: BLE001 - any connection failure means "absent"
        skip_or_fail(f"PostgreSQL is not reachable at {POSTGRES_ADMIN_URL}: {error.__class__.__name__}")
    return engine


@contextmanager
def fresh_postgres_database() -> Iterator[str]:
    """A new, empty PostgreSQL database for the block; its URL is yielded, then it is dropped."""
    import sqlalchemy

    admin = _postgres_admin()
    name = f"test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as connection:
        connection.execute(sqlalchemy.text(f'CREATE DATABASE "{name}"'))
    base = POSTGRES_ADMIN_URL.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(sqlalchemy.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """URL of a new, empty PostgreSQL database, dropped after the test."""
    with fresh_postgres_database() as url:
        yield url


@pytest.fixture(scope="module")
def module_postgres_url() -> Iterator[str]:
    """As `postgres_url`, shared by the tests of one module (for servers started once per module)."""
    with fresh_postgres_database() as url:
        yield url


def _reachable_redis() -> str:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except Exception as error:  # noqa: BLE001
        skip_or_fail(f"Redis is not reachable at {REDIS_URL}: {error.__class__.__name__}")
    return REDIS_URL


@pytest.fixture
def redis_url() -> str:
    """URL of the Redis server (the test cleans up the keys it makes)."""
    return _reachable_redis()


@pytest.fixture(scope="module")
def module_redis_url() -> str:
    return _reachable_redis()
