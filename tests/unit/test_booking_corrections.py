"""Corrections in plain words (bot/booking/corrections.py): a name spelled again, which
contact to use, a new day, without the "Change something" menu."""

import pytest

from bot.booking.corrections import corrected_name, name_in_answer, preferred_contact, time_correction_words


@pytest.mark.parametrize(
    "text,current,corrected",
    [
        ("oops it's Sarah with an h", "Sara Jones", "Sarah Jones"),
        ("sarah with an h", "Sara Jones", "Sarah Jones"),
        ("actually wait, it's spelled Dorthy, sorry, Dorthy Kline", "Dorothy Kline", "Dorthy Kline"),
        ("sorry my last name is Kline not Klein", "Dorothy Klein", "Dorothy Kline"),
        ("its spelt Jon not John", "John Smith", "Jon Smith"),
        ("the surname is Mcdonald", "Amy Macdonald", "Amy Mcdonald"),
        ("no its Katherine with a K", "Catherine Ng", "Katherine Ng"),
        ("the last name is wrong, its O'Neill with two Ls", "Katherine O'neil", "Katherine O'Neill"),
        (
            "my first name is spelled wrong, its Kathryn, k-a-t-h-r-y-n",
            "Katherine McAllister",
            "Kathryn McAllister",
        ),
    ],
)
def test_a_name_spelled_again_replaces_the_word_it_corrects(text, current, corrected):
    assert corrected_name(text, current) == corrected


@pytest.mark.parametrize(
    "text",
    [
        "my smile is not even",
        "the left side of my face",
        "sorry, what was the question?",
        "Sara Jones",
        "sorry typo, its 404 555 0125",  # the phone number is put right, not the name
        "typo in my email, it's sara.jones@example.com",
    ],
)
def test_other_messages_are_not_name_corrections(text):
    assert corrected_name(text, "Sara Jones") is None


def test_a_hesitant_answer_to_the_name_question():
    assert name_in_answer("actually wait, it's spelled Dorthy, sorry, Dorthy Kline") == "Dorthy Kline"
    assert name_in_answer("ok thanks, bye") is None


@pytest.mark.parametrize(
    "text,wanted",
    [
        ("actually use my email instead", "email"),
        ("email is better", "email"),
        ("can you use my phone instead", "phone"),
        ("contact me by text", "phone"),
        ("my email is a@example.com", None),
    ],
)
def test_which_contact_to_use(text, wanted):
    assert preferred_contact(text) == wanted


@pytest.mark.parametrize(
    "text,words",
    [
        ("make that thursday", "thursday"),
        ("actually weekday evenings instead", "weekday evenings"),
        ("change it to friday at 2", "friday at 2"),
        ("thursday", None),
    ],
)
def test_the_words_after_a_correction_cue(text, words):
    assert time_correction_words(text) == words
