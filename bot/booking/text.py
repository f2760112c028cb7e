"""Making a patient's message safe to read and store, and recognising short answers (yes, no,
skip, cancel) whatever the NLU made of them."""

import re

from bot.names import MAX_FORM_ANSWER_CHARS
from bot.text import clean_text as clean_line

_TAG = re.compile(r"<[^>]{0,200}>")
_SPACES = re.compile(r"\s+")
_EDGE_PUNCTUATION = " \t\n.,;:!?-–—'\"“”‘’()[]{}"

_YES = re.compile(
    r"^(y|ya|yes|yeah|yep|yup|yea|sure|ok|okay|correct|right|agreed|i agree|i do|i consent|"
    r"absolutely|definitely|of course|go ahead|please do|that'?s (all )?(right|correct|fine|good)|"
    r"send( it| that| please)?|submit( it)?|confirm(ed)?|looks (good|right|fine|correct|ok)|"
    r"all (good|correct|right|fine)|perfect|exactly|spot on|great|cool|awesome|lovely|brilliant|"
    r"everything('?s| is| looks) (good|right|fine|correct|ok)|"
    r"(please )?(send|submit|confirm)( it| that)?( please)?)\b"
)
_NO = re.compile(r"^(n|no|nope|nah|not really|i don'?t|i do not|don'?t|negative)\b")
# A short answer is only yes or no when nothing in it takes that back ("yes but ...").
_HEDGE = re.compile(r"\b(but|change|wrong|not|instead|except|although|mistake)\b")
MAX_SHORT_ANSWER_WORDS = 6
_SKIP = re.compile(
    r"^(skip|pass|none|nothing|no|nope|nah|na|n/a|no reason|nothing (else|really|specific)|"
    r"not really|not now|rather not|rather not say|i'?d rather not( say)?|prefer not to say|"
    r"no thanks?|no thank you|skip (it|this|that)|leave it (out|blank)|"
    r"(i'?d |id |i would )?(rather|prefer to) skip( it| this| that)?)( thanks| thank you| please| pls)?$"
)
_CANCEL = re.compile(
    r"^(ok |okay |actually |no,? |nvm,? |never ?mind,? )?(please )?(stop|cancel|quit|abort|never ?mind|nvm|"
    r"forget (it|that|about it|the whole thing)|i'?ve changed my mind|i changed my mind|"
    r"cancel (it|that|this|the booking|the request|my request|my booking|everything)|"
    r"i don'?t want to (book|continue|go ahead|do this)( anymore| any more| now)?|"
    r"i'?ve decided not to book|don'?t (book|send) (it|anything)|don'?t go ahead( with it)?|"
    r"(good ?)?bye( bye)?( for now)?|see (you|ya)( later)?|got(ta| to) go|i have to go( now)?)"
    r"( please| thanks| thank you)?$"
)
_UNSURE = re.compile(r"\b(maybe|perhaps|not sure|unsure|dunno|idk|i don'?t know|possibly)\b")
_QUESTION_START = re.compile(
    r"^(what|whats|what's|how|hows|how's|why|when|where|who|which|can|could|do|does|did|is|are|"
    r"will|would|should|shall|am|have|has)\b"
)


def clean_text(text: object) -> str:
    """A form answer as one clean line (bot/text.py) without markup, cut to
    MAX_FORM_ANSWER_CHARS: no one types a booking detail longer, and the parsers' time grows
    with the text."""
    if not isinstance(text, str):
        return ""
    return clean_line(_TAG.sub(" ", text[: MAX_FORM_ANSWER_CHARS * 2]))[:MAX_FORM_ANSWER_CHARS].strip()


def plain(text: str) -> str:
    """Lower case, single spaces, no punctuation at the ends: for matching short answers."""
    return _SPACES.sub(" ", text.lower()).strip(_EDGE_PUNCTUATION).replace("’", "'")


def is_button_payload(text: str) -> bool:
    """A quick-reply payload such as `/affirm`: it carries an intent, never a detail."""
    return text.startswith("/")


def _short_answer(text: str) -> str:
    answer = plain(text)
    return answer if len(answer.split()) <= MAX_SHORT_ANSWER_WORDS else ""


def says_yes(text: str) -> bool:
    answer = _short_answer(text)
    return bool(_YES.match(answer)) and not _HEDGE.search(answer)


def says_no(text: str) -> bool:
    return bool(_NO.match(_short_answer(text)))


def says_unsure(text: str) -> bool:
    return bool(_UNSURE.search(plain(text)))


def says_skip(text: str) -> bool:
    return bool(_SKIP.match(plain(text)))


_LAST_SENTENCE = re.compile(r"[.!?;]\s+")


def says_cancel(text: str) -> bool:
    """The message asks to stop ("stop", "never mind", "cancel my request"), as a whole or in its
    last sentence ("hmm, I should ask my wife first. Cancel it please")."""
    last = _LAST_SENTENCE.split(text.strip().rstrip(".!?; "))[-1]
    return bool(_CANCEL.match(plain(text)) or _CANCEL.match(plain(last)))


def is_question(text: str) -> bool:
    stripped = text.strip()
    return stripped.endswith("?") or bool(_QUESTION_START.match(plain(stripped)))


def strip_edges(text: str) -> str:
    return _SPACES.sub(" ", text).strip(_EDGE_PUNCTUATION)


_CLAUSE_BREAK = re.compile(r"[,;.!?\n]+|\s+[-–—]\s+")


def clauses(text: str) -> list[tuple[str, tuple[int, int]]]:
    """The parts of a message between commas, full stops and dashes, each as typed (trimmed) with
    its place in the text: "book consult pls - Ryan Cooper, 480 555 0111, asap"."""
    parts, start = [], 0
    for match in [*_CLAUSE_BREAK.finditer(text), None]:
        end = match.start() if match else len(text)
        piece = text[start:end]
        words = piece.strip()
        if words:
            offset = start + piece.index(words)
            parts.append((words, (offset, offset + len(words))))
        start = match.end() if match else end
    return parts
