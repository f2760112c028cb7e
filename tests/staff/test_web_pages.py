"""The console's pages over real conversations: masked by default, reveals and views in the
audit log, exports, the unanswered report, the overview, and nothing from conversations in the
application logs."""

import csv
import io
import json
import logging
import re
from datetime import timedelta

from bot.booking.store import BookingStore
from bot.staff import audit
from tests.support.booking import make_request
from tests.support.staff_conversations import (
    CONTACT_EMAIL,
    CONTACT_PHONE,
    NEW_SCRIPT,
    make_console,
    unmistakable_patient_texts,
)
from tests.support.staff_web import PASSWORD, csrf_of, signed_in_client


def audit_actions(console, **where):
    entries, _ = console.audit.entries(audit.AuditFilter(**where), page_size=500)
    return [(e.username, e.action, e.conversation_id) for e in entries]


def test_transcript_is_masked_and_every_view_is_audited(console, staff):
    for _ in range(2):
        page = staff.get("/staff/transcript?id=staff-contact")
        assert page.status_code == 200
        assert CONTACT_EMAIL not in page.text and CONTACT_PHONE not in page.text
        assert "[email hidden]" in page.text and "[phone hidden]" in page.text
    views = audit_actions(console, action=audit.VIEW_TRANSCRIPT)
    assert views == [("nurse", audit.VIEW_TRANSCRIPT, "staff-contact")] * 2


def test_reveal_shows_contacts_and_is_audited(console, staff):
    token = csrf_of(staff.get("/staff/transcript?id=staff-contact").text)
    page = staff.post("/staff/transcript/reveal", data={"id": "staff-contact", "csrf_token": token})
    assert page.status_code == 200 and CONTACT_EMAIL in page.text and CONTACT_PHONE in page.text
    assert ("nurse", audit.REVEAL_CONTACTS, "staff-contact") in audit_actions(console)


def test_list_is_masked_and_filters_by_booking_requested(staff):
    everything = staff.get("/staff/conversations").text
    assert CONTACT_EMAIL not in everything and "[email hidden]" in everything
    booking = staff.get("/staff/conversations?flag=booking").text
    assert "/staff/transcript?id=staff-booking" in booking
    assert "/staff/transcript?id=staff-faq" not in booking


def test_text_search_and_date_errors(staff):
    found = staff.get("/staff/conversations?q=weather+on+mars").text
    assert "staff-unanswered" in found and "staff-faq" not in found
    assert staff.get("/staff/conversations?from=31/01/2025").status_code == 400
    assert staff.get("/staff/conversations?from=2025-02-01&to=2025-01-01").status_code == 400
    assert staff.get("/staff/conversations?flag=nonsense").status_code == 400
    assert staff.get("/staff/conversations?page=99999999999").status_code == 200


def test_blank_filter_fields_count_as_not_given_and_bad_values_get_the_error_page(staff):
    blank = staff.get("/staff/conversations?flag=&from=&to=&q=")  # as a GET form sends them
    assert blank.status_code == 200 and "staff-faq" in blank.text
    assert staff.get("/staff/overview?from=&to=").status_code == 200
    assert staff.get("/staff/bookings?status=").status_code == 200
    for bad in (
        "/staff/conversations?page=abc",
        "/staff/conversations?page=0",
        "/staff/unanswered?to=tomorrow",
        "/staff/export?id=staff-faq&format=pdf",
    ):
        refused = staff.get(bad)
        headers = refused.headers
        assert refused.status_code == 400 and '<p role="alert">' in refused.text, bad
        assert (
            headers["x-frame-options"] == "DENY"
            and "default-src 'none'" in headers["content-security-policy"]
        )
    assert "The to date must look like 2025-01-31." in staff.get("/staff/unanswered?to=tomorrow").text


def test_markup_from_patients_is_shown_as_text(staff):
    page = staff.get("/staff/transcript?id=staff-markup").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page


def test_conversation_exports_are_masked_by_default(console, staff):
    exported = staff.get("/staff/export?id=staff-contact&format=csv")
    assert exported.headers["content-disposition"].startswith("attachment;")
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    patient = [row for row in rows if row["speaker"] == "patient"]
    assert patient and CONTACT_EMAIL not in exported.text and "[email hidden]" in patient[0]["text"]
    record = json.loads(staff.get("/staff/export?id=staff-faq&format=json").text)
    assert record["masked"] and record["conversations"][0]["conversation_id"] == "staff-faq"
    assert [t["user_text"] for t in record["conversations"][0]["turns"] if t["user_text"]] == NEW_SCRIPT[
        "staff-faq"
    ]
    exports = audit_actions(console, action=audit.EXPORT)
    assert ("nurse", audit.EXPORT, "staff-contact") in exports and (
        "nurse",
        audit.EXPORT,
        "staff-faq",
    ) in exports


def test_unmasked_export_needs_the_form_and_is_audited(console, staff):
    token = csrf_of(staff.get("/staff/transcript?id=staff-contact").text)
    exported = staff.post(
        "/staff/export", data={"id": "staff-contact", "format": "json", "reveal": "1", "csrf_token": token}
    )
    assert CONTACT_EMAIL in exported.text and json.loads(exported.text)["masked"] is False
    assert ("nurse", audit.REVEAL_CONTACTS, "staff-contact") in audit_actions(console)


def test_range_export_holds_each_conversation_of_the_range(console, staff):
    today = console.today().isoformat()
    exported = json.loads(staff.get(f"/staff/export?format=json&from={today}&to={today}").text)
    ids = {c["conversation_id"] for c in exported["conversations"]}
    assert ids == {s.conversation_id for s in console.summaries()}
    flagged = json.loads(staff.get("/staff/export?format=json&flag=unanswered").text)
    assert all("unanswered" in c["flags"] for c in flagged["conversations"])
    assert staff.get("/staff/export?format=xml").status_code == 400


def test_unanswered_report_and_its_csv(console, staff):
    page = staff.get("/staff/unanswered").text
    assert "what&#39;s the weather on mars" in page and "out of scope" in page
    exported = staff.get("/staff/unanswered.csv")
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert any(row["question"] == "what's the weather on mars" and row["times_asked"] == "1" for row in rows)
    assert CONTACT_EMAIL not in exported.text
    assert ("nurse", audit.EXPORT, None) in audit_actions(console, action=audit.EXPORT)


def test_overview_counts_and_chart(console, staff):
    page = staff.get("/staff/overview")
    assert page.status_code == 200 and "<svg" in page.text
    # The chart is drawn on the server; the only script is the console's own file (live updates).
    assert re.findall(r"<script[^>]*>[^<]*</script>", page.text) == [
        '<script src="/staff/console.js" defer></script>'
    ]
    total = len(console.summaries())
    assert f"<strong>{total}</strong> conversations" in page.text
    assert "How long results last" in page.text  # the top topic
    assert ("nurse", audit.VIEW_OVERVIEW, None) in audit_actions(console)


def test_overview_counts_the_booking_requests_received_in_its_range(console, staff):
    today = console.today()
    stored = staff.get(f"/staff/overview?from={today}&to={today}").text
    assert "<strong>1</strong> booking requests stored" in stored
    week_before = f"from={today - timedelta(days=8)}&to={today - timedelta(days=1)}"
    assert "<strong>0</strong> booking requests stored" in staff.get(f"/staff/overview?{week_before}").text


def test_admin_sees_the_audit_log_of_transcript_views(console, staff):
    staff.get("/staff/transcript?id=staff-emergency")
    admin = signed_in_client(console, "head-nurse", role="admin")
    page = admin.get("/staff/audit?conversation=staff-emergency").text
    assert "nurse" in page and "view transcript" in page and "staff-emergency" in page


def test_admin_manages_accounts_on_the_web(console):
    admin = signed_in_client(console, "boss", role="admin")
    token = csrf_of(admin.get("/staff/users").text)
    added = admin.post(
        "/staff/users/add",
        data={"csrf_token": token, "username": "New.Nurse", "password": PASSWORD, "role": "staff"},
    )
    assert added.status_code == 200 and "Account new.nurse added." in added.text
    short = admin.post(
        "/staff/users/add",
        data={"csrf_token": token, "username": "other", "password": "short", "role": "staff"},
    )
    assert short.status_code == 400 and "at least 12" in short.text
    last_admin = admin.post(
        "/staff/users/update",
        data={"csrf_token": token, "username": "boss", "role": "staff", "active": "yes"},
    )
    assert last_admin.status_code == 400 and "one active admin" in last_admin.text
    assert ("boss", audit.MANAGE_ACCOUNTS, None) in audit_actions(console)


def test_nothing_from_conversations_reaches_the_application_logs(console, staff, caplog):
    caplog.set_level(logging.DEBUG)
    token = csrf_of(staff.get("/staff/overview").text)
    for path in (
        "/staff/conversations?q=weather",
        "/staff/transcript?id=staff-contact",
        "/staff/unanswered",
        "/staff/export?format=csv",
        "/staff/unanswered.csv",
    ):
        assert staff.get(path).status_code == 200
    staff.post("/staff/transcript/reveal", data={"id": "staff-contact", "csrf_token": token})
    staff.post("/staff/export", data={"format": "json", "reveal": "1", "csrf_token": token})
    # httpx is the test's own browser, logging the URLs it asks for; everything else is the app.
    logged = "\n".join(
        record.getMessage() for record in caplog.records if not record.name.startswith(("httpx", "httpcore"))
    ).lower()
    for said in unmistakable_patient_texts():
        assert said.lower() not in logged
    assert "weather" not in logged


def test_console_on_postgres_for_conversations_and_staff_data(postgres_conversations, postgres_url, tmp_path):
    console = make_console(tmp_path, postgres_conversations, staff_database_url=postgres_url)
    try:
        client = signed_in_client(console, "pg-nurse")
        booking = client.get("/staff/conversations?flag=booking").text
        assert "/staff/transcript?id=staff-booking" in booking and "staff-faq" not in booking
        transcript = client.get("/staff/transcript?id=staff-contact").text
        assert "[email hidden]" in transcript and CONTACT_EMAIL not in transcript
        assert ("pg-nurse", audit.VIEW_TRANSCRIPT, "staff-contact") in audit_actions(console)
    finally:
        console.reader.engine.dispose()
        console.db.engine.dispose()


def booking_reference(console, conversation_id="staff-booking"):
    [booking] = [b for b in console.bookings.list() if b.conversation_id == conversation_id]
    return booking.reference


def test_booking_requests_come_from_the_booking_store_masked(console, staff):
    reference = booking_reference(console)
    listing = staff.get("/staff/bookings").text
    assert reference in listing and "Priya Shah" in listing
    assert "+447700900123" not in listing and "[phone hidden]" in listing
    assert reference in staff.get("/staff/bookings?status=new").text
    assert reference not in staff.get("/staff/bookings?status=booked").text
    detail = staff.get(f"/staff/booking?ref={reference}").text
    assert "Wednesday 10am" in detail and "+447700900123" not in detail
    assert "/staff/transcript?id=staff-booking" in detail
    assert staff.get("/staff/booking?ref=BK-NOTHING").status_code == 404
    assert staff.get("/staff/bookings?status=lost").status_code == 400


def test_a_stored_booking_shows_on_its_conversation(console, staff):
    reference = booking_reference(console)
    assert reference in staff.get("/staff/transcript?id=staff-booking").text
    cancelled = staff.get("/staff/transcript?id=staff-booking-cancelled").text
    assert "Booking requested" in cancelled and "BK-" not in cancelled


def test_staff_change_a_booking_status_and_the_history_says_who(console, staff):
    reference = booking_reference(console)
    token = csrf_of(staff.get(f"/staff/booking?ref={reference}").text)
    changed = staff.post(
        "/staff/booking/status",
        data={"ref": reference, "status": "contacted", "csrf_token": token},
        follow_redirects=False,
    )
    assert changed.status_code == 303
    page = staff.get(changed.headers["location"]).text
    assert "Status saved." in page and "nurse" in page and "new -&gt; contacted" in page
    assert console.bookings.get(reference).status == "contacted"
    refused = staff.post(
        "/staff/booking/status", data={"ref": reference, "status": "lost", "csrf_token": token}
    )
    assert refused.status_code == 400 and console.bookings.get(reference).status == "contacted"
    entries, _ = console.audit.entries(audit.AuditFilter(booking_reference=reference))
    assert ("nurse", audit.CHANGE_BOOKING_STATUS, "new -> contacted") in [
        (e.username, e.action, e.detail) for e in entries
    ]


def test_booking_reveal_is_audited(console, staff):
    reference = booking_reference(console)
    token = csrf_of(staff.get(f"/staff/booking?ref={reference}").text)
    page = staff.post("/staff/booking/reveal", data={"ref": reference, "csrf_token": token}).text
    assert "+447700900123" in page
    entries, _ = console.audit.entries(
        audit.AuditFilter(action=audit.REVEAL_CONTACTS, booking_reference=reference)
    )
    assert [e.username for e in entries] == ["nurse"]


def test_an_unreachable_booking_store_is_said_plainly(sqlite_conversations, tmp_path):
    from dataclasses import replace

    down = replace(sqlite_conversations, booking_url="postgresql://nobody@127.0.0.1:1/bookings")
    console = make_console(tmp_path, down)
    client = signed_in_client(console, "outage")
    assert client.get("/staff/conversations").status_code == 200
    assert "not reachable" in client.get("/staff/overview").text
    bookings = client.get("/staff/bookings")
    assert bookings.status_code == 503 and "cannot be reached" in bookings.text


def test_a_booking_made_for_someone_else_shows_the_patient_and_who_asked(console, staff, tmp_path):
    request = make_request(
        conversation="for-mum",
        name="Dorothy Kline",
        requester_name="Amy Kline",
        patient_relation="mother",
        contact_is="patient",
    )
    store = BookingStore(f"sqlite:///{tmp_path / 'bookings.db'}")  # the console's private copy
    try:
        store.save(request)
    finally:
        store.engine.dispose()
    listing = staff.get("/staff/bookings").text
    assert "Dorothy Kline" in listing and "requested by Amy Kline" in listing
    detail = staff.get(f"/staff/booking?ref={request.reference}").text
    assert "Requested by</dt><dd>Amy Kline (the patient is their mother)" in detail
    assert "Contact details are</dt><dd>the patient&#39;s" in detail
