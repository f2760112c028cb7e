"""Finding conversations and booking requests by one exact phone number or email address: found
however staff write it, never by a part of it, nothing unmasked on the page, every search in the
audit log without the contact; and the keyed hashes of bot/staff/contacts.py."""

import pytest

from bot.staff import audit
from bot.staff.contacts import Contact, ContactHasher, contact_from_query, contacts_in
from tests.support.staff_conversations import CONTACT_EMAIL
from tests.support.staff_web import csrf_of


def find(staff, contact):
    token = csrf_of(staff.get("/staff/conversations").text)
    return staff.post("/staff/find-contact", data={"csrf_token": token, "contact": contact})


@pytest.mark.parametrize(
    "typed",
    ["jane.doe@example.com", "  Jane.Doe@EXAMPLE.com ", "+1 415 555 0100", "(415) 555-0100", "+14155550100"],
)
def test_a_contact_is_found_however_it_is_written(staff, typed):
    page = find(staff, typed)
    assert page.status_code == 200 and "staff-contact" in page.text
    assert "1 conversation " in page.text
    assert CONTACT_EMAIL not in page.text and "555 0100" not in page.text and "5550100" not in page.text


@pytest.mark.parametrize("typed", ["jane.doe@example.org", "+1 415 555 0199", "example.com", "415"])
def test_another_or_partial_contact_finds_nothing(staff, typed):
    page = find(staff, typed)
    assert "staff-contact" not in page.text


def test_a_booking_request_is_found_by_its_phone_number(staff, console):
    [booking] = console.bookings.list(conversation_id="staff-booking")
    page = find(staff, "+44 7700 900123")
    assert booking.reference in page.text and "staff-booking" in page.text
    assert "900123" not in page.text


def test_text_that_is_no_contact_is_refused_and_every_search_is_audited_without_the_contact(staff, console):
    refused = find(staff, "jane")
    assert refused.status_code == 400 and "not a phone number or an email address" in refused.text
    find(staff, "+1 415 555 0100")
    entries, _ = console.audit.entries(audit.AuditFilter(action=audit.SEARCH_CONTACT))
    details = [entry.detail for entry in entries]
    assert details == ["phone: 1 conversations, 0 booking requests", "not a phone number or email address"]
    assert (
        staff.post("/staff/find-contact", data={"contact": "+1 415 555 0100"}).status_code == 403
    )  # no token


def test_the_index_keeps_keyed_hashes_never_the_contacts(console):
    summary = console.summary("staff-contact")
    hashes = summary.contact_hashes
    assert len(hashes) == 2 and all(len(h) == 64 and set(h) <= set("0123456789abcdef") for h in hashes)
    assert console.contact_hasher.digest(Contact("email", CONTACT_EMAIL)) in hashes
    assert CONTACT_EMAIL not in summary.searchable_text


# ---- bot/staff/contacts.py ------------------------------------------------------------------------


def test_contacts_are_normalised_and_hashes_depend_on_the_key():
    regions = ("US", "GB")
    assert contact_from_query("(415) 555-0100", regions) == Contact("phone", "+14155550100")
    assert contact_from_query("07700 900123", regions) == Contact("phone", "+447700900123")
    assert contact_from_query("Jane.Doe@Example.COM", regions) == Contact("email", "jane.doe@example.com")
    assert contact_from_query("call me maybe", regions) is None
    found = contacts_in("text me on 415-555-0100 or JANE@example.com, not 2024-01-05", regions)
    assert found == {Contact("phone", "+14155550100"), Contact("email", "jane@example.com")}
    one, other = ContactHasher("key one"), ContactHasher("key two")
    contact = Contact("phone", "+14155550100")
    assert one.digest(contact) == ContactHasher("key one").digest(contact) != other.digest(contact)
