"""Booking for someone else (bot/booking/someone_else.py): who the patient is to the person
booking, both names, and whose phone or email it is."""

import pytest

from bot.booking.someone_else import (
    PATIENT,
    REQUESTER,
    SOMEONE_ELSE,
    contact_owner,
    patient_name_in,
    read_requester_answer,
    relation_in,
    requester_name_in,
    says_for_themself,
)


@pytest.mark.parametrize(
    "text,relation",
    [
        ("hi can i book a consult for my mum", "mother"),
        ("i'd like to book my dad in", "father"),
        ("my husband needs a consultation", "husband"),
        ("it's for my grandma", "grandmother"),
        ("booking on behalf of my wife", "wife"),
        ("she's my daughter", "daughter"),
        ("I'm her son", "mother"),
        ("i am his wife", "husband"),
        ("can i book an appointment for someone else", SOMEONE_ELSE),
        ("i want to book him in", SOMEONE_ELSE),
        ("I'd like to request a consult for my little brother", "brother"),
        ("my friend asked me to help her book", "friend"),
        ("i'm booking a consult for them", SOMEONE_ELSE),
    ],
)
def test_a_booking_for_someone_else_names_the_patients_relation(text, relation):
    found = relation_in(text)
    assert found is not None and found.value == relation


@pytest.mark.parametrize(
    "text", ["i'd like to book a consultation", "my face droops on one side", "book for my face"]
)
def test_a_booking_for_the_patient_themself_names_no_relation(text):
    assert relation_in(text) is None


def test_before_the_form_only_words_about_booking_count():
    assert relation_in("my mum had bells palsy too", strict=True) is None
    assert relation_in("my mum had bells palsy too") is not None
    assert relation_in("can i book for my partner?", strict=True).value == "partner"
    assert relation_in("my grandpa wants a consult", strict=True).value == "grandfather"


@pytest.mark.parametrize(
    "text,name",
    [
        ("her name is dorothy kline", "Dorothy Kline"),
        ("his name's Robert King", "Robert King"),
        ("his name Ahmed Saleh", "Ahmed Saleh"),
        ("she's called Edith Palmer", "Edith Palmer"),
        ("I want to book for my dad, Robert King.", "Robert King"),
        ("my mum's name is Rosa Delgado and she is 70", "Rosa Delgado"),
    ],
)
def test_the_patients_name_given_by_someone_else(text, name):
    found = patient_name_in(text)
    assert found is not None and found.value == name


def test_my_dad_needs_is_not_a_name():
    assert patient_name_in("my dad needs a consult") is None


@pytest.mark.parametrize(
    "text,name,relation",
    [
        ("i'm amy, her daughter", "Amy", "mother"),
        ("Amy, her daughter", "Amy", "mother"),
        ("Mark, his son", "Mark", "father"),
        ("i am his son Omar", "Omar", "father"),
        ("i'm jess, his granddaughter", "Jess", "grandfather"),
        ("I'm Niamh Fitzgerald, his older sister", "Niamh Fitzgerald", "brother"),
        ("I'm his wife, Linda", "Linda", "husband"),
        ("Sam Ellis (partner)", "Sam Ellis", "partner"),
        ("Chloe", "Chloe", None),
        ("i'm her daughter", None, "mother"),
    ],
)
def test_the_answer_to_and_what_is_your_name(text, name, relation):
    assert read_requester_answer(text) == (name, relation)


def test_the_requester_introduces_themself_in_any_case():
    assert requester_name_in("hi i'm amy and i'm booking for my mum").value == "Amy"
    assert requester_name_in("her name is Dorothy Kline") is None


@pytest.mark.parametrize(
    "text,owner",
    [
        ("call her directly on 415 555 0134", PATIENT),
        ("her number is 415 555 0134", PATIENT),
        ("use his email, alex@example.org", PATIENT),
        ("my number is 415 555 0134", REQUESTER),
        ("call me on 415 555 0134", REQUESTER),
        ("415 555 0134", None),
    ],
)
def test_whose_contact_details_they_are(text, owner):
    assert contact_owner(text) == owner


def test_no_its_for_me_takes_the_booking_back():
    assert says_for_themself("no, it's for me") and says_for_themself("actually for myself")
    assert not says_for_themself("it's for my mum")
