"""What the bot says when it did not understand: what the page says, if a passage clearly
matches; otherwise one short "did you mean" with the likeliest topics as buttons (from the NLU's
ranking, else the most asked-about ones) and the clinic team as a button. The words are in
data/wording/general.yml (`unsure`)."""

from collections.abc import Iterable, Mapping
from typing import Any

from bot.knowledge.answers import Button, Reply, booking_button, topic_button
from bot.knowledge.base import get_knowledge_base
from bot.knowledge.retrieval import Retrieved, get_retriever
from bot.names import Intent
from bot.wording import wording

# Topics offered when the NLU's ranking names none: the most asked-about ones.
FEATURED_TOPICS = ("what_is", "results_duration", "side_effects")
SUGGESTIONS = 3  # topic buttons: a phone screen shows three without scrolling
# A topic the NLU gave less than this is not a likely meaning.
SUGGESTION_FLOOR = 0.05


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


def likely_topics(ranking: Iterable[Mapping[str, Any]]) -> list[str]:
    """The page topics the NLU ranked highest for the message, best first (at most SUGGESTIONS);
    the featured topics fill up the rest."""
    kb = get_knowledge_base()
    ranked = [
        topic.id
        for entry in ranking
        if (entry.get("confidence") or 0) >= SUGGESTION_FLOOR
        and (topic := kb.topic_for_intent(entry.get("name"))) is not None
    ]
    return list(dict.fromkeys([*ranked, *FEATURED_TOPICS]))[:SUGGESTIONS]


def unsure_reply(text: str | None = None, ranking: Iterable[Mapping[str, Any]] = ()) -> Reply:
    """The page's best passage for `text` when it scores above the measured threshold; else one
    short "did you mean" with the likeliest topics of the NLU's `ranking` as buttons, then the
    clinic team (whose callback offer leads to booking)."""
    found = get_retriever().best(text) if text and text.strip() else None
    if found:
        return retrieved_reply(found)
    kb = get_knowledge_base()
    buttons = [topic_button(kb.topics[t]) for t in likely_topics(ranking)]
    buttons.append(Button(wording("general.unsure.buttons.ask_the_team"), f"/{Intent.REQUEST_HUMAN}"))
    return Reply(text=wording("general.unsure.not_understood"), buttons=buttons, custom={"unsure": True})
