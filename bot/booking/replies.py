"""Everything the booking form says: questions, explanations after a wrong answer, the summary
before anything is stored, and how each booking ends. Clinic details come from settings."""
from typing import Any, Mapping, Optional

from bot.booking import slots as s
from bot.booking.reading import preferred_time_summary
from bot.booking.validators import MAX_REASON_CHARS, display_phone
from bot.contact import phone_and_web, phone_with_hours
from bot.knowledge.answers import Button, Reply
from bot.settings import Settings, get_settings

YES = "/affirm"
NO = "/deny"
CHANGE = "/correct"
CANCEL = "/cancel"

Slots = Mapping[str, Any]


def _callback(slots: Slots) -> bool:
    return slots.get(s.KIND) == s.CALLBACK


def _request_name(slots: Slots) -> str:
    return "callback request" if _callback(slots) else "consultation request"


def opening(slots: Slots) -> Reply:
    """Said once, when the form starts."""
    if _callback(slots):
        return Reply("I'll take a few details so the clinic team can call you back. "
                     "You can say “cancel” at any time.")
    return Reply("Let's put in your consultation request: I'll ask a few quick questions. "
                 "You can say “cancel” at any time, and nothing is sent until you confirm.")


def question(slot: str, slots: Slots) -> Reply:
    """The question for `slot` (worded for a change when the patient is changing it)."""
    changing = slots.get(s.CHANGE) == slot
    if slot == s.NAME:
        return Reply("What name should I put instead?" if changing else "What's your full name?")
    if slot == s.PHONE:
        return Reply("What's the new phone number?" if changing else
                     "What's the best phone number or email address for the clinic team to "
                     "reach you?")
    if slot == s.EMAIL:
        return Reply("What's the new email address?")
    if slot == s.PREFERRED_TIME:
        if changing:
            return Reply("Which day and time would suit you instead?")
        if _callback(slots):
            return Reply("When is a good time for the clinic team to call you?")
        return Reply("Which day and time would suit you for the consultation? For example "
                     "“Tuesday afternoon” or “3 December at 10am”.")
    if slot == s.REASON:
        return Reply("In a few words, what would you like to talk about? This is optional.",
                     [Button("Skip this question", NO)])
    if slot == s.CONSENT:
        return Reply(f"Do you agree that the clinic team may contact you{_contact_words(slots)} "
                     "about this request?",
                     [Button("Yes, I agree", YES), Button("No", NO)])
    if slot == s.CHANGE:
        return Reply("What would you like to change?",
                     [Button(label, label.lower()) for label, _ in s.CHANGEABLE.values()]
                     + [Button("Nothing, go back", "nothing")])
    if slot == s.OUTCOME:
        return summary(slots)
    raise ValueError(f"the booking form never asks for {slot}")


def _contact_words(slots: Slots) -> str:
    routes = [display_phone(slots[s.PHONE])] if slots.get(s.PHONE) else []
    routes += [slots[s.EMAIL]] if slots.get(s.EMAIL) else []
    return f" on {' or '.join(routes)}" if routes else ""


def summary(slots: Slots) -> Reply:
    """Everything the patient gave, with confirm / change / cancel, before anything is stored."""
    lines = [
        f"Here's your {_request_name(slots)}:",
        f"• Name: {slots.get(s.NAME)}",
        f"• Phone: {display_phone(slots[s.PHONE]) if slots.get(s.PHONE) else 'not given'}",
        f"• Email: {slots.get(s.EMAIL) or 'not given'}",
        f"• Preferred day and time: {preferred_time_summary(slots)}",
        f"• Reason: {slots.get(s.REASON) or 'not given'}",
        "• You agree to be contacted about this request: yes",
        "",
        "Shall I send it to the clinic team?",
    ]
    return Reply("\n".join(lines), [Button("Yes, send it", YES),
                                    Button("Change something", CHANGE),
                                    Button("Cancel", CANCEL)])


_EXPLANATIONS = {
    s.NAME: "I only need the name the clinic team should use, for example “Priya Shah”. "
            "Letters, spaces, hyphens and apostrophes are all fine.",
    s.PHONE: "A phone number with its area code (for example 07700 900123, or +44 7700 900123 "
             "from abroad) or an email address such as name@example.com. The clinic team uses "
             "it to contact you about this request.",
    s.EMAIL: "An email address looks like name@example.com.",
    s.PREFERRED_TIME: "You can name a day and, if you like, a time: “Monday morning”, "
                      "“next Thursday at 2pm”, “5 December”. Or say “as soon as possible”.",
    s.REASON: f"A short note is enough (under {MAX_REASON_CHARS} characters), or say “skip”.",
    s.CONSENT: "Please answer yes or no: the clinic team needs your agreement before they "
               "contact you about this request.",
    s.CHANGE: "Please pick one: name, phone number, email, day and time, or reason. "
              "Or say “nothing” to go back to your request.",
    s.OUTCOME: "Please choose “Yes, send it”, “Change something” or “Cancel”.",
}


def explanation(slot: str) -> Reply:
    """A fuller explanation, given after the second answer to the same question did not fit."""
    return Reply(_EXPLANATIONS[slot])


def _first_name(slots: Slots) -> str:
    name = str(slots.get(s.NAME) or "").split()
    return name[0] if name else "you"


def stored(slots: Slots, reference: str, settings: Optional[Settings] = None) -> Reply:
    """The request is in the clinic's store."""
    clinic = (settings or get_settings()).clinic
    what = "call you back" if _callback(slots) else "arrange your consultation"
    return Reply(
        f"Thank you, {_first_name(slots)}. Your {_request_name(slots)} has been sent to the "
        f"clinic team. Your reference number is {reference}.\n\n"
        f"What happens next: the clinic team will contact you{_contact_words(slots)} to {what}. "
        f"If you need to reach them sooner, call {phone_with_hours(clinic)}.",
        custom={"booking_reference": reference, "stored": True},
    )


def not_stored(slots: Slots, reference: str, kept_on_disk: bool,
               settings: Optional[Settings] = None) -> Reply:
    """The store could not be written: said honestly. The request is kept and retried; when
    not even on disk (only in memory until a restart), the patient is asked to call as well."""
    if kept_on_disk:
        promise = ("I've kept it and will keep trying to send it automatically. "
                   "If you'd rather not wait, you can contact the clinic")
    else:
        promise = ("I'll keep trying to send it while this service is running, but to be sure "
                   "it reaches the clinic team please contact them")
    return Reply(
        f"Thank you, {_first_name(slots)}. I'm sorry: I couldn't save your request in the "
        f"clinic's system just now. {promise} {phone_and_web((settings or get_settings()).clinic)}.\n\n"
        f"Your reference number is {reference}.",
        custom={"booking_reference": reference, "stored": False},
    )


def ended_without_request(outcome: str, settings: Optional[Settings] = None) -> Reply:
    """How a form that stored nothing ends: cancelled, no consent, or too many tries."""
    route = phone_and_web((settings or get_settings()).clinic)
    if outcome == s.DECLINED_CONSENT:
        return Reply("Understood. Without your agreement the clinic team can't contact you about "
                     "a request, so I haven't saved anything. You can contact the clinic "
                     f"yourself {route}.")
    if outcome == s.PHONE_ROUTE:
        return Reply("I'm sorry, I'm having trouble taking that down, and I don't want to keep "
                     "you going round in circles. Nothing has been saved. You can request a "
                     f"consultation {route}.")
    return Reply("OK, I've cancelled that. Nothing was saved or sent. Is there anything else "
                 "you'd like to know about Botox for facial paralysis?")
