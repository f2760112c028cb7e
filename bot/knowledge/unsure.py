"""What the bot says when it did not understand: what the page says, if a passage clearly
matches; otherwise honestly unsure, with topics to choose from and the clinic team's contact.
The words are in data/wording/general.yml (`unsure`)."""

from bot.contact import human_handoff_reply
from bot.knowledge.answers import Reply, booking_button, topic_button, topic_menu
from bot.knowledge.retrieval import Retrieved, get_retriever
from bot.wording import wording


def retrieved_reply(found: Retrieved) -> Reply:
    """A passage of the page, quoted verbatim under its section, offered as a best guess."""
    parts = [
        wording("general.unsure.retrieved.intro", heading=found.section.heading),
        wording("general.unsure.retrieved.passage", passage=found.passage.text),
    ]
    if any(topic.touches_symptoms for topic in found.topics):
        parts.append(wording("general.answers.personal_advice"))
    parts.append(wording("general.unsure.retrieved.outro"))
    buttons = [topic_button(topic) for topic in found.topics[:2]] + [booking_button()]
    return Reply(
        text="\n\n".join(parts),
        buttons=buttons,
        custom={
            "passage": found.passage.id,
            "source_section": found.section.heading,
            "retrieval_score": round(found.score, 2),
        },
    )


def unsure_reply(text: str | None = None) -> Reply:
    """The page's best passage for `text` when it scores above the measured threshold; else not
    sure, the topic menu and how to reach the clinic team."""
    found = get_retriever().best(text) if text and text.strip() else None
    if found:
        return retrieved_reply(found)
    return Reply(
        text=f"{wording('general.unsure.not_understood')}\n\n{human_handoff_reply().text}",
        buttons=topic_menu(),
    )
