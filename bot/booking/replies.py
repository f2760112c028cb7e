"""Everything the booking form says: questions, explanations after a wrong answer, the summary
before anything is stored, and how each booking ends. The words are in data/wording/booking.yml;
clinic details come from settings."""

from collections.abc import Mapping
from typing import Any

from bot.booking import slots as s
from bot.booking.reading import preferred_time_summary
from bot.booking.validators import MAX_REASON_CHARS, display_phone
from bot.contact import phone_and_web, phone_with_hours, with_route
from bot.knowledge.answers import Button, Reply
from bot.settings import Settings, get_settings
from bot.wording import wording

YES = "/affirm"
NO = "/deny"
CHANGE = "/correct"
CANCEL = "/cancel"

Slots = Mapping[str, Any]


def _kind(slots: Slots) -> str:
    """ "callback" or "consultation": the wording keys of the two kinds of request."""
    return s.CALLBACK if slots.get(s.KIND) == s.CALLBACK else s.CONSULTATION


def _request_name(slots: Slots) -> str:
    return wording(f"booking.request.{_kind(slots)}")


def opening(slots: Slots) -> Reply:
    """Said once, when the form starts."""
    return Reply(wording(f"booking.opening.{_kind(slots)}"))


def question(slot: str, slots: Slots) -> Reply:
    """The question for `slot` (worded for a change when the patient is changing it)."""
    changing = slots.get(s.CHANGE) == slot
    if slot in (s.NAME, s.PHONE):
        section = "changing" if changing else "questions"
        return Reply(wording(f"booking.{section}.{s.wording_key(slot)}"))
    if slot == s.EMAIL:
        return Reply(wording("booking.questions.email"))
    if slot == s.PREFERRED_TIME:
        if changing:
            return Reply(wording("booking.changing.preferred_time"))
        if _kind(slots) == s.CALLBACK:
            return Reply(wording("booking.questions.preferred_time_callback"))
        return Reply(wording("booking.questions.preferred_time"))
    if slot == s.REASON:
        return Reply(
            wording("booking.questions.reason"), [Button(wording("booking.buttons.skip_reason"), NO)]
        )
    if slot == s.CONSENT:
        return Reply(
            wording("booking.questions.consent", contact_you=_contact_you(slots)),
            [
                Button(wording("booking.buttons.consent_yes"), YES),
                Button(wording("booking.buttons.consent_no"), NO),
            ],
        )
    if slot == s.CHANGE:
        return Reply(
            wording("booking.questions.change"),
            [
                Button(wording(f"booking.buttons.details.{s.wording_key(detail)}"), payload)
                for detail, (payload, _) in s.CHANGEABLE.items()
            ]
            + [Button(wording("booking.buttons.change_nothing"), "nothing")],
        )
    if slot == s.OUTCOME:
        return summary(slots)
    raise ValueError(f"the booking form never asks for {slot}")


def _contact_you(slots: Slots) -> str:
    """ "contact you on +44 7700 900123 or name@example.com": the routes the patient gave."""
    phone = display_phone(slots[s.PHONE]) if slots.get(s.PHONE) else None
    email = slots.get(s.EMAIL) or None
    if phone and email:
        return wording("booking.contact_you.phone_and_email", phone=phone, email=email)
    if phone:
        return wording("booking.contact_you.phone", phone=phone)
    if email:
        return wording("booking.contact_you.email", email=email)
    return wording("booking.contact_you.no_details")


def summary(slots: Slots) -> Reply:
    """Everything the patient gave, with confirm / change / cancel, before anything is stored."""
    not_given = wording("booking.summary.not_given")
    lines = [
        wording("booking.summary.heading", request=_request_name(slots)),
        wording("booking.summary.name", name=slots.get(s.NAME)),
        wording(
            "booking.summary.phone", phone=display_phone(slots[s.PHONE]) if slots.get(s.PHONE) else not_given
        ),
        wording("booking.summary.email", email=slots.get(s.EMAIL) or not_given),
        wording("booking.summary.preferred_time", preferred_time=preferred_time_summary(slots)),
        wording("booking.summary.reason", reason=slots.get(s.REASON) or not_given),
        wording("booking.summary.consent"),
        "",
        wording("booking.summary.question"),
    ]
    return Reply(
        "\n".join(lines),
        [
            Button(wording("booking.buttons.send"), YES),
            Button(wording("booking.buttons.change_something"), CHANGE),
            Button(wording("booking.buttons.cancel"), CANCEL),
        ],
    )


def explanation(slot: str) -> Reply:
    """A fuller explanation, given after the second answer to the same question did not fit."""
    key = f"booking.explanations.{s.wording_key(slot)}"
    if slot == s.REASON:
        return Reply(wording(key, max_chars=MAX_REASON_CHARS))
    return Reply(wording(key))


def _first_name(slots: Slots) -> str:
    name = str(slots.get(s.NAME) or "").split()
    return name[0] if name else wording("booking.first_name_unknown")


def stored(slots: Slots, reference: str, settings: Settings | None = None) -> Reply:
    """The request is in the clinic's store."""
    clinic = (settings or get_settings()).clinic
    sent = wording(
        "booking.stored.sent",
        first_name=_first_name(slots),
        request=_request_name(slots),
        reference=reference,
    )
    next_step = with_route(
        wording,
        "booking.stored.next_step",
        clinic_phone_route=phone_with_hours(clinic),
        contact_you=_contact_you(slots),
        purpose=wording(f"booking.stored.purpose.{_kind(slots)}"),
    )
    return Reply(f"{sent}\n\n{next_step}", custom={"booking_reference": reference, "stored": True})


def not_stored(slots: Slots, reference: str, kept_on_disk: bool, settings: Settings | None = None) -> Reply:
    """The store could not be written: said honestly. The request is kept and retried; when
    not even on disk (only in memory until a restart), the patient is asked to call as well."""
    apology = with_route(
        wording,
        f"booking.not_stored.{'kept' if kept_on_disk else 'not_kept'}",
        clinic_phone_and_web=phone_and_web((settings or get_settings()).clinic),
        first_name=_first_name(slots),
    )
    return Reply(
        f"{apology}\n\n{wording('booking.not_stored.reference', reference=reference)}",
        custom={"booking_reference": reference, "stored": False},
    )


def ended_without_request(outcome: str, settings: Settings | None = None) -> Reply:
    """How a form that stored nothing ends: cancelled, no consent, or too many tries."""
    route = phone_and_web((settings or get_settings()).clinic)
    if outcome == s.DECLINED_CONSENT:
        return Reply(with_route(wording, "booking.ended.declined_consent", clinic_phone_and_web=route))
    if outcome == s.PHONE_ROUTE:
        return Reply(with_route(wording, "booking.ended.phone_route", clinic_phone_and_web=route))
    return Reply(wording("booking.ended.cancelled"))
