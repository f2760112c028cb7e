"""Retention deletes the sessions that ended before the cutoff and nothing else, on real data;
the bot then carries on with a patient whose older session was deleted."""

import os
import subprocess
import sys
from collections import Counter
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
import yaml

from bot.staff import audit
from bot.staff.events import EVENTS
from bot.staff.retention import split_sessions
from tests.support.harness import running_bot
from tests.support.paths import PROJECT_ROOT
from tests.support.services import fresh_postgres_database
from tests.support.staff_conversations import NEW_SCRIPT, OLD_SCRIPT, copy_of, make_console

RETENTION_DAYS = 30


def event_counts(url: str) -> Counter:
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        counts = Counter(
            dict(
                connection.execute(sa.text("select sender_id, count(*) from events group by sender_id")).all()
            )
        )
    engine.dispose()
    return counts


def as_if_now(boundary: float) -> datetime:
    """The moment at which the boundary is exactly RETENTION_DAYS old."""
    return datetime.fromtimestamp(boundary, tz=timezone.utc) + timedelta(days=RETENTION_DAYS)


def old_session_events(console, sender: str) -> int:
    return len(split_sessions(console.reader.events_of([sender]))[0])


def check_only_old_sessions_went(console, url: str, boundary: float) -> None:
    before = event_counts(url)
    first_session_of_returning = old_session_events(console, "staff-returning")
    report = console.apply_retention(RETENTION_DAYS, now=as_if_now(boundary))
    after = event_counts(url)
    assert report.conversations_deleted == ["staff-old"]
    assert report.sessions_deleted == {"staff-returning": 1}
    assert report.events_deleted == before["staff-old"] + first_session_of_returning
    assert "staff-old" not in after
    assert after["staff-returning"] == before["staff-returning"] - first_session_of_returning
    for sender in NEW_SCRIPT.keys() - OLD_SCRIPT.keys():
        assert after[sender] == before[sender], sender
    remaining = console.transcript("staff-returning")
    assert [t.user_text for t in remaining.turns if t.user_text] == [NEW_SCRIPT["staff-returning"][1]]
    assert {s.conversation_id for s in console.summaries()} == set(after)


def test_dry_run_reports_without_deleting(sqlite_conversations, tmp_path):
    recorded = copy_of(sqlite_conversations, tmp_path)
    console = make_console(tmp_path, recorded)
    before = event_counts(recorded.tracker_url)
    report = console.apply_retention(RETENTION_DAYS, dry_run=True, now=as_if_now(recorded.boundary))
    assert report.conversations_deleted == ["staff-old"] and report.events_deleted > before["staff-old"]
    assert event_counts(recorded.tracker_url) == before
    assert any("would delete" in line for line in report.lines())


def test_retention_deletes_only_old_sessions_on_sqlite(sqlite_conversations, tmp_path):
    recorded = copy_of(sqlite_conversations, tmp_path)
    console = make_console(tmp_path, recorded)
    console.summaries()  # the index sees the deletion on its next read
    check_only_old_sessions_went(console, recorded.tracker_url, recorded.boundary)


def copy_events(source_url: str, target_url: str) -> None:
    """The bot's rows, copied as they are, so that a test may delete from its own copy."""
    source, target = sa.create_engine(source_url), sa.create_engine(target_url)
    with source.connect() as connection:
        rows = [dict(row._mapping) for row in connection.execute(sa.select(EVENTS))]
    EVENTS.metadata.create_all(target)
    with target.begin() as connection:
        connection.execute(EVENTS.insert(), rows)
    source.dispose()
    target.dispose()


def test_retention_deletes_only_old_sessions_on_postgres(postgres_conversations, tmp_path):
    with fresh_postgres_database() as url:
        copy_events(postgres_conversations.tracker_url, url)
        console = make_console(tmp_path, replace(postgres_conversations, tracker_url=url))
        try:
            check_only_old_sessions_went(console, url, postgres_conversations.boundary)
        finally:
            console.reader.engine.dispose()


def test_bot_carries_on_after_an_older_session_was_deleted(sqlite_conversations, tmp_path):
    recorded = copy_of(sqlite_conversations, tmp_path)
    console = make_console(tmp_path, recorded)
    console.apply_retention(RETENTION_DAYS, now=as_if_now(recorded.boundary))
    kept = event_counts(recorded.tracker_url)["staff-returning"]
    store = {"type": "SQL", "dialect": "sqlite", "db": str(recorded.sqlite_file)}
    with running_bot(tmp_path, tracker_store=store) as bot:
        reply = bot.say("staff-returning", "how long does botox last for facial palsy?")
    assert "3–4 months" in reply[0]["text"]
    turns = [t for t in console.transcript("staff-returning").turns if t.user_text]
    assert [t.user_text for t in turns] == [
        NEW_SCRIPT["staff-returning"][1],
        "how long does botox last for facial palsy?",
    ]
    assert event_counts(recorded.tracker_url)["staff-returning"] > kept


def run_cli(args, settings_file):
    return subprocess.run(
        [sys.executable, "-m", "bot.staff", *args],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "BOT_SETTINGS_FILE": str(settings_file)},
        timeout=120,
    )


def test_retention_command_reports_and_is_audited(sqlite_conversations, tmp_path):
    recorded = copy_of(sqlite_conversations, tmp_path)
    settings = yaml.safe_load((PROJECT_ROOT / "settings.yml").read_text())
    settings["staff"].update(
        tracker_store_url=recorded.tracker_url,
        database_url=f"sqlite:///{tmp_path / 'staff.db'}",
        retention_days=1,
    )
    settings_file = tmp_path / "settings.yml"
    settings_file.write_text(yaml.safe_dump(settings))
    before = event_counts(recorded.tracker_url)
    done = run_cli(["retention"], settings_file)  # every conversation is from today: none goes
    assert done.returncode == 0, done.stderr
    assert "Conversations deleted entirely: 0" in done.stdout and "Events deleted: 0" in done.stdout
    assert event_counts(recorded.tracker_url) == before
    assert run_cli(["retention", "--days", "0"], settings_file).returncode == 2
    entries, _ = make_console(tmp_path, recorded).audit.entries(audit.AuditFilter(action=audit.RETENTION))
    assert len(entries) == 1 and entries[0].username == "command-line"
    assert "0 events" in entries[0].detail


@pytest.mark.parametrize("value", [0, -3])
def test_retention_setting_must_be_positive(tmp_path, value):
    from bot.settings import load_settings
    from bot.yamlfile import ConfigError

    settings = yaml.safe_load((PROJECT_ROOT / "settings.yml").read_text())
    settings["staff"]["retention_days"] = value
    path = tmp_path / "settings.yml"
    path.write_text(yaml.safe_dump(settings))
    with pytest.raises(ConfigError, match="retention_days"):
        load_settings(path)
