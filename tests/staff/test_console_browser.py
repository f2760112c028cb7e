"""The staff console in headless Chromium, in the real web app, over conversations and a booking
request the trained bot recorded: sign in, filter by "booking requested", open a transcript,
change a booking's status, export CSV, and an accessibility check. Screenshots go to
test-output/staff-*.png."""

import csv
import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from bot.staff import audit
from bot.staff.flags import Flag
from bot.web import create_app
from tests.support.browser import chromium, output_path, run_axe  # noqa: F401 - chromium is a fixture
from tests.support.staff_conversations import CONTACT_EMAIL, copy_of, make_console
from tests.support.staff_web import PASSWORD, serving

USERNAME = "reception"


@pytest.fixture(scope="module")
def site(sqlite_conversations, tmp_path_factory):
    workdir = tmp_path_factory.mktemp("staff-browser")
    recorded = copy_of(sqlite_conversations, workdir)
    console = make_console(workdir, recorded)
    console.accounts.add(USERNAME, PASSWORD, "admin")
    with serving(create_app(console=console)) as url:
        yield url, console


@pytest.fixture
def page(chromium, site):  # noqa: F811 - the fixture imported above
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert not errors, errors


def sign_in(page, url: str) -> None:
    page.goto(f"{url}/staff/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.screenshot(path=str(output_path("staff-sign-in.png")))
    page.get_by_label("Username").fill(USERNAME)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Overview")).to_be_visible()


def test_sign_in_filter_bookings_open_transcript_and_export_csv(page, site):
    url, console = site
    sign_in(page, url)
    page.screenshot(path=str(output_path("staff-overview.png")), full_page=True)

    page.get_by_role("navigation", name="Console").get_by_role("link", name="Conversations").click()
    page.get_by_label("Flag").select_option(label="Booking requested")
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(f"{url}/staff/conversations?flag=booking&from=&to=&q=&status=&assignee=&tag=")
    rows = page.locator("table.list tbody tr")
    flagged = [s for s in console.summaries() if Flag.BOOKING in s.flags]
    expect(rows).to_have_count(len(flagged))
    for row in range(len(flagged)):
        expect(rows.nth(row)).to_contain_text("Booking requested")
    page.screenshot(path=str(output_path("staff-conversations-booking.png")), full_page=True)

    booked_row = rows.filter(has=page.locator("small.id", has_text=re.compile(r"^staff-booking$")))
    booked_row.get_by_role("link").click()
    expect(page.get_by_role("heading", name="Conversation staff-booking")).to_be_visible()
    expect(page.locator(".patient").nth(1)).to_contain_text("I'd like to book")
    expect(page.locator(".patient").nth(1)).to_contain_text("[phone hidden]")
    page.screenshot(path=str(output_path("staff-transcript.png")), full_page=True)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV").click()
    download = download_info.value
    assert download.suggested_filename == "conversation-staff-booking.csv"
    exported = list(csv.DictReader(io.StringIO(Path(download.path()).read_text(encoding="utf-8"))))
    said = [r["text"] for r in exported if r["speaker"] == "patient"]
    assert said[0] == "hello" and "[phone hidden]" in said[1] and "07700 900123" not in said[1]

    page.get_by_role("link", name=console.bookings.list()[0].reference).click()
    expect(page.get_by_role("heading", name="Booking request BK-")).to_be_visible()
    page.get_by_label("New status").select_option("contacted")
    page.get_by_role("button", name="Save status").click()
    expect(page.get_by_role("status")).to_contain_text("Status saved.")
    expect(page.locator("table.list")).to_contain_text(f"{USERNAME}")
    expect(page.locator("table.list")).to_contain_text("new -> contacted")
    page.screenshot(path=str(output_path("staff-booking-status.png")), full_page=True)
    assert console.bookings.list()[0].status == "contacted"

    entries, _ = console.audit.entries(audit.AuditFilter(username=USERNAME))
    done = {(e.action, e.conversation_id) for e in entries}
    assert {
        (audit.VIEW_TRANSCRIPT, "staff-booking"),
        (audit.EXPORT, "staff-booking"),
        (audit.CHANGE_BOOKING_STATUS, "staff-booking"),
        (audit.SIGN_IN, None),
    } <= done


def test_find_todays_emergency_from_the_overview(page, site):
    url, _ = site
    sign_in(page, url)
    page.get_by_role("link", name="1 emergencies").click()
    rows = page.locator("table.list tbody tr.urgent")
    expect(rows).to_have_count(1)
    rows.get_by_role("link").click()
    expect(page.get_by_role("heading", name="Conversation staff-emergency")).to_be_visible()
    expect(page.locator(".meta").first).to_contain_text("report_emergency")
    expect(page.locator(".bot").first).to_contain_text("911")
    page.screenshot(path=str(output_path("staff-emergency.png")), full_page=True)


def test_masked_transcript_and_reveal(page, site):
    url, _ = site
    sign_in(page, url)
    page.goto(f"{url}/staff/transcript?id=staff-contact")
    expect(page.locator(".patient").first).to_contain_text("[email hidden]")
    page.get_by_role("button", name="Reveal contact details").click()
    expect(page.locator(".patient").first).to_contain_text(CONTACT_EMAIL)
    expect(page.get_by_role("status")).to_contain_text("recorded in the audit log")
    page.screenshot(path=str(output_path("staff-transcript-revealed.png")), full_page=True)


@pytest.mark.parametrize(
    "path",
    [
        "/staff/overview",
        "/staff/live",
        "/staff/conversations",
        "/staff/transcript?id=staff-faq",
        "/staff/unanswered",
    ],
)
def test_console_pages_have_no_serious_accessibility_violations(chromium, site, path):  # noqa: F811
    url, _ = site
    context = chromium.new_context(bypass_csp=True)  # to inject axe-core
    page = context.new_page()
    sign_in(page, url)
    page.goto(url + path)
    result = run_axe(page, "staff" + path.split("?")[0].replace("/", "-"))
    context.close()
    assert not result.blocking, result.blocking
