"""The names in bot/names.py are the ones the domain and the NLU pipeline use: renaming an intent,
slot, action or form in the data without renaming it in code (or the other way) fails here,
instead of silently switching off, say, emergency flagging."""

from typing import Any

import pytest

from bot.names import BOOKING_FORM, ActionName, Followup, Intent, Slot
from bot.nlp.safety_classifier import SafetyRulesClassifier
from bot.paths import RASA_CONFIG_FILE
from bot.staff.flags import FOLLOWUP_FLAGS
from bot.yamlfile import load_yaml_mapping
from tests.support.domain import domain_intents, load_domain

# Rasa's own names, which a domain does not list.
RASA_INTENTS = {Intent.NLU_FALLBACK}
RASA_ACTIONS = {ActionName.LISTEN, ActionName.SESSION_START, ActionName.DEACTIVATE_LOOP}
RASA_SLOTS = {Slot.REQUESTED}


def names_of(namespace: type) -> dict[str, str]:
    return {key: value for key, value in vars(namespace).items() if key.isupper() and isinstance(value, str)}


def domain_actions(domain: dict[str, Any]) -> set[str]:
    return set(domain.get("actions") or []) | set(domain.get("responses") or {})


@pytest.mark.parametrize("constant,intent", sorted(names_of(Intent).items()))
def test_every_intent_named_in_code_is_in_the_domain(constant, intent):
    assert intent in domain_intents() | RASA_INTENTS, f"Intent.{constant} = {intent!r}"


@pytest.mark.parametrize("constant,slot", sorted(names_of(Slot).items()))
def test_every_slot_named_in_code_is_in_the_domain(constant, slot):
    assert slot in set(load_domain()["slots"]) | RASA_SLOTS, f"Slot.{constant} = {slot!r}"


@pytest.mark.parametrize("constant,action", sorted(names_of(ActionName).items()))
def test_every_action_named_in_code_is_in_the_domain(constant, action):
    assert action in domain_actions(load_domain()) | RASA_ACTIONS, f"ActionName.{constant} = {action!r}"


def test_the_booking_form_and_its_slots_are_in_the_domain():
    form = load_domain()["forms"][BOOKING_FORM]
    assert set(form["required_slots"]) <= set(load_domain()["slots"])


def test_every_followup_mark_is_flagged_in_the_staff_console():
    assert set(FOLLOWUP_FLAGS) == set(names_of(Followup).values())


def test_the_safety_component_sets_intents_of_the_domain():
    """config.yml may override the component's intents; whatever it sets must exist."""
    pipeline = load_yaml_mapping(RASA_CONFIG_FILE)["pipeline"]
    component = next(c for c in pipeline if c["name"].endswith("SafetyRulesClassifier"))
    config = {**SafetyRulesClassifier.get_default_config(), **component}
    intents = domain_intents() | RASA_INTENTS
    assert config["emergency_intent"] == Intent.REPORT_EMERGENCY
    assert {config["emergency_intent"], config["serious_risk_intent"]} <= intents
    assert set(config["off_page_replaces"]) | set(config["on_topic_intents"]) <= intents
