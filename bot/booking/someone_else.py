"""Booking for someone else (issue 13, item 2): "can I book for my mum", "her name is Dorothy
Kline", "I'm Amy, her daughter", "call her directly on ...".

The form then keeps three more details: what the patient is to the person booking (the relation,
"mother", or SOMEONE_ELSE when they did not say), the requester's own name, and whose phone or
email the clinic team should use (REQUESTER unless they say it is the patient's). The words for
relations are data: data/booking/relations.yml."""

import re
from dataclasses import dataclass
from functools import cache

from bot.booking.validators import Found, validate_name
from bot.paths import RELATIONS_FILE
from bot.yamlfile import ConfigError, load_yaml_mapping

SOMEONE_ELSE = "someone_else"  # booking for another person whose relation was not said
REQUESTER = "requester"
PATIENT = "patient"
CONTACT_OWNERS = (REQUESTER, PATIENT)


@dataclass(frozen=True)
class Relations:
    by_word: dict[str, str]  # "mum" -> "mother"
    inverse: dict[str, dict[str, str]]  # "daughter" -> {"her": "mother", ...}

    @property
    def words(self) -> str:
        """All relation words as one regex alternation, longest first."""
        return "|".join(re.escape(w) for w in sorted(self.by_word, key=len, reverse=True))

    @property
    def self_words(self) -> str:
        return "|".join(re.escape(w) for w in sorted(self.inverse, key=len, reverse=True))


@cache
def relations() -> Relations:
    raw = load_yaml_mapping(RELATIONS_FILE)
    try:
        by_word = {str(w).lower(): rel for rel, words in raw["relations"].items() for w in words}
        inverse = {str(k).lower(): dict(v) for k, v in raw["inverse"].items()}
    except (KeyError, AttributeError, TypeError) as error:
        raise ConfigError(f"{RELATIONS_FILE}: needs `relations` and `inverse` mappings") from error
    return Relations(by_word, inverse)


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    rel, me = relations().words, relations().self_words
    # "my little brother", "her older sister": a word before the relation that changes nothing
    adj = r"(?:(?:little|big|older|younger|elder|baby|twin|step|best|dear|elderly|old)\s+)?"
    name = r"(?P<name>[^\W\d_][^\W\d_'’\-. ]*(?:['’\-][^\W\d_]+)*(?:\s+[^\W\d_]+(?:['’\-][^\W\d_]+)*){0,3})"
    return {
        # "for my mum", "book my dad in", "my husband needs a consult", "on behalf of my wife"
        "for_my": re.compile(
            rf"\b(?:for|book|booking|behalf of|bring|bringing|help|helping)\s+(?:in\s+)?(?:my|our)\s+{adj}"
            rf"(?P<rel>{rel})\b"
            rf"|\b(?:my|our)\s+{adj}(?P<rel2>{rel})\s+(?:needs|wants|would like|would love|is looking|"
            rf"is interested|has had|has|had|need|want|ask|asks|asked|is the patient|is the one|should|might|"
            rf"could|will)\b"
            rf"|\b(?:it'?s|its|it is|this is|the appointment is|the consult(?:ation)? is)\s+for\s+"
            rf"(?:my|our)\s+{adj}(?P<rel3>{rel})\b",
            re.I,
        ),
        # "I'm her daughter", "i am his wife"
        "i_am_their": re.compile(
            rf"\b(?:i'?m|i’m|i am|im|as)\s+(?:(?P<pronoun>her|his|their)\s+|the\s+)?{adj}(?P<self>{me})\b"
            rf"(?:,?\s+(?:and\s+)?(?:my name is\s+|i'?m\s+|called\s+)?{name})?",
            re.I,
        ),
        # "i'm jess, his granddaughter"
        "named_then_their": re.compile(
            rf"\b(?:i'?m|i’m|i am|im|this is)\s+{name},?\s+(?P<pronoun>her|his|their)\s+{adj}"
            rf"(?P<self>{me})\b",
            re.I,
        ),
        # "she's my mum", "he is my husband"
        "they_are_my": re.compile(rf"\b(?:she|he)(?:'s|’s| is)\s+my\s+(?P<rel>{rel})\b", re.I),
        # "it's for someone else", "on behalf of a friend", "book him in"
        "someone": re.compile(
            r"\b(?:for|on behalf of)\s+(?:someone else|somebody else|a (?:family member|relative|friend|"
            r"client|patient of mine))\b|\bnot for me\b|\b(?:book|booking)\s+(?:him|her|them)\b"
            r"|\bfor (?:him|her|them)\b|\bwe are (?:friends?|family|related|neighbou?rs)\b",
            re.I,
        ),
        # "her name is Dorothy Kline", "my mum's name is ...", "the patient's name is ..."
        "their_name": re.compile(
            rf"\b(?:her|his|their|the patient'?s|(?:my|our)\s+(?:{rel})'?s)\s+(?:full\s+)?name"
            rf"(?:\s+is|'s|’s|:)?\s+{name}",
            re.I,
        ),
        # "she's called Dorothy", "he is named Robert King"
        "called": re.compile(rf"\b(?:she|he|they)(?:'s|’s| is| are)?\s+(?:called|named)\s+{name}", re.I),
        # "my mum, Dorothy Kline" / "my dad Robert King" (capitalised, so "my dad needs" is not a name)
        "my_rel_named": re.compile(
            rf"\b(?:my|our)\s+(?:{rel}),?\s+(?P<name>[A-Z][^\W\d_]+(?:\s+[A-Z][^\W\d_'’\-]+){{0,3}})"
        ),
        # the same in lower case, only as a whole clause ("my dad frank morris, ..."), since
        # "my dad needs a consult" is no name
        "my_rel_named_lower": re.compile(
            rf"\b(?:my|our)\s+(?:{rel}),?\s+(?P<name>[^\W\d_]+(?:\s+[^\W\d_'’\-]+){{1,2}})"
            rf"(?=\s*(?:[,.;!?]|$))",
            re.I,
        ),
        # "i'm amy", "my name is Amy", "this is amy"
        "self_intro": re.compile(
            rf"\b(?:i'?m|i’m|i am|im|this is|my name is|my name'?s|my name’s)\s+{name}", re.I
        ),
        "self_word": re.compile(
            rf"(?:,|\(|-|–)?\s*\b(?:(?:i'?m|i’m|i am|im)\s+)?"
            rf"(?:(?P<pronoun>her|his|their)\s+)?(?P<self>{me})\b\)?",
            re.I,
        ),
    }


_ASKS_TO_BOOK = re.compile(
    r"\b(?:book\w*|consult\w*|appointments?|appt|schedule|see (?:the|a) (?:doctor|dr|surgeon))\b", re.I
)


def relation_in(text: str, patient_pronoun_default: str = "their", strict: bool = False) -> Found | None:
    """What the patient is to the person booking, when the text says it is for someone else:
    "for my mum" -> mother; "I'm her daughter" -> mother; "it's for someone else" -> SOMEONE_ELSE.
    `strict`: only words about booking for them, not "my mum has ..." (for messages before the
    form started, which may be about someone else's experience)."""
    p = _patterns()
    match = p["for_my"].search(text) or p["they_are_my"].search(text)
    if match and strict and match.group("rel2") and not _ASKS_TO_BOOK.search(text):
        match = None  # "my mum had it too", not "my mum wants a consult"
    if match:
        word = next(g for g in (match.groupdict().get(k) for k in ("rel", "rel2", "rel3")) if g)
        return Found(relations().by_word[word.lower()], match.span())
    match = p["i_am_their"].search(text) or p["named_then_their"].search(text)
    if match:
        inverse = relations().inverse[match.group("self").lower()]
        pronoun = (match.group("pronoun") or patient_pronoun_default).lower()
        return Found(inverse.get(pronoun) or inverse.get(patient_pronoun_default, SOMEONE_ELSE), match.span())
    match = p["someone"].search(text)
    return Found(SOMEONE_ELSE, match.span()) if match else None


def _first_valid_name(words: list[str]) -> str | None:
    for size in range(len(words), 0, -1):
        checked = validate_name(" ".join(words[:size]))
        if checked.ok:
            return str(checked.value)
    return None


def _name_at(match: re.Match[str]) -> Found | None:
    words = re.split(r"\s+", match.group("name").strip())
    name = _first_valid_name(words)
    return Found(name, match.span()) if name else None


def patient_name_in(text: str) -> Found | None:
    """The patient's name given by someone booking for them: "her name is Dorothy Kline",
    "he's called Robert King", "my mum, Dorothy Kline"."""
    for key in ("their_name", "called", "my_rel_named"):
        for match in _patterns()[key].finditer(text):
            found = _name_at(match)
            if found:
                return found
    for match in _patterns()["my_rel_named_lower"].finditer(text):
        checked = validate_name(match.group("name"))
        if checked.ok:  # the whole clause is a name, not its first words
            return Found(str(checked.value), match.span())
    return None


def requester_name_in(text: str) -> Found | None:
    """The name the person booking gives for themself ("I'm Amy", "my name is amy kline", "I'm
    his son Omar"), in any case: they have already said the booking is for someone else."""
    for key in ("i_am_their", "named_then_their"):
        for match in _patterns()[key].finditer(text):
            found = _name_at(match) if match.group("name") else None
            if found:
                return found
    for match in _patterns()["self_intro"].finditer(text):
        found = _name_at(match)
        if found:
            return found
    return None


def _said_of_self(text: str) -> Found | None:
    """ "Amy (daughter)", "Chloe, her granddaughter": what the requester calls themself after
    their name, as the patient's relation."""
    bare = _patterns()["self_word"].search(text)
    if not bare or bare.start() == 0:
        return None
    inverse = relations().inverse[bare.group("self").lower()]
    pronoun = (bare.group("pronoun") or "their").lower()
    return Found(inverse.get(pronoun) or inverse.get("their", SOMEONE_ELSE), bare.span())


def read_requester_answer(text: str) -> tuple[str | None, str | None]:
    """An answer to "and what's your name?": the requester's name, and what they say they are
    to the patient ("Amy, her daughter" -> ("Amy", "mother")), either possibly missing."""
    relation = relation_in(text) or _said_of_self(text)
    introduced = requester_name_in(text)  # "I'm Amy", "I am his son Omar"
    if introduced:
        return introduced.value, relation.value if relation else None
    rest = text[: relation.span[0]] + " " + text[relation.span[1] :] if relation else text
    checked = validate_name(re.sub(r"[,(–-]+\s*$", "", rest.strip()))
    return (str(checked.value) if checked.ok else None), (relation.value if relation else None)


_FOR_ME = re.compile(
    r"\b(?:(?:it'?s|its|it is|no,?|actually,?)\s+for\s+me|for myself|i'?m the patient|i am the patient)\b",
    re.I,
)


def says_for_themself(text: str) -> bool:
    """ "no, it's for me": the booking is not for someone else after all."""
    return bool(_FOR_ME.search(text))


_PATIENT_CONTACT = re.compile(
    r"\b(?:her|his|their)\s+(?:own\s+)?(?:number|phone|mobile|cell|e-?mail|landline)\b"
    r"|\b(?:call|text|ring|reach|contact|email|phone)\s+(?:her|him|them)\b|\b(?:her|him|them)\s+directly\b"
    r"|\b(?:she|he)(?:'s|’s| is)\s+on\b",
    re.I,
)
_REQUESTER_CONTACT = re.compile(
    r"\b(?:my|me)\s+(?:own\s+)?(?:number|phone|mobile|cell|e-?mail)\b|\b(?:call|text|ring|reach|contact|email)\s+me\b",
    re.I,
)


def contact_owner(text: str) -> str | None:
    """Whose phone or email the text gives: PATIENT ("call her directly on ...", "contact Olivia
    directly"), REQUESTER ("my number is ..."), or None when it does not say."""
    if _PATIENT_CONTACT.search(text):
        return PATIENT
    if _REQUESTER_CONTACT.search(text):
        return REQUESTER
    if re.search(r"\bdirectly\b", text, re.I):
        return PATIENT
    return None
