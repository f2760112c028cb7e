"""A Rasa NLU component: rules, not model confidence, decide emergencies and off-page questions.

Placed last in the pipeline (after FallbackClassifier, config.yml), so that an emergency is never
lost to a low-confidence fallback. For each message it runs

1. the red-flag rules (bot/nlp/red_flags.py): an urgent symptom sets the intent
   `report_emergency`, a general question about one ("can Botox cause trouble swallowing?")
   sets `ask_serious_risk`, whatever the model predicted;
2. otherwise the scope rules (bot/nlp/scope.py): a price, dose, pregnancy, medicine, brand,
   procedure or prompt-like question that the model would answer from the page (or was unsure
   about) becomes `ask_cost` or `out_of_scope`.

The model's own prediction stays visible in the parse data under `red_flag.model_intent` or
`off_page.model_intent`, next to the rule that decided and the words it matched.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.nlu.constants import SPACY_DOCS
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from spacy.tokens import Doc

from bot.knowledge import get_knowledge_base
from bot.nlp.red_flags import EMERGENCY, GENERAL_QUESTION, NO_RED_FLAG, get_detector
from bot.nlp.scope import get_scope_detector

RED_FLAG_KEY = "red_flag"
OFF_PAGE_KEY = "off_page"


def page_intents() -> List[str]:
    """Intents answered from the clinic page: the ones an off-page question must not reach."""
    return sorted(topic.intent for topic in get_knowledge_base().topics.values())


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class SafetyRulesClassifier(GraphComponent, IntentClassifier):
    """Overrides the predicted intent for red-flag symptoms and questions the page cannot answer."""

    @classmethod
    def required_components(cls) -> List[type]:
        return [IntentClassifier]

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            "emergency_intent": "report_emergency",
            "serious_risk_intent": "ask_serious_risk",
            # Predictions the scope rules may replace; page intents are added from the knowledge
            # base. Others (booking, greetings, a person) are left alone: they answer no facts.
            "off_page_replaces": [DEFAULT_NLU_FALLBACK_INTENT_NAME, "out_of_scope", "ask_cost"],
        }

    def __init__(self, config: Dict[Text, Any]) -> None:
        self.component_config = config
        self.red_flags = get_detector()
        self.scope = get_scope_detector()
        self.replaceable = set(config["off_page_replaces"]) | set(page_intents())

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SafetyRulesClassifier:
        return cls(config)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            self.process_message(message)
        return messages

    def process_message(self, message: Message) -> None:
        text = message.get(TEXT) or ""
        if not text.strip():
            return
        doc = self._doc(message, text)
        model_intent = dict(message.get(INTENT) or {})
        red_flag = self.red_flags.detect(doc)
        if red_flag.decision != NO_RED_FLAG or red_flag.ignored:
            message.set(RED_FLAG_KEY, {**red_flag.as_dict(), "model_intent": model_intent},
                        add_to_output=True)
        if red_flag.decision == EMERGENCY:
            return self._set_intent(message, self.component_config["emergency_intent"])
        if red_flag.decision == GENERAL_QUESTION:
            return self._set_intent(message, self.component_config["serious_risk_intent"])
        off_page = self.scope.detect(doc)
        if off_page is None:
            return
        message.set(OFF_PAGE_KEY, {**off_page.as_dict(), "model_intent": model_intent},
                    add_to_output=True)
        if model_intent.get(INTENT_NAME_KEY) in self.replaceable:
            self._set_intent(message, off_page.intent)

    def _doc(self, message: Message, text: str) -> Doc:
        """Rasa's spaCy Doc of the message when SpacyNLP made one, else our own parse."""
        doc = message.get(SPACY_DOCS[TEXT])
        return doc if isinstance(doc, Doc) else self.red_flags.normaliser.parse(text)

    @staticmethod
    def _set_intent(message: Message, name: str) -> None:
        intent = {INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: 1.0}
        ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get(INTENT_NAME_KEY) != name]
        message.set(INTENT, intent, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [intent, *ranking], add_to_output=True)


def model_prediction(parse_data: Dict[Text, Any]) -> Optional[Dict[Text, Any]]:
    """What the statistical model predicted before a safety rule replaced it, if one did."""
    for key in (RED_FLAG_KEY, OFF_PAGE_KEY):
        if key in parse_data:
            return parse_data[key].get("model_intent")
    return None
