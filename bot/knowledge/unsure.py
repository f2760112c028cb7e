"""What the bot says when it did not understand: what the page says, if a passage clearly
matches; otherwise honestly unsure, with topics to choose from and the clinic team's contact."""
from typing import Optional

from bot.contact import human_handoff_reply
from bot.knowledge.answers import (
    BOOKING_BUTTON, PERSONAL_ADVICE_REMINDER, Reply, topic_button, topic_menu)
from bot.knowledge.retrieval import Retrieved, get_retriever

UNSURE_TEXT = (
    "I'm not sure I understood that. I can answer questions about Botox for facial paralysis "
    "from our clinic's page. Pick a topic below, ask in other words, or book a consultation to "
    "talk it through with the clinic team."
)
RETRIEVED_INTRO = "I'm not sure I understood that, but here is what our page says about “{heading}”:"
RETRIEVED_OUTRO = "If that is not what you asked, pick a topic below or ask in other words."


def retrieved_reply(found: Retrieved) -> Reply:
    """A passage of the page, quoted verbatim under its section, offered as a best guess."""
    parts = [RETRIEVED_INTRO.format(heading=found.section.heading), f"“{found.passage.text}”"]
    if any(topic.touches_symptoms for topic in found.topics):
        parts.append(PERSONAL_ADVICE_REMINDER)
    parts.append(RETRIEVED_OUTRO)
    buttons = [topic_button(topic) for topic in found.topics[:2]] + [BOOKING_BUTTON]
    return Reply(
        text="\n\n".join(parts),
        buttons=buttons,
        custom={"passage": found.passage.id, "source_section": found.section.heading,
                "retrieval_score": round(found.score, 2)},
    )


def unsure_reply(text: Optional[str] = None) -> Reply:
    """The page's best passage for `text` when it scores above the measured threshold; else not
    sure, the topic menu and how to reach the clinic team."""
    found = get_retriever().best(text) if text and text.strip() else None
    if found:
        return retrieved_reply(found)
    return Reply(text=f"{UNSURE_TEXT}\n\n{human_handoff_reply().text}", buttons=topic_menu())
