"""The bot's answers rest on the clinic page and nothing else."""

from dataclasses import replace
from pathlib import Path

import pytest

from bot.knowledge import get_knowledge_base
from bot.knowledge.grounding import facts_in, passages_not_in_page, ungrounded_facts

SHARED_PAGE = Path(__file__).resolve().parents[3] / "shared" / "source" / "botox-for-facial-paralysis.txt"
KB = get_knowledge_base()


def page_text() -> str:
    return KB.snapshot_path.read_text(encoding="utf-8")


def test_every_passage_and_section_is_verbatim_in_the_page():
    assert passages_not_in_page(KB, page_text()) == []


def test_snapshot_matches_the_shared_source_page():
    if not SHARED_PAGE.exists():
        pytest.skip(f"the shared source page is not beside this checkout ({SHARED_PAGE})")
    assert page_text() == SHARED_PAGE.read_text(encoding="utf-8")


def test_sections_cover_every_heading_of_the_page():
    headings = {s.heading for s in KB.sections.values()}
    for heading in (
        "What Is Botox for Facial Paralysis?",
        "Benefits of Botox for Facial Paralysis",
        "Recovery After Botox for Facial Paralysis",
        "Risks Associated with Botox for Facial Paralysis",
        "Sam DeVictor, MD",
    ):
        assert heading in headings


@pytest.mark.parametrize("topic_id", sorted(KB.topics))
def test_every_fact_in_an_answer_is_in_its_passages(topic_id):
    assert ungrounded_facts(KB.topics[topic_id], KB) == []


@pytest.mark.parametrize(
    "invented",
    [
        "The improvements last 6 months.",
        "It costs about $400.",
        "Results show within two weeks.",
        "Dr. Smith does the injections.",
        "You will get “a free follow-up visit”.",
    ],
)
def test_the_check_catches_invented_facts(invented):
    topic = replace(KB.topics["results_duration"], answer=invented)
    assert ungrounded_facts(topic, KB) != []


def test_facts_are_normalised_across_dashes_and_number_words():
    assert facts_in("three to five days") == ["3", "5", "day"]
    assert facts_in("3–4 months") == ["3", "4", "month"]


@pytest.mark.parametrize(
    "topic_id,expected",
    [
        ("results_duration", "3–4 months"),
        ("results_onset", "three to five days"),
        ("aftercare", "a day or two"),
        ("surgeon", "Sam DeVictor, MD"),
        ("how_it_works", "not paralysed"),
        ("downtime", "lunch hour procedures"),
    ],
)
def test_key_facts_are_in_the_answers(topic_id, expected):
    assert expected.lower() in KB.topics[topic_id].answer.lower()
