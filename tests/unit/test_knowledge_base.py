"""Loading the knowledge base, mapping intents to topics and composing answers."""

from pathlib import Path

import pytest
import yaml

from bot.knowledge import (
    answer_for_intent,
    answer_for_topic,
    booking_button,
    get_knowledge_base,
    load_knowledge_base,
)
from bot.knowledge.unsure import unsure_reply
from bot.paths import KNOWLEDGE_FILE
from bot.wording import wording
from bot.yamlfile import ConfigError
from tests.support.domain import domain_intents

KB = get_knowledge_base()
REQUIRED_TOPICS = {
    "what_is",
    "how_it_works",
    "synkinesis",
    "benefits",
    "candidacy",
    "downtime",
    "aftercare",
    "side_effects",
    "results_onset",
    "results_duration",
    "retreatment",
    "physical_therapy",
    "surgeon",
    "consultation",
}


def test_all_required_topics_exist():
    assert set(KB.topics) >= REQUIRED_TOPICS


def test_every_topic_intent_is_in_the_domain():
    assert {t.intent for t in KB.topics.values()} <= domain_intents()


@pytest.mark.parametrize("topic_id", sorted(REQUIRED_TOPICS))
def test_intent_maps_to_its_topic(topic_id):
    topic = KB.topics[topic_id]
    assert KB.topic_for_intent(topic.intent) is topic


def test_unknown_intent_has_no_topic():
    assert KB.topic_for_intent("greet") is None
    assert answer_for_intent(None) is None


@pytest.mark.parametrize("topic_id", sorted(REQUIRED_TOPICS))
def test_answer_names_its_section_and_offers_two_or_three_buttons(topic_id):
    reply = answer_for_topic(topic_id)
    section = KB.source_section(KB.topics[topic_id])
    assert section.heading in reply.text
    assert reply.custom == {"topic": topic_id, "source_section": section.heading}
    assert 2 <= len(reply.buttons) <= 3
    assert reply.buttons[-1] == booking_button()
    assert all(b.payload.startswith("/") for b in reply.buttons)


def test_follow_up_buttons_never_point_back_to_the_same_topic():
    for topic in KB.topics.values():
        payloads = [b.payload for b in answer_for_topic(topic.id).buttons]
        assert f"/{topic.intent}" not in payloads


def test_symptom_answers_remind_to_contact_the_clinic():
    reminder = wording("general.answers.personal_advice")
    assert reminder in answer_for_topic("side_effects").text
    assert reminder not in answer_for_topic("surgeon").text


def test_duration_answer_comes_from_the_risks_section():
    reply = answer_for_intent("ask_results_duration")
    assert "3–4 months" in reply.text
    assert "Risks Associated with Botox for Facial Paralysis" in reply.text


def test_unsure_reply_is_honest_and_offers_topics():
    reply = unsure_reply()
    assert reply.text == wording("general.unsure.not_understood")
    assert len(reply.buttons) == 4 and reply.buttons[-1].payload == "/request_human"


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "kb.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_broken_reference_is_refused(tmp_path):
    raw = yaml.safe_load(KNOWLEDGE_FILE.read_text(encoding="utf-8"))
    raw["topics"]["surgeon"]["passages"].append("no_such_passage")
    with pytest.raises(ConfigError, match="no_such_passage"):
        load_knowledge_base(_write(tmp_path, yaml.safe_dump(raw, allow_unicode=True)))


def test_missing_field_and_bad_yaml_are_clear_errors(tmp_path):
    with pytest.raises(ConfigError, match="missing or malformed"):
        load_knowledge_base(_write(tmp_path, "source: {title: x}\n"))
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_knowledge_base(_write(tmp_path, "a: [b\n"))
