"""The review workflow: a conversation's status, assignee, tags, false alarm and notes, through the
console's forms, with every change in the audit log; the list's review filters; false alarms
exported as safety-set YAML; and the rules of bot/staff/reviews.py."""

import pytest
import yaml

from bot.staff import audit
from bot.staff.database import StaffDatabase
from bot.staff.reviews import ReviewChange, ReviewError, Reviews, normalise_tags
from tests.support.staff_web import csrf_of


def post(staff, path, conversation_id, **fields):
    token = csrf_of(staff.get("/staff/conversations").text)
    return staff.post(
        path, data={"csrf_token": token, "id": conversation_id, **fields}, follow_redirects=False
    )


def audit_rows(console, action):
    entries, _ = console.audit.entries(audit.AuditFilter(action=action), page_size=500)
    return [(e.username, e.conversation_id, e.detail) for e in entries]


def test_status_assignee_and_tags_are_saved_shown_and_audited(console, staff):
    console.accounts.add("reception", "a long enough test password", "staff")
    saved = post(
        staff, "/staff/review", "staff-handoff", status="handled", assignee="reception", tags="Callback, VIP,"
    )
    assert saved.status_code == 303 and saved.headers["location"].endswith("id=staff-handoff#review")
    review = console.reviews.get("staff-handoff")
    assert (review.status, review.assignee, review.tags, review.updated_by) == (
        "handled",
        "reception",
        ("callback", "vip"),
        "nurse",
    )
    page = staff.get("/staff/transcript?id=staff-handoff").text
    assert '<option value="handled" selected>' in page and "Last changed by nurse" in page
    assert ("nurse", "staff-handoff", "status=handled assignee=reception tags=callback,vip") in audit_rows(
        console, audit.CHANGE_REVIEW
    )
    # Saving the same again changes nothing and writes nothing.
    post(
        staff, "/staff/review", "staff-handoff", status="handled", assignee="reception", tags="callback, vip"
    )
    assert len(audit_rows(console, audit.CHANGE_REVIEW)) == 1


def test_the_list_filters_by_status_assignee_and_tag(console, staff):
    post(staff, "/staff/review", "staff-faq", status="reviewed", assignee="nurse", tags="content gap")
    listed = staff.get("/staff/conversations", params={"status": "reviewed"}).text
    assert "staff-faq" in listed and "staff-handoff" not in listed
    assert "staff-faq" in staff.get("/staff/conversations", params={"assignee": "nurse"}).text
    assert "staff-faq" in staff.get("/staff/conversations", params={"tag": "Content Gap"}).text
    assert "staff-faq" not in staff.get("/staff/conversations", params={"tag": "other"}).text
    new = staff.get("/staff/conversations", params={"status": "new"}).text
    assert "staff-faq" not in new and "staff-handoff" in new  # untouched conversations are new
    assert staff.get("/staff/conversations", params={"status": "archived"}).status_code == 400


def test_only_active_staff_can_be_assigned_and_unknown_conversations_are_refused(console, staff):
    assert post(staff, "/staff/review", "staff-faq", assignee="somebody-else").status_code == 400
    assert post(staff, "/staff/review", "no-such-conversation", status="handled").status_code == 404
    assert console.reviews.get("staff-faq").assignee is None


def test_notes_keep_author_and_order_and_are_audited_without_their_text(console, staff):
    post(staff, "/staff/review/note", "staff-emergency", text="Called the patient, she is at the ER.")
    post(staff, "/staff/review/note", "staff-emergency", text="Follow-up booked for Monday.")
    notes = console.reviews.notes("staff-emergency")
    assert [(n.author, n.text) for n in notes] == [
        ("nurse", "Called the patient, she is at the ER."),
        ("nurse", "Follow-up booked for Monday."),
    ]
    page = staff.get("/staff/transcript?id=staff-emergency").text
    assert page.index("Called the patient") < page.index("Follow-up booked")
    rows = audit_rows(console, audit.ADD_NOTE)
    assert len(rows) == 2 and all("ER" not in detail for _, _, detail in rows)
    assert post(staff, "/staff/review/note", "staff-emergency", text="   ").status_code == 400


def test_a_false_alarm_is_exported_as_a_safety_set_case(console, staff):
    post(staff, "/staff/review", "staff-emergency", status="reviewed", false_alarm="true")
    token = csrf_of(staff.get("/staff/conversations").text)
    exported = staff.post("/staff/false-alarms.yml", data={"csrf_token": token})
    assert exported.status_code == 200 and "attachment" in exported.headers["content-disposition"]
    cases = yaml.safe_load(exported.text)["conversations"]
    assert [case["id"] for case in cases] == ["staff-staff-emergency"]
    assert cases[0]["turns"] == [
        {"user": "I have trouble swallowing and breathing since my injection yesterday", "expect": "no_alarm"}
    ]
    assert ("nurse", "staff-emergency", "false alarms as safety-set YAML (masked)") in audit_rows(
        console, audit.EXPORT
    )
    # Without a token the export is refused (it holds patients' words).
    assert staff.post("/staff/false-alarms.yml", data={}).status_code == 403


# ---- the rules, without the web layer -------------------------------------------------------------


def test_tags_are_lower_case_without_duplicates_or_markup_and_limited():
    assert normalise_tags(" Follow-up, BOTOX ,, follow-up, <b>x</b>") == ("follow-up", "botox", "bxb")
    with pytest.raises(ReviewError):
        normalise_tags(",".join(f"tag{i}" for i in range(11)))


def test_a_review_refuses_an_unknown_status_and_reports_only_what_changed(tmp_path):
    reviews = Reviews(StaffDatabase(f"sqlite:///{tmp_path / 'staff.db'}"))
    with pytest.raises(ReviewError):
        reviews.update("c1", ReviewChange(status="archived"), "alice")
    assert reviews.update("c1", ReviewChange(false_alarm=True), "alice") == ["false_alarm=True"]
    assert reviews.update("c1", ReviewChange(status="new", false_alarm=True), "bob") == []
    assert reviews.false_alarms() == ["c1"] and reviews.get("c2").status == "new"
