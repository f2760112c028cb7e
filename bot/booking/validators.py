"""Checking each booking detail a patient gives, with maintained libraries where one exists
(`phonenumbers`, `email-validator`). A validator returns the normalised value or a friendly
error; a finder picks valid values out of a longer message (with their place in it)."""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import phonenumbers
from email_validator import EmailNotValidError
from email_validator import validate_email as check_email
from phonenumbers import Leniency, PhoneNumberFormat

from bot.booking.slots import EMAIL, PHONE
from bot.booking.text import clean_text, plain, says_skip, strip_edges
from bot.wording import wording
from bot.yamlfile import ConfigError

MAX_NAME_CHARS = 100
MAX_NAME_WORDS = 6
MAX_REASON_CHARS = 500

Span = tuple[int, int]


@dataclass(frozen=True)
class Validation:
    """A checked value (`value`, plus `extras` for related slots) or the reason it was refused."""

    value: Any = None
    error: str = ""
    extras: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.error


@dataclass(frozen=True)
class Found:
    """A valid value found inside a longer message, and where it was."""

    value: Any
    span: Span


def refuse(error: str) -> Validation:
    return Validation(error=error)


# --- names -----------------------------------------------------------------------------------

_LETTER = r"[^\W\d_]"
_NAME_WORD = rf"{_LETTER}+(?:['’\-]{_LETTER}+)*\.?"
_NAME_PHRASE = rf"{_NAME_WORD}(?:[ ]+{_NAME_WORD}){{0,{MAX_NAME_WORDS - 1}}}"
# "My name is ..." says it is a name; "I'm ..." often does not ("I'm free on Friday").
_STATED_NAME = re.compile(
    rf"\b(?:(?:my |the )?(?:full )?name(?: is|'s|’s|:))\s+(?P<name>{_NAME_PHRASE})", re.IGNORECASE
)
_INTRODUCED_NAME = re.compile(
    rf"\b(?:i'm|i’m|i am|im|this is|it's|it’s|its|call me)\s+(?P<name>{_NAME_PHRASE})", re.IGNORECASE
)
_NAME_PREFIX = re.compile(
    r"^(?:(?:hi|hello|hey|ok|okay|oh|um+|uh+|so|well|sure|yes|yeah|yep)\b[ .,!]*)*"
    r"(?:(?:my |the |her |his |their |the patient's |the patients )?(?:full )?"
    r"name(?: is|'s|’s|:)|i'm|i’m|i am|im|this is|it's|it’s|its|call me|"
    r"(?:she|he)(?:'s|’s| is)(?: called| named)?|(?:she|he)s|(?:she|he|they)(?: are)? (?:called|named))\s+",
    re.IGNORECASE,
)
_NAME_WORD_ONLY = re.compile(_NAME_WORD)
_NAME_STOP = re.compile(r"\s+(?:and|but|or|from|on|at|my|please|thanks|thank you)\b.*$", re.IGNORECASE)

# Words that show a phrase is not a name ("I'm not sure", "this is for my mum").
NOT_NAME_WORDS = frozenset(
    [
        "a",
        "about",
        "after",
        "afraid",
        "again",
        "all",
        "also",
        "am",
        "and",
        "any",
        "anyone",
        "anything",
        "are",
        "as",
        "asking",
        "at",
        "available",
        "away",
        "back",
        "based",
        "be",
        "because",
        "been",
        "before",
        "being",
        "best",
        "book",
        "booked",
        "booking",
        "busy",
        "but",
        "by",
        "calling",
        "can",
        "cancel",
        "cant",
        "can't",
        "change",
        "clinic",
        "concerned",
        "consult",
        "consultation",
        "could",
        "day",
        "did",
        "do",
        "does",
        "doing",
        "done",
        "dont",
        "don't",
        "email",
        "facial",
        "fine",
        "for",
        "free",
        "from",
        "get",
        "getting",
        "glad",
        "going",
        "good",
        "great",
        "had",
        "happy",
        "has",
        "have",
        "having",
        "he",
        "hello",
        "help",
        "her",
        "here",
        "hey",
        "hi",
        "him",
        "his",
        "hoping",
        "how",
        "i",
        "if",
        "im",
        "in",
        "interested",
        "into",
        "is",
        "it",
        "its",
        "just",
        "keen",
        "know",
        "last",
        "later",
        "like",
        "looking",
        "me",
        "mine",
        "more",
        "morning",
        "afternoon",
        "evening",
        "my",
        "myself",
        "need",
        "nervous",
        "new",
        "next",
        "no",
        "not",
        "now",
        "number",
        "of",
        "off",
        "ok",
        "okay",
        "on",
        "one",
        "only",
        "or",
        "our",
        "out",
        "over",
        "palsy",
        "paralysis",
        "patient",
        "phone",
        "please",
        "pretty",
        "ready",
        "really",
        "right",
        "same",
        "scared",
        "she",
        "should",
        "so",
        "sorry",
        "still",
        "sure",
        "thank",
        "thanks",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "they",
        "thinking",
        "this",
        "those",
        "to",
        "today",
        "tomorrow",
        "too",
        "trying",
        "unable",
        "up",
        "urgent",
        "us",
        "very",
        "want",
        "wanting",
        "was",
        "we",
        "week",
        "were",
        "what",
        "when",
        "where",
        "which",
        "who",
        "why",
        "with",
        "wondering",
        "worried",
        "would",
        "writing",
        "yes",
        "you",
        "your",
        "yours",
        "yet",
        "botox",
        "doctor",
        "surgeon",
        "nurse",
        "appointment",
        "reason",
        "time",
        "date",
        "weekend",
        "bye",
        "goodbye",
        "cheers",
        "hmm",
        "hm",
        "hmmm",
        "umm",
        "um",
        "uh",
        "er",
        "erm",
        "huh",
        "idk",
        "dunno",
        "nah",
        "nope",
        "yeah",
        "yep",
        "yup",
        "ok",
        "test",
        "testing",
        "asdf",
        "lol",
        "maybe",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "skip",
        "pass",
        "synkinesis",
        "face",
        "feels",
        "feel",
        "side",
        "tight",
        "left",
        "smile",
        "mouth",
        "cheek",
        "eye",
        "spasm",
        "spasms",
        "twitching",
        "bells",
        "droopy",
        "weakness",
        "none",
        "nothing",
        "confirm",
        "send",
        "correct",
        "looks",
        "agree",
    ]
)


def _looks_like_name(name: str) -> bool:
    words = name.split()
    return (
        0 < len(words) <= MAX_NAME_WORDS
        and len(name) <= MAX_NAME_CHARS
        and all(_NAME_WORD_ONLY.fullmatch(word) for word in words)
        and not any(plain(word).strip(".") in NOT_NAME_WORDS for word in words)
    )


def _tidy_name(name: str) -> str:
    """Capitalise a name typed all in lower (or upper) case; keep mixed case as typed."""
    if name.islower() or name.isupper():
        return " ".join(
            part.capitalize() if len(part) > 1 else part.upper() for part in name.lower().split(" ")
        )
    return name


def validate_name(text: str) -> Validation:
    """A person's name: letters (any script), spaces, hyphens, apostrophes, initials."""
    name = strip_edges(_NAME_PREFIX.sub("", strip_edges(clean_text(text))))
    name = strip_edges(_NAME_STOP.sub("", name))
    if not name:
        return refuse(wording("booking_errors.name.missing"))
    if len(name) > MAX_NAME_CHARS or len(name.split()) > MAX_NAME_WORDS:
        return refuse(wording("booking_errors.name.too_long"))
    if any(ch.isdigit() for ch in name):
        return refuse(wording("booking_errors.name.digits"))
    if not _looks_like_name(name):
        return refuse(wording("booking_errors.name.not_a_name"))
    return Validation(_tidy_name(name))


def find_stated_name(text: str, introduced_too: bool) -> Found | None:
    """A name the patient states ("my name is Priya Shah"); with `introduced_too`, also
    "I'm Priya Shah", but only when capitalised, since "I'm worried" is not a name.
    Trailing words that are not part of the name are left out ("this is Tom Jones calling")."""
    patterns = [(_STATED_NAME, False)] + ([(_INTRODUCED_NAME, True)] if introduced_too else [])
    for pattern, needs_capital in patterns:
        for match in pattern.finditer(text):
            words = strip_edges(_NAME_STOP.sub("", match.group("name"))).split()
            for size in range(len(words), 0, -1):
                candidate = " ".join(words[:size])
                if needs_capital and not all(word[0].isupper() for word in words[:size]):
                    continue
                checked = validate_name(candidate)
                if checked.ok:
                    end = text.index(candidate, match.start("name")) + len(candidate)
                    return Found(checked.value, (match.start(), end))
    return None


# --- phone numbers ---------------------------------------------------------------------------


def _full_length(number: phonenumbers.PhoneNumber) -> bool:
    """As long as the longest number of its country: accepted even if the number's range is not
    (yet) in the library's data, e.g. new ranges or the UK's reserved 07700 900xxx range."""
    if number.country_code is None:
        return False
    region = phonenumbers.region_code_for_country_code(number.country_code)
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(region, None)
    if metadata is None or metadata.general_desc is None or not phonenumbers.is_possible_number(number):
        return False
    lengths = metadata.general_desc.possible_length or ()
    return bool(lengths) and len(phonenumbers.national_significant_number(number)) == max(lengths)


def _acceptable(number: phonenumbers.PhoneNumber) -> bool:
    return phonenumbers.is_valid_number(number) or _full_length(number)


def _e164(number: phonenumbers.PhoneNumber) -> str:
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def display_phone(e164: str) -> str:
    """+447700900123 -> +44 7700 900123"""
    try:
        return phonenumbers.format_number(phonenumbers.parse(e164, None), PhoneNumberFormat.INTERNATIONAL)
    except phonenumbers.NumberParseException:
        return e164


def check_regions(regions: Sequence[str]) -> tuple[str, ...]:
    known = phonenumbers.SUPPORTED_REGIONS
    unknown = [r for r in regions if r not in known]
    if unknown:
        raise ConfigError(f"booking.phone_regions: unknown country codes {unknown}")
    return tuple(regions)


def _phone_problem(reasons: set[int], text: str) -> str:
    if text.lstrip().startswith("+") and _INVALID_COUNTRY in reasons:
        return wording("booking_errors.phone.country_code")
    if phonenumbers.ValidationResult.IS_POSSIBLE_LOCAL_ONLY in reasons:
        return wording("booking_errors.phone.no_area_code")  # "555 0100": dialled only locally
    if phonenumbers.ValidationResult.TOO_SHORT in reasons:
        return wording("booking_errors.phone.too_short")
    if reasons == {phonenumbers.ValidationResult.TOO_LONG}:
        return wording("booking_errors.phone.too_long")
    return wording("booking_errors.phone.invalid")


_INVALID_COUNTRY = phonenumbers.ValidationResult.INVALID_COUNTRY_CODE


def validate_phone(text: str, regions: Sequence[str]) -> Validation:
    """One phone number, international (+44 ...) or national for one of `regions`."""
    text = clean_text(text)
    if sum(ch.isdigit() for ch in text) < 5:
        return refuse(wording("booking_errors.phone.not_a_number"))
    reasons: set[int] = set()
    for region in regions:
        try:
            number = phonenumbers.parse(text, region)
        except phonenumbers.NumberParseException as error:
            if error.error_type == phonenumbers.NumberParseException.INVALID_COUNTRY_CODE:
                reasons.add(_INVALID_COUNTRY)
            continue
        if _acceptable(number):
            return Validation(_e164(number))
        reason = phonenumbers.is_possible_number_with_reason(number)
        if reason == phonenumbers.ValidationResult.IS_POSSIBLE and not _full_length(number):
            reason = phonenumbers.ValidationResult.TOO_SHORT
        reasons.add(reason)
    return refuse(_phone_problem(reasons, text))


def find_phones(text: str, regions: Sequence[str]) -> list[Found]:
    """Every acceptable phone number in the text, each found once."""
    found: dict[str, Found] = {}
    for region in regions:
        for match in phonenumbers.PhoneNumberMatcher(text, region, leniency=Leniency.POSSIBLE):
            overlaps = any(f.span[0] < match.end and match.start < f.span[1] for f in found.values())
            if _acceptable(match.number) and not overlaps:
                found[_e164(match.number)] = Found(_e164(match.number), (match.start, match.end))
    return sorted(found.values(), key=lambda f: f.span)


# --- email addresses -------------------------------------------------------------------------

_EMAIL_LIKE = re.compile(r"[^\s<>()\[\],;:\"']+@[^\s<>()\[\],;:\"']*")


def validate_email(text: str) -> Validation:
    """An email address, checked for its form only (no network look-ups at run time)."""
    address = strip_edges(clean_text(text))
    if "@" not in address:
        return refuse(wording("booking_errors.email.no_at"))
    if " " in address:
        return refuse(wording("booking_errors.email.spaces"))
    try:
        return Validation(check_email(address, check_deliverability=False).normalized)
    except EmailNotValidError as error:
        return refuse(wording("booking_errors.email.invalid", problem=error))


def email_like_tokens(text: str) -> list[Found]:
    """Everything with an @ in it, valid or not, with its place in the text."""
    tokens = []
    for match in _EMAIL_LIKE.finditer(text):
        token = match.group().rstrip(".")
        tokens.append(Found(token, (match.start(), match.start() + len(token))))
    return tokens


def find_emails(text: str) -> tuple[list[Found], list[str]]:
    """Valid email addresses in the text, and the errors for @-words that are not valid."""
    valid, errors = [], []
    for token in email_like_tokens(text):
        checked = validate_email(token.value)
        if checked.ok:
            valid.append(Found(checked.value, token.span))
        else:
            errors.append(checked.error)
    return valid, errors


# --- contact (phone or email) ----------------------------------------------------------------


def validate_contact(text: str, regions: Sequence[str]) -> Validation:
    """A phone number or an email address. The value is the slot it fills:
    {"booking_phone": ...} or {"booking_email": ...}."""
    text = clean_text(text)
    tokens = email_like_tokens(text)
    if tokens:
        checked = validate_email(tokens[0].value)
        return Validation({EMAIL: checked.value}) if checked.ok else checked
    checked = validate_phone(text, regions)
    if checked.ok:
        return Validation({PHONE: checked.value})
    if sum(ch.isdigit() for ch in text) >= 5:
        return checked
    return refuse(wording("booking_errors.contact.missing"))


# --- reason ----------------------------------------------------------------------------------


def validate_reason(text: str) -> Validation:
    """A short, optional note. "skip", "none", "no", or the skip button's own words typed out
    ("Skip this question"), leave it out (an empty value)."""
    reason = clean_text(text)
    if not reason or says_skip(reason) or plain(reason) == plain(wording("booking.buttons.skip_reason")):
        return Validation("")
    if len(reason) > MAX_REASON_CHARS:
        return refuse(
            wording("booking_errors.reason.too_long", max_chars=MAX_REASON_CHARS, length=len(reason))
        )
    return Validation(reason)


def remove_spans(text: str, spans: Iterable[Span]) -> str:
    """The text with the given parts blanked out (for reading what is left)."""
    chars = list(text)
    for start, end in spans:
        for i in range(start, min(end, len(chars))):
            chars[i] = " "
    return strip_edges("".join(chars))
