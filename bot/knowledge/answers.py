"""Where an answer is chosen and composed: topic -> answer text, source section and buttons."""

from dataclasses import dataclass, field
from typing import Any

from bot.knowledge.base import KnowledgeBase, Topic, get_knowledge_base
from bot.wording import wording


@dataclass(frozen=True)
class Button:
    title: str
    payload: str

    def as_dict(self) -> dict[str, str]:
        return {"title": self.title, "payload": self.payload}


def booking_button() -> Button:
    return Button(wording("general.answers.buttons.book"), "/request_booking")


@dataclass(frozen=True)
class Reply:
    """One bot message, independent of Rasa: text, quick-reply buttons and structured extras."""

    text: str
    buttons: list[Button] = field(default_factory=list)
    custom: dict[str, Any] = field(default_factory=dict)


def topic_button(topic: Topic) -> Button:
    return Button(topic.title, f"/{topic.intent}")


def answer_for_topic(topic_id: str, kb: KnowledgeBase | None = None) -> Reply:
    """The grounded answer for a topic, naming the page section it comes from.

    The follow-up buttons are the topic's related topics plus booking.
    """
    kb = kb or get_knowledge_base()
    topic = kb.topics[topic_id]
    section = kb.source_section(topic)
    parts = [topic.answer]
    if topic.touches_symptoms:
        parts.append(wording("general.answers.personal_advice"))
    parts.append(wording("general.answers.source", heading=section.heading, page_title=kb.title))
    buttons = [topic_button(kb.topics[related]) for related in topic.related] + [booking_button()]
    return Reply(
        text="\n\n".join(parts),
        buttons=buttons,
        custom={"topic": topic.id, "source_section": section.heading},
    )


def answer_for_intent(intent: str | None, kb: KnowledgeBase | None = None) -> Reply | None:
    """The answer for a recognised intent, or None when no topic answers it."""
    kb = kb or get_knowledge_base()
    topic = kb.topic_for_intent(intent)
    return answer_for_topic(topic.id, kb) if topic else None
