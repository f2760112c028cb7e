"""Phrases written as text in reviewed data (data/safety/red_flags.yml), read into the steps of a
spaCy `Matcher` pattern over lemmas; bot/nlp/patterns.py turns the steps into patterns.

A phrase is words separated by spaces, matched on lemmas ("swallowed" is "swallow"):

    swallow              that word
    (hard|difficult)     any one of these words
    $difficulty          any word of the word list `difficulty`; mixed: ($difficulty|stuck)
    be?  (a|b)?          the word may be left out
    ...3                 up to 3 other words, within one clause (never across a comma, a full
                         stop, "but", ...: bot/nlp/patterns.py CLAUSE_BREAKS)
    ...2!$negations      the same, and not across these words either

`{near: [A, B], within: N}` is A then B, or B then A, with up to N words between them.
Plain Python, no spaCy: the data is checked when it is loaded.
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

WordLists = Mapping[str, Sequence[str]]

_GAP = re.compile(r"^\.\.\.(\d+)(?:!(\S+))?$")
_WORD = re.compile(r"^(?!\.\.\.)[^\s()|$?!]+$")
_LIST = re.compile(r"^\$(\w+)$")


class PhraseError(ValueError):
    """A phrase that cannot be read, or names a word list that does not exist."""


@dataclass(frozen=True)
class Words:
    """One token: `options` (lemmas). `single` when written as one bare word (matched as that
    word), `optional` when it may be left out."""

    options: tuple[str, ...]
    single: bool = False
    optional: bool = False


@dataclass(frozen=True)
class Gap:
    """Up to `size` tokens inside one clause, none of them in `not_across`."""

    size: int
    not_across: tuple[str, ...] = ()


@dataclass(frozen=True)
class Steps:
    steps: tuple[Words | Gap, ...]


@dataclass(frozen=True)
class Near:
    first: Words
    second: Words
    within: int


Phrase = Steps | Near


def expand(items: Sequence[str], lists: WordLists) -> tuple[str, ...]:
    """Words and `$list` references, as words."""
    found: list[str] = []
    for item in items:
        reference = _LIST.match(item)
        if reference:
            if reference.group(1) not in lists:
                raise PhraseError(f"${reference.group(1)} is not a word list")
            found.extend(lists[reference.group(1)])
        elif _WORD.match(item):
            found.append(item)
        else:
            raise PhraseError(f"`{item}` is not a word or a $list")
    return tuple(found)


def _alternatives(text: str, lists: WordLists) -> tuple[tuple[str, ...], bool]:
    """(words, written as one bare word) of `word`, `$list` or `(a|$b|c)`."""
    if text.startswith("(") and text.endswith(")"):
        return expand(text[1:-1].split("|"), lists), False
    return expand([text], lists), not text.startswith("$")


def read_token(text: str, lists: WordLists) -> Words:
    optional = text.endswith("?") and len(text) > 1
    options, single = _alternatives(text[:-1] if optional else text, lists)
    return Words(options, single, optional)


def read_sequence(text: str, lists: WordLists) -> Steps:
    steps: list[Words | Gap] = []
    for part in text.split():
        gap = _GAP.match(part)
        if gap:
            not_across = _alternatives(gap.group(2), lists)[0] if gap.group(2) else ()
            steps.append(Gap(int(gap.group(1)), not_across))
        else:
            steps.append(read_token(part, lists))
    if not any(isinstance(step, Words) for step in steps):
        raise PhraseError("a phrase needs at least one word")
    return Steps(tuple(steps))


def read_phrase(item: Any, lists: WordLists) -> Phrase:
    """A phrase as written in the data: text, or {near: [A, B], within: N}."""
    if isinstance(item, str):
        return read_sequence(item, lists)
    if isinstance(item, dict) and set(item) == {"near", "within"}:
        pair, within = item["near"], item["within"]
        if (
            isinstance(pair, list)
            and len(pair) == 2
            and all(isinstance(p, str) for p in pair)
            and isinstance(within, int)
            and within >= 0
        ):
            return Near(read_token(pair[0], lists), read_token(pair[1], lists), within)
    raise PhraseError(f"{item!r} is neither a phrase nor {{near: [A, B], within: N}}")


def list_references(item: Any) -> list[str]:
    """The word lists a phrase as written names (`$difficulty` -> "difficulty")."""
    if isinstance(item, dict):
        return [name for part in item.get("near") or [] for name in list_references(part)]
    return re.findall(r"\$(\w+)", item) if isinstance(item, str) else []


def word_lists(raw: Mapping[str, Any]) -> dict[str, tuple[str, ...]]:
    """Word lists as written (`name: [word, $other_list, ...]`), with references expanded."""
    lists: dict[str, tuple[str, ...]] = {}
    pending = dict(raw)
    while pending:
        ready = {
            name: items
            for name, items in pending.items()
            if all(ref in lists for ref in list_references(" ".join(map(str, items))))
        }
        if not ready:
            name = sorted(pending)[0]
            missing = [r for r in list_references(" ".join(map(str, pending[name]))) if r not in lists]
            raise PhraseError(
                f"word list `{name}` names ${missing[0]}, which is not a word list "
                "(or the lists name each other)"
            )
        for name, items in ready.items():
            lists[name] = expand(items, lists)
            del pending[name]
    return lists
