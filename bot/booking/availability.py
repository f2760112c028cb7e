"""Availability given as a window rather than one instant: "weekday evenings after 5", "mondays
or wednesdays", "any day 10 to 2", "whenever, afternoons mostly".

Such an answer is kept as the patient's words with no normalised date or time (the clinic team
calls to agree one), and shown back in plain words so the patient can check what was understood:
"Weekdays, evenings, after 5 pm". Only what the words say is read: days, parts of the day,
earliest and latest times, and days ruled out; nothing is added. bot/booking/when.py reads the
single instants ("Tuesday at 3pm", "5 December")."""

import re
from dataclasses import dataclass

WEEKDAYS: tuple[str, ...] = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DAY_FORMS = {
    "monday": "mon|mondays?",
    "tuesday": "tues?|tuesdays?",
    "wednesday": "weds?|wednesdays?",
    "thursday": "thu|thur|thurs|thursdays?",
    "friday": "fri|fridays?",
    "saturday": "sat|saturdays?",
    "sunday": "sun|sundays?",
}
_DAY = {day: re.compile(rf"\b(?:{forms})\b", re.I) for day, forms in _DAY_FORMS.items()}
_PLURAL_DAY = re.compile(r"\b(?:mondays|tuesdays|wednesdays|thursdays|fridays|saturdays|sundays)\b", re.I)
_WEEKDAYS = re.compile(
    r"\b(?:any\s+)?(?:week\s?days?|work\s?days?|mon(?:day)?\s*(?:-|–|to|thru|through)\s*fri(?:day)?)\b", re.I
)
_WEEKENDS = re.compile(r"\bweek\s?ends?\b", re.I)
_ANY_DAY = re.compile(r"\b(?:any|every|most)\s+days?\b|\bwhenever\b|\bany\s?time\b|\bflexible\b", re.I)
_PARTS = {
    "morning": re.compile(r"\bmornings?\b|\bam\s+(?:only|is best|preferred)\b", re.I),
    "afternoon": re.compile(r"\bafternoons?\b", re.I),
    "evening": re.compile(r"\bevenings?\b|\bnights?\b|\bafter\s+work\b", re.I),
}
_PLURAL_PART = re.compile(r"\b(?:mornings|afternoons|evenings)\b", re.I)
_HOUR = r"(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm|a\.m\.?|p\.m\.?)?"
_BETWEEN = re.compile(rf"\b(?:between|from)?\s*{_HOUR}\s*(?:-|–|to|and|till|until)\s*{_HOUR}(?![\d:])", re.I)
_AFTER = re.compile(rf"\b(?:after|from|past|later than)\s+{_HOUR}(?![\d:])", re.I)
_BEFORE = re.compile(rf"\b(?:before|until|till|by|no later than)\s+{_HOUR}(?![\d:])", re.I)
_NOT_DAY = re.compile(r"\b(?:not|except|but not|no)\s+(?:on\s+)?(\w+)", re.I)
# Clinic hours without am/pm: 1-6 are afternoon, 7-12 morning (as bot/booking/when.py reads them).
_AFTERNOON_HOURS = range(1, 7)


@dataclass(frozen=True)
class Window:
    """What a window answer says, each part only when the words say it."""

    words: str
    days: tuple[str, ...] = ()  # weekday names, in week order
    parts: tuple[str, ...] = ()  # morning / afternoon / evening
    earliest: str = ""  # "5 pm"
    latest: str = ""
    not_days: tuple[str, ...] = ()

    def plain(self) -> str:
        """ "Weekdays, evenings, after 5 pm": the reading in plain words."""
        pieces = [_days_in_words(self.days)] if self.days else []
        if self.parts:
            pieces.append(" or ".join(f"{part}s" for part in self.parts))
        if self.earliest and self.latest:
            pieces.append(f"between {self.earliest} and {self.latest}")
        elif self.earliest:
            pieces.append(f"after {self.earliest}")
        elif self.latest:
            pieces.append(f"before {self.latest}")
        if self.not_days:
            pieces.append("not " + " or ".join(f"{day.title()}s" for day in self.not_days))
        text = ", ".join(pieces) or "Any day"
        return text[0].upper() + text[1:]


def _days_in_words(days: tuple[str, ...]) -> str:
    if days == WEEKDAYS[:5]:
        return "weekdays"
    if days == WEEKDAYS[5:]:
        return "weekends"
    if days == WEEKDAYS:
        return "any day"
    first, last = WEEKDAYS.index(days[0]), WEEKDAYS.index(days[-1])
    if len(days) >= 3 and days == WEEKDAYS[first : last + 1]:
        return f"{days[0].title()}s to {days[-1].title()}s"
    return " or ".join(f"{day.title()}s" for day in days)


def _clock(hour: str, minutes: str | None, meridiem: str | None) -> str:
    """ "5 pm", "10:30 am": an hour as said, am/pm from the words or clinic hours."""
    number = int(hour)
    if not 0 <= number <= 23 or (minutes and int(minutes) > 59):
        return ""
    suffix = (meridiem or "").lower().replace(".", "")
    if number > 12:
        number, suffix = number - 12, "pm"
    elif not suffix:
        pm = number in _AFTERNOON_HOURS or number == 12
        suffix = "pm" if pm else "am"
    return f"{number}{':' + minutes if minutes and minutes != '00' else ''} {suffix}"


def _is_window(text: str) -> bool:
    """Words that describe a range or a recurring time rather than one day."""
    days_named = [day for day, pattern in _DAY.items() if pattern.search(text)]
    return bool(
        _PLURAL_DAY.search(text)
        or _WEEKDAYS.search(text)
        or _WEEKENDS.search(text)
        or _ANY_DAY.search(text)
        or _PLURAL_PART.search(text)
        or _BETWEEN.search(text)
        or _AFTER.search(text)
        or _BEFORE.search(text)
        or len(days_named) > 1
    )


def read_window(text: str) -> Window | None:
    """The window `text` describes, or None when it names one instant (or nothing of the kind)."""
    if not _is_window(text):
        return None
    ruled_out = [match.group(1) for match in _NOT_DAY.finditer(text)]
    not_days = tuple(day for day in WEEKDAYS if any(_DAY[day].fullmatch(word) for word in ruled_out))
    wanted = _NOT_DAY.sub(" ", text)  # the days asked for, without those ruled out
    if _WEEKDAYS.search(wanted):
        named = WEEKDAYS[:5]
    elif _WEEKENDS.search(wanted):
        named = WEEKDAYS[5:]
    else:
        named = tuple(day for day in WEEKDAYS if _DAY[day].search(wanted))
    days = tuple(day for day in named if day not in not_days)
    if named:  # "weekdays except Fridays" is said as the days left
        not_days = ()
    earliest = latest = ""
    between = _BETWEEN.search(text)
    if between:
        h1, m1, a1, h2, m2, a2 = between.groups()
        latest = _clock(h2, m2, a2)
        # "10 to 2": the end is the afternoon, so the start is read against it.
        earliest = _clock(h1, m1, a1 or (a2 if int(h1) < int(h2) and int(h2) <= 12 else None))
    else:
        after, before = _AFTER.search(text), _BEFORE.search(text)
        earliest = _clock(after.group(1), after.group(2), after.group(3)) if after else ""
        latest = _clock(before.group(1), before.group(2), before.group(3)) if before else ""
    parts = tuple(part for part, pattern in _PARTS.items() if pattern.search(text))
    return Window(text, days, parts, earliest, latest, not_days)
