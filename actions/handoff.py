"""Handing a patient over to the clinic team, with contact routes from settings.yml."""
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.replies import send_reply
from bot.handoff import booking_handoff_reply, human_handoff_reply


class ActionBookingHandoff(Action):
    def name(self) -> Text:
        return "action_booking_handoff"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        send_reply(dispatcher, booking_handoff_reply())
        return []


class ActionHumanHandoff(Action):
    def name(self) -> Text:
        return "action_human_handoff"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        send_reply(dispatcher, human_handoff_reply())
        return []
