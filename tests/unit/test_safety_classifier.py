"""The NLU safety component (bot/nlp/safety_classifier.py) on Rasa messages, as the pipeline
hands them over after the model and FallbackClassifier have predicted an intent."""

import pytest
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlp.safety_classifier import SafetyRulesClassifier
from bot.nlp.topic_vocabulary import TopicVocabulary


@pytest.fixture(scope="module")
def component() -> SafetyRulesClassifier:
    vocabulary = TopicVocabulary.learn(["how long do results last", "what is botox"])
    return SafetyRulesClassifier(SafetyRulesClassifier.get_default_config(), None, None, vocabulary)


def parse(component: SafetyRulesClassifier, text: str, intent: str, confidence: float = 0.9) -> dict:
    message = Message(
        data={
            "text": text,
            "intent": {"name": intent, "confidence": confidence},
            "intent_ranking": [{"name": intent, "confidence": confidence}],
        },
        output_properties={"intent", "intent_ranking"},
    )
    component.process([message])
    return message.as_dict(only_output_properties=True)


def intent_of(parsed: dict) -> str | None:
    return parsed["intent"]["name"]


def test_a_red_flag_overrides_the_model_and_keeps_its_prediction_visible(component):
    parsed = parse(component, "kinda hard to swallow since yesterday", "ask_side_effects")
    assert parsed["intent"] == {"name": "report_emergency", "confidence": 1.0}
    assert parsed["intent_ranking"][0]["name"] == "report_emergency"
    assert parsed["red_flag"]["symptoms"] == ["swallowing"]
    assert parsed["red_flag"]["model_intent"] == {"name": "ask_side_effects", "confidence": 0.9}


def test_a_red_flag_is_never_lost_to_the_fallback(component):
    parsed = parse(component, "my vison is blury", "nlu_fallback", 0.6)
    assert intent_of(parsed) == "report_emergency"


def test_a_general_question_about_a_red_flag_gets_the_serious_risk_intent(component):
    parsed = parse(component, "can botox cause trouble swallowing?", "ask_side_effects")
    assert intent_of(parsed) == "ask_serious_risk"
    assert parsed["red_flag"]["decision"] == "general_question"


def test_the_models_emergency_stands_when_the_rules_saw_no_symptom_words(component):
    parsed = parse(component, "something is really wrong with me", "report_emergency")
    assert intent_of(parsed) == "report_emergency"
    assert "red_flag" not in parsed


def test_the_models_emergency_falls_back_when_the_rules_ruled_the_words_out(component):
    parsed = parse(component, "no trouble swallowing, just a small bruise", "report_emergency")
    assert intent_of(parsed) == "nlu_fallback"
    assert parsed["red_flag"]["ignored"][0]["reason"] == "negated"


def test_an_everyday_meaning_becomes_the_question_it_really_is(component):
    parsed = parse(component, "I can't breathe, this price is crazy", "report_emergency")
    assert intent_of(parsed) == "ask_cost"
    assert parsed["off_page"]["category"] == "cost"


@pytest.mark.parametrize(
    "text, model, expected",
    [
        ("is botox safe when trying to conceive", "ask_side_effects", "out_of_scope"),
        ("is daxxify longer lasting than botox?", "ask_results_duration", "out_of_scope"),
        ("will aetna pay for this", "nlu_fallback", "ask_cost"),
        ("who is the president", "ask_surgeon", "out_of_scope"),
    ],
)
def test_an_off_page_question_never_reaches_a_page_answer(component, text, model, expected):
    parsed = parse(component, text, model)
    assert intent_of(parsed) == expected
    assert parsed["off_page"]["model_intent"]["name"] == model


@pytest.mark.parametrize(
    "text, model",
    [
        ("can you book me in, and how much is it?", "request_booking"),
        ("is it expensive, ballpark figure please", "ask_cost"),
        ("how long do results last", "ask_results_duration"),
    ],
)
def test_predictions_that_answer_no_page_fact_are_left_alone(component, text, model):
    assert intent_of(parse(component, text, model)) == model


def test_empty_text_is_left_alone(component):
    assert intent_of(parse(component, "   ", "nlu_fallback")) == "nlu_fallback"


def test_training_learns_the_vocabulary_of_on_topic_questions(tmp_path):
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource

    storage, resource = LocalModelStorage(tmp_path), Resource("safety")
    config = SafetyRulesClassifier.get_default_config()
    trained = SafetyRulesClassifier(config, storage, resource)
    trained.train(
        TrainingData(
            [
                Message(data={"text": "how long do the synkinesis results last", "intent": "ask_synkinesis"}),
                Message(data={"text": "what is the weather in paris", "intent": "out_of_scope"}),
            ]
        )
    )
    loaded = SafetyRulesClassifier.load(config, storage, resource, None)
    assert "synkinesis" in loaded.vocabulary.learnt
    assert "paris" not in loaded.vocabulary.learnt
