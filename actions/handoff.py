"""Handing a patient over to a person at the clinic, with contact routes from settings.yml."""
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.replies import send_reply
from bot.handoff import human_handoff_reply, staff_followup_mark

STAFF_FOLLOWUP_SLOT = "staff_followup"


class ActionHumanHandoff(Action):
    """Gives the clinic's contact route, offers a callback request (the booking form), and
    marks the conversation for staff follow-up."""

    def name(self) -> Text:
        return "action_human_handoff"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        booking_open = (tracker.active_loop or {}).get("name") == "booking_form"
        send_reply(dispatcher, human_handoff_reply(booking_open=booking_open))
        return [SlotSet(STAFF_FOLLOWUP_SLOT,
                        staff_followup_mark(tracker.get_slot(STAFF_FOLLOWUP_SLOT)))]
