"""Everything the booking form says: questions, explanations after a wrong answer, the summary
before anything is stored, and how each booking ends. The words are in data/wording/booking.yml;
clinic details come from settings."""

from collections.abc import Collection, Mapping
from dataclasses import replace
from typing import Any

from bot.booking import slots as s
from bot.booking.reading import preferred_time_brief, preferred_time_summary
from bot.booking.someone_else import PATIENT, SOMEONE_ELSE
from bot.booking.text import plain
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


def _for_someone_else(slots: Slots) -> bool:
    return bool(slots.get(s.RELATION))


def _relation(slots: Slots) -> str:
    """ "your mother", or "" when the patient's relation to the requester was not said."""
    relation = slots.get(s.RELATION)
    return (
        ""
        if relation in (None, SOMEONE_ELSE)
        else wording("booking.someone_else.relation", relation=relation)
    )


def _first_word(slots: Slots, slot: str, unknown_key: str) -> str:
    name = str(slots.get(slot) or "").split()
    return name[0] if name else wording(unknown_key)


def _patient_first_name(slots: Slots) -> str:
    return _first_word(slots, s.NAME, "booking.someone_else.them")


def _contact_is_patients(slots: Slots) -> bool:
    """Booking for someone else, with the patient's own phone or email."""
    return slots.get(s.CONTACT_IS) == PATIENT


def _question_for_someone_else(slot: str, slots: Slots) -> Reply | None:
    """The name and contact questions while booking for another person."""
    if slot == s.NAME and slots.get(s.CHANGE) != slot:
        relation = _relation(slots)
        if relation:
            return Reply(wording("booking.someone_else.questions.name", relation=relation))
        return Reply(wording("booking.someone_else.questions.name_unknown_relation"))
    if slot == s.REQUESTER_NAME:
        if _relation(slots):
            return Reply(wording("booking.someone_else.questions.requester_name"))
        return Reply(
            wording(
                "booking.someone_else.questions.requester_name_and_relation",
                patient=_patient_first_name(slots),
            )
        )
    if slot == s.PHONE and slots.get(s.CHANGE) != slot:
        return Reply(wording("booking.someone_else.questions.phone", patient=_patient_first_name(slots)))
    return None


def question(slot: str, slots: Slots) -> Reply:
    """The question for `slot` (worded for a change when the patient is changing it)."""
    changing = slots.get(s.CHANGE) == slot
    if _for_someone_else(slots):
        reply = _question_for_someone_else(slot, slots)
        if reply:
            return reply
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
                for detail, (payload, _) in s.changeable(slots).items()
            ]
            + [Button(wording("booking.buttons.change_nothing"), "nothing")],
        )
    if slot == s.OUTCOME:
        return summary(slots)
    raise ValueError(f"the booking form never asks for {slot}")


def _contact_you(slots: Slots) -> str:
    """ "contact you on +44 7700 900123 or name@example.com": the routes the patient gave (or
    "contact Dorothy on ..." when they are the patient's, booking for someone else)."""
    phone = display_phone(slots[s.PHONE]) if slots.get(s.PHONE) else None
    email = slots.get(s.EMAIL) or None
    who = _patient_first_name(slots) if _contact_is_patients(slots) else wording("booking.contact_you.you")
    if phone and email:
        return wording("booking.contact_you.phone_and_email", who=who, phone=phone, email=email)
    if phone:
        return wording("booking.contact_you.phone", who=who, phone=phone)
    if email:
        return wording("booking.contact_you.email", who=who, email=email)
    return wording("booking.contact_you.no_details", who=who)


def summary(slots: Slots) -> Reply:
    """Everything the patient gave, with confirm / change / cancel, before anything is stored."""
    not_given = wording("booking.summary.not_given")
    lines = [
        wording("booking.summary.heading", request=_request_name(slots)),
        *_who_lines(slots),
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


def _who_lines(slots: Slots) -> list[str]:
    """Who the request is for, and who asked when that is someone else."""
    if not _for_someone_else(slots):
        return [wording("booking.summary.name", name=slots.get(s.NAME))]
    relation = _relation(slots)
    patient = (
        wording("booking.summary.patient", name=slots.get(s.NAME), relation=relation)
        if relation
        else wording("booking.summary.patient_no_relation", name=slots.get(s.NAME))
    )
    owner = (
        wording("booking.someone_else.theirs", patient=_patient_first_name(slots))
        if _contact_is_patients(slots)
        else wording("booking.someone_else.yours")
    )
    return [
        patient,
        wording("booking.summary.requester_name", requester_name=slots.get(s.REQUESTER_NAME)),
        wording("booking.summary.contact_of", owner=owner),
    ]


_BRIEF_SLOTS = (s.NAME, s.REQUESTER_NAME, s.PHONE, s.EMAIL, s.PREFERRED_TIME)


def _brief(slot: str, slots: Slots) -> str:
    if slot == s.PHONE:
        return display_phone(slots[s.PHONE])
    if slot == s.PREFERRED_TIME:
        return preferred_time_brief(slots)
    return str(slots[slot])


def acknowledgement(new_slots: Collection[str], slots: Slots) -> str:
    """ "Got it: Fridays, after 3 pm." for the details a message just gave (issue 13, item 5),
    said with the next question; "" when it gave none."""
    given = [_brief(slot, slots) for slot in _BRIEF_SLOTS if slot in new_slots and slots.get(slot)]
    return wording("booking.acknowledgement", details="; ".join(given)) if given else ""


def with_acknowledgement(reply: Reply, new_slots: Collection[str], slots: Slots) -> Reply:
    said = acknowledgement(new_slots, slots)
    return replace(reply, text=f"{said}\n{reply.text}") if said else reply


def typed_button(slot: str | None, slots: Slots, text: str) -> str | None:
    """The payload of the question's button whose label the patient typed out ("Yes, send it",
    "Change something", "Nothing, go back"), so that it acts as the button; else None."""
    if slot is None or slot == s.REQUESTED_SLOT:
        return None
    typed = plain(text)
    for button in question(slot, slots).buttons:
        if plain(button.title) == typed:
            return button.payload
    return None


def explanation(slot: str) -> Reply:
    """A fuller explanation, given after the second answer to the same question did not fit."""
    key = f"booking.explanations.{s.wording_key(slot)}"
    if slot == s.REASON:
        return Reply(wording(key, max_chars=MAX_REASON_CHARS))
    return Reply(wording(key))


def _first_name(slots: Slots) -> str:
    """The first name of the person the bot is talking to (the requester's, booking for another)."""
    slot = s.REQUESTER_NAME if _for_someone_else(slots) else s.NAME
    return _first_word(slots, slot, "booking.first_name_unknown")


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
