"""Two questions in one message ("are the results permanent? and how soon would I notice
anything?"): split into its questions, each classified on its own, so that each gets its answer.

Rasa's DIET classifies a whole message into one intent, so the second question went unanswered.
Rasa's multi-intent classification would need training examples for every pair of the page's
topics (over a hundred); splitting before classification needs none. The split is plain text
rules (`split_questions`); each part is classified by a small model this component trains on
the same training questions (word and character n-grams, logistic regression, scikit-learn,
which Rasa already installs), with every intent that is not a page topic as one "other" class.

When two or more parts name different page topics with enough confidence, the message gets
`question_topics` (the topic intents, in the order asked) in its parse data, and its intent
becomes the first of them, so the rules send it to action_answer_topic, which answers each.
Placed before SafetyRulesClassifier (config.yml), which still decides emergencies and off-page
questions over the whole message.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

import joblib
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

from bot.knowledge import get_knowledge_base
from bot.names import QUESTION_TOPICS_KEY

OTHER = "other"
MODEL_FILE = "question_parts.joblib"
# A part must be classified this surely to count as its own question.
MIN_CONFIDENCE = 0.5

# Where a second question starts inside a sentence: a joining word, then a question opener.
_OPENER = (
    r"(?:how|what|whats|what's|when|where|why|who|which|will|would|can|could|do|does|did|is|are|"
    r"should|shall|may|might|am|i can|can i|is it|any)"
)
_JOINED = re.compile(rf"\s*(?:,\s*)?\b(?:and also|and|also|plus|but|or)\s+(?={_OPENER}\b)", re.I)
_SENTENCES = re.compile(r"(?<=[?!.;])\s+|\?+|\n+")


def split_questions(text: str) -> list[str]:
    """The questions of `text`, in order: split at question marks and sentence ends, and at "and",
    "also", "but" or "or" where a new question starts ("how long does it last and is it safe")."""
    parts = []
    for sentence in _SENTENCES.split(text):
        parts += _JOINED.split(sentence)
    return [part.strip(" ,.;!") for part in parts if len(part.split()) >= 2]


def page_topic_intents() -> set[str]:
    return {topic.intent for topic in get_knowledge_base().topics.values()}


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class QuestionPartsClassifier(GraphComponent):
    """Finds the page topics of the questions in a message that asks several."""

    @classmethod
    def required_components(cls) -> list[type]:
        return []

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"min_confidence": MIN_CONFIDENCE}

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        model: Pipeline | None = None,
    ) -> None:
        self.component_config = config
        self._model_storage = model_storage
        self._resource = resource
        self.model = model

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> QuestionPartsClassifier:
        return cls(config, model_storage, resource)

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        """Retrain when this code changes (Rasa caches trained components by config)."""
        return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()

    def train(self, training_data: TrainingData) -> Resource:
        topics = page_topic_intents()
        examples = [m for m in training_data.intent_examples if m.get(TEXT)]
        texts = [m.get(TEXT) for m in examples]
        labels = [m.get(INTENT) if m.get(INTENT) in topics else OTHER for m in examples]
        self.model = Pipeline(
            [
                (
                    "features",
                    FeatureUnion(
                        [
                            ("words", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)),
                            (
                                "chars",
                                TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True),
                            ),
                        ]
                    ),
                ),
                ("classifier", LogisticRegression(C=10, max_iter=3000, class_weight="balanced")),
            ]
        ).fit(texts, labels)
        with self._model_storage.write_to(self._resource) as directory:
            joblib.dump(self.model, directory / MODEL_FILE)
        return self._resource

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> QuestionPartsClassifier:
        with model_storage.read_from(resource) as directory:
            model = joblib.load(directory / MODEL_FILE)
        return cls(config, model_storage, resource, model)

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            self.process_message(message)
        return messages

    def topics_asked(self, text: str) -> list[tuple[str, float]]:
        """(topic intent, confidence) of each part of `text` that asks about a page topic, in
        order, each topic once; empty unless the text has two or more parts."""
        parts = split_questions(text)
        if self.model is None or len(parts) < 2:
            return []
        found: dict[str, float] = {}
        for probabilities in self.model.predict_proba(parts):
            best = probabilities.argmax()
            label, confidence = self.model.classes_[best], float(probabilities[best])
            if label != OTHER and confidence >= self.component_config["min_confidence"]:
                found.setdefault(label, confidence)
        return list(found.items())

    def process_message(self, message: Message) -> None:
        topics = self.topics_asked(message.get(TEXT) or "")
        if len(topics) < 2:
            return
        message.set(QUESTION_TOPICS_KEY, [intent for intent, _ in topics], add_to_output=True)
        first, confidence = topics[0]
        message.set(
            INTENT, {INTENT_NAME_KEY: first, PREDICTED_CONFIDENCE_KEY: confidence}, add_to_output=True
        )
