"""Small builders for spaCy `Matcher` patterns over lemma Docs (see bot/nlp/lemmas.py), shared by
the red-flag and scope rules so that patterns read like the phrases they match."""

from collections.abc import Sequence

from bot.nlp.lemmas import load_nlp
from bot.nlp.phrases import Gap, Near, Phrase, Words

# Words that end a clause: gaps in patterns never reach across them.
CLAUSE_BREAKS = [
    ",",
    ".",
    "!",
    "?",
    ";",
    ":",
    "but",
    "though",
    "although",
    "however",
    "just",
    "only",
    "except",
    "apart",
    "\n",
]


def words(options: Sequence[str]) -> dict:
    """One token that is any of `options` (lemmas)."""
    return {"LOWER": {"IN": list(options)}}


def word(option: str) -> dict:
    return {"LOWER": option}


def gap(size: int, not_across: Sequence[str] = ()) -> list[dict]:
    """Up to `size` tokens inside one clause, none of them in `not_across`."""
    return [{"LOWER": {"NOT_IN": CLAUSE_BREAKS + list(not_across)}, "OP": "?"}] * size


def near(first: dict, second: dict, size: int = 3) -> list[list[dict]]:
    """`first` then `second` within `size` tokens, in either order."""
    return [[first, *gap(size), second], [second, *gap(size), first]]


def token(step: Words) -> dict:
    """One token of a phrase read from data (bot/nlp/phrases.py)."""
    pattern = word(step.options[0]) if step.single else words(step.options)
    return {**pattern, "OP": "?"} if step.optional else pattern


def matcher_patterns(item: Phrase) -> list[list[dict]]:
    """The Matcher patterns of a phrase read from data: one, or two for `near`."""
    if isinstance(item, Near):
        return near(token(item.first), token(item.second), item.within)
    return [
        [
            part
            for step in item.steps
            for part in (gap(step.size, step.not_across) if isinstance(step, Gap) else [token(step)])
        ]
    ]


def phrase(text: str) -> list[dict]:
    """A fixed phrase written as patients write it ("training data", "crow's feet"), matched on
    its lemmas ("train datum", "crow 's foot")."""
    return [word(token.lemma_.lower() or token.lower_) for token in load_nlp()(text.lower())]


def keywords_of(patterns: Sequence[Sequence[dict]]) -> list[str]:
    """Every literal lemma the patterns name: the words worth correcting typos towards."""
    found: list[str] = []
    for pattern in patterns:
        for token in pattern:
            lower = token.get("LOWER")
            if isinstance(lower, str):
                found.append(lower)
            elif isinstance(lower, dict):
                found.extend(lower.get("IN", []))
    return [w for w in found if w.isalpha()]
