"""Measure the retrieval threshold (bot/knowledge/retrieval.py) on data, and print the figures.

    .venv/bin/python -m bench.retrieval_threshold

Page questions are the NLU examples of intents that a page topic answers; a retrieval is right
when the best passage is one the topic's answer rests on, or is quoted from the section that
answer comes from (the reply names that section: "here is what our page says about ...").
Off-page questions are the ask_cost and out_of_scope examples (and tests/safety/out_of_scope.yml):
any passage offered for them is wrong.
The threshold is chosen on the training examples (data/nlu) as the lowest score at which no
off-page question is answered and at least 90 % of the answered page questions get the right
passage; the held-out sets (tests/nlu/test_nlu.yml, tests/safety/out_of_scope.yml) check it.
Takes under a minute.
"""

from collections.abc import Iterable
from pathlib import Path

from bot.knowledge import get_knowledge_base
from bot.knowledge.retrieval import RETRIEVAL_THRESHOLD, PageRetriever
from bot.paths import PROJECT_ROOT
from bot.yamlfile import load_yaml_mapping

OFF_PAGE_INTENTS = {"ask_cost", "out_of_scope"}
THRESHOLDS = [x / 2 for x in range(0, 21)]
MIN_PRECISION = 0.9

Example = tuple[str, str | None]  # (text, topic id or None for an off-page question)


def nlu_examples(path: Path) -> list[Example]:
    from rasa.shared.nlu.training_data.loading import load_data

    kb = get_knowledge_base()
    examples = []
    for message in load_data(str(path)).intent_examples:
        intent = message.get("intent")
        topic = kb.topic_for_intent(intent)
        if topic or intent in OFF_PAGE_INTENTS:
            examples.append((message.get("text"), topic.id if topic else None))
    return examples


def safety_off_page() -> list[Example]:
    groups = load_yaml_mapping(PROJECT_ROOT / "tests" / "safety" / "out_of_scope.yml")
    return [(text, None) for texts in groups.values() for text in texts]


def scored(retriever: PageRetriever, examples: Iterable[Example]) -> list[tuple[float, bool | None]]:
    """(best score, right passage?) per example; None for off-page questions."""
    kb = retriever.kb
    results = []
    for text, topic_id in examples:
        top = retriever.rank(text)[0]
        right = None
        if topic_id is not None:
            topic = kb.topics[topic_id]
            right = top.passage.id in topic.passage_ids or top.section.id == kb.source_section(topic).id
        results.append((top.score, right))
    return results


def table(results: list[tuple[float, bool | None]], threshold: float) -> dict[str, float]:
    page = [(s, r) for s, r in results if r is not None]
    off = [s for s, r in results if r is None]
    answered = [(s, r) for s, r in page if s >= threshold]
    right = sum(r for _, r in answered)
    return {
        "page_answered": len(answered) / max(len(page), 1),
        "precision": right / len(answered) if answered else 1.0,
        "page_right": right / max(len(page), 1),
        "off_page_answered": sum(s >= threshold for s in off) / max(len(off), 1),
        "off_page_count": sum(s >= threshold for s in off),
    }


def choose_threshold(results: list[tuple[float, bool | None]]) -> float:
    for threshold in THRESHOLDS:
        row = table(results, threshold)
        if row["off_page_count"] == 0 and row["precision"] >= MIN_PRECISION:
            return threshold
    return THRESHOLDS[-1]


def print_table(name: str, results: list[tuple[float, bool | None]]) -> None:
    page = sum(r is not None for _, r in results)
    print(f"\n{name}: {page} page questions, {len(results) - page} off-page questions")
    print(
        f"{'threshold':>9} {'page answered':>14} {'right answer':>14} {'precision':>10} "
        f"{'off-page answered':>18}"
    )
    for threshold in THRESHOLDS:
        row = table(results, threshold)
        print(
            f"{threshold:>9.1f} {row['page_answered']:>14.1%} {row['page_right']:>14.1%} "
            f"{row['precision']:>10.1%} {row['off_page_answered']:>11.1%} ({row['off_page_count']})"
        )


def main() -> None:
    training = nlu_examples(PROJECT_ROOT / "data" / "nlu")
    held_out = nlu_examples(PROJECT_ROOT / "tests" / "nlu" / "test_nlu.yml") + safety_off_page()
    chosen = {}
    for with_headings in (True, False):
        retriever = PageRetriever(with_headings=with_headings)
        label = "passages + section headings" if with_headings else "passages only"
        train_results = scored(retriever, training)
        print_table(f"[{label}] training examples (data/nlu), used to choose", train_results)
        chosen[label] = choose_threshold(train_results)
        held_results = scored(retriever, held_out)
        print_table(
            f"[{label}] held-out (tests/nlu/test_nlu.yml + tests/safety/out_of_scope.yml)", held_results
        )
        row = table(held_results, chosen[label])
        print(
            f"[{label}] chosen threshold {chosen[label]:.1f}: held-out page questions answered "
            f"{row['page_answered']:.1%} (precision {row['precision']:.1%}), off-page answered "
            f"{row['off_page_answered']:.1%} ({row['off_page_count']})"
        )
    print(
        f"\nThreshold in bot/knowledge/retrieval.py: {RETRIEVAL_THRESHOLD} "
        f"(measured here: {chosen['passages + section headings']:.1f}, passages + headings)"
    )


if __name__ == "__main__":
    main()
