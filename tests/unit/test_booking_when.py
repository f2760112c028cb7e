"""The preferred day and time: normalised with dateparser against a fixed "now", past and
impossible dates refused kindly, the patient's words kept."""

from datetime import datetime, timedelta

import pytest

from bot.booking.slots import PREFERRED_TIME_NORMALISED
from bot.booking.when import describe, find_preferred_time, validate_preferred_time
from bot.wording import wording

NOW = datetime(2026, 11, 25, 15, 36)  # a Wednesday afternoon


@pytest.mark.parametrize(
    "text,words,normalised",
    [
        ("Wednesday 10am", "Wednesday 10am", "2026-12-02T10:00"),
        ("next tuesday at 3pm", "next tuesday at 3pm", "2026-12-01T15:00"),
        ("tomorrow morning", "tomorrow morning", "2026-11-26"),
        ("tomorrow at 9", "tomorrow at 9", "2026-11-26T09:00"),
        ("at 3 on friday", "at 3 on friday", "2026-11-27T15:00"),
        ("I'm free on the 5th of December at 2:30pm", "the 5th of December at 2:30pm", "2026-12-05T14:30"),
        ("noon on friday", "noon on friday", "2026-11-27T12:00"),
        ("monday 9.30am", "monday 9.30am", "2026-11-30T09:30"),
        ("today at 5pm", "today at 5pm", "2026-11-25T17:00"),
        ("the 2nd of January", "the 2nd of January", "2027-01-02"),
        # A stretch with no day in it is kept as said: no day is picked for the patient.
        ("next week some time", "next week some time", None),
        ("as soon as possible", "as soon as possible", None),
        ("any time", "any time", None),
    ],
)
def test_days_and_times_are_normalised_and_the_words_kept(text, words, normalised):
    checked = validate_preferred_time(text, NOW)
    assert checked.ok, checked.error
    assert checked.value == words
    assert checked.extras[PREFERRED_TIME_NORMALISED] == normalised


@pytest.mark.parametrize(
    "text,reason,values",
    [
        ("last Tuesday", "passed", {"words": "last Tuesday"}),
        ("yesterday", "passed", {"words": "yesterday"}),
        ("1 March 2020", "passed", {"words": "1 March 2020"}),
        ("today at 2pm", "passed", {"words": "today at 2pm"}),
        ("31 February", "impossible_day", {"month": "February", "day": "31st"}),
        ("30th of February at 10", "impossible_day", {"month": "February", "day": "30th"}),
        ("April 31", "impossible_day", {"month": "April", "day": "31st"}),
        ("1 Jan 2030", "too_far", {}),
        ("25 o'clock", "not_understood", {"words": "25 o'clock"}),
        ("blah", "no_day", {}),
        ("", "no_day", {}),
    ],
)
def test_past_impossible_or_unreadable_days_get_a_friendly_reason(text, reason, values):
    checked = validate_preferred_time(text, NOW)
    assert not checked.ok
    assert checked.error == wording(f"booking_errors.preferred_time.{reason}", **values)


def test_a_day_given_unasked_is_found_only_when_it_names_a_future_day():
    found = find_preferred_time("I'm Priya Shah, 07700 900123, Wednesday 10am", NOW)
    assert found.value == "Wednesday 10am"
    assert find_preferred_time("I've had palsy since March", NOW) is None
    assert find_preferred_time("are there slots next week", NOW) is None  # vague: ask instead
    assert find_preferred_time("it started last Tuesday", NOW) is None
    assert find_preferred_time("how long does it last", NOW) is None


def test_summary_shows_the_normalised_day_and_the_words():
    assert (
        describe("2026-12-02T10:00", "Wednesday 10am")
        == "Wednesday 2 December 2026, 10:00 (you said “Wednesday 10am”)"
    )
    assert describe(None, "as soon as possible") == "as soon as possible"


@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "Pacific/Pago_Pago"])  # UTC+14, UTC-11
def test_today_is_the_clinics_day_whatever_the_servers_zone(zone, tmp_path, monkeypatch):
    from zoneinfo import ZoneInfo

    from bot import settings as settings_module

    path = tmp_path / "settings.yml"
    path.write_text(f"clinic:\n  name: C\n  timezone: {zone}\n")
    monkeypatch.setenv("BOT_SETTINGS_FILE", str(path))
    settings_module.get_settings.cache_clear()
    try:
        checked = validate_preferred_time("tomorrow")
    finally:
        settings_module.get_settings.cache_clear()
    clinic_today = datetime.now(ZoneInfo(zone)).date()
    normalised = checked.extras[PREFERRED_TIME_NORMALISED]
    assert datetime.fromisoformat(normalised).date() == clinic_today + timedelta(days=1)
