"""What the patient is told when part of the system is down, worded from settings.yml."""
from typing import Optional

from bot.contact import phone_and_web
from bot.knowledge.answers import Reply
from bot.settings import Settings, get_settings


def unavailable_reply(settings: Optional[Settings] = None) -> Reply:
    """The bot cannot answer this turn: say so, and give the routes to the clinic."""
    clinic = (settings or get_settings()).clinic
    return Reply(
        text=(
            "Sorry, I can't answer right now because of a technical problem. Please try again in a "
            f"few minutes, or reach {clinic.name} {phone_and_web(clinic)}. "
            "If you have a medical emergency, call 911 now."
        ),
        custom={"service_notice": "unavailable"},
    )
