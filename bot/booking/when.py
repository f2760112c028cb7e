"""The patient's preferred day and time: found in free text, normalised with `dateparser`, and
refused kindly when it has passed, cannot exist or is too far ahead. The patient's own words are
always kept next to the normalised value."""

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import dateparser

from bot.booking.availability import read_window, reading_words, window_start
from bot.booking.slots import PREFERRED_TIME_NORMALISED
from bot.booking.text import (
    clauses,
    clean_text,
    plain,
    says_cancel,
    says_no,
    says_skip,
    says_yes,
    strip_edges,
)
from bot.booking.validators import Found, Validation, refuse
from bot.settings import get_settings
from bot.wording import wording

MAX_DAYS_AHEAD = 365
# Times given without am/pm ("at 3") are taken as clinic hours: 1-6 afternoon, 7-12 morning.
AFTERNOON_HOURS = range(1, 7)

_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9
_MONTH = (
    r"(?:january|february|march|april|june|july|august|september|october|november|december|"
    r"jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)"
)
_ORDINAL = r"\d{1,2}(?:st|nd|rd|th)?"
_WEEKDAY = (
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues|tue|weds|wed|"
    r"thurs|thur|thu|fri)"
)
_PART_OF_DAY = r"(?:morning|afternoon|evening|lunchtime|lunch time)"
_TIME = (
    r"(?:\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)|\d{1,2}[:.]\d{2}|noon|midday|"
    r"\d{1,2}\s*o'?clock)"
)

# Words that name a particular day: enough on their own for a preference given unasked.
_SPECIFIC_CUES = [
    rf"(?:{_ORDINAL}\s+(?:of\s+)?{_MONTH}|{_MONTH}\s+{_ORDINAL}|{_ORDINAL}\s+(?:of\s+)?may|may\s+{_ORDINAL})"
    rf"(?:,?\s+\d{{4}})?",
    r"\d{1,2}/\d{1,2}(?:/\d{2,4})?",
    r"\d{4}-\d{2}-\d{2}",
    _WEEKDAY,
    r"today|tomorrow|tonight|day after tomorrow|yesterday",
    rf"the\s+{_ORDINAL}",
]
# Words that narrow a day down, or name a vague one ("next week"): taken when the form asked.
_OTHER_CUES = [
    _TIME,
    r"(?:at|around|about)\s+\d{1,2}(?![\d:.])",
    _PART_OF_DAY,
    r"(?:next|this|the following)\s+(?:week|month|weekend)",
    r"in\s+(?:a|an|one|two|three|four|\d+)\s+(?:days?|weeks?|months?)",
    r"weekend",
    rf"{_MONTH}(?:\s+\d{{4}})?",
]
_SPECIFIC = re.compile(r"\b(?:" + "|".join(_SPECIFIC_CUES) + r")\b", re.I)
_ANY_CUE = re.compile(r"\b(?:" + "|".join(_SPECIFIC_CUES + _OTHER_CUES) + r")(?!\w)", re.I)
# What may join cues inside one phrase ("Tuesday, at 3pm", "the 5th of December").
_GLUE = re.compile(r"^(?:\s|,|-|–|at|on|in|the|of|around|about|from|after|before|ish|or|by)*$", re.I)
_LEAD = re.compile(r"(?:\b(?:next|this|coming|last|the)\s+)+$", re.I)
_PAST = re.compile(rf"\b(?:yesterday|ago|(?:last|previous)\s+(?:{_WEEKDAY}|week|month|night|year))\b", re.I)
_FLEXIBLE = re.compile(
    r"^(?:(?:any|whichever)\s*(?:time|day|day is fine|time is fine|time works|day works)|anytime|"
    r"whenever|whenever (?:suits|works|is convenient)|as soon as possible|asap|"
    r"(?:i'?m |im )?flexible|no preference|earliest(?: available| possible)?(?: slot| appointment| time)?|"
    r"the earliest (?:one|slot|appointment)|first available(?: slot| appointment| time)?|"
    r"soonest(?: possible| available)?|(?:the )?sooner the better)"
    r"(?:[ ,]+(?:please|pls|plz|really|thanks|honestly|tbh|is fine|works|is good|is best|"
    r"would be great|if possible|for me))*$"
)
_HAS_TIME = re.compile(rf"\b{_TIME}(?!\w)|\bat\s+\d{{1,2}}\b", re.I)
_BARE_HOUR = re.compile(
    r"\b(?:at|around|about)\s+(\d{1,2})\b(?![:.]\d|\s*(?:am|pm|a\.m|p\.m|o'?clock))", re.I
)
_PART_WORDS = re.compile(rf"\b{_PART_OF_DAY}\b|\btonight\b", re.I)
_NOON = re.compile(r"\b(noon|midday)\b", re.I)
_NEXT_WEEKDAY = re.compile(rf"\b(?:next|this|coming)\s+({_WEEKDAY})\b", re.I)
_DAY_MONTH = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH}|may)\b", re.I)
_MONTH_DAY = re.compile(rf"\b({_MONTH}|may)\s+(\d{{1,2}})(?:st|nd|rd|th)?\b", re.I)


def clinic_now() -> datetime:
    """What "today" and "tomorrow at 10" mean: the clinic's clock, not the server's."""
    return get_settings().clinic.now()


@dataclass(frozen=True)
class PreferredTime:
    words: str  # as the patient said it
    day: date | None = None
    at: time | None = None
    part_of_day: str = ""

    @property
    def normalised(self) -> str | None:
        """ISO 8601: "2026-12-02T10:00", "2026-12-02", or None for "as soon as possible"."""
        if self.day is None:
            return None
        return f"{self.day.isoformat()}T{self.at:%H:%M}" if self.at else self.day.isoformat()


def describe(normalised: str | None, words: str, brief: bool = False) -> str:
    """ "Wednesday 2 December 2026, 10:00 (you said “Wednesday 10am”)"; a window in plain words,
    "Weekdays, evenings, after 5 pm (you said “weekday evenings after 5”)"; else the words.
    `brief`: without the patient's words after it."""
    said = "" if brief else f" (you said “{words}”)"
    if not normalised:
        window = read_window(words) if words else None
        return f"{window.plain()}{said}" if window else words
    when = datetime.fromisoformat(normalised)
    text = f"{when:%A} {when.day} {when:%B %Y}"
    if "T" in normalised:
        text += f", {when:%H:%M}"
    return f"{text}{said}"


def _phrases(text: str, cues: re.Pattern) -> list[tuple[int, int]]:
    """Spans of runs of date/time cues joined only by glue words."""
    spans: list[list[int]] = []
    for match in cues.finditer(text):
        if spans and _GLUE.match(text[spans[-1][1] : match.start()]):
            spans[-1][1] = match.end()
        else:
            spans.append([match.start(), match.end()])
    for span in spans:
        lead = _LEAD.search(text[: span[0]])
        if lead:
            span[0] = lead.start()
    return [(start, end) for start, end in spans]


def _impossible_day(words: str) -> str:
    for match in list(_DAY_MONTH.finditer(words)) + list(_MONTH_DAY.finditer(words)):
        day_text, month_text = match.groups() if match.re is _DAY_MONTH else match.groups()[::-1]
        month = _MONTHS.get(month_text.lower(), 5)
        longest = 29 if month == 2 else calendar.monthrange(2025, month)[1]
        if not 1 <= int(day_text) <= longest:
            return wording(
                "booking_errors.preferred_time.impossible_day",
                month=calendar.month_name[month],
                day=f"{int(day_text)}{_ordinal_suffix(int(day_text))}",
            )
    return ""


def _ordinal_suffix(n: int) -> str:
    return "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


def _for_parser(words: str, now: datetime) -> str:
    text = _NEXT_WEEKDAY.sub(r"\1", words)
    text = _NOON.sub("12:00", text)
    text = _the_nth(text, now)
    # "3:30" with no am/pm, like a bare hour, is read as clinic hours.
    text = re.sub(r"\b([1-6])[:.](\d{2})\b(?!\s*(?:am|pm|a\.m|p\.m))", r"\1:\2pm", text, flags=re.I)
    text = text.replace("tonight", "today")
    text = _BARE_HOUR.sub(
        lambda m: f"at {int(m.group(1))}{'pm' if int(m.group(1)) in AFTERNOON_HOURS else 'am'}", text
    )
    text = _PART_WORDS.sub(" ", text)
    text = re.sub(
        r"\b(around|about|ish|please|preferably|ideally|sometime|some time)\b", " ", text, flags=re.I
    )
    return strip_edges(text) or "today"


def _passed(words: str) -> str:
    return wording("booking_errors.preferred_time.passed", words=words)


_THE_NTH = re.compile(
    r"(?:\b(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\s+)?\bthe\s+(\d{1,2})(?:st|nd|rd|th)\b", re.I
)


def _the_nth(text: str, now: datetime) -> str:
    """ "the 10th" (no month named): this month's, or next month's when it has passed."""
    match = _THE_NTH.search(text)
    if not match or re.search(_MONTH, text, re.I):
        return text
    day, year, month = int(match.group(1)), now.year, now.month
    if day < now.day:
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    if day > calendar.monthrange(year, month)[1]:
        return text
    return text[: match.start()] + f"{calendar.month_name[month]} {day} {year}" + text[match.end() :]


def _parse(words: str, now: datetime) -> datetime | None:
    settings: Any = {"PREFER_DATES_FROM": "future", "RELATIVE_BASE": now, "RETURN_AS_TIMEZONE_AWARE": False}
    return dateparser.parse(_for_parser(words, now), languages=["en"], settings=settings)


# When each part of the day is over, for "this morning" said later that day.
_PART_ENDS = {"morning": 12, "lunchtime": 14, "afternoon": 17, "evening": 22}


def _part_of_day(words: str) -> str:
    match = _PART_WORDS.search(words)
    if not match:
        return ""
    part = match.group().lower().replace(" ", "")
    return "evening" if part == "tonight" else part


_WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_RELATIVE_DAYS = {0: ("today", "tonight"), 1: ("tomorrow",), 2: ("day after tomorrow",)}


def _names_day(words: str, day: date, now: datetime) -> bool:
    """The words say this day (its weekday, its day of the month, or today / tomorrow): the
    parser's reading is checked, so that a day it made up is never stored."""
    text = words.lower()
    if any(word in text for word in _RELATIVE_DAYS.get((day - now.date()).days, ())):
        return True
    if re.search(rf"\b{_WEEKDAY_NAMES[day.weekday()]}", text):
        return True
    return bool(re.search(rf"(?<!\d)0?{day.day}(?!\d)", text))


def _names_hour(words: str, hour: int) -> bool:
    text = _NOON.sub("12:00", words.lower())
    return any(re.search(rf"(?<!\d)0?{h}(?!\d)", text) for h in {hour, hour % 12 or 12})


def read_preferred_time(words: str, now: datetime) -> Validation:
    """Check one phrase that names a day and/or time; the value is a `PreferredTime`."""
    impossible = _impossible_day(words)
    if impossible:
        return refuse(impossible)
    if _PAST.search(words):
        return refuse(_passed(words))
    parsed = _parse(words, now)
    if parsed is None:
        return refuse(wording("booking_errors.preferred_time.not_understood", words=words))
    has_time = bool(_HAS_TIME.search(words))
    if not _names_day(words, parsed.date(), now) or (has_time and not _names_hour(words, parsed.hour)):
        return refuse(wording("booking_errors.preferred_time.not_understood", words=words))
    preferred = PreferredTime(
        words,
        parsed.date(),
        parsed.time().replace(second=0, microsecond=0) if has_time else None,
        _part_of_day(words),
    )
    if (parsed < now) if has_time else (parsed.date() < now.date()):
        return refuse(_passed(words))
    if not has_time and parsed.date() == now.date() and now.hour >= _PART_ENDS.get(preferred.part_of_day, 24):
        return refuse(_passed(words))  # "this morning", said in the evening
    if parsed.date() > now.date() + timedelta(days=MAX_DAYS_AHEAD):
        return refuse(wording("booking_errors.preferred_time.too_far"))
    return Validation(preferred)


def validate_preferred_time(text: str, now: datetime | None = None, asked_again: bool = False) -> Validation:
    """The answer to "which day and time suit you?": a day/time phrase in the text, a window
    ("weekday evenings after 5") or a flexible answer ("as soon as possible"). The value is the
    patient's words; `extras` holds the normalised form (None unless one instant was named).
    `asked_again`: the previous answer was refused, so words the reader cannot read are kept as
    they are for the clinic team to call about (a request is never dropped for availability)."""
    now = now or clinic_now()
    text = clean_text(text)
    checked = _read_preferred_time_answer(text, now)
    if not checked.ok and asked_again and keepable_as_words(text):
        return Validation(strip_edges(text), extras={PREFERRED_TIME_NORMALISED: None})
    return checked


# "asap please, whatever is soonest": as soon as possible, said anywhere in an answer that names no day.
_ASAP = re.compile(
    r"\b(?:asap|as soon as possible|soonest|earliest|first available|sooner the better)\b", re.I
)


def _as_soon_as_possible(reading: str) -> bool:
    return bool(_ASAP.search(reading)) and not _SPECIFIC.search(reading)


def _names_no_one_day(text: str) -> bool:
    """A flexible answer ("asap", "whenever") or a window: kept as words, with no day or time."""
    reading = reading_words(text)  # "tmrw arvo" read as "tomorrow afternoon"
    return bool(_FLEXIBLE.match(plain(reading)) or _as_soon_as_possible(reading) or read_window(text))


def _read_preferred_time_answer(text: str, now: datetime) -> Validation:
    reading = reading_words(text)
    if _names_no_one_day(text):
        # A range or recurring time ("weekday evenings after 5") is kept as the patient's words:
        # no single day or time is stored that they did not say (bot/booking/availability.py).
        return Validation(strip_edges(text), extras={PREFERRED_TIME_NORMALISED: None})
    spans = _phrases(reading, _ANY_CUE)
    if not spans:
        impossible = _impossible_day(reading)
        return refuse(impossible or wording("booking_errors.preferred_time.no_day"))
    words = strip_edges(reading[spans[0][0] : spans[0][1]])
    checked = read_preferred_time(words, now)
    if not checked.ok:
        return checked
    said = words if reading == text else strip_edges(text)  # the patient's own words are kept
    if not _SPECIFIC.search(words):  # a time with no day ("at 3"): no day is picked for them
        return Validation(said, extras={PREFERRED_TIME_NORMALISED: None})
    return Validation(said, extras={PREFERRED_TIME_NORMALISED: checked.value.normalised})


def keepable_as_words(text: str) -> bool:
    """After one re-ask, availability the reader cannot read is kept in the patient's words for
    the clinic team to call about, unless it is no availability at all (a yes, a no, a skip, a
    cancel) or names a day that has passed or cannot exist."""
    if not any(ch.isalpha() for ch in text) or says_yes(text) or says_no(text) or says_skip(text):
        return False
    return not says_cancel(text) and not _PAST.search(text) and not _impossible_day(text)


def mentions_day_or_time(text: str) -> bool:
    """The text names a day or a time, possible or not ("last Tuesday", "31 February")."""
    return bool(_ANY_CUE.search(text) or _PAST.search(text))


def find_window(text: str, now: datetime | None = None) -> Found | None:
    """Availability given as a window without being asked ("Hi I'm Tom, 07700 900123, any
    weekday after 4"): the first clause that reads as one, with the clauses right after it that
    also give availability ("whenever, afternoons mostly"), in the patient's words."""
    now = now or clinic_now()
    parts = clauses(text)
    for index, (words, (start, end)) in enumerate(parts):
        if not _names_no_one_day(words):  # the reading validate_preferred_time keeps as words
            continue
        for more, (_, more_end) in parts[index + 1 :]:
            if not validate_preferred_time(more, now).ok:
                break
            end = more_end
        trimmed = start + window_start(words)  # from the first word about time: "... I'm free Monday"
        if validate_preferred_time(text[trimmed:end], now).ok:
            start = trimmed
        return Found(text[start:end], (start, end))
    return None


def find_preferred_time(text: str, now: datetime | None = None) -> Found | None:
    """A day the patient names without being asked ("..., Wednesday 10am"): only phrases that
    name a particular day, and only days still to come. The value is the patient's words."""
    now = now or clinic_now()
    for start, end in _phrases(text, _ANY_CUE):
        words = strip_edges(text[start:end])
        if _SPECIFIC.search(words) and read_preferred_time(words, now).ok:
            return Found(words, (start, end))
    return None
