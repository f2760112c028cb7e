"""Reviewed data both servers read: checked when they start, so that a mistake in a wording file
or in the red-flag vocabulary stops the server with a `ConfigError` naming the file and the key,
instead of breaking a reply in a patient's conversation."""

from bot.safety.replies import get_safety_wording
from bot.wording import load_all_wording


def check_reviewed_data() -> None:
    """Load and check data/wording/*.yml, data/safety/emergency.yml and data/safety/red_flags.yml
    (the safety wording checks its symptom names against the red-flag file)."""
    load_all_wording()
    get_safety_wording()
