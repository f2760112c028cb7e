"""The service fixtures give a real, empty PostgreSQL database and a reachable Redis."""

import sqlalchemy


def test_postgres_fixture_gives_an_empty_database(postgres_url):
    engine = sqlalchemy.create_engine(postgres_url)
    with engine.connect() as connection:
        tables = connection.execute(
            sqlalchemy.text("select count(*) from information_schema.tables where table_schema = 'public'")
        ).scalar()
    engine.dispose()
    assert tables == 0


def test_redis_fixture_reaches_the_server(redis_url):
    import redis

    assert redis.Redis.from_url(redis_url).ping() is True
