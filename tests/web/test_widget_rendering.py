"""The widget's rendering and failure handling in headless Chromium, against a scripted Rasa.

Playwright answers the widget's REST calls, so these tests can send what the real bot would
rarely send (markup, unsafe links, the emergency alert before the safety work lands) and hold or
fail a request on purpose. The flows against the real bot are in test_widget_with_bot.py.
"""

import json
from collections import deque

import pytest
from playwright.sync_api import Route, expect

from bot.names import MAX_MESSAGE_CHARS
from tests.support.browser import output_path, run_axe, running_web_app
from tests.support.harness import free_port
from tests.support.widget_page import REPLY_TIMEOUT_MS, WidgetPage

GREETING = [
    {
        "text": "Hello! I'm the clinic's virtual assistant, an automated program.",
        "buttons": [{"title": "How long do results last?", "payload": "/ask_results_duration"}],
    }
]
EMERGENCY = [
    {"text": "Please call 911 now."},
    {"text": "Do not wait for a reply from the clinic."},
    {"custom": {"alert": "emergency", "symptom": "trouble swallowing"}},
]


class ScriptedRasa:
    """Answers POST {rasa_url}/webhooks/rest/webhook from a script: a list of messages, "hold"
    (answer later with `release`), "fail" (connection refused) or ("slow_down", seconds), the
    flood protection's 429. "/greet" gets GREETING."""

    def __init__(self, page, rasa_url: str, origin: str):
        self.origin = origin
        self.script: deque = deque()
        self.held: list[Route] = []
        self.received: list[str] = []
        page.route(f"{rasa_url}/webhooks/rest/webhook", self._handle)

    def then(self, *steps) -> "ScriptedRasa":
        self.script.extend(steps)
        return self

    def _handle(self, route: Route) -> None:
        message = json.loads(route.request.post_data)["message"]
        self.received.append(message)
        step = (
            GREETING
            if message == "/greet" and not self.script
            else (self.script.popleft() if self.script else [])
        )
        if step == "fail":
            route.abort("connectionrefused")
        elif step == "hold":
            self.held.append(route)
        elif isinstance(step, tuple) and step[0] == "slow_down":
            route.fulfill(
                status=429,
                content_type="application/json",
                body=json.dumps({"error": "too many messages", "retry_after": step[1]}),
                headers={"Access-Control-Allow-Origin": self.origin, "Retry-After": str(step[1])},
            )
        else:
            self._answer(route, step)

    def _answer(self, route: Route, messages: list) -> None:
        route.fulfill(
            status=200,
            content_type="application/json",
            body=json.dumps(messages),
            headers={"Access-Control-Allow-Origin": self.origin},
        )

    def release(self, messages: list) -> None:
        self._answer(self.held.pop(0), messages)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The web app pointed at a Rasa URL where nothing listens: every call is scripted."""
    rasa_url = f"http://127.0.0.1:{free_port()}"
    with running_web_app(tmp_path_factory.mktemp("widget-scripted"), rasa_url) as url:
        yield url, rasa_url


@pytest.fixture
def page(chromium):
    context = chromium.new_context(viewport={"width": 1280, "height": 800}, bypass_csp=True)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on("dialog", lambda dialog: (page.errors.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    yield page
    context.close()
    assert not page.errors, page.errors


@pytest.fixture
def rasa(page, site) -> ScriptedRasa:
    url, rasa_url = site
    return ScriptedRasa(page, rasa_url, url)


@pytest.fixture
def widget(page, site, rasa) -> WidgetPage:
    """The demo page with the widget open and greeted."""
    widget = WidgetPage(page).goto(site[0])
    widget.launcher.click()
    widget.wait_for_greeting()
    return widget


def test_typing_indicator_shows_while_waiting_and_clears_with_the_answer(widget, rasa):
    rasa.then("hold")
    widget.type_and_send("how long does it last?")
    expect(widget.typing).to_have_text("The assistant is typing...")
    rasa.release([{"text": "About 3–4 months."}])
    expect(widget.bot_messages.last).to_have_text("Assistant: About 3–4 months.")
    expect(widget.typing).to_have_text("")


def test_markup_from_the_bot_is_shown_as_text(widget, rasa):
    markup = "<b>bold</b><img src=x onerror=alert(1)><script>alert(2)</script>"
    rasa.then([{"text": markup, "buttons": [{"title": "<i>x</i>", "payload": "/greet"}]}])
    widget.type_and_send("hi")
    expect(widget.bot_messages.last).to_contain_text(markup)
    expect(widget.page.get_by_role("button", name="<i>x</i>")).to_be_visible()
    for tag in ("b", "i", "img", "script"):
        expect(widget.panel.locator(f".message {tag}")).to_have_count(0)


def test_only_http_and_https_links_become_links(widget, rasa):
    rasa.then(
        [
            {
                "text": (
                    "Book at https://clinic.example/book. Or use [our form](https://clinic.example/form), "
                    "not [this](javascript:alert(1)) nor [that](data:text/html,hi) nor ftp://clinic.example/x"
                )
            }
        ]
    )
    widget.type_and_send("where do I book?")
    links = widget.bot_messages.last.get_by_role("link")
    expect(links).to_have_count(2)
    assert [links.nth(i).get_attribute("href") for i in range(2)] == [
        "https://clinic.example/book",
        "https://clinic.example/form",
    ]
    expect(links.first).to_have_attribute("rel", "noopener noreferrer")
    expect(links.nth(1)).to_have_text("our form (opens in a new tab)")
    expect(widget.bot_messages.last).to_contain_text("[this](javascript:alert(1))")


def test_paragraphs_and_one_reply_per_custom_payload(widget, rasa):
    rasa.then(
        [
            {
                "text": "First paragraph.\n\nSecond paragraph.",
                "buttons": [{"title": "More", "payload": "/more"}],
            },
            {"custom": {"topic": "results_duration", "source_section": "Risks"}},
            {"text": "A second reply."},
        ]
    )
    widget.type_and_send("question")
    widget.wait_for_bot_count(3)
    expect(widget.bot_messages.nth(1).locator("p")).to_have_text(["First paragraph.", "Second paragraph."])
    expect(widget.bot_messages.nth(2)).to_have_text("Assistant: A second reply.")


def test_the_emergency_answer_is_an_alert_that_stands_out(widget, rasa):
    rasa.then(EMERGENCY)
    widget.type_and_send("it is hard to swallow since my injection")
    alert = widget.page.get_by_role("alert")
    expect(alert).to_contain_text("Please call 911 now.")
    expect(alert).to_contain_text("Do not wait for a reply from the clinic.")
    expect(alert).to_contain_text("Urgent safety message")
    border = alert.evaluate("el => getComputedStyle(el).borderTopColor")
    assert border == "rgb(179, 38, 30)"
    widget.page.screenshot(path=output_path("widget-emergency.png"))
    assert run_axe(widget.page, "emergency-alert").blocking == []
    widget.page.reload()
    expect(widget.page.locator(".message.alert")).to_contain_text("Please call 911 now.")
    expect(widget.page.get_by_role("alert")).to_have_count(0)  # not announced again on reload


def test_retry_after_a_failure_sends_the_kept_message_once(widget, rasa):
    rasa.then("fail", [{"text": "About 3–4 months."}])
    widget.type_and_send("how long does it last?")
    expect(widget.error).to_contain_text("can't be reached right now")
    expect(widget.typing).to_have_text("")
    assert run_axe(widget.page, "server-down").blocking == []
    widget.page.get_by_role("button", name="Try again").click()
    expect(widget.bot_messages.last).to_have_text("Assistant: About 3–4 months.")
    expect(widget.error).to_be_hidden()
    expect(widget.user_messages).to_have_count(1)
    assert rasa.received == ["/greet", "how long does it last?", "how long does it last?"]


def test_a_refused_message_is_kept_explained_and_sent_again_after_the_wait(widget, rasa):
    rasa.then(("slow_down", 2), [{"text": "About 3–4 months."}])
    widget.type_and_send("how long does it last?")
    notice = widget.page.locator(".slow-down")
    expect(notice).to_contain_text("sending messages quickly")
    expect(notice).to_contain_text("2 seconds")
    expect(widget.bot_messages.last).to_have_text("Assistant: About 3–4 months.", timeout=REPLY_TIMEOUT_MS)
    expect(notice).to_be_hidden()
    expect(widget.error).to_be_hidden()
    expect(widget.user_messages).to_have_count(1)
    assert rasa.received == ["/greet", "how long does it last?", "how long does it last?"]


def test_a_message_written_while_offline_is_sent_after_the_failed_one(widget, rasa):
    rasa.then("fail", [{"text": "Answer one."}], [{"text": "Answer two."}])
    widget.type_and_send("one")
    expect(widget.error).to_be_visible()
    widget.type_and_send("two")
    # Two requests in a row; the scripted server answers at once, but a loaded CI machine is slow.
    expect(widget.bot_messages.last).to_have_text("Assistant: Answer two.", timeout=REPLY_TIMEOUT_MS)
    assert rasa.received[1:] == ["one", "one", "two"]
    assert [t.split("\n")[-1] for t in widget.texts()[1:]] == ["one", "two", "Answer one.", "Answer two."]


def test_a_reload_while_waiting_sends_the_message_again(widget, rasa, page):
    rasa.then("hold", [{"text": "Answer after the reload."}])
    widget.type_and_send("question before reload")
    expect(widget.typing).to_contain_text("typing")
    page.reload()
    expect(widget.bot_messages.last).to_have_text("Assistant: Answer after the reload.")
    expect(widget.user_messages).to_have_text(["You: question before reload"])
    assert rasa.received.count("question before reload") == 2


def test_empty_and_oversized_messages_get_a_clear_answer(widget, rasa):
    widget.type_and_send("   ")
    expect(widget.page.locator(".input-hint")).to_have_text("Please type a question first.")
    assert rasa.received == ["/greet"]
    rasa.then([{"text": "Received."}])
    widget.input.fill("x" * 5000)
    expect(widget.page.locator(".input-hint")).to_contain_text("longest message")
    widget.page.keyboard.press("Enter")
    widget.wait_for_bot_count(2)  # the greeting and the answer: the request has been made
    expect(widget.user_messages).to_have_count(1)
    assert len(rasa.received[-1]) == MAX_MESSAGE_CHARS  # the server's limit, not the widget's own


def test_odd_unicode_is_sent_and_shown_unchanged(widget, rasa):
    text = "naïve 😀 ‮RTL ‍ 漢字"
    rasa.then([{"text": text}])
    widget.type_and_send(text)
    expect(widget.user_messages.last).to_have_text(f"You: {text}")
    expect(widget.bot_messages.last).to_have_text(f"Assistant: {text}")
    assert rasa.received[-1] == text


def test_talk_to_a_person_stays_in_the_same_place_in_every_state(widget, rasa):
    places = {"idle": widget.talk_to_person.bounding_box()}
    rasa.then("hold", "fail", EMERGENCY)
    widget.type_and_send("one")
    expect(widget.typing).to_contain_text("typing")
    places["typing"] = widget.talk_to_person.bounding_box()
    rasa.release([{"text": "x"}])
    widget.type_and_send("two")
    expect(widget.error).to_be_visible()
    places["error"] = widget.talk_to_person.bounding_box()
    widget.page.get_by_role("button", name="Try again").click()
    expect(widget.page.get_by_role("alert")).to_contain_text("911")
    places["emergency"] = widget.talk_to_person.bounding_box()
    assert len({tuple(box.values()) for box in places.values()}) == 1, places


def test_controls_meet_non_text_contrast_and_target_size(widget):
    """WCAG 1.4.11 (3:1 for control boundaries) and 2.5.8 (24x24 px), measured in the page."""
    measured = widget.page.evaluate("""() => {
      const root = document.getElementById('clinic-chat-widget').shadowRoot;
      const rgb = (c) => c.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number);
      const lum = (c) => { const v = rgb(c).map((x) => { x /= 255;
        return x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4); });
        return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]; };
      const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
        return (x + 0.05) / (y + 0.05); };
      const bg = (el) => { while (el) { const c = getComputedStyle(el).backgroundColor;
        if (c !== 'rgba(0, 0, 0, 0)') return c; el = el.parentElement || el.getRootNode().host; }
        return 'rgb(255, 255, 255)'; };
      return [...root.querySelectorAll('button, input')].filter((el) => el.offsetParent)
        .map((el) => { const s = getComputedStyle(el); const box = el.getBoundingClientRect();
          const edge = s.borderTopStyle !== 'none' && parseFloat(s.borderTopWidth) > 0
            ? s.borderTopColor : s.backgroundColor;
          return {name: el.textContent.trim() || el.getAttribute('aria-label') || el.id,
                  boundary: ratio(edge, bg(el.parentElement)), text: ratio(s.color, bg(el)),
                  width: box.width, height: box.height}; });
    }""")
    assert len(measured) >= 6
    for control in measured:
        assert control["width"] >= 24 and control["height"] >= 24, control
        assert control["text"] >= 4.5, control
        if control["name"] != "Close chat":  # an icon button in the header: its text is the mark
            assert control["boundary"] >= 3, control


def test_one_script_tag_embeds_it_on_another_page_unharmed_by_its_css(page, site, rasa):
    """A host page with hostile CSS and a too-light brand colour still gets a readable widget."""
    url, rasa_url = site
    host_page = (
        "<!doctype html><html lang='en'><head><title>Host</title><style>"
        "* { color: red !important; font-size: 6px !important; } button { opacity: 0.1 }</style>"
        "</head><body><main><h1>Another page</h1></main>"
        f"<script src='/static/widget.js' data-server-url='{rasa_url}' data-title='Help'"
        " data-color='#ffee58'></script></body></html>"
    )
    page.route(f"{url}/embed-test", lambda route: route.fulfill(content_type="text/html", body=host_page))
    page.goto(f"{url}/embed-test")
    launcher = page.get_by_role("button", name="Chat with us")
    styles = launcher.evaluate(
        "el => [getComputedStyle(el).fontSize, getComputedStyle(el).opacity, getComputedStyle(el).color]"
    )
    assert styles == ["16px", "1", "rgb(255, 255, 255)"]
    launcher.click()
    expect(page.get_by_role("dialog", name="Help")).to_be_visible()
    WidgetPage(page).wait_for_greeting()
    # The host page's own red 6px heading fails, on purpose; only the widget is checked here.
    assert run_axe(page, "embedded-light-colour", within="#clinic-chat-widget").blocking == []


def test_the_closed_widget_and_the_demo_page_pass_axe(page, site, rasa):
    WidgetPage(page).goto(site[0])
    assert run_axe(page, "demo-page-closed").blocking == []
