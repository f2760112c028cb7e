"""Routes from the bot to people at the clinic, worded from settings.yml (never invented)."""
from typing import Optional

from bot.knowledge.answers import Button, Reply
from bot.settings import Settings, get_settings

# Marks a conversation that a person at the clinic should look at (slot `staff_followup`).
HUMAN_HANDOFF = "human_handoff"
# Set by the safety path; never replaced by a less urgent mark.
EMERGENCY = "emergency"


def human_handoff_reply(settings: Optional[Settings] = None, booking_open: bool = False) -> Reply:
    """How to reach a person at the clinic, with the offer of a callback request (or, while a
    booking is already open, a reminder that finishing it gets the team to call back)."""
    clinic = (settings or get_settings()).clinic
    route = (f"You can talk to the clinic team by phone on {clinic.phone} "
             f"({clinic.opening_hours}). If you have a medical emergency, call 911 now.")
    if booking_open:
        return Reply(f"{route}\n\nOr let's finish your request here, and the clinic team will "
                     "contact you.")
    return Reply(
        f"{route}\n\nOr I can take a callback request: leave your name and number and the clinic "
        "team will call you back. Would you like to do that?",
        [Button("Yes, request a callback", "/affirm"), Button("No, thanks", "/deny")],
    )


def staff_followup_mark(current: Optional[str]) -> str:
    """The follow-up mark after a patient asks for a person: keeps an emergency mark."""
    return current if current == EMERGENCY else HUMAN_HANDOFF
