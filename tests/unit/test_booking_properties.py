"""No stored request carries a day or time the patient did not say (issue 13): availability
answers generated from the pieces patients use (days and their shorthand, parts of the day,
clock times, ranges, exclusions, vague stretches, fillers and other words), read by the form.

Whatever the reader makes of an answer, a normalised day must be named in the words (its
weekday, its day of the month, or today / tomorrow / the day after), and a normalised time must
be an hour the words give; a window keeps no day or time at all."""

from datetime import date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.booking.availability import reading_words
from bot.booking.slots import PREFERRED_TIME_NORMALISED
from bot.booking.when import find_preferred_time, find_window, validate_preferred_time

NOW = datetime(2026, 12, 1, 10, 0)  # a Tuesday morning on the clinic's clock

DAYS = ["monday", "tues", "wed", "thursday", "fri", "sat", "sunday", "weekdays", "weekends", "wk days"]
PARTS = ["morning", "afternoon", "evening", "arvo", "eve", "mornings", "after work", "lunchtime"]
TIMES = ["at 3", "10am", "2:30", "5pm", "noon", "after 4", "before 11", "9 to 11", "5ish", "15h", "around 4"]
VAGUE = ["next week", "tomorrow", "today", "tmrw", "day after tomorrow", "this week", "sometime in march"]
DATES = ["the 10th", "15 december", "jan 12", "march 3rd 2027", "12/15"]
JOINERS = ["", "or", "and", "but not", "except", "any", "every", "not", ",", "on", "only", "pls", "is best"]
NOISE = ["i", "work", "my", "mum", "drives", "me", "hmm", "ok", "so", "really", "2", "years", "since"]

pieces = st.lists(
    st.sampled_from(DAYS + PARTS + TIMES + VAGUE + DATES + JOINERS + NOISE), min_size=1, max_size=7
)

_WEEKDAY_WORDS = {
    0: ("monday", "mon"),
    1: ("tuesday", "tues", "tue"),
    2: ("wednesday", "wed", "weds"),
    3: ("thursday", "thurs", "thu", "thur"),
    4: ("friday", "fri"),
    5: ("saturday", "sat"),
    6: ("sunday", "sun"),
}


def day_said(day: date, words: str) -> bool:
    """The words name this day: its weekday, its day of the month, or where it is from today."""
    read = reading_words(words).lower()
    tokens = set(read.replace(",", " ").replace("/", " ").split())
    relative = {0: ("today", "tonight"), 1: ("tomorrow",), 2: ("day after tomorrow",)}
    if any(word in read for word in relative.get((day - NOW.date()).days, ())):
        return True
    if tokens & set(_WEEKDAY_WORDS[day.weekday()]):
        return True
    return any(str(day.day) in token for token in tokens)


def time_said(hour: int, minute: int, words: str) -> bool:
    read = reading_words(words).lower()
    hours = {str(hour), str(hour % 12 or 12), f"{hour:02d}"}
    return any(h in read for h in hours) and (minute == 0 or f"{minute:02d}" in read)


def check_normalised(normalised: str | None, words: str) -> None:
    if not normalised:
        return
    when = datetime.fromisoformat(normalised)
    assert day_said(when.date(), words), f"{words!r} was stored as {normalised}: a day not said"
    if "T" in normalised:
        assert time_said(when.hour, when.minute, words), (
            f"{words!r} was stored as {normalised}: a time not said"
        )


@settings(max_examples=400, deadline=None, derandomize=True)
@given(pieces)
def test_an_answer_to_the_day_question_stores_only_what_was_said(parts):
    words = " ".join(parts)
    checked = validate_preferred_time(words, NOW, asked_again=True)
    if checked.ok:
        normalised = checked.extras.get(PREFERRED_TIME_NORMALISED)
        check_normalised(normalised, words)
        if normalised:  # and never a day that has passed or is more than a year away
            assert NOW.date() <= date.fromisoformat(normalised[:10]) <= NOW.date() + timedelta(days=366)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(pieces, pieces)
def test_a_day_given_unasked_is_taken_in_the_patients_words(before, after):
    text = f"{' '.join(before)}, my number is 415 555 0134, {' '.join(after)}"
    found = find_window(text, NOW) or find_preferred_time(text, NOW)
    if found:
        # The patient's own words (spaces evened out), not a reading of them.
        assert " ".join(found.value.split()) in " ".join(text.split())
        checked = validate_preferred_time(found.value, NOW)
        assert checked.ok
        check_normalised(checked.extras.get(PREFERRED_TIME_NORMALISED), found.value)
