"""The retrieval fallback (bot/knowledge/retrieval.py) and its measured threshold."""

import pytest

from bench.retrieval_threshold import (
    PROJECT_ROOT,
    choose_threshold,
    nlu_examples,
    safety_off_page,
    scored,
    table,
)
from bot.knowledge.retrieval import RETRIEVAL_THRESHOLD, get_retriever
from bot.knowledge.unsure import unsure_reply
from bot.wording import wording


@pytest.mark.parametrize(
    "question, passage",
    [
        ("is it true it's a lunch hour procedure?", "lunch_hour"),
        ("can i use my skincare products and cosmetics after the injections", "avoid_cosmetics"),
        ("does physical therapy help with facial expression", "physical_therapy"),
        ("what's botulinum toxin exactly", "what_botox_is"),
    ],
)
def test_a_paraphrased_question_finds_its_passage(question, passage):
    found = get_retriever().best(question)
    assert found is not None and found.passage.id == passage


@pytest.mark.parametrize("text", ["blorp florp", "asdfghjkl qwerty", "", "!!!", "the and of"])
def test_nonsense_finds_nothing(text):
    assert get_retriever().best(text) is None


def test_off_page_questions_find_nothing():
    assert get_retriever().best("how many units will you inject in my forehead") is None
    assert get_retriever().best("what's the weather like tomorrow") is None


@pytest.fixture(scope="module")
def retriever():
    return get_retriever()


def test_the_threshold_is_the_one_measured_on_the_training_questions(retriever):
    training = scored(retriever, nlu_examples(PROJECT_ROOT / "data" / "nlu"))
    assert choose_threshold(training) == RETRIEVAL_THRESHOLD


def test_at_the_threshold_no_held_out_off_page_question_gets_a_passage(retriever):
    held_out = nlu_examples(PROJECT_ROOT / "tests" / "nlu" / "test_nlu.yml") + safety_off_page()
    row = table(scored(retriever, held_out), RETRIEVAL_THRESHOLD)
    assert row["off_page_count"] == 0
    assert row["page_answered"] > 0


def test_a_retrieved_passage_is_quoted_verbatim_with_its_section():
    reply = unsure_reply("is it true it's a lunch hour procedure?")
    passage = get_retriever().kb.passages["lunch_hour"]
    assert reply.text.startswith(
        wording("general.unsure.retrieved.intro", heading="Recovery After Botox for Facial Paralysis")
    )
    assert f"“{passage.text}”" in reply.text
    assert reply.custom["passage"] == "lunch_hour"
    assert [b.payload for b in reply.buttons] == ["/ask_downtime", "/request_booking"]


def test_below_the_threshold_the_bot_is_unsure_and_gives_topics_and_the_team_contact():
    reply = unsure_reply("blorp florp")
    assert reply.text == wording("general.unsure.not_understood")
    assert "/request_human" in [b.payload for b in reply.buttons] and len(reply.buttons) == 4
