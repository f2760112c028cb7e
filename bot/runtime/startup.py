"""Reviewed data both servers read: checked when they start, so that a mistake in a wording file
or in the red-flag vocabulary stops the server with a `ConfigError` naming the file and the key,
instead of breaking a reply in a patient's conversation."""

from bot.safety.conversation import get_conversation_safety
from bot.safety.replies import get_safety_wording
from bot.wording import load_all_wording


def check_reviewed_data() -> None:
    """Load and check data/wording/*.yml, data/safety/emergency.yml, data/safety/red_flags.yml
    (the safety wording checks its symptom names against the red-flag file) and
    data/safety/conversation.yml."""
    load_all_wording()
    get_safety_wording()
    get_conversation_safety()
