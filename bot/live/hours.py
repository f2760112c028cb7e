"""When the clinic takes live chats: settings.yml `live_chat.hours`, in the clinic's time zone.

Each entry is a day or a range of days and a time range: "Mon-Fri 09:00-17:00", "Sat 10:00-13:00".
No entries: live chat is open whenever a staff member has the console's live page open.
"""

import re
from dataclasses import dataclass
from datetime import datetime, time

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_ENTRY = re.compile(
    r"^\s*(?P<first>[a-z]{3})(?:\s*-\s*(?P<last>[a-z]{3}))?\s+"
    r"(?P<start>\d{1,2}:\d{2})\s*-\s*(?P<end>\d{1,2}:\d{2})\s*$",
    re.IGNORECASE,
)


class HoursError(ValueError):
    """An entry of `live_chat.hours` that cannot be read."""


@dataclass(frozen=True)
class OpeningWindow:
    days: frozenset[int]  # Monday is 0, as datetime.weekday()
    start: time
    end: time

    def contains(self, moment: datetime) -> bool:
        return moment.weekday() in self.days and self.start <= moment.time() < self.end


def _clock(text: str, entry: str) -> time:
    hours, minutes = (int(part) for part in text.split(":"))
    if hours == 24 and minutes == 0:
        return time.max
    if hours > 23 or minutes > 59:
        raise HoursError(f"{entry!r}: {text} is not a time of day")
    return time(hours, minutes)


def parse_window(entry: str) -> OpeningWindow:
    """ "Mon-Fri 09:00-17:00" as an OpeningWindow; HoursError names what is wrong."""
    match = _ENTRY.match(entry)
    if not match:
        raise HoursError(f"{entry!r}: write a day or days and a time range, e.g. 'Mon-Fri 09:00-17:00'")
    first, last = match["first"].lower(), (match["last"] or match["first"]).lower()
    if first not in DAYS or last not in DAYS:
        raise HoursError(f"{entry!r}: days are written {', '.join(d.title() for d in DAYS)}")
    start, end = _clock(match["start"], entry), _clock(match["end"], entry)
    if end <= start:
        raise HoursError(f"{entry!r}: the chat must close after it opens")
    low, high = DAYS.index(first), DAYS.index(last)
    days = range(low, high + 1) if low <= high else [*range(low, 7), *range(0, high + 1)]
    return OpeningWindow(frozenset(days), start, end)


def parse_hours(entries: tuple[str, ...]) -> tuple[OpeningWindow, ...]:
    return tuple(parse_window(entry) for entry in entries)


def within_hours(windows: tuple[OpeningWindow, ...], local_now: datetime) -> bool:
    """Whether `local_now` (the clinic's clock) falls in a window; always, when none are set."""
    return not windows or any(window.contains(local_now) for window in windows)
