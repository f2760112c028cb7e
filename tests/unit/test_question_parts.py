"""Two questions in one message (bot/nlp/question_parts.py): split into its questions, each part
classified by the component's own model, and the page topics asked reported in order."""

import pytest
from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.knowledge.answers import answer_for_topics
from bot.names import QUESTION_TOPICS_KEY
from bot.nlp.question_parts import QuestionPartsClassifier, split_questions


@pytest.mark.parametrize(
    "text,parts",
    [
        ("Are the results permanent? And how soon?", ["Are the results permanent", "how soon"]),
        ("how long does it last and is it safe", ["how long does it last", "is it safe"]),
        ("can i wear makeup now? is it ok to workout", ["can i wear makeup now", "is it ok to workout"]),
        ("what is it. who does it", ["what is it", "who does it"]),
        ("redness and swelling after?", ["redness and swelling after"]),  # one question
        ("how long does it last", ["how long does it last"]),
        ("tired and how", []),  # parts of one word are no questions
    ],
)
def test_a_message_is_split_into_its_questions(text, parts):
    assert split_questions(text) == parts


TRAINING = {
    "ask_results_duration": ["how long does it last", "how long do results last", "is it permanent"],
    "ask_results_onset": ["when will i see results", "how soon does it work", "how fast does it kick in"],
    "ask_downtime": ["can i go back to work", "is there downtime", "can i work the same day"],
    "greet": ["hello", "hi there", "good morning"],
    "thanks": ["thanks", "thank you so much", "cheers"],
}


@pytest.fixture(scope="module")
def classifier(tmp_path_factory):
    storage = LocalModelStorage(tmp_path_factory.mktemp("question-parts"))
    component = QuestionPartsClassifier.create(
        QuestionPartsClassifier.get_default_config(),
        storage,
        Resource("question_parts"),
        ExecutionContext(None),  # type: ignore[arg-type]
    )
    examples = [Message(data={"text": t, "intent": i}) for i, texts in TRAINING.items() for t in texts]
    component.train(TrainingData(examples))
    return component


def parsed(classifier, text):
    message = Message(data={"text": text, "intent": {"name": "nlu_fallback", "confidence": 0.4}})
    classifier.process([message])
    return message


def test_each_question_of_a_message_gets_its_topic_in_order(classifier):
    message = parsed(classifier, "how soon does it work? and how long does it last")
    assert message.get(QUESTION_TOPICS_KEY) == ["ask_results_onset", "ask_results_duration"]
    assert message.get("intent")["name"] == "ask_results_onset"  # the rules answer the topics


def test_one_question_or_one_topic_is_left_to_the_intent_classifier(classifier):
    for text in (
        "how long does it last",
        "hello! how long does it last",
        "how long does it last and is it permanent",
    ):
        message = parsed(classifier, text)
        assert message.get(QUESTION_TOPICS_KEY) is None and message.get("intent")["name"] == "nlu_fallback"


def test_several_topics_are_answered_in_one_reply_in_the_order_asked():
    reply = answer_for_topics(["results_onset", "results_duration"])
    assert reply.text.index("three to five days") < reply.text.index("3–4 months")
    assert reply.text.count("Source") == 1 and reply.custom["topics"] == ["results_onset", "results_duration"]
    assert [b.payload for b in reply.buttons] == ["/request_booking"]
