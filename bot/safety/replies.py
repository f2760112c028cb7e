"""What the bot says when a patient's safety is at stake, worded from data/safety/emergency.yml.

- `emergency_reply`: a red-flag symptom. Call 911 now, the symptom named back, do not wait for the
  clinic, then the clinic contact. No buttons and nothing reassuring after it; the web widget
  shows it as an alert (custom payload `{"alert": "emergency", "symptom": ...}`).
- `serious_risk_reply`: a general question about a serious risk, which the page does not cover.
- `mild_symptom_reply`: an expected, mild effect: the page's side-effects answer plus when to call
  the clinic.
- `disclaimer_reply`: the first message of every conversation.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from bot.contact import clinic_contact, with_route
from bot.knowledge.answers import Reply, answer_for_topic
from bot.names import EMERGENCY_ALERT, Intent
from bot.paths import SAFETY_WORDING_FILE
from bot.safety.vocabulary import get_red_flag_vocabulary, source_ids
from bot.settings import Settings
from bot.wording import Texts, check_texts
from bot.yamlfile import ConfigError, load_yaml_mapping

# The intent the red-flag rules set (config.yml, SafetyRulesClassifier `emergency_intent`).
EMERGENCY_INTENT = Intent.REPORT_EMERGENCY
SIDE_EFFECTS_TOPIC = "side_effects"
# The texts of the safety wording and the placeholders the code fills in.
SAFETY_TEXTS = {
    "disclaimer": (),
    "emergency.text": ("symptoms",),
    "emergency.text_other": ("symptoms",),
    "emergency.text_unnamed": (),
    "emergency.follow_up.with_route": ("clinic_contact",),
    "emergency.follow_up.without_route": (),
    "emergency.repeat": (),
    "emergency.acknowledged.with_route": ("clinic_contact",),
    "emergency.acknowledged.without_route": (),
    "serious_risk.text": ("symptoms",),
    "serious_risk.unnamed_symptoms": (),
    "mild_effects.text.with_route": ("clinic_contact",),
    "mild_effects.text.without_route": (),
}
# Answers that must cite the sources they rest on.
CITING_SECTIONS = ("emergency", "serious_risk", "mild_effects")
# Data beside the texts, checked below.
SAFETY_DATA = ("sources", "symptom_names", *(f"{section}.source" for section in CITING_SECTIONS))


@dataclass(frozen=True)
class SafetyWording:
    texts: Texts
    symptom_names: dict[str, str]
    source_ids: Sequence[str]


def _symptom_names(path: Path, raw: dict) -> dict[str, str]:
    """How each red-flag symptom is named back: one name per symptom of the red-flag file."""
    names = raw.get("symptom_names")
    if not isinstance(names, dict) or not names:
        raise ConfigError(f"{path}: `symptom_names` must map symptom ids to names")
    symptoms = set(get_red_flag_vocabulary().symptoms)
    unknown = sorted(set(map(str, names)) - symptoms)
    if unknown:
        raise ConfigError(
            f"{path}: `symptom_names.{unknown[0]}` is not a red-flag symptom "
            f"(symptoms: {', '.join(sorted(symptoms))})"
        )
    unnamed = sorted(symptoms - set(map(str, names)))
    if unnamed:
        raise ConfigError(f"{path}: `symptom_names.{unnamed[0]}` is missing")
    empty = sorted(str(k) for k, v in names.items() if not isinstance(v, str) or not v.strip())
    if empty:
        raise ConfigError(f"{path}: `symptom_names.{empty[0]}` must be a non-empty text")
    return {str(k): " ".join(v.split()) for k, v in names.items()}


def load_safety_wording(path: Path = SAFETY_WORDING_FILE) -> SafetyWording:
    """Load the wording; raises `ConfigError` when a text is missing, empty or has a placeholder
    the code does not fill in, an answer names no known source, or a symptom name is missing or
    names no red-flag symptom."""
    raw = load_yaml_mapping(path)
    texts = check_texts(path, raw, SAFETY_TEXTS, SAFETY_DATA)
    known = source_ids(raw)
    for section in CITING_SECTIONS:
        cited = (raw.get(section) or {}).get("source") or []
        if not cited or set(cited) - set(known):
            raise ConfigError(f"{path}: `{section}` must cite sources among {known}")
    return SafetyWording(texts, _symptom_names(path, raw), tuple(known))


@lru_cache(maxsize=1)
def get_safety_wording() -> SafetyWording:
    return load_safety_wording()


def disclaimer_reply() -> Reply:
    """Automated assistant, general information, not medical advice, 911 for emergencies."""
    return Reply(text=get_safety_wording().texts.render("disclaimer"))


def symptom_phrase(symptoms: Sequence[str], wording: SafetyWording | None = None) -> str:
    """The symptoms in the patient's terms: "trouble swallowing and blurred or double vision"."""
    wording = wording or get_safety_wording()
    names = list(dict.fromkeys(wording.symptom_names[s] for s in symptoms if s in wording.symptom_names))
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def emergency_reply(
    symptoms: Sequence[str], settings: Settings | None = None, after_botox: bool = True
) -> Reply:
    """The emergency answer, naming `symptoms` back. No buttons: nothing may distract from 911.
    `after_botox`: the patient's own symptoms in a conversation that names Botox, so they may be
    called a possible reaction to it (bot/safety/conversation.py), when one of them is an effect
    Botox can have."""
    wording = get_safety_wording()
    named = symptom_phrase(symptoms, wording)
    # A stroke or chest pain is an emergency, but not a reaction to Botox.
    botox_effect = bool(set(symptoms) & get_red_flag_vocabulary().botox_effects)
    if not named:
        first = wording.texts.render("emergency.text_unnamed")
    else:
        key = "emergency.text" if after_botox and botox_effect else "emergency.text_other"
        first = wording.texts.render(key, symptoms=named)
    follow_up = with_route(
        wording.texts.render, "emergency.follow_up", clinic_contact=clinic_contact(settings)
    )
    return Reply(
        text=f"{first}\n\n{follow_up}",
        custom={"alert": EMERGENCY_ALERT, "symptom": named, "symptoms": list(symptoms)},
    )


def emergency_repeat_reply() -> Reply:
    """Every message in emergency mode: get care now, short enough to read at a glance."""
    return Reply(
        text=get_safety_wording().texts.render("emergency.repeat"), custom={"alert": EMERGENCY_ALERT}
    )


def emergency_acknowledged_reply(settings: Settings | None = None) -> Reply:
    """The patient is getting help: no alarm again, no page answer or offer."""
    text = with_route(
        get_safety_wording().texts.render, "emergency.acknowledged", clinic_contact=clinic_contact(settings)
    )
    return Reply(text=text, custom={"safety": "getting_help"})


def serious_risk_reply(symptoms: Sequence[str]) -> Reply:
    wording = get_safety_wording()
    named = symptom_phrase(symptoms, wording) or wording.texts.render("serious_risk.unnamed_symptoms")
    return Reply(
        text=wording.texts.render("serious_risk.text", symptoms=named),
        custom={"safety": "serious_risk", "symptoms": list(symptoms)},
    )


def mild_symptom_reply(settings: Settings | None = None) -> Reply:
    """The page's side-effects answer, then when to call the clinic instead of waiting."""
    page_answer = answer_for_topic(SIDE_EFFECTS_TOPIC)
    follow_up = with_route(
        get_safety_wording().texts.render, "mild_effects.text", clinic_contact=clinic_contact(settings)
    )
    return Reply(
        text=f"{page_answer.text}\n\n{follow_up}",
        buttons=page_answer.buttons,
        custom={**page_answer.custom, "safety": "mild_effects"},
    )
