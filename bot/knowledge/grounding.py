"""Checks that keep the bot grounded in the clinic page.

- every passage (and every section paragraph) is verbatim in the page snapshot;
- every number, time unit, quoted phrase and named fact in an answer appears in the passages that
  answer rests on.

Used by the tests and by `python -m bot.knowledge.grounding` after editing the knowledge file.
"""

import re
import sys

from bot.knowledge.base import KnowledgeBase, Topic, load_knowledge_base

NUMBER_WORDS = {
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
    "ten": "10",
    "eleven": "11",
    "twelve": "12",
    "a day": "1 day",
}
TIME_UNITS = ("minute", "hour", "day", "week", "month", "year")
# Words that may start a sentence or name the treatment without being a new fact.
COMMON_CAPITALISED = {"Botox", "I", "In", "The", "Yes", "Our", "Very", "With", "Your", "At", "For"}


def normalise(text: str) -> str:
    """Lower case, one kind of dash and quote, number words as digits."""
    text = text.replace("–", "-").replace("—", "-").replace("’", "'").lower()
    for word, digit in NUMBER_WORDS.items():
        text = re.sub(rf"\b{word}\b", digit, text)
    return " ".join(text.split())


def facts_in(text: str) -> list[str]:
    """The checkable facts of an answer: numbers, time units, quotes and capitalised names."""
    plain = normalise(text)
    facts = re.findall(r"\d+(?:\.\d+)?", plain)
    facts += [unit for unit in TIME_UNITS if re.search(rf"\b{unit}s?\b", plain)]
    facts += re.findall(r"“([^”]+)”", text)
    # Split into sentences (not after titles such as "Dr."), then take capitalised words that do
    # not start a sentence: names and other proper nouns.
    for sentence in re.split(r"(?<![DM]r\.)(?<=[.!?:])\s+", text):
        words = re.findall(r"[A-Za-z][\w.-]*", sentence)
        facts += [w.rstrip(".") for w in words[1:] if w[0].isupper() and w not in COMMON_CAPITALISED]
    return facts


def ungrounded_facts(topic: Topic, kb: KnowledgeBase) -> list[str]:
    """Facts of the topic's answer that none of its passages states."""
    passages = normalise(" ".join(p.text for p in kb.passages_of(topic)))
    return [fact for fact in facts_in(topic.answer) if normalise(fact) not in passages]


def passages_not_in_page(kb: KnowledgeBase, page_text: str) -> list[str]:
    """Ids of passages or section paragraphs that are not verbatim in the page."""
    missing = [p.id for p in kb.passages.values() if p.text not in page_text]
    missing += [
        f"{s.id}:{i}"
        for s in kb.sections.values()
        for i, para in enumerate(s.paragraphs)
        if para not in page_text or s.heading not in page_text
    ]
    missing += [p.id for p in kb.passages.values() if p.text not in kb.sections[p.section_id].text]
    return missing


def main() -> int:
    kb = load_knowledge_base()
    page = kb.snapshot_path.read_text(encoding="utf-8")
    problems = [f"not verbatim in the page: {pid}" for pid in passages_not_in_page(kb, page)]
    for topic in kb.topics.values():
        problems += [f"{topic.id}: '{fact}' is not in its passages" for fact in ungrounded_facts(topic, kb)]
    print("\n".join(problems) or f"All {len(kb.topics)} answers are grounded in the page.")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
