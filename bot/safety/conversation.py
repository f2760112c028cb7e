"""Safety across a whole conversation, over Rasa's stored events (plain dicts, no Rasa import):

- **Emergency mode.** After the emergency answer, every message gets the short, firm repeat
  (call 911 or go to the emergency department now), never a page answer, a booking offer or a
  callback, until the patient says they are getting help or are safe.
- **Signs across messages.** A secondary sign alone (a heavy eyelid) is not urgent; two different
  ones within a few messages ("my eyelid feels heavy", then "my voice is going hoarse") are.
- **Whose emergency.** The emergency answer calls the symptoms a possible reaction to Botox only
  when the patient is describing their own and Botox or injections were mentioned.

The patterns are reviewed data in data/safety/conversation.yml. The Rasa side is the policy in
bot/runtime/emergency_policy.py, which asks `next_safety_action` before any other policy.
"""

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from bot.names import ActionName, Intent
from bot.paths import DATA_DIR
from bot.yamlfile import ConfigError, load_yaml_mapping

CONVERSATION_SAFETY_FILE = DATA_DIR / "safety" / "conversation.yml"
PATTERN_KEYS = (
    "help_here",
    "getting_help",
    "no_symptoms",
    "refusing",
    "still_deciding",
    "risk_follow_on",
    "help_context",
    "treatment",
    "not_treated",
    "someone_else",
)
# Actions that give emergency advice: emergency mode starts (or goes on) after each.
ALERT_ACTIONS = frozenset({ActionName.ANSWER_EMERGENCY, ActionName.REPEAT_EMERGENCY})
# Actions that end it: help is on its way, or there were no symptoms (the risk information).
MODE_ENDING_ACTIONS = frozenset({ActionName.EMERGENCY_ACKNOWLEDGED, ActionName.ANSWER_SERIOUS_RISK})

Event = Mapping[str, Any]


@dataclass(frozen=True)
class ConversationSafety:
    signs_window: int
    patterns: Mapping[str, tuple[re.Pattern[str], ...]]

    def any_match(self, key: str, text: str) -> bool:
        folded = " ".join(text.lower().split())
        return any(pattern.search(folded) for pattern in self.patterns[key])

    def getting_help(self, text: str) -> bool:
        """Help is with the patient or on its way, or they say they are getting it and are not
        still deciding; never when they refuse it."""
        if self.any_match("refusing", text):
            return False
        if self.any_match("help_here", text):
            return True
        return self.any_match("getting_help", text) and not self.any_match("still_deciding", text)

    def no_symptoms(self, text: str) -> bool:
        """The patient says there are no symptoms: they were asking in general."""
        return self.any_match("no_symptoms", text)

    def botox_named(self, texts: Sequence[str]) -> bool:
        """Botox or injections mentioned as the patient's own, and never denied."""
        joined = " ".join(texts)
        return self.any_match("treatment", joined) and not self.any_match("not_treated", joined)

    def someone_else(self, text: str) -> bool:
        return self.any_match("someone_else", text)


def load_conversation_safety(path: Path = CONVERSATION_SAFETY_FILE) -> ConversationSafety:
    raw = load_yaml_mapping(path)
    window = raw.get("signs_window")
    if not isinstance(window, int) or isinstance(window, bool) or window < 1:
        raise ConfigError(f"{path}: `signs_window` must be a whole number of messages, at least 1")
    patterns = {}
    for key in PATTERN_KEYS:
        texts = raw.get(key)
        if not isinstance(texts, list) or not texts or not all(isinstance(t, str) and t for t in texts):
            raise ConfigError(f"{path}: `{key}` must be a list of patterns")
        try:
            patterns[key] = tuple(re.compile(text, re.IGNORECASE) for text in texts)
        except re.error as error:
            raise ConfigError(f"{path}: `{key}` has a pattern that is not valid ({error})") from error
    unknown = sorted(set(raw) - set(PATTERN_KEYS) - {"signs_window"})
    if unknown:
        raise ConfigError(f"{path}: `{unknown[0]}` is not read by the code")
    return ConversationSafety(window, patterns)


@lru_cache(maxsize=1)
def get_conversation_safety() -> ConversationSafety:
    return load_conversation_safety()


def _session(events: Sequence[Event]) -> Sequence[Event]:
    """The events since the session started (Rasa keeps earlier sessions in the same tracker)."""
    starts = [i for i, e in enumerate(events) if e.get("event") == "session_started"]
    return events[starts[-1] + 1 :] if starts else events


def _user_messages(events: Iterable[Event]) -> list[Event]:
    return [e for e in events if e.get("event") == "user"]


def _action_names(events: Iterable[Event]) -> list[str]:
    return [str(e.get("name")) for e in events if e.get("event") == "action"]


def in_emergency_mode(events: Sequence[Event]) -> bool:
    """An alert has been given and the patient has not said since that they are getting help, or
    that they have no symptoms at all."""
    for name in reversed(_action_names(_session(events))):
        if name in ALERT_ACTIONS:
            return True
        if name in MODE_ENDING_ACTIONS:
            return False
    return False


def _intent(message: Event) -> str | None:
    return ((message.get("parse_data") or {}).get("intent") or {}).get("name")


def _red_flag(message: Event) -> Mapping[str, Any]:
    return (message.get("parse_data") or {}).get("red_flag") or {}


def signs_together(messages: Sequence[Event], window: int) -> list[str]:
    """The secondary signs of the latest `window` messages, when the latest has one and they are
    two or more different signs; else none."""
    recent = messages[-window:]
    if not recent or not _red_flag(recent[-1]).get("signs"):
        return []
    signs = [s for message in recent for s in _red_flag(message).get("signs") or []]
    distinct = list(dict.fromkeys(signs))
    return distinct if len(distinct) >= 2 else []


def signs_add_up(events: Sequence[Event], safety: ConversationSafety | None = None) -> bool:
    """The latest message's secondary sign and those of the messages before it make an emergency
    ("my eyelid is heavy", then "I sound hoarse"). The booking form asks this too, so that such a
    message is never read as an answer (actions/booking.py)."""
    safety = safety or get_conversation_safety()
    return bool(signs_together(_user_messages(_session(events)), safety.signs_window))


def _active_loop(events: Sequence[Event]) -> str | None:
    loops = [e for e in events if e.get("event") == "active_loop"]
    return loops[-1].get("name") if loops else None


def _latest_intent(session: Sequence[Event]) -> str | None:
    messages = _user_messages(session)
    return _intent(messages[-1]) if messages else None


def _after_action(session: Sequence[Event], name: str) -> str | None:
    """After a safety answer: stop a form that is still open (nothing it asks may follow the
    alert), then wait for the patient."""
    ours = ALERT_ACTIONS | {ActionName.EMERGENCY_ACKNOWLEDGED}
    if name in ours:
        return ActionName.DEACTIVATE_LOOP if _active_loop(session) else ActionName.LISTEN
    earlier = [a for a in _action_names(session)[:-1] if a != ActionName.LISTEN]
    if name == ActionName.DEACTIVATE_LOOP and earlier and earlier[-1] in ours:
        return ActionName.LISTEN
    if name == ActionName.ANSWER_SERIOUS_RISK and (
        (earlier and earlier[-1] in ALERT_ACTIONS) or _latest_intent(session) == Intent.REPORT_EMERGENCY
    ):
        # No booking offer straight after an alert, and nothing else for a message the rules
        # read as an emergency that was a follow-on question about the risks.
        return ActionName.LISTEN
    return None


def _risk_follow_on(session: Sequence[Event], text: str, safety: ConversationSafety) -> bool:
    """A short follow-on right after the serious-risk information, naming another symptom with
    no sign that it is the patient's own."""
    answers = [a for a in _action_names(session) if a not in (ActionName.LISTEN, ActionName.OFFER_BOOKING)]
    return (
        bool(answers)
        and answers[-1] == ActionName.ANSWER_SERIOUS_RISK
        and safety.any_match("risk_follow_on", text)
    )


def next_safety_action(events: Sequence[Event], safety: ConversationSafety | None = None) -> str | None:
    """What must happen now for the patient's safety, whatever else was predicted; None when the
    safety path has nothing to say (the other policies decide)."""
    safety = safety or get_conversation_safety()
    session = _session(events)
    last = next((e for e in reversed(session) if e.get("event") in ("user", "action")), None)
    if last is None:
        return None
    if last.get("event") == "action":
        return _after_action(session, str(last.get("name")))
    text = str(last.get("text") or "")
    intent = _intent(last)
    if in_emergency_mode(session):
        if safety.getting_help(text):
            return ActionName.EMERGENCY_ACKNOWLEDGED
        if safety.no_symptoms(text) and intent != Intent.REPORT_EMERGENCY:
            return ActionName.ANSWER_SERIOUS_RISK
        return ActionName.REPEAT_EMERGENCY
    emergency_named = intent == Intent.REPORT_EMERGENCY or safety.any_match("help_context", text)
    if emergency_named and safety.getting_help(text):
        return ActionName.EMERGENCY_ACKNOWLEDGED  # "I'm at the ER now, I had botox and ..."
    if intent == Intent.REPORT_EMERGENCY and _risk_follow_on(session, text, safety):
        return ActionName.ANSWER_SERIOUS_RISK  # "and double vision?" after the risk information
    if intent != Intent.REPORT_EMERGENCY and signs_add_up(session, safety):
        return ActionName.ANSWER_EMERGENCY
    return None


def emergency_symptoms(events: Sequence[Event], safety: ConversationSafety | None = None) -> list[str]:
    """The symptoms to name back: the latest message's red flags, or its signs taken together
    with the recent ones."""
    safety = safety or get_conversation_safety()
    messages = _user_messages(_session(events))
    if not messages:
        return []
    latest = _red_flag(messages[-1])
    return list(latest.get("symptoms") or []) or signs_together(messages, safety.signs_window)


def botox_reaction_wording(events: Sequence[Event], safety: ConversationSafety | None = None) -> bool:
    """Say "after Botox this can be a sign of a serious reaction" only for the patient's own
    symptoms in a conversation that names Botox or injections as theirs."""
    safety = safety or get_conversation_safety()
    texts = [str(m.get("text") or "") for m in _user_messages(_session(events))]
    if not texts or any(safety.someone_else(t) for t in texts):
        return False
    return safety.botox_named(texts)
