"""Whole patient conversations through the full trained bot, each patient turn judged by the
label its blind writer gave it (issue 11).

The sets (tests/conversations/*.yml) were written by helpers that read only the clinic page and
a list of the behaviours wanted, never the training data, rules or code. Each turn's `expect` is
one of: `answer: [topic, ...]` (the page's answer for each, in order), `not_on_page` (an honest
"the page doesn't cover that"), `clarify: [topic, ...]` (one short question with buttons),
`emergency`, `getting_help`, `handoff`, `booking: start|continue|stored|cancelled`, and
`small_talk: greeting|thanks|goodbye|bot`.

What the bot said is read from what the REST channel returns: page answers carry their topic in
`custom`, safety replies their kind, and every other text is recognised against its template in
domain.yml or data/wording (so the judge cannot drift from what the bot can say). Shared by
tests/conversations/test_patient_conversations.py (the floors) and bench/conversations.py (the
figures by label and tag, and every failed turn)."""

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from bot.knowledge.base import get_knowledge_base
from bot.paths import PROJECT_ROOT
from bot.wording import wording_file
from tests.support.conversation_sets import right_by_conversation
from tests.support.harness import RunningBot

SETS_DIR = PROJECT_ROOT / "tests" / "conversations"
TUNING_SET = SETS_DIR / "conversations.yml"
FRESH_SET = SETS_DIR / "conversations_fresh.yml"
EXPECTATIONS = (
    "answer",
    "not_on_page",
    "clarify",
    "emergency",
    "getting_help",
    "handoff",
    "booking",
    "small_talk",
)
BOOKING_STEPS = ("start", "continue", "stored", "cancelled")
SMALL_TALK = {
    "greeting": {"utter_greet"},
    "thanks": {"utter_welcome", "utter_no_problem", "utter_goodbye"},
    "goodbye": {"utter_goodbye", "utter_welcome", "utter_no_problem"},
    "bot": {"utter_iamabot"},
}
OFF_PAGE_RESPONSES = {"utter_no_price_info", "utter_out_of_scope"}
# What is never shown to a patient: a stand-in or an unfilled template.
LEAKS = re.compile(r"PLACEHOLDER|\{[a-z_]+\}|\bNone\b")


def _template_pattern(template: str) -> re.Pattern[str]:
    """A wording template as a pattern: its words literally, each {placeholder} as any text."""
    parts = re.split(r"\{[a-z_]+\}", template)
    return re.compile(".+?".join(re.escape(part) for part in parts), re.DOTALL)


@cache
def _templates() -> dict[str, list[re.Pattern[str]]]:
    """Kinds of message -> the patterns of every text of that kind the bot can send."""
    general, booking = wording_file("general").texts, wording_file("booking").texts
    errors = wording_file("booking_errors").texts

    def of(texts, *prefixes: str) -> list[re.Pattern[str]]:
        return [_template_pattern(t) for k, t in texts.items() if k.startswith(prefixes)]

    return {
        "not_sure": of(general, "unsure.not_understood", "unsure.retrieved.intro"),
        "handoff": of(general, "handoff.route", "handoff.callback_offer"),
        "booking_opening": of(booking, "opening."),
        "booking_question": of(booking, "questions.", "summary.question", "changing."),
        "booking_error": [*of(errors, ""), *of(booking, "explanations.")],
        "booking_cancelled": of(booking, "ended.cancelled"),
    }


@cache
def _responses() -> dict[str, str]:
    """domain.yml's response texts -> their names."""
    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())
    return {
        " ".join(variant["text"].split()): name
        for name, variants in domain["responses"].items()
        for variant in variants
        if "text" in variant
    }


@dataclass
class Said:
    """What the bot sent for one patient message, read into kinds."""

    message: str
    replies: list[dict]
    topics: list[str] = field(default_factory=list)
    responses: set[str] = field(default_factory=set)
    kinds: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        for reply in self.replies:
            custom = reply.get("custom") or {}
            if "topic" in custom:  # several questions answered in one reply carry them all
                self.topics.extend(custom.get("topics") or [custom["topic"]])
            if custom.get("alert") == "emergency":
                self.kinds.add("emergency")
            if custom.get("safety") in ("getting_help", "serious_risk"):
                self.kinds.add(custom["safety"])
            if "passage" in custom:
                self.kinds.add("not_sure")
            if "booking_reference" in custom:
                self.kinds.add("booking_stored")
            text = " ".join((reply.get("text") or "").split())
            if not text:
                continue
            for paragraph in [" ".join(p.split()) for p in (reply.get("text") or "").split("\n\n")] + [text]:
                if paragraph in _responses():
                    self.responses.add(_responses()[paragraph])
            for kind, patterns in _templates().items():
                if any(p.search(text) for p in patterns):
                    self.kinds.add(kind)
        if self.responses & OFF_PAGE_RESPONSES or "serious_risk" in self.kinds:
            self.kinds.add("off_page")

    @property
    def texts(self) -> str:
        return "\n".join(r.get("text") or "" for r in self.replies)

    @property
    def buttons(self) -> list[dict]:
        return [b for r in self.replies for b in r.get("buttons") or []]


@dataclass(frozen=True)
class Conversation:
    id: str
    persona: str
    turns: tuple[tuple[str, dict, tuple[str, ...]], ...]  # (message, expect, tags)


@dataclass
class JudgedTurn:
    conversation: Conversation
    index: int
    expect: dict
    tags: tuple[str, ...]
    said: Said
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def label(self) -> str:
        name = next(iter(self.expect))
        value = self.expect[name]
        return f"{name}:{value}" if name in ("booking", "small_talk") else name


def _check_expect(path: Path, conversation: str, expect: object) -> dict:
    topics = set(get_knowledge_base().topics)
    if not isinstance(expect, dict) or len(expect) != 1 or next(iter(expect)) not in EXPECTATIONS:
        raise ValueError(f"{path}: {conversation}: bad expect {expect!r}")
    name, value = next(iter(expect.items()))
    if name in ("answer", "clarify") and not (isinstance(value, list) and set(value) <= topics and value):
        raise ValueError(f"{path}: {conversation}: unknown topics in {expect!r}")
    if (name == "booking" and value not in BOOKING_STEPS) or (
        name == "small_talk" and value not in SMALL_TALK
    ):
        raise ValueError(f"{path}: {conversation}: bad {name} {value!r}")
    return expect


def load_conversations(path: Path = TUNING_SET) -> list[Conversation]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [
        Conversation(
            str(c["id"]),
            str(c.get("persona", "")),
            tuple(
                (str(t["user"]), _check_expect(path, c["id"], t["expect"]), tuple(t.get("tags") or ()))
                for t in c["turns"]
            ),
        )
        for c in raw["conversations"]
    ]


def _in_order(expected: list[str], given: list[str]) -> bool:
    remaining = iter(given)
    return all(topic in remaining for topic in expected)


def problems_of(expect: dict, said: Said) -> list[str]:
    """What is wrong with `said` for a turn labelled `expect` (empty: handled as labelled)."""
    name, value = next(iter(expect.items()))
    problems = []
    if LEAKS.search(said.texts):
        problems.append("placeholder shown")
    if name != "emergency" and "emergency" in said.kinds:
        problems.append("false alarm")
    if name == "answer":
        if not _in_order(value, said.topics) and not (
            value == ["side_effects"] and "serious_risk" in said.kinds
        ):
            missing = [t for t in value if t not in said.topics]
            problems.append(f"missing {missing} (gave {said.topics or 'no topic'})")
    elif name == "not_on_page":
        if "off_page" not in said.kinds:
            problems.append("no honest 'not on the page'")
    elif name == "clarify":
        payloads = {b.get("payload", "").lstrip("/") for b in said.buttons}
        intents = {get_knowledge_base().topics[t].intent for t in value}
        if said.topics or not payloads & intents:
            problems.append("no clarifying question")
    elif name == "emergency" and "emergency" not in said.kinds:
        problems.append("no emergency advice")
    elif name == "getting_help" and "getting_help" not in said.kinds:
        problems.append("help not acknowledged")
    elif name == "handoff" and "handoff" not in said.kinds:
        problems.append("no route to a person")
    elif name == "booking":
        problems += _booking_problems(value, said)
    elif name == "small_talk" and not said.responses & SMALL_TALK[value]:
        problems.append(f"no {value} reply")
    if name in ("answer", "not_on_page") and "not_sure" in said.kinds and problems:
        problems.append("needless not-sure")
    return problems


def _booking_problems(step: str, said: Said) -> list[str]:
    if step == "start" and not said.kinds & {"booking_opening", "booking_question"}:
        return ["form not started"]
    if step == "continue":
        if "booking_error" in said.kinds:
            return ["answer not accepted"]
        if not said.kinds & {"booking_question", "booking_stored"} and not said.topics:
            return ["form did not go on"]
    if step == "stored" and "booking_stored" not in said.kinds:
        return ["not stored"]
    if step == "cancelled" and "booking_cancelled" not in said.kinds:
        return ["not cancelled"]
    return []


def run_conversation(bot: RunningBot, conversation: Conversation, prefix: str = "") -> list[JudgedTurn]:
    sender = f"{prefix}{conversation.id}"
    judged = []
    for index, (message, expect, tags) in enumerate(conversation.turns):
        said = Said(message, bot.say(sender, message))
        judged.append(JudgedTurn(conversation, index, expect, tags, said, problems_of(expect, said)))
    return judged


def run_conversations(bot: RunningBot, path: Path = TUNING_SET, prefix: str = "") -> list[JudgedTurn]:
    return [t for c in load_conversations(path) for t in run_conversation(bot, c, prefix)]


@dataclass(frozen=True)
class Figures:
    turns: int
    turns_right: int
    conversations: int
    conversations_right: int
    answerable: int  # turns the page answers
    needless_not_sure: int

    @property
    def turn_rate(self) -> float:
        return self.turns_right / self.turns if self.turns else 1.0

    @property
    def conversation_rate(self) -> float:
        return self.conversations_right / self.conversations if self.conversations else 1.0

    @property
    def needless_not_sure_rate(self) -> float:
        return self.needless_not_sure / self.answerable if self.answerable else 0.0


def figures(turns: Iterable[JudgedTurn]) -> Figures:
    turns = list(turns)
    by_conversation = right_by_conversation(turns)
    answerable = [t for t in turns if "answer" in t.expect]
    return Figures(
        turns=len(turns),
        turns_right=sum(t.ok for t in turns),
        conversations=len(by_conversation),
        conversations_right=sum(by_conversation.values()),
        answerable=len(answerable),
        needless_not_sure=sum("not_sure" in t.said.kinds for t in answerable),
    )


def _line(name: str, f: Figures) -> str:
    return f"  {name:24} turns {f.turns_right:4}/{f.turns:<4} ({f.turn_rate:6.1%})"


def report(turns: list[JudgedTurn], title: str) -> str:
    """The figures overall, by label and by tag, then every failed turn with what the bot said."""
    f = figures(turns)
    lines = [
        title,
        f"  turns handled as labelled {f.turns_right}/{f.turns} ({f.turn_rate:.1%}); conversations right at "
        f"every turn {f.conversations_right}/{f.conversations} ({f.conversation_rate:.1%}); needless "
        f"not-sure {f.needless_not_sure}/{f.answerable} ({f.needless_not_sure_rate:.1%})",
        "  by label:",
    ]
    for label in sorted({t.label for t in turns}):
        lines.append(_line(label, figures(t for t in turns if t.label == label)))
    lines.append("  by tag:")
    for tag in sorted({tag for t in turns for tag in t.tags}):
        lines.append(_line(tag, figures(t for t in turns if tag in t.tags)))
    problems = Counter(p.split(" (")[0].split(" [")[0] for t in turns for p in t.problems)
    lines.append(f"  problems: {dict(problems.most_common()) or 'none'}")
    for t in turns:
        if not t.ok:
            said = " | ".join(line for line in t.said.texts.splitlines() if line)[:200]
            lines.append(
                f"  FAIL {t.conversation.id}#{t.index} {t.expect} {t.said.message!r}: {'; '.join(t.problems)}"
            )
            lines.append(f"       bot: {said}")
    return "\n".join(lines)
