"""Real conversations for the staff console's tests and benchmark: the trained bot (both servers,
over REST) talks through a script into a tracker store and a booking store. Nothing here writes
rows by hand; tests that change data work on a copy (`copy_of`). The fixtures that record them
once per test session are in tests/staff/conftest.py."""

import sqlite3
import time
from dataclasses import dataclass, replace
from pathlib import Path

import sqlalchemy as sa

from bot.settings import load_settings
from bot.staff.services import StaffConsole
from tests.support.harness import RunningBot, running_bot

# Conversations before the boundary are "old" for the retention tests.
OLD_SCRIPT: dict[str, list[str]] = {
    "staff-old": ["hello", "what is botox for facial paralysis?"],
    "staff-returning": ["hi there", "how long does botox last for facial palsy?"],
}
# "/session_start" opens a new Rasa session in the same conversation, as a patient coming back.
NEW_SCRIPT: dict[str, list[str]] = {
    "staff-returning": ["/session_start", "is there any downtime after the injections?"],
    "staff-faq": ["how long does botox last for facial palsy?", "what are the side effects?"],
    "staff-booking": [
        "hello",
        "I'd like to book. I'm Priya Shah, 07700 900123, Wednesday 10am",
        "skip",
        "yes",
        "/affirm",
    ],
    "staff-booking-cancelled": ["I want to book a consultation", "Priya Shah", "never mind"],
    "staff-handoff": ["can I talk to a real person?"],
    "staff-contact": ["my email is jane.doe@example.com and my phone is +1 415 555 0100"],
    "staff-unanswered": [
        "purple elephants dancing",
        "what's the weather on mars",
        "the thing with the stuff?",
    ],
    "staff-emergency": ["I have trouble swallowing and breathing since my injection yesterday"],
    "staff-markup": ["<script>alert(1)</script> how long does it last?"],
}
CONTACT_EMAIL = "jane.doe@example.com"
CONTACT_PHONE = "+1 415 555 0100"
PAUSE_AROUND_BOUNDARY = 1.5


def unmistakable_patient_texts() -> list[str]:
    """What patients said that cannot turn up in a page by chance ("skip" is also a CSS class),
    their contact details and names, and a conversation id."""
    said = [m for messages in NEW_SCRIPT.values() for m in messages if len(m) >= 15]
    return said + [CONTACT_EMAIL, CONTACT_PHONE, "Priya Shah", "07700 900123", "staff-faq"]


@dataclass(frozen=True)
class RecordedConversations:
    """Where the bot stored the script's conversations and booking requests, and when old turned
    into new."""

    tracker_url: str
    booking_url: str
    boundary: float  # epoch seconds between the old and the new conversations
    workdir: Path
    sqlite_file: Path | None = None
    booking_file: Path | None = None


def talk(bot: RunningBot, script: dict[str, list[str]]) -> None:
    for sender, messages in script.items():
        for message in messages:
            bot.say(sender, message)


def record_conversations(workdir: Path, booking_url: str, tracker_store: dict | None = None) -> float:
    """Run the script through the real bot; returns the old/new boundary."""
    env = {"BOOKING_DATABASE_URL": booking_url}
    with running_bot(workdir, env=env, tracker_store=tracker_store) as bot:
        talk(bot, OLD_SCRIPT)
        time.sleep(PAUSE_AROUND_BOUNDARY)
        boundary = time.time()
        time.sleep(PAUSE_AROUND_BOUNDARY)
        talk(bot, NEW_SCRIPT)
    return boundary


def copy_of(recorded: RecordedConversations, target: Path) -> RecordedConversations:
    """A private copy of the SQLite tracker and booking stores, for tests that change them."""
    # SQLite's backup copies what is still in the write-ahead log too (the tracker store uses WAL).
    for source, name in ((recorded.sqlite_file, "tracker.db"), (recorded.booking_file, "bookings.db")):
        with sqlite3.connect(source) as original, sqlite3.connect(target / name) as copy:
            original.backup(copy)
    return replace(
        recorded,
        tracker_url=f"sqlite:///{target / 'tracker.db'}",
        sqlite_file=target / "tracker.db",
        booking_url=f"sqlite:///{target / 'bookings.db'}",
        booking_file=target / "bookings.db",
    )


def stores_of(workdir: Path, database_url: str = "") -> RecordedConversations:
    """The stores of a bot started in `workdir` by tests/support/harness.py (SQLite there, or one
    database at `database_url`), for a console over a conversation the test holds itself."""
    tracker = database_url or f"sqlite:///{workdir / 'tracker.db'}"
    bookings = database_url or f"sqlite:///{workdir / 'bookings.db'}"
    return RecordedConversations(tracker, bookings, boundary=0.0, workdir=workdir)


def make_console(
    tmp_path: Path, recorded: RecordedConversations, staff_database_url: str = "", **staff_settings
) -> StaffConsole:
    """A console over the recorded conversations and booking requests, with its own staff
    database and secret under tmp_path."""
    settings = load_settings()
    staff = replace(
        settings.staff,
        tracker_store_url=recorded.tracker_url,
        database_url=staff_database_url or f"sqlite:///{tmp_path / 'staff.db'}",
        secret_key_file=str(tmp_path / "secret.key"),
        **staff_settings,
    )
    return StaffConsole(replace(settings, staff=staff, booking_database_url=recorded.booking_url))


def events_in(url: str, sender: str) -> list[tuple]:
    """(type_name, intent_name, action_name) of a conversation straight from the store."""
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(
            sa.text(
                "select type_name, intent_name, action_name from events where sender_id = :s order by id"
            ),
            {"s": sender},
        ).all()
    engine.dispose()
    return [tuple(row) for row in rows]
