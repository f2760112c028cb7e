"""The widget on the demo page in headless Chromium, talking to the real trained bot.

Both Rasa servers and the web app run on free ports; the Rasa server allows only the web app's
origin (CORS). The last test stops the Rasa server, so it stays last in this module.
"""

import sqlite3
from dataclasses import dataclass

import psutil
import pytest
import requests
from playwright.sync_api import expect

from bot.contact import offline_contact_line
from bot.knowledge import answer_for_topic
from tests.support.browser import output_path, run_axe, running_web_app
from tests.support.harness import RunningBot, free_port, running_bot
from tests.support.widget_page import REPLY_TIMEOUT_MS, WidgetPage

DESKTOP = {"width": 1280, "height": 800}
NARROW = {"width": 320, "height": 640}
MARKUP = "<img src=x onerror=alert(1)>"


@dataclass
class Site:
    url: str
    bot: RunningBot


@pytest.fixture(scope="module")
def site(tmp_path_factory, trained_model):
    workdir = tmp_path_factory.mktemp("widget")
    web_port = free_port()
    with (
        running_bot(workdir, cors=[f"http://127.0.0.1:{web_port}"]) as bot,
        running_web_app(workdir, bot.rasa_url, web_port) as url,
    ):
        yield Site(url, bot)


@pytest.fixture
def widget(chromium, site, request):
    """A new visitor (fresh sessionStorage) on the demo page; page errors fail the test."""
    options = getattr(request, "param", {})
    context = chromium.new_context(
        viewport=options.get("viewport", DESKTOP),
        device_scale_factor=options.get("scale", 1),
        bypass_csp=options.get("bypass_csp", False),
    )
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("dialog", lambda dialog: (errors.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    yield WidgetPage(page).goto(site.url)
    context.close()
    assert not errors, errors


def ask_how_long(widget: WidgetPage) -> None:
    widget.wait_for_greeting()
    widget.type_and_send("how long does it last?")
    expect(widget.bot_messages.last).to_contain_text("3–4 months", timeout=REPLY_TIMEOUT_MS)


def last_text(replies: list) -> str:
    """The bot's last text message (a new conversation opens with the disclaimer first)."""
    return [reply["text"] for reply in replies if reply.get("text")][-1]


def first_paragraph(topic: str) -> str:
    return answer_for_topic(topic).text.split("\n\n")[0]


def test_keyboard_visitor_opens_the_widget_reads_the_disclaimer_and_the_answer(widget):
    widget.open_by_keyboard()
    assert widget.focused() == "Your message"
    expect(widget.log).to_contain_text("not medical advice")  # the widget's fixed notice
    widget.wait_for_greeting()
    expect(widget.bot_messages.first).to_contain_text("not medical advice")  # the bot's disclaimer
    widget.type_and_send("how long does it last?")
    expect(widget.user_messages.last).to_have_text("You: how long does it last?")
    answer = widget.bot_messages.last
    expect(answer).to_contain_text(first_paragraph("results_duration"), timeout=REPLY_TIMEOUT_MS)
    expect(answer).to_contain_text("Source: “Risks Associated with Botox for Facial Paralysis”")
    widget.page.screenshot(path=output_path("widget-desktop.png"))


def test_follow_up_button_sends_its_payload_and_replaces_the_old_buttons(widget):
    widget.launcher.click()
    ask_how_long(widget)
    widget.page.get_by_role("button", name="Retreatment").click()
    expect(widget.user_messages.last).to_have_text("You: Retreatment")
    expect(widget.bot_messages.last).to_contain_text(first_paragraph("retreatment"), timeout=REPLY_TIMEOUT_MS)
    # Only the latest answer keeps quick replies: one "Book a consultation", the newest.
    expect(widget.page.get_by_role("button", name="Book a consultation")).to_have_count(1)
    expect(widget.page.get_by_role("button", name="How long results last")).to_be_visible()


def test_keyboard_visitor_books_a_consultation_from_a_quick_reply(widget, site):
    widget.open_by_keyboard()
    ask_how_long(widget)
    widget.tab_to("Book a consultation", key="Shift+Tab")
    widget.page.keyboard.press("Enter")
    expected = last_text(site.bot.say("reference-booking", "/request_booking"))
    expect(widget.user_messages.last).to_have_text("You: Book a consultation")
    expect(widget.bot_messages.last).to_contain_text(expected.split("\n\n")[0], timeout=REPLY_TIMEOUT_MS)
    assert widget.focused() == "Your message"  # the pressed button is gone; focus is not lost


def test_request_a_consultation_button_on_the_page_opens_the_chat_on_booking(widget, site):
    widget.page.get_by_role("button", name="Request a Consultation").first.click()
    expect(widget.panel).to_be_visible()
    widget.wait_for_greeting()  # the greeting with its disclaimer comes first
    expect(widget.user_messages).to_have_text(["You: Request a Consultation"])
    expected = last_text(site.bot.say("reference-booking-cta", "/request_booking"))
    expect(widget.bot_messages.last).to_contain_text(expected.split("\n\n")[0], timeout=REPLY_TIMEOUT_MS)
    # The greeting's quick replies went when the visitor spoke after it.
    expect(widget.bot_messages.first.get_by_role("button")).to_have_count(0)


def test_talk_to_a_person_reaches_the_handoff(widget, site):
    widget.launcher.click()
    widget.wait_for_greeting()
    widget.talk_to_person.click()
    expected = last_text(site.bot.say("reference-human", "/request_human"))
    expect(widget.bot_messages.last).to_contain_text(expected.split("\n\n")[0], timeout=REPLY_TIMEOUT_MS)


def test_reload_keeps_the_conversation_and_the_rasa_session(widget, site):
    widget.launcher.click()
    ask_how_long(widget)
    sender, before = widget.sender_id(), widget.texts()
    widget.page.reload()
    expect(widget.panel).to_be_visible()  # it was open, so it opens again
    assert widget.texts() == before and widget.sender_id() == sender
    widget.type_and_send("what is the downtime?")
    expect(widget.bot_messages.last).to_contain_text(first_paragraph("downtime"), timeout=REPLY_TIMEOUT_MS)
    with sqlite3.connect(site.bot.tracker_db) as db:
        (user_turns,) = db.execute(
            "select count(*) from events where sender_id = ? and type_name = 'user'", (sender,)
        ).fetchone()
    assert user_turns == 3  # greeting, question, question after the reload: one conversation


def test_a_patient_rates_an_answer_and_the_rating_is_kept_with_the_conversation(widget, site):
    widget.launcher.click()
    ask_how_long(widget)
    answer = widget.bot_messages.last
    helpful = answer.get_by_role("button", name="Helpful", exact=True)
    not_helpful = answer.get_by_role("button", name="Not helpful")
    expect(helpful).to_have_attribute("aria-pressed", "false")
    not_helpful.click()
    expect(not_helpful).to_have_attribute("aria-pressed", "true")
    helpful.click()  # changed their mind
    expect(helpful).to_have_attribute("aria-pressed", "true")
    expect(not_helpful).to_have_attribute("aria-pressed", "false")
    expect(answer.get_by_role("status")).to_have_text("Thanks for your feedback.")
    with sqlite3.connect(site.bot.tracker_db) as db:
        ratings = db.execute(
            "select data from events where sender_id = ? and type_name = 'slot' and data like ?",
            (widget.sender_id(), "%answer_rating%"),
        ).fetchall()
    assert ['"rating": "down"' in r[0] for r in ratings] == [True, False] and '"rating": "up"' in ratings[1][
        0
    ]
    widget.page.reload()  # the rating stays shown
    expect(widget.bot_messages.last.get_by_role("button", name="Helpful", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )


def test_start_over_begins_a_new_conversation(widget):
    widget.launcher.click()
    ask_how_long(widget)
    old_sender = widget.sender_id()
    widget.start_over.click()
    expect(widget.user_messages).to_have_count(0)
    widget.wait_for_greeting()
    expect(widget.bot_messages).to_have_count(1)
    assert widget.sender_id() != old_sender
    assert widget.focused() == "Your message"


@pytest.mark.parametrize("widget", [{"bypass_csp": True}], indirect=True)
def test_markup_from_the_visitor_is_shown_as_text_and_never_run(widget):
    """The page's CSP is bypassed here so that only the widget's own rendering is under test."""
    widget.launcher.click()
    widget.wait_for_greeting()
    widget.type_and_send(MARKUP)
    expect(widget.user_messages.last).to_have_text(f"You: {MARKUP}")
    widget.wait_for_bot_count(2)
    expect(widget.panel.locator("img")).to_have_count(0)
    assert widget.page.evaluate("() => document.querySelectorAll('img').length") == 0
    # The `widget` fixture fails the test if an alert dialog opened or a page error occurred.


def test_escape_closes_the_panel_and_focus_returns_to_the_launcher(widget):
    widget.open_by_keyboard()
    widget.wait_for_greeting()
    widget.page.keyboard.press("Escape")
    expect(widget.panel).to_be_hidden()
    assert widget.focused() == "Chat with us"
    widget.page.keyboard.press("Enter")
    expect(widget.panel).to_be_visible()
    widget.close.click()
    assert widget.focused() == "Chat with us"


FOCUS_STYLE_JS = """() => {
  let el = document.activeElement;
  while (el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
  const style = getComputedStyle(el);
  return [style.outlineStyle, parseFloat(style.outlineWidth)];
}"""
FOCUS_IN_WIDGET_JS = "() => document.activeElement === document.getElementById('clinic-chat-widget')"


def test_keyboard_reaches_every_control_with_visible_focus_and_is_never_trapped(widget):
    widget.open_by_keyboard()
    widget.wait_for_greeting()
    seen = []
    while len(seen) < 20 and (not seen or seen[-1] != "Request a Consultation"):
        widget.page.keyboard.press("Shift+Tab")
        seen.append(widget.focused())
        style, width = widget.page.evaluate(FOCUS_STYLE_JS)
        assert style != "none" and width >= 2, f"no visible focus on {seen[-1]!r}"
    for control in ("Close chat", "Talk to a person", "Start over", "Conversation", "Book a consultation"):
        assert control in seen, seen
    assert seen[-1] == "Request a Consultation", seen  # Shift+Tab left the widget for the page
    widget.input.focus()
    widget.page.keyboard.press("Tab")
    assert widget.focused() == "Send"
    widget.page.keyboard.press("Tab")
    assert not widget.page.evaluate(FOCUS_IN_WIDGET_JS)  # Tab leaves it too: no trap


@pytest.mark.parametrize("widget", [{"viewport": NARROW}], indirect=True)
def test_works_at_320_px_wide(widget):
    widget.launcher.click()
    ask_how_long(widget)
    assert_fits_the_viewport(widget)
    widget.page.screenshot(path=output_path("widget-320px.png"))


@pytest.mark.parametrize("widget", [{"viewport": {"width": 640, "height": 400}, "scale": 2}], indirect=True)
def test_works_at_200_percent_zoom(widget):
    """A 1280x800 window at 200 % zoom lays out as a 640x400 CSS-pixel viewport at scale 2."""
    widget.open_by_keyboard()
    ask_how_long(widget)
    assert_fits_the_viewport(widget)
    widget.page.screenshot(path=output_path("widget-zoom-200.png"))


def assert_fits_the_viewport(widget: WidgetPage) -> None:
    """No sideways scrolling, and every control of the panel on screen and at least 24x24 px."""
    viewport = widget.page.viewport_size
    assert widget.page.evaluate("() => document.documentElement.scrollWidth") <= viewport["width"]
    box = widget.panel.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"]
    assert box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"]
    for control in (
        widget.input,
        widget.close,
        widget.talk_to_person,
        widget.start_over,
        widget.page.get_by_role("button", name="Send"),
    ):
        control_box = control.bounding_box()
        assert control_box["width"] >= 24 and control_box["height"] >= 24
        assert control_box["x"] >= 0 and control_box["x"] + control_box["width"] <= viewport["width"]


@pytest.mark.parametrize(
    "widget",
    [{"bypass_csp": True}, {"bypass_csp": True, "viewport": NARROW}],
    indirect=True,
    ids=["desktop", "320px"],
)
def test_axe_finds_no_serious_or_critical_violation_in_a_conversation(widget):
    widget.launcher.click()
    ask_how_long(widget)
    name = f"conversation-{widget.page.viewport_size['width']}px"
    assert run_axe(widget.page, name).blocking == []


def test_rasa_allows_only_the_configured_page_origin(site):
    url = f"{site.bot.rasa_url}/webhooks/rest/webhook"
    allowed = requests.options(
        url, headers={"Origin": site.url, "Access-Control-Request-Method": "POST"}, timeout=10
    )
    other = requests.options(
        url, headers={"Origin": "http://evil.example", "Access-Control-Request-Method": "POST"}, timeout=10
    )
    assert allowed.headers.get("Access-Control-Allow-Origin") == site.url
    assert "Access-Control-Allow-Origin" not in other.headers


def test_zz_server_down_shows_a_friendly_error_and_keeps_the_message(widget, site):
    """Runs last in this module: it stops the Rasa server."""
    widget.launcher.click()
    widget.wait_for_greeting()
    rasa = psutil.Process(site.bot.rasa_pid)
    rasa.terminate()
    rasa.wait(timeout=60)
    widget.type_and_send("how long does it last?")
    expect(widget.error).to_be_visible(timeout=REPLY_TIMEOUT_MS)
    expect(widget.error).to_have_attribute("role", "alert")
    expect(widget.error).to_contain_text("can't be reached right now")
    expect(widget.error).to_contain_text(offline_contact_line())  # the routes that are set, and 911
    expect(widget.typing).to_have_text("")
    expect(widget.user_messages.last).to_have_text("You: how long does it last?")
    widget.page.screenshot(path=output_path("widget-server-down.png"))
    widget.page.get_by_role("button", name="Try again").click()
    expect(widget.error).to_be_visible(timeout=REPLY_TIMEOUT_MS)  # still down: still explained
    expect(widget.user_messages).to_have_count(1)  # the retry did not duplicate the message
    outbox = widget.page.evaluate("() => JSON.parse(sessionStorage.getItem('clinic-chat:outbox'))")
    assert [item["payload"] for item in outbox] == ["how long does it last?"]
