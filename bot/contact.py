"""Routes from the bot to people at the clinic, worded from settings.yml (never invented).

The one home of the clinic-contact line: every reply that names the clinic's phone, hours or
web page builds it here, so a change of wording or a missing setting is handled once. The
sentences around it are wording (data/wording/*.yml), which receives the line as a placeholder."""

from bot.knowledge.answers import Button, Reply
from bot.names import Followup
from bot.settings import ClinicSettings, Settings, get_settings
from bot.wording import wording


def phone_with_hours(clinic: ClinicSettings) -> str:
    """ "+1 555 0100 (Mon-Fri 9-5)": the phone number and when it is answered."""
    return f"{clinic.phone} ({clinic.opening_hours})"


def phone_and_web(clinic: ClinicSettings) -> str:
    """ "by phone on … (hours) or at https://…": both routes to the clinic team."""
    return f"by phone on {phone_with_hours(clinic)} or at {clinic.booking_url}"


def clinic_contact(settings: Settings | None = None) -> str:
    """ "Clinic name, phone … (hours)": the clinic named with its phone route."""
    clinic = (settings or get_settings()).clinic
    return f"{clinic.name}, phone {phone_with_hours(clinic)}"


def human_handoff_reply(settings: Settings | None = None, booking_open: bool = False) -> Reply:
    """How to reach a person at the clinic, with the offer of a callback request (or, while a
    booking is already open, a reminder that finishing it gets the team to call back)."""
    clinic = (settings or get_settings()).clinic
    route = wording("general.handoff.route", clinic_phone_route=phone_with_hours(clinic))
    if booking_open:
        return Reply(f"{route}\n\n{wording('general.handoff.finish_booking')}")
    return Reply(
        f"{route}\n\n{wording('general.handoff.callback_offer')}",
        [
            Button(wording("general.handoff.buttons.callback"), "/affirm"),
            Button(wording("general.handoff.buttons.no_callback"), "/deny"),
        ],
    )


def staff_followup_mark(current: str | None) -> str:
    """The follow-up mark after a patient asks for a person: keeps an emergency mark."""
    return current if current == Followup.EMERGENCY else Followup.HUMAN_HANDOFF
