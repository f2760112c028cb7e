"""A Rasa NLU component: rules, not model confidence, decide emergencies and off-page questions.

Placed last in the pipeline (after FallbackClassifier, config.yml), so that an emergency is never
lost to a low-confidence fallback. For each message it runs

1. the red-flag rules (bot/safety/red_flags.py): an urgent symptom sets the intent
   `report_emergency`, a general question about one ("can Botox cause trouble swallowing?")
   sets `ask_serious_risk`, whatever the model predicted;
   The model's own `report_emergency` stands when the rules saw no symptom words at all (it may
   know a phrasing the rules do not), but not when they saw them and ruled them out ("no trouble
   swallowing", "this price is hard to swallow"): then the message falls back (`nlu_fallback`);
2. otherwise the scope rules (bot/nlp/scope.py): a price, dose, pregnancy, medicine, brand,
   procedure or prompt-like question that the model would answer from the page (or was unsure
   about) becomes `ask_cost` or `out_of_scope`; so does a message whose content words are all
   off topic (bot/nlp/topic_vocabulary.py, learnt from the training questions: the only thing this
   component trains).

The model's own prediction stays visible in the parse data under `red_flag.model_intent` or
`off_page.model_intent`, next to the rule that decided and the words it matched.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

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
from rasa.shared.nlu.training_data.training_data import TrainingData
from spacy.tokens import Doc

from bot.knowledge import get_knowledge_base
from bot.names import Intent
from bot.nlp.scope import DEFAULT_INTENT, ScopeMatch, get_scope_detector
from bot.nlp.topic_vocabulary import TopicVocabulary, content_lemmas
from bot.safety.red_flags import EMERGENCY, GENERAL_QUESTION, NO_RED_FLAG, get_detector

RED_FLAG_KEY = "red_flag"
OFF_PAGE_KEY = "off_page"
VOCABULARY_FILE = "topic_vocabulary.json"
UNRELATED = "unrelated"
# Words that say nothing of what a question is about ("the thing with the stuff?").
VAGUE_WORDS = frozenset(
    {"thing", "stuff", "something", "anything", "everything", "whatever", "lot", "bit", "kind", "sort"}
)
OFF_PAGE_INTENTS = {Intent.ASK_COST, DEFAULT_INTENT}
# The code that decides what this component learns: a change to it must retrain the model.
TRAINING_CODE = [Path(__file__), Path(__file__).with_name("topic_vocabulary.py")]


def page_intents() -> list[str]:
    """Intents answered from the clinic page: the ones an off-page question must not reach."""
    return sorted(topic.intent for topic in get_knowledge_base().topics.values())


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class SafetyRulesClassifier(GraphComponent, IntentClassifier):
    """Overrides the predicted intent for red-flag symptoms and questions the page cannot answer."""

    @classmethod
    def required_components(cls) -> list[type]:
        # Its place after the classifiers is set in config.yml; Rasa checks required components
        # in the training graph too, where classifiers are not chained, so none is named here.
        return []

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            "emergency_intent": Intent.REPORT_EMERGENCY,
            "serious_risk_intent": Intent.ASK_SERIOUS_RISK,
            # Predictions the scope rules may replace; page intents are added from the knowledge
            # base. Others (booking, greetings, a person) are left alone: they answer no facts.
            "off_page_replaces": [DEFAULT_NLU_FALLBACK_INTENT_NAME, Intent.OUT_OF_SCOPE, Intent.ASK_COST],
            # Intents besides the page's whose training questions are on topic.
            "on_topic_intents": [
                Intent.REPORT_EMERGENCY,
                Intent.REPORT_MILD_SYMPTOM,
                Intent.ASK_SERIOUS_RISK,
            ],
        }

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        vocabulary: TopicVocabulary | None = None,
    ) -> None:
        self.component_config = config
        self._model_storage = model_storage
        self._resource = resource
        self.red_flags = get_detector()
        self.scope = get_scope_detector()
        self.replaceable = set(config["off_page_replaces"]) | set(page_intents())
        self.vocabulary = vocabulary

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SafetyRulesClassifier:
        return cls(config, model_storage, resource)

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        """Retrain when the code that learns the vocabulary changes (Rasa caches by config)."""
        return hashlib.sha256(b"".join(path.read_bytes() for path in TRAINING_CODE)).hexdigest()

    def train(self, training_data: TrainingData) -> Resource:
        """Learn the topic vocabulary from the training questions of on-topic intents."""
        on_topic = set(page_intents()) | set(self.component_config["on_topic_intents"])
        texts = [m.get(TEXT) for m in training_data.intent_examples if m.get(INTENT) in on_topic]
        self.vocabulary = TopicVocabulary.learn(texts)
        with self._model_storage.write_to(self._resource) as directory:
            (directory / VOCABULARY_FILE).write_text(json.dumps(sorted(self.vocabulary.learnt)))
        return self._resource

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> SafetyRulesClassifier:
        with model_storage.read_from(resource) as directory:
            learnt = json.loads((directory / VOCABULARY_FILE).read_text())
        return cls(config, model_storage, resource, TopicVocabulary(learnt))

    def process(self, messages: list[Message]) -> list[Message]:
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
        if red_flag.decision != NO_RED_FLAG or red_flag.ignored or red_flag.signs:
            message.set(
                RED_FLAG_KEY, {**red_flag.as_dict(), "model_intent": model_intent}, add_to_output=True
            )
        if red_flag.decision == EMERGENCY:
            return self._set_intent(message, self.component_config["emergency_intent"])
        if red_flag.decision == GENERAL_QUESTION:
            return self._set_intent(message, self.component_config["serious_risk_intent"])
        if (
            red_flag.ignored
            and model_intent.get(INTENT_NAME_KEY) == (self.component_config["emergency_intent"])
        ):
            self._set_intent(message, DEFAULT_NLU_FALLBACK_INTENT_NAME)
        off_page = self._off_page(doc)
        if off_page is None:
            if self._too_vague(doc) and (message.get(INTENT) or {}).get(INTENT_NAME_KEY) in self.replaceable:
                # "the thing with the stuff?": no word says what it is about, so no page answer
                # is a guess worth giving; the patient is asked to say more instead.
                self._set_intent(message, DEFAULT_NLU_FALLBACK_INTENT_NAME)
            return
        message.set(OFF_PAGE_KEY, {**off_page.as_dict(), "model_intent": model_intent}, add_to_output=True)
        current = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
        # An unrelated question the model already calls off-page keeps its answer (price or not).
        keeps_model = off_page.category == UNRELATED and current in OFF_PAGE_INTENTS
        if current in self.replaceable and not keeps_model:
            self._set_intent(message, off_page.intent)

    def _too_vague(self, doc: Doc) -> bool:
        terms = content_lemmas(self.red_flags.normaliser.lemmas(doc))
        return bool(terms) and set(terms) <= VAGUE_WORDS

    def _off_page(self, doc: Doc) -> ScopeMatch | None:
        """A question the page cannot answer, or one about something else altogether."""
        found = self.scope.detect(doc)
        unrelated = self.vocabulary.unrelated(doc) if self.vocabulary and not found else None
        return found or (ScopeMatch(UNRELATED, unrelated, DEFAULT_INTENT) if unrelated else None)

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
