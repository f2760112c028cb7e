"""The production profile's service settings from the environment (bot/runtime/production.py)."""

import pytest
import sqlalchemy

from bot.runtime.production import ProductionServices, ensure_database, main
from bot.yamlfile import ConfigError

ENV = {
    "DB_HOST": "db.internal",
    "DB_PORT": "5433",
    "DB_USER": "clinic",
    "DB_PASSWORD": "p@ss/word",
    "DB_DATABASE": "clinic_bot",
    "REDIS_HOST": "redis.internal",
    "REDIS_PORT": "6380",
    "REDIS_PASSWORD": "",
    "REDIS_DB": "1",
}


def test_settings_come_from_the_environment_and_back():
    services = ProductionServices.from_env(ENV)
    assert services.postgres_port == 5433 and services.redis_db == 1
    assert services.as_env() == ENV


def test_the_booking_url_escapes_the_password():
    url = ProductionServices.from_env(ENV).database_url()
    assert url == "postgresql://clinic:p%40ss%2Fword@db.internal:5433/clinic_bot"
    assert sqlalchemy.engine.make_url(url).password == "p@ss/word"


def test_missing_variables_are_named():
    with pytest.raises(ConfigError, match="DB_HOST, REDIS_DB"):
        ProductionServices.from_env({k: v for k, v in ENV.items() if k not in ("DB_HOST", "REDIS_DB")})


def test_numbers_are_checked():
    with pytest.raises(ConfigError, match="numbers"):
        ProductionServices.from_env({**ENV, "DB_PORT": "five"})


def test_from_urls_reads_the_fixture_urls():
    services = ProductionServices.from_urls(
        "postgresql://postgres@127.0.0.1:5432/test_x", "redis://127.0.0.1:6379/0"
    )
    assert (services.postgres_db, services.postgres_password, services.redis_db) == ("test_x", "", 0)


def test_check_creates_a_missing_database_on_the_real_server(postgres_url, redis_url, monkeypatch):
    services = ProductionServices.from_urls(postgres_url, redis_url)
    services = ProductionServices(**{**services.__dict__, "postgres_db": services.postgres_db + "_new"})
    try:
        for name, value in services.as_env().items():
            monkeypatch.setenv(name, value)
        assert main(["check"]) == 0
        assert ensure_database(services) is False  # now it exists
    finally:
        admin = sqlalchemy.create_engine(services.database_url("postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(sqlalchemy.text(f'DROP DATABASE IF EXISTS "{services.postgres_db}"'))
        admin.dispose()


def test_check_says_clearly_when_postgresql_is_unreachable(monkeypatch, capsys):
    for name, value in {**ENV, "DB_HOST": "127.0.0.1", "DB_PORT": "1"}.items():
        monkeypatch.setenv(name, value)
    assert main(["check"]) == 1
    assert "PostgreSQL at 127.0.0.1:1 is not reachable" in capsys.readouterr().err
