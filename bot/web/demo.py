"""The demo page: the clinic's page (its own headings and text) with the chat widget on it."""

from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from bot.contact import offline_contact_line
from bot.knowledge import KnowledgeBase, Section, get_knowledge_base
from bot.names import MAX_MESSAGE_CHARS
from bot.settings import Settings, get_settings
from bot.web.templating import TEMPLATES

SURGEON_SECTION = "surgeon"
BOOKING_PAYLOAD = "/request_booking"
WIDGET_COLOR = "#1f5f8b"

router = APIRouter()


@dataclass(frozen=True)
class SurgeonCard:
    name: str
    title: str
    quote: str


@dataclass(frozen=True)
class DemoPage:
    title: str
    clinic: str
    intro: Section
    sections: tuple[Section, ...]
    surgeon: SurgeonCard
    offline_contact: str


def demo_page(kb: KnowledgeBase | None = None, settings: Settings | None = None) -> DemoPage:
    """What the demo page shows, all from the knowledge base and settings (nothing written here)."""
    kb = kb or get_knowledge_base()
    intro, *rest = [s for s in kb.sections.values() if s.id != SURGEON_SECTION]
    passages = kb.passages
    return DemoPage(
        title=kb.title,
        clinic=kb.clinic,
        intro=intro,
        sections=tuple(rest),
        surgeon=SurgeonCard(
            name=passages["surgeon_name"].text,
            title=passages["surgeon_title"].text,
            quote=passages["surgeon_quote"].text,
        ),
        # Shown by the widget when the assistant cannot be reached: the routes to a person.
        offline_contact=offline_contact_line(settings or get_settings()),
    )


@router.get("/", response_class=HTMLResponse)
def show_demo_page(request: Request) -> HTMLResponse:
    return TEMPLATES.TemplateResponse(
        request,
        "demo.html",
        {
            "page": demo_page(),
            "rasa_url": request.app.state.rasa_url,
            "booking_payload": BOOKING_PAYLOAD,
            "widget_color": WIDGET_COLOR,
            "max_message_chars": MAX_MESSAGE_CHARS,
        },
    )
