"""The chat widget as a visitor sees it: Playwright locators and actions by role and name, so
the tests read like what a person does (and fail when a control loses its accessible name)."""

from playwright.sync_api import Page, expect

REPLY_TIMEOUT_MS = 45_000
FOCUSED_ELEMENT_JS = """() => {
  let el = document.activeElement;
  while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
  if (!el || el === document.body) return "";
  if (el.getAttribute("aria-label")) return el.getAttribute("aria-label");
  if (el.labels && el.labels.length) return el.labels[0].textContent.trim();
  const copy = el.cloneNode(true);
  copy.querySelectorAll("[aria-hidden=true]").forEach((hidden) => hidden.remove());
  return copy.textContent.trim();
}"""


class WidgetPage:
    def __init__(self, page: Page):
        self.page = page
        self.launcher = page.get_by_role("button", name="Chat with us")
        self.panel = page.get_by_role("dialog", name="Clinic assistant")
        self.log = page.get_by_role("log", name="Conversation")
        self.input = page.get_by_role("textbox", name="Your message")
        self.typing = page.get_by_role("status")
        self.error = page.locator(".error")
        self.talk_to_person = page.get_by_role("button", name="Talk to a person")
        self.start_over = page.get_by_role("button", name="Start over")
        self.close = page.get_by_role("button", name="Close chat")

    def goto(self, url: str) -> "WidgetPage":
        self.page.goto(url)
        expect(self.launcher.or_(self.panel)).to_be_visible()
        return self

    @property
    def bot_messages(self):
        return self.page.locator(".message.bot")

    @property
    def user_messages(self):
        return self.page.locator(".message.user")

    def focused(self) -> str:
        """The accessible name (or text) of the focused element, inside the widget's shadow root too."""
        return self.page.evaluate(FOCUSED_ELEMENT_JS)

    def tab_to(self, name: str, limit: int = 60, key: str = "Tab") -> None:
        """Press Tab until the element called `name` has focus, as a keyboard user would."""
        for _ in range(limit):
            self.page.keyboard.press(key)
            if self.focused().startswith(name):
                return
        raise AssertionError(f"{name!r} never got focus by {key}; last focus: {self.focused()!r}")

    def open_by_keyboard(self) -> None:
        self.tab_to("Chat with us")
        self.page.keyboard.press("Enter")
        expect(self.panel).to_be_visible()

    def wait_for_greeting(self) -> None:
        expect(self.bot_messages.first).to_contain_text("virtual assistant", timeout=REPLY_TIMEOUT_MS)

    def type_and_send(self, text: str) -> None:
        """Type into the message box and press Enter (the keyboard way to send)."""
        self.input.focus()
        self.input.fill(text)
        self.page.keyboard.press("Enter")

    def wait_for_bot_count(self, count: int) -> None:
        expect(self.bot_messages).to_have_count(count, timeout=REPLY_TIMEOUT_MS)

    def texts(self) -> list[str]:
        return self.page.locator(".message").all_inner_texts()

    def sender_id(self) -> str:
        return self.page.evaluate("() => JSON.parse(sessionStorage.getItem('clinic-chat:sender'))")
