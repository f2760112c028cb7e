"""Routes from the bot to people at the clinic, worded from settings.yml (never invented)."""
from typing import Optional

from bot.knowledge.answers import Reply
from bot.settings import Settings, get_settings


def booking_handoff_reply(settings: Optional[Settings] = None) -> Reply:
    """How to request a consultation with the clinic team."""
    clinic = (settings or get_settings()).clinic
    return Reply(
        text=(
            f"You can request a consultation with {clinic.name} at {clinic.booking_url} "
            f"or by phone on {clinic.phone} ({clinic.opening_hours})."
        )
    )


def human_handoff_reply(settings: Optional[Settings] = None) -> Reply:
    """How to reach a person at the clinic."""
    clinic = (settings or get_settings()).clinic
    return Reply(
        text=(
            f"You can talk to the clinic team by phone on {clinic.phone} ({clinic.opening_hours}). "
            "If you have a medical emergency, call 911 now."
        )
    )
