"""Plain language: every reply the bot can send reads at grade 8 or below (Flesch-Kincaid grade,
textstat), as sent: page answers with their reminder and source line, and every wording text with
its placeholders filled in. Button labels and other fragments of a few words are not measured:
the grade is defined over sentences, and a two-word label has none."""

import re
from collections.abc import Iterator, Mapping
from typing import Any

import pytest
import textstat

from bot.knowledge.answers import answer_for_topic, answer_for_topics
from bot.knowledge.base import get_knowledge_base
from bot.paths import DATA_DIR, PROJECT_ROOT
from bot.yamlfile import load_yaml_mapping

MAX_GRADE = 8.0
MIN_WORDS = 8  # shorter texts are labels and fragments, not replies
WORDING_FILES = [
    DATA_DIR / "wording" / "general.yml",
    DATA_DIR / "wording" / "booking.yml",
    DATA_DIR / "wording" / "booking_errors.yml",
    DATA_DIR / "safety" / "emergency.yml",
]
# Keys that hold data beside the texts: the sources the safety wording rests on, quoted as they are.
DATA_KEYS = ("sources",)
SAMPLE_VALUES = {
    "clinic_contact": "Clinic, phone +1 214 555 0100 (Mon–Fri 8 am–5 pm)",
    "symptoms": "trouble swallowing",
}


def _leaves(node: Any, path: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(node, str):
        yield path, node
    elif isinstance(node, Mapping):
        for key, value in node.items():
            if path or key not in DATA_KEYS:
                yield from _leaves(value, f"{path}.{key}" if path else str(key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _leaves(value, f"{path}[{index}]")


def _filled(text: str) -> str:
    """Placeholders as a patient would see them: a realistic value, or a short name."""
    return re.sub(r"\{([a-z_]+)\}", lambda m: SAMPLE_VALUES.get(m.group(1), "the clinic"), text)


def patient_texts() -> dict[str, str]:
    texts = {f"answer {t}": answer_for_topic(t).text for t in get_knowledge_base().topics}
    texts["two answers"] = answer_for_topics(["results_onset", "results_duration"]).text
    for path in WORDING_FILES:
        for key, text in _leaves(load_yaml_mapping(path)):
            texts[f"{path.name} {key}"] = _filled(text)
    for name, variants in load_yaml_mapping(PROJECT_ROOT / "domain.yml")["responses"].items():
        for index, variant in enumerate(variants):
            if variant.get("text"):
                texts[f"domain {name}[{index}]"] = _filled(variant["text"])
    return {key: text for key, text in texts.items() if len(text.split()) >= MIN_WORDS}


TEXTS = patient_texts()


def test_the_texts_cover_every_kind_of_reply():
    kinds = {key.split()[0] for key in TEXTS}
    assert {"answer", "general.yml", "booking.yml", "booking_errors.yml", "emergency.yml", "domain"} <= kinds
    assert len(TEXTS) >= 100


@pytest.mark.parametrize("key", sorted(TEXTS))
def test_every_reply_reads_at_grade_8_or_below(key):
    grade = textstat.flesch_kincaid_grade(TEXTS[key])
    assert grade <= MAX_GRADE, f"grade {grade}: {TEXTS[key]}"


def test_the_measure_tells_hard_text_from_plain():
    hard = (
        "Botulinum toxin formulations demonstrate considerable therapeutic efficacy in ameliorating "
        "facial asymmetry attributable to unilateral paralysis."
    )
    assert textstat.flesch_kincaid_grade(hard) > MAX_GRADE
    assert textstat.flesch_kincaid_grade("You should see a change in three to five days.") <= MAX_GRADE
