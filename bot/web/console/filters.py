"""Template filters of the staff console: times in the clinic's zone, percentages, links."""

from datetime import date, datetime, timezone
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, pass_context

from bot.staff.flags import ordered


def _aware(moment: datetime) -> datetime:
    """Times from the staff database are naive UTC; tracker times are aware."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


@pass_context
def local_time(context: Any, moment: datetime | None, pattern: str = "%Y-%m-%d %H:%M") -> str:
    if moment is None:
        return ""
    return _aware(moment).astimezone(context["zone"]).strftime(pattern)


def percent(share: float) -> str:
    return f"{share * 100:.0f} %"


def confidence(value: float | None) -> str:
    return "" if value is None else f"{float(value):.2f}"


def iso_day(day: date | None) -> str:
    return day.isoformat() if day else ""


def query(params: dict[str, Any], **changes: Any) -> str:
    """`?a=1&b=2` from `params` with `changes` applied; empty values are left out."""
    merged = {**params, **changes}
    pairs = {key: value for key, value in merged.items() if value not in (None, "", 0)}
    return "?" + urlencode(pairs) if pairs else ""


def install_filters(env: Environment) -> None:
    env.filters.update(local=local_time, percent=percent, confidence=confidence, iso_day=iso_day)
    env.globals.update(query=query, ordered_flags=ordered)
