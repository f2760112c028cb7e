"""The production profile's services, named by environment variables: PostgreSQL for conversations
(endpoints.production.yml) and bookings (BOOKING_DATABASE_URL), Redis for the lock store.

    python -m bot.runtime.production check        # both reachable? creates the database when missing
    python -m bot.runtime.production booking-url  # the SQLAlchemy URL for BOOKING_DATABASE_URL

The names are those Rasa's Helm chart gives its containers (DB_*, REDIS_*, ACTION_SERVER_URL), so
the same endpoints work there; scripts/run-production.sh sets the local defaults.
"""

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from bot.yamlfile import ConfigError

DB_VARS = ("DB_HOST", "DB_PORT", "DB_USER", "DB_PASSWORD", "DB_DATABASE")
REDIS_VARS = ("REDIS_HOST", "REDIS_PORT", "REDIS_PASSWORD", "REDIS_DB")


@dataclass(frozen=True)
class ProductionServices:
    postgres_host: str
    postgres_port: int
    postgres_user: str
    postgres_password: str
    postgres_db: str
    redis_host: str
    redis_port: int
    redis_password: str
    redis_db: int

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> "ProductionServices":
        """Read the variables endpoints.production.yml uses; all must be set (passwords may be empty)."""
        environ = os.environ if environ is None else environ
        missing = [name for name in (*DB_VARS, *REDIS_VARS) if name not in environ]
        if missing:
            raise ConfigError(
                f"the production profile needs these environment variables: {', '.join(missing)}"
            )
        try:
            return cls(
                environ["DB_HOST"],
                int(environ["DB_PORT"]),
                environ["DB_USER"],
                environ["DB_PASSWORD"],
                environ["DB_DATABASE"],
                environ["REDIS_HOST"],
                int(environ["REDIS_PORT"]),
                environ["REDIS_PASSWORD"],
                int(environ["REDIS_DB"]),
            )
        except ValueError as error:
            raise ConfigError(f"DB_PORT, REDIS_PORT and REDIS_DB must be numbers: {error}") from error

    @classmethod
    def from_urls(cls, postgres_url: str, redis_url: str) -> "ProductionServices":
        """From a PostgreSQL URL and a Redis URL (as the test fixtures and the benchmark have them)."""
        from sqlalchemy.engine import make_url

        database = make_url(postgres_url)
        redis = urlsplit(redis_url)
        return cls(
            database.host or "127.0.0.1",
            database.port or 5432,
            database.username or "",
            database.password or "",
            database.database or "",
            redis.hostname or "127.0.0.1",
            redis.port or 6379,
            redis.password or "",
            int(redis.path.strip("/") or 0),
        )

    def as_env(self) -> dict[str, str]:
        values = (
            self.postgres_host,
            self.postgres_port,
            self.postgres_user,
            self.postgres_password,
            self.postgres_db,
            self.redis_host,
            self.redis_port,
            self.redis_password,
            self.redis_db,
        )
        return {name: str(value) for name, value in zip((*DB_VARS, *REDIS_VARS), values, strict=True)}

    def database_url(self, database: str | None = None) -> str:
        """SQLAlchemy URL of the clinic's database (or another one on the same server)."""
        from sqlalchemy.engine import URL

        return URL.create(
            "postgresql",
            self.postgres_user or None,
            self.postgres_password or None,
            self.postgres_host,
            self.postgres_port,
            database or self.postgres_db,
        ).render_as_string(hide_password=False)


def ensure_database(services: ProductionServices) -> bool:
    """Connect to the clinic's database, creating it when the server does not have it yet.

    Returns True when it was created. Raises ConfigError when the server cannot be reached.
    """
    import sqlalchemy

    engine = sqlalchemy.create_engine(services.database_url())
    try:
        engine.connect().close()
        return False
    except sqlalchemy.exc.OperationalError as error:
        if f'database "{services.postgres_db}" does not exist' not in str(error):
            raise ConfigError(
                f"PostgreSQL at {services.postgres_host}:{services.postgres_port} "
                f"is not reachable: {error.orig}"
            ) from None
    finally:
        engine.dispose()
    admin = sqlalchemy.create_engine(services.database_url("postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        name = services.postgres_db.replace('"', '""')
        connection.execute(sqlalchemy.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return True


def check_redis(services: ProductionServices) -> None:
    import redis

    try:
        redis.Redis(
            host=services.redis_host,
            port=services.redis_port,
            db=services.redis_db,
            password=services.redis_password or None,
            socket_connect_timeout=3,
        ).ping()
    except redis.RedisError as error:
        raise ConfigError(
            f"Redis at {services.redis_host}:{services.redis_port} is not reachable: {error}"
        ) from None


def main(argv: list | None = None) -> int:
    command = (argv or sys.argv[1:] or ["check"])[0]
    try:
        services = ProductionServices.from_env()
        if command == "booking-url":
            print(services.database_url())
            return 0
        created = ensure_database(services)
        check_redis(services)
    except ConfigError as error:
        print(f"Production profile: {error}", file=sys.stderr)
        return 1
    print(
        f"PostgreSQL {services.postgres_host}:{services.postgres_port} database "
        f"'{services.postgres_db}' {'created' if created else 'ready'}; "
        f"Redis {services.redis_host}:{services.redis_port} db {services.redis_db} ready."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
