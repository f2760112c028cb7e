"""Whole booking conversations through the full trained bot, each judged by the outcome its
blind writer expected (issue 13): stored once with the right fields, cancelled or declined with
nothing stored, or handed off to the clinic team.

The sets (tests/conversations/booking*.yml) were written by helpers that read only the clinic
page and a list of the behaviours wanted, never the form's code, wording or training data. Each
conversation is the patient's turns in order and one `expect`: `outcome` (stored | cancelled |
declined | handoff) and, for a stored request, the final values the writer meant: `name`,
`requester_name`, `relationship` (what the requester is to the patient), `phone` (compared by
its digits), `email`, `contact_is` (requester | patient), `availability_words` (each must be in
what was kept, or in its plain reading) and `reason` (given or not).

Shared by tests/conversations/test_booking_conversations.py (the floor) and
bench/booking_conversations.py (the figures and every failed conversation)."""

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
import yaml

from bot.booking.someone_else import relations
from bot.booking.store import requests_table
from bot.booking.when import describe
from tests.support.harness import RunningBot
from tests.support.patient_conversations import LEAKS, SETS_DIR, Said

TUNING_SET = SETS_DIR / "booking.yml"
FRESH_SET = SETS_DIR / "booking_fresh.yml"
OUTCOMES = ("stored", "cancelled", "declined", "handoff")
STORE_FILE = "bookings.db"

# What the patient may be to a requester who says they are the patient's ... (the writers give
# the requester's relation; the bot keeps the patient's).
_PATIENT_RELATIONS_OF = {
    ("daughter", "son", "child", "kid"): {"mother", "father", "parent"},
    ("wife",): {"husband", "partner"},
    ("husband",): {"wife", "partner"},
    ("partner", "boyfriend", "girlfriend", "fiance", "fiancé", "fiancee", "spouse"): {
        "partner",
        "wife",
        "husband",
    },
    ("granddaughter", "grandson", "grandchild"): {"grandmother", "grandfather", "grandparent"},
    ("mother", "mom", "mum", "father", "dad", "parent"): {"son", "daughter", "child"},
    ("sister", "brother"): {"sister", "brother", "relative"},
}


@dataclass(frozen=True)
class BookingConversation:
    id: str
    persona: str
    turns: tuple[str, ...]
    outcome: str
    request: dict[str, Any]


@dataclass
class JudgedBooking:
    conversation: BookingConversation
    said: list[Said]
    stored: list[dict[str, Any]]
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def load_booking_conversations(path: Path = TUNING_SET) -> list[BookingConversation]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    conversations = []
    for item in raw["conversations"]:
        expect = item["expect"]
        words = (expect.get("request") or {}).get("availability_words") or []
        if any(isinstance(word, int) and word >= 60 for word in words):  # YAML reads 3:30 as 210
            raise ValueError(f"{path}: {item['id']}: quote clock times in availability_words: {words!r}")
        if expect.get("outcome") not in OUTCOMES:
            raise ValueError(f"{path}: {item['id']}: bad outcome {expect.get('outcome')!r}")
        turns = tuple(str(turn) for turn in item["turns"])
        conversations.append(
            BookingConversation(
                item["id"], item.get("persona", ""), turns, expect["outcome"], expect.get("request") or {}
            )
        )
    return conversations


def _digits(text: object) -> str:
    return re.sub(r"\D", "", str(text or ""))[-10:]


def _words(text: object) -> list[str]:
    return re.findall(r"[^\W\d_]+", str(text or "").casefold())


def _acceptable_relations(said_by_requester: str) -> set[str]:
    word = said_by_requester.casefold()
    for words, patient in _PATIENT_RELATIONS_OF.items():
        if word in words:
            return patient
    mapped = relations().by_word.get(word)
    return {mapped} if mapped else set()


def request_problems(expected: dict[str, Any], row: dict[str, Any]) -> list[str]:
    """How a stored request differs from what the writer meant."""
    problems = []
    if "name" in expected and _words(row["name"]) != _words(expected["name"]):
        problems.append(f"name {row['name']!r}, expected {expected['name']!r}")
    if expected.get("requester_name"):
        got, want = set(_words(row.get("requester_name"))), set(_words(expected["requester_name"]))
        if not got or not (got <= want or want <= got):
            problems.append(
                f"requester {row.get('requester_name')!r}, expected {expected['requester_name']!r}"
            )
        relation = expected.get("relationship")
        acceptable = _acceptable_relations(relation) if relation else set()
        if not row.get("patient_relation") or (acceptable and row["patient_relation"] not in acceptable):
            problems.append(f"relation {row.get('patient_relation')!r}, requester said {relation!r}")
        if expected.get("contact_is") and (row.get("contact_is") or "requester") != expected["contact_is"]:
            problems.append(f"contact is {row.get('contact_is')!r}'s, expected {expected['contact_is']!r}'s")
    elif row.get("requester_name"):
        problems.append(f"requester {row['requester_name']!r} for a patient booking for themself")
    if "phone" in expected and _digits(row.get("phone")) != _digits(expected["phone"]):
        problems.append(f"phone {row.get('phone')!r}, expected {expected['phone']!r}")
    if "email" in expected and (row.get("email") or None) != (
        str(expected["email"]).casefold() if expected["email"] else None
    ):
        problems.append(f"email {row.get('email')!r}, expected {expected['email']!r}")
    words = row.get("preferred_time_text") or ""
    kept = f"{words} {describe(row.get('preferred_time'), words)}"
    missing = [
        w for w in expected.get("availability_words") or [] if str(w).casefold() not in kept.casefold()
    ]
    if missing:
        problems.append(f"availability {row.get('preferred_time_text')!r} lacks {missing}")
    if "reason" in expected and bool(row.get("reason")) != bool(expected["reason"]):
        problems.append(f"reason {row.get('reason')!r}, expected {'one' if expected['reason'] else 'none'}")
    return problems


def judge(conversation: BookingConversation, said: list[Said], stored: list[dict[str, Any]]) -> list[str]:
    problems = [f"placeholder shown: {s.texts[:80]!r}" for s in said if LEAKS.search(s.texts)]
    if conversation.outcome == "stored":
        if len(stored) != 1:
            return problems + [f"{len(stored)} requests stored, expected 1"]
        return problems + request_problems(conversation.request, stored[0])
    if stored:
        problems.append(f"{len(stored)} requests stored, expected none ({conversation.outcome})")
    if conversation.outcome == "handoff" and not any("handoff" in s.kinds for s in said):
        problems.append("never handed off to the clinic team")
    return problems


def stored_requests(store_url: str, conversation_id: str) -> list[dict[str, Any]]:
    engine = sa.create_engine(store_url)
    try:
        with engine.connect() as connection:
            query = sa.select(requests_table).where(requests_table.c.conversation_id == conversation_id)
            return [dict(row._mapping) for row in connection.execute(query)]
    except sa.exc.OperationalError:  # no request stored yet: the table does not exist
        return []
    finally:
        engine.dispose()


def store_url_of(bot: RunningBot) -> str:
    return f"sqlite:///{bot.workdir / STORE_FILE}"


def run_booking_conversations(
    bot: RunningBot, path: Path = TUNING_SET, prefix: str = ""
) -> list[JudgedBooking]:
    """Every conversation of the set through the bot (started with BOOKING_DATABASE_URL at
    store_url_of(bot)), judged."""
    judged = []
    for conversation in load_booking_conversations(path):
        sender = f"{prefix}{conversation.id}"
        said = [Said(turn, bot.say(sender, turn)) for turn in conversation.turns]
        stored = stored_requests(store_url_of(bot), sender)
        judged.append(JudgedBooking(conversation, said, stored, judge(conversation, said, stored)))
    return judged


def success_rate(judged: list[JudgedBooking]) -> float:
    return sum(j.ok for j in judged) / len(judged) if judged else 0.0


def report(judged: list[JudgedBooking], title: str) -> str:
    """The rate by expected outcome, then every failed conversation with what the bot said."""
    right_count = sum(j.ok for j in judged)
    lines = [f"{title}: {right_count}/{len(judged)} reached the right outcome ({success_rate(judged):.1%})"]
    totals = Counter(j.conversation.outcome for j in judged)
    right = Counter(j.conversation.outcome for j in judged if j.ok)
    lines += [f"  {outcome:10} {right[outcome]}/{totals[outcome]}" for outcome in OUTCOMES if totals[outcome]]
    for j in judged:
        if j.ok:
            continue
        lines.append(f"\n{j.conversation.id} ({j.conversation.persona}): {'; '.join(j.problems)}")
        for s in j.said:
            bot_words = " | ".join(" ".join(s.texts.split()) for s in [s])[:300]
            lines.append(f"  > {s.message}\n    {bot_words}")
    return "\n".join(lines)
