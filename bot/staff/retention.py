"""Retention: delete conversations, and their events, older than the retention period.

A Rasa conversation (sender id) is a series of sessions, each opened by `action_session_start`.
A session whose last event is older than the cutoff is deleted whole; a conversation whose
sessions are all old goes entirely. Recent sessions are never touched, so Rasa, which reads only
the latest session, carries on with a patient who comes back.
"""

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa

from bot.staff.events import EVENTS, StoredEvent, TrackerStoreReader
from bot.staff.transcript import SESSION_START_ACTION

SESSION_START_INTENT = "session_start"


@dataclass
class RetentionReport:
    cutoff: datetime
    dry_run: bool
    conversations_deleted: list[str] = field(default_factory=list)
    sessions_deleted: dict[str, int] = field(default_factory=dict)  # in conversations kept
    events_deleted: int = 0

    def lines(self) -> list[str]:
        verb = "would delete" if self.dry_run else "deleted"
        lines = [
            f"Retention cutoff: {self.cutoff.isoformat(timespec='seconds')} (older is deleted)",
            f"Conversations {verb} entirely: {len(self.conversations_deleted)}",
            f"Older sessions {verb} from conversations kept: {sum(self.sessions_deleted.values())}"
            f" in {len(self.sessions_deleted)} conversations",
            f"Events {verb}: {self.events_deleted}",
        ]
        lines += [f"  conversation {cid}: all events" for cid in self.conversations_deleted]
        lines += [f"  conversation {cid}: {n} older session(s)" for cid, n in self.sessions_deleted.items()]
        return lines


def _asks_for_new_session(event: StoredEvent) -> bool:
    """A "/session_start" message: Rasa starts the session right after it."""
    intent = ((event.data.get("parse_data") or {}).get("intent") or {}).get("name")
    return event.type_name == "user" and intent == SESSION_START_INTENT


def split_sessions(events: list[StoredEvent]) -> list[list[StoredEvent]]:
    """A conversation's events, in id order, cut where each session starts."""
    sessions: list[list[StoredEvent]] = []
    asked = False
    for event in sorted(events, key=lambda e: e.id):
        starts = event.type_name == "action" and event.action_name == SESSION_START_ACTION
        if _asks_for_new_session(event) or (starts and not asked) or not sessions:
            sessions.append([])
        asked = _asks_for_new_session(event) or (asked and not starts)
        sessions[-1].append(event)
    return sessions


def conversations_with_events_before(reader: TrackerStoreReader, cutoff: float) -> list[str]:
    if not reader.has_events_table():
        return []
    query = sa.select(EVENTS.c.sender_id).where(EVENTS.c.timestamp < cutoff).distinct()
    with reader.engine.connect() as connection:
        return list(connection.execute(query).scalars())


def apply_retention(reader: TrackerStoreReader, cutoff: datetime, dry_run: bool = False) -> RetentionReport:
    """Delete (or, with `dry_run`, only count) every session that ended before `cutoff`."""
    report = RetentionReport(cutoff, dry_run)
    doomed: list[int] = []
    for conversation_id in sorted(conversations_with_events_before(reader, cutoff.timestamp())):
        sessions = split_sessions(reader.events_of([conversation_id]))
        old = [s for s in sessions if max(e.timestamp for e in s) < cutoff.timestamp()]
        if not old:
            continue
        if len(old) == len(sessions):
            report.conversations_deleted.append(conversation_id)
        else:
            report.sessions_deleted[conversation_id] = len(old)
        doomed.extend(event.id for session in old for event in session)
    report.events_deleted = len(doomed) if dry_run else reader.delete_events(doomed)
    return report
