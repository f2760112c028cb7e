"""Handing a patient over to a person at the clinic, with contact routes from settings.yml."""

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.replies import send_reply
from bot.contact import human_handoff_reply, staff_followup_mark
from bot.names import BOOKING_FORM, ActionName, Slot


class ActionHumanHandoff(Action):
    """Gives the clinic's contact route, offers a callback request (the booking form), and
    marks the conversation for staff follow-up."""

    def name(self) -> str:
        return ActionName.HUMAN_HANDOFF

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        booking_open = (tracker.active_loop or {}).get("name") == BOOKING_FORM
        send_reply(dispatcher, human_handoff_reply(booking_open=booking_open))
        return [SlotSet(Slot.STAFF_FOLLOWUP, staff_followup_mark(tracker.get_slot(Slot.STAFF_FOLLOWUP)))]
