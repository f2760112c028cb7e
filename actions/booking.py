"""The booking form: validation (`validate_booking_form`), its questions (`action_ask_<slot>`)
and what happens when it ends (`action_submit_booking`). The logic lives in `bot/booking/`."""

import asyncio
from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import REQUESTED_SLOT

from actions.form_validation import RetryLimitedFormValidationAction
from actions.replies import send_reply
from bot.booking import replies
from bot.booking import slots as s
from bot.booking.history import confirmation_id, details_new_this_turn, messages_before_form, request_kind
from bot.booking.reading import Message, read_message
from bot.booking.request import request_from_slots
from bot.booking.service import get_booking_service
from bot.booking.someone_else import CONTACT_OWNERS
from bot.booking.validators import (
    Validation,
    check_regions,
    refuse,
    validate_contact,
    validate_email,
    validate_name,
    validate_reason,
)
from bot.booking.when import validate_preferred_time
from bot.knowledge import Reply
from bot.names import ActionName, Intent
from bot.safety.conversation import signs_add_up
from bot.settings import get_settings
from bot.wording import wording

Result = dict[str, Any]


def _phone_regions():
    return check_regions(get_settings().booking_phone_regions)


class ValidateBookingForm(RetryLimitedFormValidationAction):
    failures_slot = s.FAILED_ATTEMPTS

    def name(self) -> str:
        return "validate_booking_form"

    async def get_extraction_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        requested = tracker.get_slot(REQUESTED_SLOT)
        candidates: Result = {}
        earlier: list[str] = []
        if requested is None and tracker.get_slot(s.KIND) is None:  # the form starts
            candidates[s.KIND] = request_kind(tracker.events)
            earlier = messages_before_form(tracker.events)
            send_reply(dispatcher, replies.opening(candidates))
        latest = tracker.latest_message or {}
        intent = (latest.get("intent") or {}).get("name")
        if signs_add_up(tracker.events):
            intent = Intent.REPORT_EMERGENCY  # never an answer: the emergency answer comes next
        text = latest.get("text") or ""
        payload = replies.typed_button(requested, tracker.slots, text)
        if payload:  # a button's label typed out acts as the button
            text, intent = payload, payload[1:] if payload.startswith("/") else intent
        message = Message(text, intent)
        reading = read_message(message, requested, tracker.slots, _phone_regions(), earlier=earlier)
        for note in reading.notes:
            send_reply(dispatcher, Reply(note))
        candidates.update(reading.values)
        return [SlotSet(slot, value) for slot, value in candidates.items()]

    async def next_requested_slot(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> EventType:
        return SlotSet(REQUESTED_SLOT, s.next_slot_to_ask(tracker.slots))

    def explain(self, slot: str, dispatcher: CollectingDispatcher) -> None:
        send_reply(dispatcher, replies.explanation(slot))

    async def give_up(self, slot: str, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        return [SlotSet(s.OUTCOME, s.PHONE_ROUTE), SlotSet(REQUESTED_SLOT, None)]

    @staticmethod
    def _checked(
        slot: str, checked: Validation, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> Result:
        """The slot set from a validator's verdict; an error is said, the slot left empty."""
        if not checked.ok:
            send_reply(dispatcher, Reply(checked.error))
            return {slot: None}
        result = {slot: checked.value, **checked.extras}
        if tracker.get_slot(s.CHANGE) == slot:
            result[s.CHANGE] = None
        return result

    def validate_booking_kind(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> Result:
        return {s.KIND: value if value in (s.CONSULTATION, s.CALLBACK) else s.CONSULTATION}

    def validate_booking_name(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> Result:
        if value is None:  # moved to the requester's name: the booking is for someone else
            return {s.NAME: None}
        return self._checked(s.NAME, validate_name(value), dispatcher, tracker)

    def validate_booking_requester_name(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> Result:
        return self._checked(s.REQUESTER_NAME, validate_name(value), dispatcher, tracker)

    def validate_booking_relation(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> Result:
        return {s.RELATION: value or None}

    def validate_booking_contact_is(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> Result:
        return {s.CONTACT_IS: value if value in CONTACT_OWNERS else None}

    def validate_booking_phone(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> Result:
        checked = validate_contact(value, _phone_regions())
        if checked.ok:  # usually a phone number; an email typed here fills the email slot
            changed = {s.CHANGE: None} if tracker.get_slot(s.CHANGE) in checked.value else {}
            return {s.PHONE: None, **checked.value, **changed}
        return self._checked(s.PHONE, checked, dispatcher, tracker)

    def validate_booking_email(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> Result:
        return self._checked(s.EMAIL, validate_email(value), dispatcher, tracker)

    def validate_booking_preferred_time(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> Result:
        failed = tracker.get_slot(s.FAILED_ATTEMPTS) or {}
        checked = validate_preferred_time(value, asked_again=failed.get("slot") == s.PREFERRED_TIME)
        return self._checked(s.PREFERRED_TIME, checked, dispatcher, tracker)

    def validate_booking_reason(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> Result:
        return self._checked(s.REASON, validate_reason(value), dispatcher, tracker)

    def validate_booking_consent(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> Result:
        checked = (
            Validation(True) if value is True else refuse(wording("booking_errors.consent.not_yes_or_no"))
        )
        return self._checked(s.CONSENT, checked, dispatcher, tracker)

    def validate_booking_change(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> Result:
        if value is None or value == s.CHANGE_PENDING or value in s.changeable(tracker.slots):
            return {s.CHANGE: value}
        return self._checked(
            s.CHANGE, refuse(wording("booking_errors.change.unknown_detail")), dispatcher, tracker
        )

    def validate_booking_outcome(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> Result:
        if value in s.OUTCOMES:
            return {s.OUTCOME: value}
        return self._checked(
            s.OUTCOME, refuse(wording("booking_errors.summary.not_understood")), dispatcher, tracker
        )


class AskBookingSlot(Action, ABC):
    """Asks the booking form's question for one slot (`action_ask_<slot>`)."""

    @property
    @abstractmethod
    def slot(self) -> str:
        """The slot this action asks for."""

    def name(self) -> str:
        return f"action_ask_{self.slot}"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        reply = replies.question(self.slot, tracker.slots)
        if self.slot not in (s.OUTCOME, s.CHANGE):  # the summary shows every detail anyway
            reply = replies.with_acknowledgement(reply, details_new_this_turn(tracker.events), tracker.slots)
        send_reply(dispatcher, reply)
        return []


class ActionAskBookingName(AskBookingSlot):
    slot = s.NAME


class ActionAskBookingRequesterName(AskBookingSlot):
    slot = s.REQUESTER_NAME


class ActionAskBookingPhone(AskBookingSlot):
    slot = s.PHONE


class ActionAskBookingEmail(AskBookingSlot):
    slot = s.EMAIL


class ActionAskBookingPreferredTime(AskBookingSlot):
    slot = s.PREFERRED_TIME


class ActionAskBookingReason(AskBookingSlot):
    slot = s.REASON


class ActionAskBookingConsent(AskBookingSlot):
    slot = s.CONSENT


class ActionAskBookingChange(AskBookingSlot):
    slot = s.CHANGE


class ActionAskBookingOutcome(AskBookingSlot):
    """The summary, with confirm / change / cancel."""

    slot = s.OUTCOME


class ActionSubmitBooking(Action):
    """After the form: store a confirmed request and say what happens next, or say how the
    booking ended without one. Either way the form's slots are emptied for the next time."""

    def name(self) -> str:
        return ActionName.SUBMIT_BOOKING

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        events: list[EventType] = [SlotSet(slot, None) for slot in s.RESET_SLOTS]
        outcome = tracker.get_slot(s.OUTCOME)
        if outcome != s.CONFIRMED:
            send_reply(dispatcher, replies.ended_without_request(outcome or s.CANCELLED))
            return events
        request = request_from_slots(tracker.slots, tracker.sender_id, confirmation_id(tracker.events))
        submission = await asyncio.get_running_loop().run_in_executor(
            None, get_booking_service().submit, request
        )
        if submission.stored:
            reply = replies.stored(tracker.slots, submission.reference)
        else:
            reply = replies.not_stored(tracker.slots, submission.reference, submission.kept)
        send_reply(dispatcher, reply)
        return events + [SlotSet(s.REFERENCE, submission.reference)]
