"""What marks a conversation for staff attention, read from the events Rasa stores.

The markers are the names the bot uses (bot/names.py), so every list, report and export
follows a renamed intent or slot.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from pathlib import Path
from typing import Any

from bot.names import ActionName, Followup, Intent, Slot
from bot.paths import RASA_CONFIG_FILE
from bot.yamlfile import load_yaml_mapping


class Flag(str, Enum):
    EMERGENCY = "emergency"
    BOOKING = "booking"
    HANDOFF = "handoff"
    UNANSWERED = "unanswered"
    LOW_CONFIDENCE = "low_confidence"

    @property
    def label(self) -> str:
        return FLAG_LABELS[self]


FLAG_LABELS = {
    Flag.EMERGENCY: "Emergency",
    Flag.BOOKING: "Booking requested",
    Flag.HANDOFF: "Handoff requested",
    Flag.UNANSWERED: "Unanswered / fallback",
    Flag.LOW_CONFIDENCE: "Low confidence",
}

EMERGENCY_INTENT = Intent.REPORT_EMERGENCY
BOOKING_INTENT = Intent.REQUEST_BOOKING
FOLLOWUP_SLOT = Slot.STAFF_FOLLOWUP
FOLLOWUP_FLAGS = {Followup.EMERGENCY: Flag.EMERGENCY, Followup.HUMAN_HANDOFF: Flag.HANDOFF}
# The bot giving the route to a person is a handoff even where no slot marks it.
HANDOFF_ACTION = ActionName.HUMAN_HANDOFF
FALLBACK_INTENT = Intent.NLU_FALLBACK
UNANSWERED_INTENTS = {FALLBACK_INTENT}
UNSURE_ACTION = ActionName.ANSWER_UNSURE
# Why a patient message counts as unanswered, as the unanswered report shows it.
UNANSWERED_REASONS = {
    FALLBACK_INTENT: "not understood (NLU fallback)",
    UNSURE_ACTION: "bot unsure (core fallback)",
}
# Questions the bot understood and answered honestly that the page does not cover: a group of
# their own in the report (what patients want that the page lacks), not "unanswered".
OFF_PAGE_REASONS = {
    Intent.OUT_OF_SCOPE: "not on the page (out of scope)",
    Intent.ASK_COST: "not on the page (prices)",
}
# The report's two groups (UnansweredMessage.group).
NOT_UNDERSTOOD = "not_understood"
OFF_PAGE = "off_page"
# Rasa's own control messages ("/session_start", "/restart"): not something a patient asked.
CONTROL_INTENTS = {"session_start", "restart"}
# Rasa's FallbackClassifier default, used when config.yml names no threshold.
DEFAULT_FALLBACK_THRESHOLD = 0.3


@lru_cache(maxsize=4)
def fallback_threshold(config_file: Path = RASA_CONFIG_FILE) -> float:
    """The FallbackClassifier threshold of the bot's NLU pipeline: below it, confidence is low."""
    for component in load_yaml_mapping(config_file).get("pipeline") or []:
        if isinstance(component, dict) and component.get("name") == "FallbackClassifier":
            return float(component.get("threshold", DEFAULT_FALLBACK_THRESHOLD))
    return DEFAULT_FALLBACK_THRESHOLD


@dataclass(frozen=True)
class RuleOverride:
    """A rule component (the safety issue's red-flag and off-page rules) set the intent and kept
    the classifier's own prediction in the parse data under its name."""

    rule: str  # e.g. "red_flag", "off_page"
    model_intent: dict[str, Any]


def rule_override(parse_data: dict[str, Any]) -> RuleOverride | None:
    intent = (parse_data.get("intent") or {}).get("name")
    for key, value in parse_data.items():
        model = value.get("model_intent") if isinstance(value, dict) else None
        if isinstance(model, dict) and model.get("name") and model.get("name") != intent:
            return RuleOverride(key, model)
    return None


def best_guess(parse_data: dict[str, Any]) -> dict[str, Any] | None:
    """The classifier's own best real intent: its prediction when a rule replaced it, else the
    top of the ranking that is neither the fallback nor an intent a rule put there."""
    override = rule_override(parse_data)
    skip = {FALLBACK_INTENT}
    if override:
        if override.model_intent.get("name") != FALLBACK_INTENT:
            return override.model_intent
        skip.add((parse_data.get("intent") or {}).get("name") or "")
    for candidate in parse_data.get("intent_ranking") or []:
        if candidate.get("name") and candidate.get("name") not in skip:
            return candidate
    intent = parse_data.get("intent") or {}
    return intent if intent.get("name") and intent.get("name") not in skip else None


def nearest_answerable(parse_data: dict[str, Any]) -> str | None:
    """The best-ranked intent that has an answer: what an unanswered message came closest to."""
    for candidate in parse_data.get("intent_ranking") or []:
        if candidate.get("name") and candidate.get("name") not in UNANSWERED_INTENTS:
            return candidate["name"]
    return None


def ordered(flags: Iterable[Flag]) -> list[Flag]:
    """Flags in their fixed display order (emergency first)."""
    chosen = set(flags)
    return [flag for flag in Flag if flag in chosen]


def is_low_confidence(parse_data: dict[str, Any], threshold: float) -> bool:
    """True when even the classifier's best real intent scored below the fallback threshold
    (whatever a rule decided afterwards)."""
    guess = best_guess(parse_data)
    confidence = (guess or {}).get("confidence")
    return confidence is None or float(confidence) < threshold
