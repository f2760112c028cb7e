"""Availability given as a window (bot/booking/availability.py): read into days, parts of the
day, earliest and latest times and days ruled out, shown back in plain words, kept as the
patient's words with no single day or time stored; an answer nothing can be read from is kept
as words after one re-ask, so a request is never dropped for its availability."""

from datetime import datetime

import pytest

from bot.booking import slots as s
from bot.booking.availability import read_window
from bot.booking.when import describe, validate_preferred_time

NOW = datetime(2026, 12, 1, 10, 0)

# (what a patient writes, the plain reading shown back)
WINDOWS = [
    ("weekday evenings after 5", "Weekdays, evenings, after 5 pm"),
    ("any weekday after 5pm", "Weekdays, after 5 pm"),
    ("any weekday morning", "Weekdays, mornings"),
    ("whenever, afternoons mostly", "Afternoons"),
    ("monday or wednesday evening", "Mondays or Wednesdays, evenings"),
    ("fridays any time", "Fridays"),
    ("any weekday 10 to 2", "Weekdays, between 10 am and 2 pm"),
    ("between 9:30 and 12", "Between 9:30 am and 12 pm"),
    ("after 6 in evening please, i work in day", "Evenings, after 6 pm"),
    ("after school, so after 3:30 any day", "After 3:30 pm"),
    ("weekends only, not sunday", "Saturdays"),
    ("weekdays except fridays", "Mondays to Thursdays"),
    ("tues/thurs after lunch", "Tuesdays or Thursdays, afternoons"),
    ("mornings before 11", "Mornings, before 11 am"),
    ("Mon-Fri 9am-1pm", "Weekdays, between 9 am and 1 pm"),
    ("any day but not monday", "Not Mondays"),
    ("saturdays", "Saturdays"),
    ("tuesday or thursday", "Tuesdays or Thursdays"),
    ("evenings after work", "Evenings"),
    ("any time after 4", "After 4 pm"),
    ("weekday mornings before 10am", "Weekdays, mornings, before 10 am"),
    ("work days from 14:00", "Weekdays, after 2 pm"),
]
# One day, or one day and time: read as an instant by bot/booking/when.py, not as a window.
INSTANTS = ["tuesday at 3pm", "next monday", "5 December at 10am", "tomorrow morning", "friday"]


@pytest.mark.parametrize("words,plain", WINDOWS)
def test_a_window_is_read_and_shown_in_plain_words(words, plain):
    window = read_window(words)
    assert window is not None and window.plain() == plain


@pytest.mark.parametrize("words", INSTANTS)
def test_one_day_is_not_a_window(words):
    assert read_window(words) is None


@pytest.mark.parametrize("words", [w for w, _ in WINDOWS])
def test_a_window_is_kept_as_words_and_no_day_or_time_is_stored(words):
    checked = validate_preferred_time(words, NOW)
    assert checked.ok and checked.value == words
    assert checked.extras == {s.PREFERRED_TIME_NORMALISED: None}


def test_the_summary_shows_the_reading_and_the_words():
    assert describe(None, "weekday evenings after 5") == (
        "Weekdays, evenings, after 5 pm (you said “weekday evenings after 5”)"
    )
    assert describe(None, "as soon as possible") == "as soon as possible"


@pytest.mark.parametrize("words", ["when my husband is off, he does shifts", "depends on my rota"])
def test_an_answer_nothing_can_be_read_from_is_re_asked_once_then_kept_as_words(words):
    assert not validate_preferred_time(words, NOW).ok
    checked = validate_preferred_time(words, NOW, asked_again=True)
    assert checked.ok and checked.value == words
    assert checked.extras == {s.PREFERRED_TIME_NORMALISED: None}


@pytest.mark.parametrize(
    "text", ["yes", "no", "skip", "yes that's fine", "cancel", "last tuesday", "31 February", "??"]
)
def test_a_yes_no_skip_cancel_or_impossible_day_is_never_kept_as_availability(text):
    assert not validate_preferred_time(text, NOW, asked_again=True).ok
