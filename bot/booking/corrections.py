"""Corrections in plain words (issue 13, item 3), at any question and without a menu: "it's
Sarah with an h", "actually wait, it's spelled Dorthy, sorry, Dorthy Kline", "make that
Thursday", "use my email instead". Each reader returns what the correction changes, or None
when the message is not such a correction; the form says what it changed."""

import re
from difflib import SequenceMatcher

from bot.booking.validators import NOT_NAME_WORDS, validate_name

# Words that say a name is being spelled out or put right.
_NAME_CUE = re.compile(
    r"\bwith an? [a-z]\b|\bspel(?:led|t|ling|l)\b|\btypo\b|\bmisspel\w*|\b(?:first|last|sur|family)\s?name\b"
    r"|\bnot\s+[A-Za-z][\w'’-]*\s*$|\bno [a-z]\b|\bdouble [a-z]\b",
    re.I,
)
# Spelling talk that is never part of a name.
_SPELLING_TALK = re.compile(
    r"\bwith (?:an?|two|2|double|one|1) [a-z]s?\b|\b(?:no|double|capital|one|two) [a-z]s?\b"
    r"|\b(?:not|instead of)\s+[\w'’-]+"
    r"|\b(?:it'?s|its|it’s|is)?\s*spel(?:led|t|l)\b"
    r"|\b(?:my|her|his|their)?\s*(?:first|last|sur|family)\s?name(?: is)?\b",
    re.I,
)
_FILLER = NOT_NAME_WORDS | frozenset(
    [
        "actually",
        "wait",
        "oops",
        "sorry",
        "spelled",
        "spelt",
        "spelling",
        "name",
        "surname",
        "meant",
        "mean",
        "s",
        "its",
        "it's",
        "it’s",
        "i'm",
        "i’m",
        "that's",
        "thats",
        "typo",
        "wrong",
        "misspelled",
        "correct",
        "right",
        "oh",
        "hmm",
        "two",
        "letters",
    ]
)
_TOKEN = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
MIN_SIMILARITY = 0.5


def _similar(a: str, b: str) -> float:
    return SequenceMatcher(None, a.lower(), b.lower()).ratio()


def _name_runs(text: str) -> list[list[str]]:
    """Runs of words that could be a name, split by commas and by words that are not names."""
    runs: list[list[str]] = [[]]
    text = re.sub(r"\b(?:[^\W\d_]-){2,}[^\W\d_]\b", " , ", text)  # spelled out: k-a-t-h-r-y-n
    for part in re.split(r"([,;.!?]|\s+)", _SPELLING_TALK.sub(" , ", text)):
        if not part or part.isspace():
            continue
        word = part.strip()
        if _TOKEN.fullmatch(word) and word.lower() not in _FILLER:
            runs[-1].append(word)
        elif runs[-1]:
            runs.append([])
    return [run for run in runs if run]


def _longest(runs: list[list[str]]) -> list[str]:
    """The longest run, the last of equals ("Dorthy, sorry, Dorthy Kline" -> Dorthy Kline)."""
    return max(reversed(runs), key=len)


def _tidy(word: str) -> str:
    return word.capitalize() if word.islower() or word.isupper() else word


def corrected_name(text: str, current: str) -> str | None:
    """The name after a spelling correction of `current`, or None when `text` is not one.
    A whole name replaces it when one of its words is close to the name given; a single word
    replaces the word of the name it is closest to (or the part the message names)."""
    if not current or not _NAME_CUE.search(text):
        return None
    if "@" in text or sum(ch.isdigit() for ch in text) >= 5:  # a typo in a phone or an email
        return None
    runs = _name_runs(text)
    if not runs:
        return None
    words = current.split()
    run = _longest(runs)
    if len(run) >= 2:
        close = any(_similar(new, old) >= MIN_SIMILARITY for new in run for old in words)
        checked = validate_name(" ".join(_tidy(w) for w in run))
        return str(checked.value) if close and checked.ok and checked.value != current else None
    new = _tidy(run[0])
    if re.search(r"\b(?:last|sur|family)\s?name\b", text, re.I):
        index = len(words) - 1
    elif re.search(r"\bfirst\s?name\b", text, re.I):
        index = 0
    else:
        index = max(range(len(words)), key=lambda i: _similar(new, words[i]))
        if _similar(new, words[index]) < MIN_SIMILARITY:
            return None
    if words[index] == new:
        return None
    return " ".join(words[:index] + [new] + words[index + 1 :])


def name_in_answer(text: str) -> str | None:
    """A name inside a hesitant answer to the name question ("actually wait, it's spelled
    Dorthy, sorry, Dorthy Kline" -> "Dorthy Kline"): the longest run of name words, the last
    of equals."""
    runs = _name_runs(text)
    if not runs:
        return None
    checked = validate_name(" ".join(_tidy(w) for w in _longest(runs)))
    return str(checked.value) if checked.ok else None


# "use my email instead", "email is better", "text me instead", "call me on my mobile instead"
_USE_CONTACT = re.compile(
    r"\b(?:use|prefer|rather|go with|stick with|contact me (?:by|on|via)|reach me (?:by|on|via))\s+"
    r"(?:my |her |his |the )?(?P<what>e-?mail|phone|number|mobile|cell|text)\b"
    r"|\b(?P<what2>e-?mail|phone|text)\s+(?:is|would be)\s+(?:better|best|easier)\b",
    re.I,
)


def preferred_contact(text: str) -> str | None:
    """ "email" or "phone" when the message says which of the two to use instead."""
    match = _USE_CONTACT.search(text)
    if not match:
        return None
    what = (match.group("what") or match.group("what2")).lower()
    return "email" if what.replace("-", "") == "email" else "phone"


# "make that Thursday", "change it to friday", "actually thursday instead", "i meant 4pm"
_TIME_CORRECTION = re.compile(
    r"\b(?:make (?:it|that)|change (?:it|that|the (?:day|time|date)) to|move (?:it|that) to"
    r"|switch (?:it|that) to"
    r"|i meant|i mean|actually|sorry|oops|rather|no wait|scratch that|correction)\b[\s,:-]*(?P<rest>.+)$",
    re.I,
)


def time_correction_words(text: str) -> str | None:
    """The words after a correction cue ("make that Thursday" -> "Thursday"), where a new day
    or time may be; None without a cue."""
    match = _TIME_CORRECTION.search(text)
    if not match:
        return None
    rest = re.sub(r"\s*\binstead\b\s*", " ", match.group("rest"), flags=re.I).strip(" .,!")
    return rest or None
