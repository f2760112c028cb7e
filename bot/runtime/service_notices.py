"""What the patient is told when part of the system is down, worded from
data/wording/general.yml with the clinic's routes from settings.yml."""

from bot.contact import phone_and_web, with_route
from bot.knowledge.answers import Reply
from bot.settings import Settings, get_settings
from bot.wording import wording


def unavailable_reply(settings: Settings | None = None) -> Reply:
    """The bot cannot answer this turn: say so, and give the routes to the clinic."""
    clinic = (settings or get_settings()).clinic
    return Reply(
        text=with_route(
            wording,
            "general.service.unavailable",
            clinic_phone_and_web=phone_and_web(clinic),
            clinic_name=clinic.name,
        ),
        custom={"service_notice": "unavailable"},
    )


def slow_down_reply(seconds: int) -> Reply:
    """Too many messages at once (flood protection): wait, then send again."""
    return Reply(
        text=wording("general.service.slow_down", wait=f"{seconds} second{'' if seconds == 1 else 's'}"),
        custom={"service_notice": "slow_down", "retry_after": seconds},
    )
