"""What the bot says when a patient's safety is at stake, worded from data/safety/emergency.yml.

- `emergency_reply`: a red-flag symptom. Call 911 now, the symptom named back, do not wait for the
  clinic, then the clinic contact. No buttons and nothing reassuring after it; the web widget
  shows it as an alert (custom payload `{"alert": "emergency", "symptom": ...}`).
- `serious_risk_reply`: a general question about a serious risk, which the page does not cover.
- `mild_symptom_reply`: an expected, mild effect: the page's side-effects answer plus when to call
  the clinic.
- `disclaimer_reply`: the first message of every conversation.
"""
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Dict, Optional, Sequence

from bot.contact import clinic_contact
from bot.knowledge.answers import Reply, answer_for_topic
from bot.names import EMERGENCY_ALERT, Intent
from bot.paths import DATA_DIR
from bot.settings import Settings, get_settings
from bot.yamlfile import ConfigError, load_yaml_mapping

SAFETY_WORDING_FILE = DATA_DIR / "safety" / "emergency.yml"
# The intent the red-flag rules set (config.yml, SafetyRulesClassifier `emergency_intent`).
EMERGENCY_INTENT = Intent.REPORT_EMERGENCY
SIDE_EFFECTS_TOPIC = "side_effects"


@dataclass(frozen=True)
class SafetyWording:
    disclaimer: str
    emergency: str
    emergency_follow_up: str
    emergency_unnamed: str
    serious_risk: str
    serious_risk_unnamed: str
    mild_effects: str
    symptom_names: Dict[str, str]
    source_ids: Sequence[str]


def _text(raw: dict, *keys: str) -> str:
    value = raw
    for key in keys:
        value = value.get(key) if isinstance(value, dict) else None
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{SAFETY_WORDING_FILE}: `{'.'.join(keys)}` must be a non-empty text")
    return " ".join(value.split())


def load_safety_wording(path: Path = SAFETY_WORDING_FILE) -> SafetyWording:
    """Load the wording; raises `ConfigError` when a text is missing or names no known source."""
    raw = load_yaml_mapping(path)
    source_ids = [source.get("id") for source in raw.get("sources") or []]
    for section in ("emergency", "serious_risk", "mild_effects"):
        cited = (raw.get(section) or {}).get("source") or []
        if not cited or set(cited) - set(source_ids):
            raise ConfigError(f"{path}: `{section}` must cite sources among {source_ids}")
    names = raw.get("symptom_names")
    if not isinstance(names, dict) or not names:
        raise ConfigError(f"{path}: `symptom_names` must map symptom ids to names")
    return SafetyWording(
        disclaimer=_text(raw, "disclaimer"),
        emergency=_text(raw, "emergency", "text"),
        emergency_follow_up=_text(raw, "emergency", "follow_up"),
        emergency_unnamed=_text(raw, "emergency", "unnamed_symptoms"),
        serious_risk=_text(raw, "serious_risk", "text"),
        serious_risk_unnamed=_text(raw, "serious_risk", "unnamed_symptoms"),
        mild_effects=_text(raw, "mild_effects", "text"),
        symptom_names={str(k): " ".join(str(v).split()) for k, v in names.items()},
        source_ids=tuple(source_ids),
    )


@lru_cache(maxsize=1)
def get_safety_wording() -> SafetyWording:
    return load_safety_wording()


def disclaimer_reply() -> Reply:
    """Automated assistant, general information, not medical advice, 911 for emergencies."""
    return Reply(text=get_safety_wording().disclaimer)


def symptom_phrase(symptoms: Sequence[str], wording: Optional[SafetyWording] = None) -> str:
    """The symptoms in the patient's terms: "trouble swallowing and blurred or double vision"."""
    wording = wording or get_safety_wording()
    names = list(dict.fromkeys(wording.symptom_names[s] for s in symptoms
                               if s in wording.symptom_names))
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def emergency_reply(symptoms: Sequence[str], settings: Optional[Settings] = None) -> Reply:
    """The emergency answer, naming `symptoms` back. No buttons: nothing may distract from 911."""
    wording = get_safety_wording()
    named = symptom_phrase(symptoms, wording) or wording.emergency_unnamed
    text = "\n\n".join([
        wording.emergency.format(symptoms=named),
        wording.emergency_follow_up.format(clinic_contact=clinic_contact(settings)),
    ])
    return Reply(text=text, custom={"alert": EMERGENCY_ALERT, "symptom": named,
                                    "symptoms": list(symptoms)})


def serious_risk_reply(symptoms: Sequence[str]) -> Reply:
    wording = get_safety_wording()
    named = symptom_phrase(symptoms, wording) or wording.serious_risk_unnamed
    return Reply(text=wording.serious_risk.format(symptoms=named),
                 custom={"safety": "serious_risk", "symptoms": list(symptoms)})


def mild_symptom_reply(settings: Optional[Settings] = None) -> Reply:
    """The page's side-effects answer, then when to call the clinic instead of waiting."""
    page_answer = answer_for_topic(SIDE_EFFECTS_TOPIC)
    follow_up = get_safety_wording().mild_effects.format(clinic_contact=clinic_contact(settings))
    return Reply(text=f"{page_answer.text}\n\n{follow_up}", buttons=page_answer.buttons,
                 custom={**page_answer.custom, "safety": "mild_effects"})
