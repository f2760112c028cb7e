"""The project's databases at their newest schema (docs/database.md).

  python -m bot.migrations upgrade      # both databases to head: `make migrate`, `make run`
  python -m bot.migrations current      # the revision each database is at, and the head
  python -m bot.migrations revision booking|staff -m "what changes"
                                        # a new revision, written by comparing the models with
                                        # the database (which must be at head)

The databases are the ones the bot uses: settings.yml booking.database_url and staff.database_url
(BOOKING_DATABASE_URL and STAFF_DATABASE_URL win; relative SQLite paths are the project's).
"""

import argparse
import logging
import sys

from alembic import command
from alembic.script import Script, ScriptDirectory
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import SQLAlchemyError

from bot.migrations import (
    BASELINE,
    MigrationError,
    Schema,
    current_revision,
    database_engine,
    upgrade_to_head,
)

# How long to wait for a lock another process holds (a store migrating, a long transaction).
LOCK_WAIT_SECONDS = 60.0


def databases() -> list[tuple[Schema, str]]:
    """Each schema with its database's URL, resolved exactly as the stores resolve it."""
    from bot.booking.store import SCHEMA as BOOKING
    from bot.settings import load_settings
    from bot.staff.database import SCHEMA as STAFF

    settings = load_settings()
    return [(BOOKING, settings.booking_database_url), (STAFF, settings.staff.database_url)]


def _shown(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def upgrade(schema: Schema, engine: Engine) -> str:
    done = upgrade_to_head(schema, engine)
    if not done.changed:
        return f"at {done.after} (head)"
    if done.adopted:
        return f"tables made before migrations stamped at {BASELINE}, upgraded to {done.after} (head)"
    return f"upgraded from {done.before or 'an empty database'} to {done.after} (head)"


def current(schema: Schema, engine: Engine) -> str:
    with engine.connect() as connection:
        revision = current_revision(schema, connection)
    return f"at {revision or 'no version table'}; head is {schema.head()}"


def new_revision(schema: Schema, engine: Engine, message: str) -> str:
    """Autogenerate the next revision (0002, 0003, ...) into the schema's versions folder."""
    config = schema.config()
    count = sum(1 for _ in ScriptDirectory.from_config(config).walk_revisions())
    with engine.connect() as connection:  # only read: closing rolls the transaction back
        config.attributes["connection"] = connection
        script = command.revision(config, message=message, autogenerate=True, rev_id=f"{count + 1:04d}")
    assert isinstance(script, Script), "one revision was asked for"
    return f"wrote {script.path}: review it, then `make migrate`"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot.migrations",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("upgrade", help="upgrade both databases to head")
    commands.add_parser("current", help="show each database's revision")
    revision = commands.add_parser("revision", help="autogenerate a new revision")
    revision.add_argument("database", choices=("booking", "staff"))
    revision.add_argument("-m", "--message", required=True)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    failed = False
    for schema, url in databases():
        if args.command == "revision" and schema.name != args.database:
            continue
        engine = database_engine(url, busy_timeout=LOCK_WAIT_SECONDS)
        try:
            if args.command == "upgrade":
                outcome = upgrade(schema, engine)
            elif args.command == "current":
                outcome = current(schema, engine)
            else:
                outcome = new_revision(schema, engine, args.message)
            print(f"{schema.name} database ({_shown(url)}): {outcome}")
        except (MigrationError, SQLAlchemyError) as error:
            failed = True
            print(
                f"{schema.name} database ({_shown(url)}): {type(error).__name__}: "
                f"{str(error).splitlines()[0]}",
                file=sys.stderr,
            )
        finally:
            engine.dispose()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
