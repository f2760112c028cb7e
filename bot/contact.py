"""Routes from the bot to people at the clinic, worded from settings.yml (never invented).

The one home of the clinic-contact line: every reply that names the clinic's phone, hours or
web page builds it here, so a change of wording or a missing setting is handled once. The
sentences around it are wording (data/wording/*.yml), which receives the line as a placeholder.
While settings.yml leaves a route empty it is left out: a text naming a route has a
`without_route` form, which `with_route` picks (a patient never sees a made-up or stand-in route)."""

from collections.abc import Callable
from typing import Any

from bot.knowledge.answers import Button, Reply
from bot.names import Followup
from bot.settings import ClinicSettings, Settings, get_settings
from bot.wording import wording

# The placeholders that carry a route; each is None while its settings are empty.
ROUTE_PLACEHOLDERS = ("clinic_phone_route", "clinic_phone_and_web", "clinic_contact")


def phone_with_hours(clinic: ClinicSettings) -> str | None:
    """ "+1 555 0100 (Mon-Fri 9-5)": the phone number and when it is answered (the number alone
    while the hours are unset); None while the phone is unset."""
    if not clinic.phone:
        return None
    return f"{clinic.phone} ({clinic.opening_hours})" if clinic.opening_hours else clinic.phone


def phone_and_web(clinic: ClinicSettings) -> str | None:
    """ "by phone on … (hours) or at https://…": the routes to the clinic team that are set."""
    phone = phone_with_hours(clinic)
    routes = ([f"by phone on {phone}"] if phone else []) + (
        [f"at {clinic.booking_url}"] if clinic.booking_url else []
    )
    return " or ".join(routes) or None


def clinic_contact(settings: Settings | None = None) -> str | None:
    """ "Clinic name, phone … (hours)": the clinic named with its phone route, if it has one."""
    clinic = (settings or get_settings()).clinic
    phone = phone_with_hours(clinic)
    return f"{clinic.name}, phone {phone}" if phone else None


def with_route(render: Callable[..., str], key: str, **values: Any) -> str:
    """`render("<key>.with_route", ...)` with the route among `values` (one of
    ROUTE_PLACEHOLDERS), or `render("<key>.without_route", ...)` without it when it is None."""
    [route_name] = [name for name in values if name in ROUTE_PLACEHOLDERS]
    route = values.pop(route_name)
    if route:
        return render(f"{key}.with_route", **{route_name: route}, **values)
    return render(f"{key}.without_route", **values)


def offline_contact_line(settings: Settings | None = None) -> str:
    """What the web widget shows when the assistant cannot be reached: the routes that are set,
    and 911."""
    clinic = (settings or get_settings()).clinic
    return with_route(wording, "general.offline_contact", clinic_phone_and_web=phone_and_web(clinic))


def human_handoff_reply(settings: Settings | None = None, booking_open: bool = False) -> Reply:
    """How to reach a person at the clinic, with the offer of a callback request (or, while a
    booking is already open, a reminder that finishing it gets the team to call back)."""
    clinic = (settings or get_settings()).clinic
    route = with_route(wording, "general.handoff.route", clinic_phone_route=phone_with_hours(clinic))
    if booking_open:
        return Reply(f"{route}\n\n{wording('general.handoff.finish_booking')}")
    return callback_offer(route)


def callback_offer(lead: str) -> Reply:
    """`lead`, then the offer of a callback request with Yes / No buttons (a "yes" starts the
    booking form as a callback request: data/rules/booking.yml)."""
    return Reply(
        f"{lead}\n\n{wording('general.handoff.callback_offer')}",
        [
            Button(wording("general.handoff.buttons.callback"), "/affirm"),
            Button(wording("general.handoff.buttons.no_callback"), "/deny"),
        ],
    )


def staff_followup_mark(current: str | None) -> str:
    """The follow-up mark after a patient asks for a person: keeps an emergency mark."""
    return current if current == Followup.EMERGENCY else Followup.HUMAN_HANDOFF
