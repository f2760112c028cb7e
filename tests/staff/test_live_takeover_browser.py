"""Live takeover in headless Chromium with two browser contexts: a patient in the website widget
asks for a person; a staff member in the console sees the queue change without reloading, takes
the chat and replies; the patient sees it under the staff member's name while the bot stays
silent; another patient's emergency alerts the staff member during the takeover; the hand back
lets the bot answer again, and the transcript holds every turn in order. The bot, the action
server and the web app run as their own processes over one tracker store and one staff database.
Screenshots go to test-output/takeover-*.png."""

from dataclasses import dataclass

import pytest
from playwright.sync_api import expect

from bot.staff.accounts import Accounts
from bot.staff.database import StaffDatabase
from bot.wording import wording
from tests.support.browser import chromium, output_path, running_web_app  # noqa: F401 - a fixture
from tests.support.harness import RunningBot, free_port, running_bot
from tests.support.staff_web import PASSWORD
from tests.support.widget_page import REPLY_TIMEOUT_MS, WidgetPage

STAFF_USER = "alice.smith"
LIVE_TIMEOUT_MS = 20_000  # the widget and the console poll every few seconds


@dataclass
class Site:
    url: str
    bot: RunningBot


@pytest.fixture(scope="module")
def site(tmp_path_factory, trained_model):
    workdir = tmp_path_factory.mktemp("takeover")
    web_port = free_port()
    stores = {
        "STAFF_DATABASE_URL": f"sqlite:///{workdir / 'staff.db'}",
        "STAFF_TRACKER_STORE_URL": f"sqlite:///{workdir / 'tracker.db'}",
    }
    Accounts(StaffDatabase(stores["STAFF_DATABASE_URL"])).add(STAFF_USER, PASSWORD, "staff")
    with (
        running_bot(workdir, env=stores, cors=[f"http://127.0.0.1:{web_port}"]) as bot,
        running_web_app(workdir, bot.rasa_url, web_port, env=stores) as url,
    ):
        yield Site(url, bot)


@pytest.fixture
def browser_page(chromium):  # noqa: F811 - the fixture imported above
    """New browser contexts (each its own visitor); page errors fail the test."""
    contexts, errors = [], []

    def new_page():
        context = chromium.new_context(viewport={"width": 1100, "height": 800})
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        return page

    yield new_page
    for context in contexts:
        context.close()
    assert not errors, errors


def staff_signed_in(page, url):
    page.goto(f"{url}/staff/live")
    page.get_by_label("Username").fill(STAFF_USER)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Live chat")).to_be_visible()
    return page


def patient_in_widget(page, url) -> WidgetPage:
    widget = WidgetPage(page).goto(url)
    widget.launcher.click()
    widget.wait_for_greeting()
    return widget


def test_takeover_staff_join_reply_and_hand_back_in_the_patients_own_chat(site, browser_page):
    staff = staff_signed_in(browser_page(), site.url)
    patient = patient_in_widget(browser_page(), site.url)

    patient.type_and_send("can I talk to a real person please?")
    expect(patient.bot_messages.last).to_contain_text(wording("live.waiting"), timeout=REPLY_TIMEOUT_MS)
    sender = patient.sender_id()

    # The queue page updates itself: no reload by the test.
    take = staff.get_by_role("button", name="Take this chat")
    expect(take).to_be_visible(timeout=LIVE_TIMEOUT_MS)
    expect(staff.locator("[data-live-badge]")).to_have_text("1 waiting", timeout=LIVE_TIMEOUT_MS)
    staff.screenshot(path=str(output_path("takeover-queue.png")), full_page=True)
    take.click()
    expect(staff.get_by_role("heading", name=f"Chat {sender}")).to_be_visible()

    joined = wording("live.joined", staff_name="Alice")
    expect(patient.bot_messages.last).to_contain_text(joined, timeout=LIVE_TIMEOUT_MS)
    staff.get_by_label("Your message to the patient").fill("Hi, I'm Alice from the clinic. How can I help?")
    staff.get_by_role("button", name="Send").click()
    from_alice = patient.page.locator(".message.bot.staff")
    expect(from_alice.last).to_contain_text("Hi, I'm Alice from the clinic", timeout=LIVE_TIMEOUT_MS)
    expect(from_alice.last).to_contain_text("Alice · clinic team")

    bot_count = patient.bot_messages.count()
    patient.type_and_send("can I wear makeup the day after my injections?")
    lines = staff.locator("[data-chat-lines]")
    expect(lines).to_contain_text("can I wear makeup the day after", timeout=LIVE_TIMEOUT_MS)
    expect(patient.bot_messages).to_have_count(bot_count)  # the bot said nothing: Alice answers

    # Another patient's emergency during the takeover reaches Alice at once.
    other = patient_in_widget(browser_page(), site.url)
    other.type_and_send("I had botox yesterday and now I can't swallow and I'm struggling to breathe")
    expect(other.page.locator(".message.bot.alert")).to_contain_text("911", timeout=REPLY_TIMEOUT_MS)
    alerts = staff.locator("[data-alerts]")
    expect(alerts).to_contain_text("Emergency", timeout=LIVE_TIMEOUT_MS)
    expect(alerts).to_contain_text(other.sender_id())

    staff.get_by_label("Your message to the patient").fill("Yes, from the next day. Anything else?")
    staff.get_by_role("button", name="Send").click()
    expect(from_alice.last).to_contain_text("Yes, from the next day", timeout=LIVE_TIMEOUT_MS)
    expect(alerts).to_contain_text(other.sender_id())  # the alert outlives the page it came on
    patient.page.screenshot(path=str(output_path("takeover-widget.png")))
    staff.screenshot(path=str(output_path("takeover-chat.png")), full_page=True)

    staff.get_by_role("button", name="Hand back to the assistant").click()
    left = wording("live.handed_back", staff_name="Alice")
    expect(patient.bot_messages.last).to_contain_text(left, timeout=LIVE_TIMEOUT_MS)
    patient.type_and_send("how long does botox last?")
    expect(patient.bot_messages.last).to_contain_text("3–4 months", timeout=REPLY_TIMEOUT_MS)

    staff.goto(f"{site.url}/staff/transcript?id={sender}")
    transcript = staff.locator("ol.transcript").inner_text()
    said_in_order = [
        "can I talk to a real person please?",
        joined,
        "Hi, I'm Alice from the clinic",
        "can I wear makeup the day after",
        "Yes, from the next day",
        left,
        "how long does botox last?",
        "3–4 months",
    ]
    positions = [transcript.find(text) for text in said_in_order]
    assert -1 not in positions and positions == sorted(positions), positions
