"""Issue 13: what the date libraries made for this read in the blind availability phrasings
(tests/unit/data/availability_phrasings.yml), measured before the project writes its own reader.

    make bench-availability-libraries

runs it in a venv of its own (build/availability-libs-venv, pins in bench/availability_libraries.txt),
since timefhuman, ctparse and recurrent are no project dependency; it imports nothing of the project.

Each phrasing is read relative to its clinic's `now` (the wall clock in the clinic's time zone),
through each library's documented call, and normalised to a `Reading`: dated spans (a datetime is a
span of length 0, a range one span, a list one span per member) or an undated weekly window
(recurrent's RRULE, ctparse's date-less results). Scored by kind:

- instant: right when the reading is one datetime or one same-day range, on `date`, starting at
  `time` when the phrasing has one.
- window: "one day" when the reading is one datetime or one same-day range (a day or time the patient
  did not say); otherwise "days" when its weekdays are `days` (or every day but `not_days`; any day,
  or one continuous period, when neither is given), "bounds" when its daily earliest and latest times
  are `earliest` and `latest`, lie within the `parts` when only those are given, and are open when
  neither is (a datetime gives a time, not a bound); "fully" when both.
- flexible, none, impossible: any reading at all is an invented date. past: "recognised" when every
  span lies before `now`.

Which week a window falls in ("next week, wed or thu") is not checked: the phrasings give none.
dateparser is called with languages=["en"], as bot/booking/when.py does, but on the raw text. A
library that raises on a phrasing counts as having read nothing there, and under "errors".
"""

import logging
import time as clock
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml

PHRASINGS = Path(__file__).resolve().parent.parent / "tests" / "unit" / "data" / "availability_phrasings.yml"
DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
EVERY_DAY = frozenset(range(7))
# Loose hours of the parts of day, for windows that give parts and no explicit bound; None: end of day.
PARTS: dict[str, tuple[time, time | None]] = {
    "morning": (time(5), time(12)),
    "afternoon": (time(12), time(18)),
    "evening": (time(16), None),
}
EXAMPLES = (
    "weekday evenings after 5",
    "any morning except fridays",
    "tu/th 9-11",
    "after 3pm any day",
    "tues at 3",
    "feb 30",
)

Span = tuple[datetime | None, datetime | None]
Bounds = tuple[time | None, time | None]  # daily earliest and latest; None: open


@dataclass(frozen=True)
class Case:
    text: str
    kind: str
    now: datetime
    zone: str
    days: frozenset[int] | None = None  # the weekdays allowed; None: not restricted
    earliest: time | None = None
    latest: time | None = None
    parts: tuple[str, ...] = ()
    day: date | None = None
    at: time | None = None


@dataclass
class Reading:
    spans: list[Span] = field(default_factory=list)
    weekly: tuple[frozenset[int], Bounds | None] | None = None  # weekdays, bounds (None: a time)
    shown: str = ""

    @property
    def empty(self) -> bool:
        return not self.spans and self.weekly is None

    @property
    def one_day(self) -> date | None:
        """The date, when the whole reading is one datetime or one same-day range."""
        if self.weekly is None and len(self.spans) == 1:
            start, end = self.spans[0]
            if start is not None and end is not None and start.date() == end.date():
                return start.date()
        return None

    def weekdays(self) -> frozenset[int]:
        if self.weekly is not None:
            return self.weekly[0]
        days: set[int] = set()
        for start, end in self.spans:
            if start is None or end is None:
                return EVERY_DAY
            first, last = sorted((start.date(), end.date()))
            days.update((first + timedelta(days=n)).weekday() for n in range(min((last - first).days, 6) + 1))
        return frozenset(days)

    def bounds(self) -> Bounds | None:
        """The daily earliest and latest times, or None when it gives times rather than bounds."""
        if self.weekly is not None:
            return self.weekly[1]
        found: set[Bounds] = set()
        for start, end in self.spans:
            if start is not None and start == end:
                if start.time() != time(0):
                    return None
                found.add((None, None))
            elif start is not None and end is not None and start.date() != end.date():
                found.add((None, None))  # one period over several days bounds no day's hours
            else:
                found.add((opening(start.time() if start else None), closing(end.time() if end else None)))
        return found.pop() if len(found) == 1 else None


def opening(value: time | None) -> time | None:
    return None if value is None or value == time(0) else value


def closing(value: time | None) -> time | None:
    """An inclusive end (9:59, ctparse's) as the hour it closes at; the end of the day as open."""
    if value is None or value >= time(23, 59):
        return None
    return time(value.hour + 1) if value.minute == 59 else value


def points(moments: list[datetime], shown: Any) -> Reading:
    return Reading(spans=[(moment, moment) for moment in moments], shown=str(shown))


# ------------------------------------------------------------------------------------ libraries
Reader = Callable[[str, datetime, str], Reading]


def dateparser_parse() -> Reader:
    import dateparser

    def read(text: str, now: datetime, zone: str) -> Reading:
        found = dateparser.parse(text, languages=["en"], settings=dateparser_settings(now, zone))
        return points([found] if found else [], found)

    return read


def dateparser_search() -> Reader:
    from dateparser.search import search_dates

    def read(text: str, now: datetime, zone: str) -> Reading:
        found = search_dates(text, languages=["en"], settings=dateparser_settings(now, zone)) or []
        return points([moment for _, moment in found], found)

    return read


def dateparser_settings(now: datetime, zone: str) -> Any:
    return {
        "PREFER_DATES_FROM": "future",
        "RELATIVE_BASE": now,
        "TIMEZONE": zone,
        "RETURN_AS_TIMEZONE_AWARE": False,
    }


def timefhuman_reader() -> Reader:
    from timefhuman import tfhConfig, timefhuman

    def read(text: str, now: datetime, zone: str) -> Reading:
        found = timefhuman(text, config=tfhConfig(now=now))
        return Reading(spans=list(timefhuman_spans(found, now, zone)), shown=str(found))

    return read


def timefhuman_spans(value: Any, now: datetime, zone: str) -> Iterator[Span]:
    """Its results: datetimes, (start, end) ranges, and lists of either."""
    if isinstance(value, list):
        for item in value:
            yield from timefhuman_spans(item, now, zone)
    elif isinstance(value, tuple):
        yield moment(value[0], now, zone), moment(value[1], now, zone)
    else:
        yield moment(value, now, zone), moment(value, now, zone)


def moment(value: Any, now: datetime, zone: str) -> datetime:
    if isinstance(value, datetime):
        return value.astimezone(ZoneInfo(zone)).replace(tzinfo=None) if value.tzinfo else value
    if isinstance(value, date):
        return datetime.combine(value, time(0))
    if isinstance(value, time):
        return datetime.combine(now.date(), value)
    return now + value  # a timedelta ("in 30 minutes")


def ctparse_reader() -> Reader:
    from ctparse import ctparse
    from ctparse.types import Interval, Time

    logging.getLogger("ctparse").setLevel(logging.ERROR)  # a warning for every phrasing it cannot read

    def hour(value: Time) -> time:
        return time(value.hour or 0, value.minute or 0)

    def read(text: str, now: datetime, zone: str) -> Reading:
        parse = ctparse(text, ts=now)
        found = parse.resolution if parse else None
        shown = str(found)
        if isinstance(found, Time) and found.hasDate:
            whole_part = found.hour is None and found.POD is not None
            return Reading(spans=[(found.start.dt, found.end.dt if whole_part else found.dt)], shown=shown)
        if isinstance(found, Time):  # no date: a weekday, a part of day, a month...
            days = EVERY_DAY if found.DOW is None else frozenset({found.DOW})
            if found.hour is not None:
                return Reading(weekly=(days, None), shown=shown)
            if found.POD is not None:
                return Reading(weekly=(days, (hour(found.start), closing(hour(found.end)))), shown=shown)
            return Reading(weekly=(days, (None, None)), shown=shown)
        if isinstance(found, Interval):
            start, end = found.t_from, found.t_to
            if (start is not None and start.hasDate) or (end is not None and end.hasDate):
                return Reading(
                    spans=[(start.start.dt if start else None, end.end.dt if end else None)], shown=shown
                )
            bounds = (opening(hour(start.start)) if start else None, closing(hour(end.end)) if end else None)
            return Reading(weekly=(EVERY_DAY, bounds), shown=shown)
        return Reading(shown=shown)  # nothing, or a duration

    return read


def recurrent_reader() -> Reader:
    from dateutil.rrule import rrulestr
    from recurrent import RecurringEvent

    def read(text: str, now: datetime, zone: str) -> Reading:
        event = RecurringEvent(now_date=now)
        found = event.parse(text)
        if isinstance(found, str):  # an RRULE: its weekdays over the next four weeks
            rule = rrulestr(found, dtstart=now, forceset=True)
            days = frozenset(day.weekday() for day in rule.between(now, now + timedelta(days=28), inc=True))
            timed = "byhour" in event.get_params()
            return Reading(weekly=(days, None if timed else (None, None)), shown=found.replace("\n", " "))
        return points([found] if found else [], found)

    return read


LIBRARIES: dict[str, Callable[[], Reader]] = {
    "dateparser.parse": dateparser_parse,
    "dateparser search_dates": dateparser_search,
    "timefhuman": timefhuman_reader,
    "ctparse": ctparse_reader,
    "recurrent": recurrent_reader,
}


# ------------------------------------------------------------------------------------ scoring
def load_cases() -> list[Case]:
    data = yaml.safe_load(PHRASINGS.read_text(encoding="utf-8"))
    clinics = {name: (datetime.fromisoformat(c["now"]), c["timezone"]) for name, c in data["clinics"].items()}
    cases = []
    for raw in data["cases"]:
        days = None
        if "days" in raw:
            days = frozenset(DAYS.index(day) for day in raw["days"])
        elif "not_days" in raw:
            days = EVERY_DAY - {DAYS.index(day) for day in raw["not_days"]}
        cases.append(
            Case(
                text=raw["text"],
                kind=raw["kind"],
                now=clinics[raw["clinic"]][0],
                zone=clinics[raw["clinic"]][1],
                days=days,
                earliest=clock_time(raw.get("earliest")),
                latest=clock_time(raw.get("latest")),
                parts=tuple(raw.get("parts", ())),
                day=date.fromisoformat(raw["date"]) if "date" in raw else None,
                at=time.fromisoformat(raw["time"]) if "time" in raw else None,
            )
        )
    return cases


def clock_time(text: str | None) -> time | None:
    """'5 pm', '9:30 am' as a time."""
    if text is None:
        return None
    return datetime.strptime(text.upper(), "%I:%M %p" if ":" in text else "%I %p").time()


def days_right(case: Case, reading: Reading) -> bool:
    if case.days is not None:
        return reading.weekdays() == case.days
    return reading.weekdays() == EVERY_DAY or (reading.weekly is None and len(reading.spans) == 1)


def bounds_right(case: Case, reading: Reading) -> bool:
    got = reading.bounds()
    if got is None:
        return False
    span = (min(PARTS[p][0] for p in case.parts), max_end(case.parts)) if case.parts else None
    return side_right(case.earliest, got[0], span, start=True) and side_right(case.latest, got[1], span)


def max_end(parts: tuple[str, ...]) -> time | None:
    ends = [PARTS[part][1] for part in parts]
    return None if None in ends else max(end for end in ends if end is not None)


def side_right(want: time | None, value: time | None, span: Bounds | None, start: bool = False) -> bool:
    if want is not None:
        return value == want
    if span is None:
        return value is None
    low, high = span
    if value is None:
        return not start and high is None
    return low is not None and low <= value and (high is None or value <= high)


def score(case: Case, reading: Reading) -> list[str]:
    """The tallies one reading adds to, named as the table's columns."""
    if case.kind == "instant":
        first = reading.spans[0][0] if reading.one_day else None
        right = first is not None and first.date() == case.day and case.at in (None, first.time())
        return ["instant", "instant right"] if right else ["instant"]
    if case.kind == "window":
        if reading.empty:
            return ["window", "window nothing"]
        if reading.one_day:
            return ["window", "window one day"]
        days, bounds = days_right(case, reading), bounds_right(case, reading)
        tallies = ["window"] + ["window days"] * days + ["window bounds"] * bounds
        return tallies + ["window fully"] * (days and bounds)
    if case.kind == "past":
        starts = [start or end for start, end in reading.spans]
        recognised = reading.weekly is None and bool(starts) and all(s and s < case.now for s in starts)
        return ["past", "past recognised"] if recognised else ["past"]
    return [case.kind] + [f"{case.kind} dated"] * (not reading.empty)


COLUMNS = (  # header, tally, out of
    ("instants right", "instant right", "instant"),
    ("windows fully", "window fully", "window"),
    ("days", "window days", "window"),
    ("bounds", "window bounds", "window"),
    ("→ one day", "window one day", "window"),
    ("nothing", "window nothing", "window"),
    ("flexible dated", "flexible dated", "flexible"),
    ("none dated", "none dated", "none"),
    ("impossible dated", "impossible dated", "impossible"),
    ("past recognised", "past recognised", "past"),
)


def run(cases: list[Case]) -> tuple[list[list[str]], dict[str, dict[str, str]]]:
    rows, examples = [], {}
    for name, load in LIBRARIES.items():
        try:
            read = load()
        except Exception as error:  # noqa: BLE001 - a library that cannot load is reported, not fatal
            rows.append([name, f"could not run: {type(error).__name__}: {error}"])
            continue
        tallies: Counter[str] = Counter()
        shown: dict[str, str] = {}
        started = clock.perf_counter()
        for case in cases:
            try:
                reading = read(case.text, case.now, case.zone)
            except Exception as error:  # noqa: BLE001 - a failure on one phrasing is counted, not fatal
                tallies["errors"] += 1
                reading = Reading(shown=f"error: {type(error).__name__}: {error}")
            tallies.update(score(case, reading))
            shown[case.text] = reading.shown
        elapsed = (clock.perf_counter() - started) * 1000 / len(cases)
        cells = [f"{tallies[tally]}/{tallies[total]}" for _, tally, total in COLUMNS]
        rows.append([name, *cells, str(tallies["errors"]), f"{elapsed:.1f}"])
        examples[name] = {text: shown.get(text, "-") for text in EXAMPLES}
    return rows, examples


def main() -> None:
    rows, examples = run(load_cases())
    header = ["library", *(column[0] for column in COLUMNS), "errors", "ms/phrase"]
    full = [row for row in [header, *rows] if len(row) == len(header)]  # not those that could not run
    widths = [max(len(row[i]) for row in full) for i in range(len(header))]
    for row in [header, ["-" * width for width in widths], *rows]:
        print(" | ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False)))
    print("\ndays, bounds, → one day and nothing are out of the windows (see the module docstring).")
    for name, shown in examples.items():
        print(f"\n{name}:")
        for text, output in shown.items():
            print(f"  {text!r:30} → {output}")


if __name__ == "__main__":
    main()
