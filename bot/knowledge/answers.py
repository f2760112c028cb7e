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
    text, [heading] = _grounded_text([topic], kb)
    buttons = [topic_button(kb.topics[related]) for related in topic.related] + [booking_button()]
    return Reply(text=text, buttons=buttons, custom={"topic": topic.id, "source_section": heading})


def answer_for_topics(topic_ids: list[str], kb: KnowledgeBase | None = None) -> Reply:
    """Several questions in one message: each topic's answer in the order asked, in one reply,
    with the personal-advice reminder and the source line once, and booking as the button."""
    kb = kb or get_knowledge_base()
    if len(topic_ids) == 1:
        return answer_for_topic(topic_ids[0], kb)
    topics = [kb.topics[topic_id] for topic_id in topic_ids]
    text, headings = _grounded_text(topics, kb)
    return Reply(
        text=text,
        buttons=[booking_button()],
        custom={"topic": topics[0].id, "topics": [topic.id for topic in topics], "source_sections": headings},
    )


def _grounded_text(topics: list[Topic], kb: KnowledgeBase) -> tuple[str, list[str]]:
    """The topics' answers in order, the personal-advice reminder once if any touches symptoms,
    and one line naming the page sections they come from; with those section headings."""
    parts = [topic.answer for topic in topics]
    if any(topic.touches_symptoms for topic in topics):
        parts.append(wording("general.answers.personal_advice"))
    headings = list(dict.fromkeys(kb.source_section(topic).heading for topic in topics))
    if len(headings) == 1:
        parts.append(wording("general.answers.source", heading=headings[0], page_title=kb.title))
    else:
        quoted = " and ".join(f"“{heading}”" for heading in headings)
        parts.append(wording("general.answers.sources", headings=quoted, page_title=kb.title))
    return "\n\n".join(parts), headings


def answer_for_intent(intent: str | None, kb: KnowledgeBase | None = None) -> Reply | None:
    """The answer for a recognised intent, or None when no topic answers it."""
    kb = kb or get_knowledge_base()
    topic = kb.topic_for_intent(intent)
    return answer_for_topic(topic.id, kb) if topic else None
