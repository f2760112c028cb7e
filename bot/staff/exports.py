"""Exports of conversations and of the unanswered report as JSON and CSV, and of false alarms as
safety-set YAML. Contact details are
masked unless the caller asked to reveal them (the web layer logs that)."""

import csv
import io
import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

import yaml

from bot.staff.conversations import ConversationSummary
from bot.staff.flags import EMERGENCY_INTENT
from bot.staff.reports import UnansweredGroup
from bot.staff.transcript import Transcript

CONVERSATION_CSV_COLUMNS = (
    "conversation_id",
    "session",
    "time_utc",
    "speaker",
    "text",
    "intent",
    "confidence",
    "best_guess",
    "actions",
    "buttons",
    "topic",
)
UNANSWERED_CSV_COLUMNS = (
    "question",
    "times_asked",
    "conversations",
    "reasons",
    "nearest_intents",
    "first_seen_utc",
    "last_seen_utc",
)
# Spreadsheet programs run cells starting with these as formulas (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _iso(moment: datetime | None) -> str:
    return moment.isoformat(timespec="seconds") if moment else ""


def conversation_record(summary: ConversationSummary, transcript: Transcript) -> dict[str, Any]:
    """One conversation as plain data: summary fields and every turn."""
    return {
        "conversation_id": summary.conversation_id,
        "started_at": _iso(summary.started_at),
        "last_active_at": _iso(summary.last_active_at),
        "patient_messages": summary.patient_messages,
        "flags": sorted(flag.value for flag in summary.flags),
        "topics": list(summary.topics),
        "masked": transcript.masked,
        "turns": [
            {
                "session": turn.session,
                "at": _iso(turn.at),
                "user_text": turn.user_text,
                "intent": turn.intent,
                "confidence": turn.confidence,
                "best_guess": turn.best_guess,
                "decided_by_rule": turn.decided_by_rule,
                "low_confidence": turn.low_confidence if turn.user_text is not None else None,
                "actions": turn.actions,
                "replies": [
                    {"at": _iso(r.at), "text": r.text, "buttons": r.buttons, "topic": r.topic}
                    for r in turn.replies
                ],
                "slots": [{"name": s.name, "value": s.value} for s in turn.slots],
            }
            for turn in transcript.turns
        ],
    }


def to_json(records: list[dict[str, Any]], meta: dict[str, Any]) -> str:
    return json.dumps({**meta, "conversations": records}, ensure_ascii=False, indent=2)


def safe_cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _csv(columns: Iterable[str], rows: Iterable[Iterable[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
    return out.getvalue()


def _message_rows(record: dict[str, Any]) -> Iterable[list[Any]]:
    for turn in record["turns"]:
        if turn["user_text"] is not None:
            yield [
                record["conversation_id"],
                turn["session"],
                turn["at"],
                "patient",
                turn["user_text"],
                turn["intent"],
                turn["confidence"],
                turn["best_guess"],
                " ".join(turn["actions"]),
                "",
                "",
            ]
        for reply in turn["replies"]:
            yield [
                record["conversation_id"],
                turn["session"],
                reply["at"],
                "bot",
                reply["text"],
                "",
                "",
                "",
                " ".join(turn["actions"]),
                " | ".join(b["title"] for b in reply["buttons"]),
                reply["topic"] or "",
            ]


def conversations_csv(records: list[dict[str, Any]]) -> str:
    """One row per message of every conversation, in time order."""
    return _csv(CONVERSATION_CSV_COLUMNS, (row for record in records for row in _message_rows(record)))


def unanswered_csv(groups: list[UnansweredGroup]) -> str:
    return _csv(
        UNANSWERED_CSV_COLUMNS,
        (
            [
                group.example,
                group.count,
                len(group.conversations),
                "; ".join(f"{reason} ({n})" for reason, n in group.reasons.most_common()),
                "; ".join(f"{intent} ({n})" for intent, n in group.nearest_intents.most_common()),
                _iso(group.first_seen),
                _iso(group.last_seen),
            ]
            for group in groups
        ),
    )


def false_alarm_cases(transcripts: list[Transcript]) -> str:
    """Conversations whose emergency flag staff marked a false alarm, as YAML in the shape of the
    safety conversation sets (tests/safety/conversations*.yml): each patient message that raised
    the alarm is expected to get none, the others anything. Contact details stay masked. Review
    them before they join a set: staff judged the conversation, not each message."""
    cases = []
    for transcript in transcripts:
        turns = [
            {
                "user": turn.user_text,
                "expect": "no_alarm" if turn.intent == EMERGENCY_INTENT else "any",
            }
            for turn in transcript.turns
            if turn.user_text is not None and not turn.is_button
        ]
        if turns:
            cases.append(
                {
                    "id": f"staff-{transcript.conversation_id}",
                    "kind": "staff_false_alarm",
                    "note": "emergency flag marked a false alarm by clinic staff",
                    "turns": turns,
                }
            )
    return yaml.safe_dump({"conversations": cases}, allow_unicode=True, sort_keys=False, width=120)
