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
_ANY_DAY_FORM = "|".join(_DAY_FORMS.values())
_DAY = {day: re.compile(rf"\b(?:{forms})\b", re.I) for day, forms in _DAY_FORMS.items()}
_PLURAL_DAY = re.compile(r"\b(?:mondays|tuesdays|wednesdays|thursdays|fridays|saturdays|sundays)\b", re.I)
_WEEKDAYS = re.compile(r"\b(?:any\s+)?(?:week\s?days?|work\s?days?)\b", re.I)
_WEEKENDS = re.compile(r"\bweek\s?ends?\b", re.I)
# "mon-thu", "monday to thursday", "wed thru fri": every day between, both included.
_DAY_RANGE = re.compile(
    rf"\b({_ANY_DAY_FORM})\s*(?:-|–|to|thru|through|till|until)\s*({_ANY_DAY_FORM})\b", re.I
)
_PLURAL_PART = re.compile(r"\b(?:mornings|afternoons|evenings|nights)\b", re.I)
_ANY_DAY = re.compile(
    r"\b(?:any|every|most)\s+(?:days?|time)\b|\bwhenever\b|\bany\s?time\b|\bflexible\b|\banything\b", re.I
)
# "any saturday", "every morning": a recurring day or part of the day.
_ANY_OF = re.compile(
    rf"\b(?:any|every|most|all)\s+(?:{_ANY_DAY_FORM}|mornings?|afternoons?|evenings?|nights?)\b", re.I
)
# A stretch of time with no day in it: "next week", "later this week", "sometime in january".
_VAGUE_PERIOD = re.compile(
    r"\b(?:(?:next|this|the following|later this|coming|early next|late next)\s+(?:week|month)|"
    r"(?:the\s+)?week after next|end of (?:the |this |next )?(?:week|month)|sometime|some time|"
    r"(?:in|during)\s+(?:january|february|march|april|may|june|july|august|september|october|"
    r"november|december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)(?!\s*\d))\b",
    re.I,
)
_PARTS = {
    "morning": re.compile(r"\bmornings?\b|\bam\s+(?:only|is best|preferred)\b", re.I),
    "afternoon": re.compile(r"\bafternoons?\b", re.I),
    "evening": re.compile(r"\bevenings?\b|\bnights?\b|\bafter\s+work\b", re.I),
}
_LUNCH = re.compile(r"\blunch\s?times?\b|\b(?:at|over|around) lunch\b", re.I)
# A part of the day said of one particular day ("this evening", "tomorrow morning").
_ONE_DAY = re.compile(
    rf"\b(?:today|tonight|tomorrow|yesterday|last\s+\w+|this\s+(?:morning|afternoon|evening)|(?:next|this|coming)\s+(?:{_ANY_DAY_FORM})|"
    rf"\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}/\d{{1,2}}|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?[a-z]{{3,9}}\b|"
    rf"(?:january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|"
    rf"apr|jun|jul|aug|sept?|oct|nov|dec)\s+\d{{1,2}})",
    re.I,
)
# Not a clock time: "after 2 years", "before 3 weeks".
_NOT_CLOCK = (
    r"(?![\d:])(?!\s*(?:years?|yrs?|months?|weeks?|wks?|days?|hours?|hrs?|mins?|minutes?|times?|kids?)\b)"
)
_HOUR = r"(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm|a\.m\.?|p\.m\.?)?"
_BETWEEN = re.compile(
    rf"(?<![\d/-])\b(?:between|from)?\s*{_HOUR}\s*(?:-|–|to|and|till|until)\s*{_HOUR}"
    rf"(?![\d:/-]){_NOT_CLOCK}",
    re.I,
)
_AFTER = re.compile(rf"\b(?:after|from|past|later than)\s+{_HOUR}{_NOT_CLOCK}", re.I)
_BEFORE = re.compile(rf"\b(?:before|until|till|by|earlier than)\s+{_HOUR}{_NOT_CLOCK}", re.I)
_DAY_LIST = rf"(?:{_ANY_DAY_FORM}|week\s?ends?|week\s?days?|mornings?|afternoons?|evenings?)\b"
_DAYS_ONLY = rf"(?:{_ANY_DAY_FORM}|week\s?ends?|week\s?days?)\b"
# "except tue and thu", "not mornings": days (or a part of the day) ruled out; a list goes on
# with days only, so "weekdays except thursdays, afternoons" still wants afternoons.
_EXCLUDED = re.compile(
    rf"\b(?:not|except|excluding|but(?:\s+not)?|other than|apart from|besides|no)\s+(?:on\s+)?(?:the\s+)?"
    rf"({_DAY_LIST}(?:\s*(?:,|and|or|&|/|nor)\s*{_DAYS_ONLY})*)",
    re.I,
)
# Clinic hours without am/pm: 1-6 are afternoon, 7-12 morning (as bot/booking/when.py reads them).
_AFTERNOON_HOURS = range(1, 7)

_MONTH_START = r"jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec"

# Shorthand, typos and turns of phrase, read as the words they stand for. Only the reading uses
# them: the patient's own words are what is kept.
_SPELLINGS: tuple[tuple[str, str], ...] = (
    (r"\bgood (?:morning|afternoon|evening|day)\b", "hello"),  # a greeting, not a time
    (r"\b(?:tmrw|tmrow|tmr|tomoz|tomorow|tommorow|tommorrow|tomorro|2moro|2morrow)\b", "tomorrow"),
    (r"\bwk\s?days?\b|\bwkdays?\b", "weekdays"),
    (r"\b(?:wk\s?ends?|wkends?|wknds?|weeknds?)\b", "weekends"),
    (r"\barvos\b|\baftrnoons\b|\bafternoons?ish\b", "afternoons"),
    (r"\b(?:arvo|aft|aftn|aftrnoon|afternon|aftenoon|after lunch|post lunch)\b", "afternoon"),
    (r"\b(?:eves|evnings|evenins)\b", "evenings"),
    (r"\b(?:eve|evning|evenin)\b", "evening"),
    (r"\b(?:mornin|morn|mornng|moring)\b", "morning"),
    (r"\b(?:mornins|mornigs|mornngs|morings)\b", "mornings"),
    (r"\b(?:thrusday|thurday|thursdy)\b", "thursday"),
    (r"\b(?:wensday|wednsday|wedensday|wednesay)\b", "wednesday"),
    (r"\b(?:tuseday|teusday|tusday)\b", "tuesday"),
    (r"\b(?:firday|fridy|frday)\b", "friday"),
    (r"\b(?:satuday|saterday|satday)\b", "saturday"),
    (r"\b(?:monady|mondy)\b", "monday"),
    (r"\bb4\b", "before"),
    (r"\b(?:no|not) later than\b|\bnot after\b", "before"),
    (r"\b(?:no|not) earlier than\b|\bnot before\b", "after"),
    (r"\b(noon|midday)\b", "12:00 pm"),
    (r"\b(\d{1,2})\.(\d{2})\b(?!\.\d)", r"\1:\2"),
    (r"\b(\d{1,2})\s*h(\d{2})\b", r"\1:\2"),
    (r"\b(\d{1,2})\s*h\b", r"\1:00"),
    (r"\b(\d{1,2}(?::\d{2})?)\s*-?ish\b", r"\1"),
    (r"\b(\d{1,2}(?::\d{2})?\s*(?:am|pm)?)\s+(?:onwards?|or later|and later)\b", r"after \1"),
    (r"\bthis (morning|afternoon|evening)\b", r"today \1"),
    (r"\bsat\b", "saturday"),
    (r"\bsun\b", "sunday"),
    (r"\bmon\b", "monday"),
    (r"\btues?\b", "tuesday"),
    (r"\bweds?\b", "wednesday"),
    (r"\b(?:thu|thur|thurs)\b", "thursday"),
    (r"\bfri\b", "friday"),
    (
        rf"\b({_ANY_DAY_FORM})\s+(\d{{1,2}}(?::\d{{2}})?)\b(?![/.\d-]|\s*(?:am|pm|a\.m|p\.m|st|nd|rd|th|to|and|of|-|–|{_MONTH_START}))",
        r"\1 at \2",
    ),
    (r"\bm/w/f\b", "mon, wed, fri"),
    (r"\btu/th\b", "tue, thu"),
    (r"\bm/w\b", "mon, wed"),
    (r"\bt/th\b", "tue, thu"),
    (rf"\b({_ANY_DAY_FORM})\s*/\s*(?=(?:{_ANY_DAY_FORM})\b)", r"\1 or "),
)
_SPELLING_PATTERNS = tuple((re.compile(pattern, re.I), replacement) for pattern, replacement in _SPELLINGS)


_WINDOW_START = re.compile(
    rf"\b(?:any|every|most|all|whenever|anytime|asap|flexible|early|late|next|this|weekdays?|weekends?|"
    rf"wk\s?days?|wk\s?ends?|mornings?|afternoons?|evenings?|nights?|arvos?|after|before|between|from|"
    rf"not|except|{_ANY_DAY_FORM}|\d)",
    re.I,
)


def window_start(text: str) -> int:
    """Where the words about time begin ("I want to book you can reach me at  I'm free Monday
    ..." -> at "Monday"), so that only they are kept as the patient's availability."""
    match = _WINDOW_START.search(text)
    return match.start() if match else 0


def reading_words(text: str) -> str:
    """The text with shorthand and common typos for days and times spelled out ("tmrw arvo" ->
    "tomorrow afternoon"), for reading only."""
    for pattern, replacement in _SPELLING_PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def _day_of(word: str) -> tuple[str, ...]:
    """The weekdays a word names ("weds" -> wednesday; "weekends" -> saturday, sunday)."""
    if _WEEKENDS.fullmatch(word):
        return WEEKDAYS[5:]
    if _WEEKDAYS.fullmatch(word):
        return WEEKDAYS[:5]
    return tuple(day for day, pattern in _DAY.items() if pattern.fullmatch(word))


def _days_named(text: str) -> tuple[str, ...]:
    """Every weekday the text names, ranges filled in ("mon-thu"), in week order."""
    named: set[str] = set()
    for match in _DAY_RANGE.finditer(text):
        first, last = WEEKDAYS.index(_day_of(match.group(1))[0]), WEEKDAYS.index(_day_of(match.group(2))[0])
        span = range(first, last + 1) if first <= last else [*range(first, 7), *range(0, last + 1)]
        named.update(WEEKDAYS[i] for i in span)
    rest = _DAY_RANGE.sub(" ", text)
    if _WEEKDAYS.search(rest):
        named.update(WEEKDAYS[:5])
    if _WEEKENDS.search(rest):
        named.update(WEEKDAYS[5:])
    named.update(day for day, pattern in _DAY.items() if pattern.search(rest))
    return tuple(day for day in WEEKDAYS if day in named)


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


def _parts_named(text: str) -> tuple[str, ...]:
    return tuple(part for part, pattern in _PARTS.items() if pattern.search(text))


def _is_window(text: str) -> bool:
    """Words that describe a range or a recurring time rather than one day."""
    if re.search(r"\b\d{4}-\d{2}-\d{2}\b", text):
        return False
    one_day = bool(_ONE_DAY.search(text))
    many_days = len(_days_named(text)) > 1 or _WEEKDAYS.search(text) or _WEEKENDS.search(text)
    return bool(
        many_days
        or _PLURAL_DAY.search(text)
        or _PLURAL_PART.search(text)
        or _ANY_OF.search(text)
        or _EXCLUDED.search(text)
        or _BETWEEN.search(text)
        or _AFTER.search(text)
        or _BEFORE.search(text)
        or (not one_day and (_ANY_DAY.search(text) or _VAGUE_PERIOD.search(text)))
        or (not one_day and not _days_named(text) and (_parts_named(text) or _LUNCH.search(text)))
    )


def read_window(text: str) -> Window | None:
    """The window `text` describes, or None when it names one instant (or nothing of the kind)."""
    words = reading_words(text)
    if not _is_window(words):
        return None
    excluded = " ".join(match.group(1) for match in _EXCLUDED.finditer(words))
    wanted = _EXCLUDED.sub(" ", words)  # the days asked for, without those ruled out
    not_days = _days_named(excluded)
    named = _days_named(wanted)
    days = tuple(day for day in named if day not in not_days)
    if named:  # "weekdays except Fridays" is said as the days left
        not_days = ()
    earliest = latest = ""
    between = _BETWEEN.search(words)
    if between:
        h1, m1, a1, h2, m2, a2 = between.groups()
        latest = _clock(h2, m2, a2)
        # "10 to 2": the end is the afternoon, so the start is read against it.
        earliest = _clock(h1, m1, a1 or (a2 if int(h1) < int(h2) and int(h2) <= 12 else None))
    else:
        after, before = _AFTER.search(words), _BEFORE.search(words)
        earliest = _clock(after.group(1), after.group(2), after.group(3)) if after else ""
        latest = _clock(before.group(1), before.group(2), before.group(3)) if before else ""
    excluded_parts = _parts_named(excluded)
    parts = tuple(part for part in _parts_named(wanted) if part not in excluded_parts)
    return Window(text, days, parts, earliest, latest, not_days)
