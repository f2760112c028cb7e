"""Each booking validator with good and bad values: names in any script, international phone
numbers, email addresses, contact (phone or email), the optional reason, and odd input."""

import pytest

from bot.booking.slots import EMAIL, PHONE
from bot.booking.text import clean_text, says_cancel, says_no, says_yes
from bot.booking.validators import (
    MAX_REASON_CHARS,
    check_regions,
    display_phone,
    find_emails,
    find_phones,
    find_stated_name,
    validate_contact,
    validate_email,
    validate_name,
    validate_phone,
    validate_reason,
)
from bot.wording import wording
from bot.yamlfile import ConfigError

REGIONS = ("US", "GB")


@pytest.mark.parametrize(
    "text,name",
    [
        ("Priya Shah", "Priya Shah"),
        ("priya shah", "Priya Shah"),
        ("my name is Priya Shah", "Priya Shah"),
        ("I'm Priya Shah.", "Priya Shah"),
        ("José Álvarez", "José Álvarez"),
        ("Anne-Marie O'Brien", "Anne-Marie O'Brien"),
        ("Nguyễn Văn An", "Nguyễn Văn An"),
        ("李小龍", "李小龍"),
        ("J. R. R. Tolkien", "J. R. R. Tolkien"),
        ("Will Smith", "Will Smith"),
        ("<b>Priya</b>", "Priya"),
        ("Priya\u200b Shah", "Priya Shah"),
    ],
)
def test_names_in_any_script_are_accepted(text, name):
    assert validate_name(text).value == name


@pytest.mark.parametrize(
    "text,reason",
    [
        ("", "missing"),
        ("12345", "digits"),
        ("what are the side effects", "not_a_name"),
        ("I'm not sure", "not_a_name"),
        ("hmm", "not_a_name"),
        ("bye", "not_a_name"),
        ("🙂🙂", "not_a_name"),
        ("x" * 150, "too_long"),
    ],
)
def test_things_that_are_not_names_are_refused_with_a_reason(text, reason):
    checked = validate_name(text)
    assert not checked.ok and checked.error == wording(f"booking_errors.name.{reason}")


def test_a_stated_name_is_found_in_a_longer_message_but_not_a_mood():
    assert find_stated_name("I'm Priya Shah, 07700 900123", True).value == "Priya Shah"
    assert find_stated_name("hi, this is Tom Jones calling", True).value == "Tom Jones"
    assert find_stated_name("well my name is priya shah", False).value == "Priya Shah"
    assert find_stated_name("I'm worried about my smile", True) is None
    assert find_stated_name("I'm free on Friday", True) is None
    assert find_stated_name("I'm Priya", introduced_too=False) is None


@pytest.mark.parametrize(
    "text,e164",
    [
        ("07700 900123", "+447700900123"),  # UK national format (reserved drama range)
        ("+44 7700 900123", "+447700900123"),
        ("020 7946 0958", "+442079460958"),
        ("(415) 555-0132", "+14155550132"),  # US national format
        ("+1 202 555 0143", "+12025550143"),
        ("+33 6 12 34 56 78", "+33612345678"),  # any country with its code
        ("+91 98765 43210", "+919876543210"),
        ("+61 412 345 678", "+61412345678"),
    ],
)
def test_phone_numbers_national_and_international(text, e164):
    assert validate_phone(text, REGIONS).value == e164


@pytest.mark.parametrize(
    "text,reason",
    [
        ("+44 7700 900", "too_short"),  # with its country code: no area code can be missing
        ("0770 090", "no_area_code"),
        ("555 0100", "no_area_code"),
        ("my number is 555-0100", "no_area_code"),
        ("12", "not_a_number"),
        ("+999 123 456 789", "country_code"),
        ("call me maybe", "not_a_number"),
    ],
)
def test_bad_phone_numbers_say_what_is_wrong(text, reason):
    checked = validate_phone(text, REGIONS)
    assert not checked.ok and checked.error == wording(f"booking_errors.phone.{reason}")


def test_national_numbers_depend_on_the_configured_countries():
    assert validate_phone("07700 900123", ("US",)).ok is False
    assert validate_phone("07700 900123", ("GB",)).ok


def test_phones_are_found_inside_text_once_each():
    found = find_phones("call 07700 900123 or +1 415 555 0132, not 2019", REGIONS)
    assert [f.value for f in found] == ["+447700900123", "+14155550132"]
    assert find_phones("since 2019, on 12/03/2026 at 10:30", REGIONS) == []


def test_phone_display_is_international():
    assert display_phone("+447700900123") == "+44 7700 900123"


def test_unknown_phone_region_in_settings_is_a_config_error():
    with pytest.raises(ConfigError, match="XX"):
        check_regions(("US", "XX"))


@pytest.mark.parametrize(
    "text,value",
    [
        ("priya@example.com", "priya@example.com"),
        ("Priya.Shah+clinic@Example.COM", "Priya.Shah+clinic@example.com"),
        ("josé@exämple.com", "josé@exämple.com"),
    ],
)
def test_good_emails_are_normalised(text, value):
    assert validate_email(text).value == value


@pytest.mark.parametrize(
    "text,problem",
    [
        ("priya@example", "period"),
        ("p@@x.com", "invalid characters"),
    ],
)
def test_bad_emails_say_what_is_wrong_in_the_libraries_words(text, problem):
    checked = validate_email(text)
    assert not checked.ok and problem in checked.error
    assert checked.error.startswith(wording("booking_errors.email.invalid", problem=""))


@pytest.mark.parametrize(
    "text,reason",
    [
        ("priya.example.com", "no_at"),
        ("pri ya@example.com", "spaces"),
    ],
)
def test_emails_without_an_at_or_with_spaces_are_refused(text, reason):
    checked = validate_email(text)
    assert not checked.ok and checked.error == wording(f"booking_errors.email.{reason}")


def test_emails_in_text_are_found_and_bad_ones_reported():
    valid, errors = find_emails("mine is priya@example.com, old one priya@example")
    assert [f.value for f in valid] == ["priya@example.com"]
    assert len(errors) == 1 and "period" in errors[0]


def test_contact_is_a_phone_or_an_email():
    assert validate_contact("07700 900123", REGIONS).value == {PHONE: "+447700900123"}
    assert validate_contact("it's priya@example.com", REGIONS).value == {EMAIL: "priya@example.com"}
    assert validate_contact("blah", REGIONS).error == wording("booking_errors.contact.missing")
    assert validate_contact("0770 090", REGIONS).error == wording("booking_errors.phone.no_area_code")


@pytest.mark.parametrize(
    "text",
    [
        "skip",
        "no",
        "none",
        "no thanks",
        "",
        "nothing really",
        "Skip this question",
        "skip this question.",
        "id rather skip that",
        "I'd prefer to skip it",
    ],
)
def test_reason_can_be_skipped(text):
    assert validate_reason(text).value == ""


def test_reason_is_kept_without_markup_and_must_be_short():
    assert validate_reason("my smile <i>droops</i>").value == "my smile droops"
    assert validate_reason("no pain but my smile droops").value == "no pain but my smile droops"
    too_long = validate_reason("x" * (MAX_REASON_CHARS + 1))
    assert not too_long.ok and str(MAX_REASON_CHARS) in too_long.error


def test_huge_and_odd_messages_are_cut_and_cleaned():
    assert len(clean_text("a" * 100_000)) == 1000
    assert clean_text("Pri\x00ya\u202e  Shah\n") == "Priya Shah"
    assert clean_text(None) == ""


@pytest.mark.parametrize(
    "text,yes,no,cancel",
    [
        ("yes", True, False, False),
        ("Yes please!", True, False, False),
        ("yes but change my email", False, False, False),
        ("no", False, True, False),
        ("nope", False, True, False),
        ("never mind", False, False, True),
        ("stop", False, False, True),
        ("cancel my request please", False, False, True),
        ("hmm, I should ask my wife first. Cancel it please", False, False, True),
        ("nvm, cancel that", False, False, True),
        ("Cancel? No, keep going. It's fine", False, False, False),
        ("can botox stop the spasms", False, False, False),
        # Natural confirmations at the summary.
        ("confirm", True, False, False),
        ("send", True, False, False),
        ("Looks right, send it", True, False, False),
        ("all good", True, False, False),
        ("that's all correct", True, False, False),
        ("submit", True, False, False),
        ("send it to my sister instead", False, False, False),
        ("great, send it", True, False, False),
        ("Everything is correct. Please send it.", True, False, False),
    ],
)
def test_short_answers(text, yes, no, cancel):
    assert (says_yes(text), says_no(text), says_cancel(text)) == (yes, no, cancel)
