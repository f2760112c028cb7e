"""What the bot says when it did not understand: honest, with topics to choose from."""
from bot.knowledge.answers import Reply, topic_menu

UNSURE_TEXT = (
    "I'm not sure I understood that. I can answer questions about Botox for facial paralysis "
    "from our clinic's page. Pick a topic below, ask in other words, or book a consultation to "
    "talk it through with the clinic team."
)


def unsure_reply() -> Reply:
    return Reply(text=UNSURE_TEXT, buttons=topic_menu())
