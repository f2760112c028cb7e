"""Patient safety: red-flag symptoms, serious-risk questions and mild, expected effects."""

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.replies import send_reply
from bot.names import ActionName, Followup, Slot
from bot.safety.alerts import alert_emergency
from bot.safety.conversation import botox_reaction_wording, emergency_symptoms
from bot.safety.replies import (
    emergency_acknowledged_reply,
    emergency_repeat_reply,
    emergency_reply,
    mild_symptom_reply,
    serious_risk_reply,
)


def matched_symptoms(tracker: Tracker) -> list[str]:
    """Red-flag symptoms the NLU safety rules found in the latest message (bot/safety/red_flags.py)."""
    return list((tracker.latest_message.get("red_flag") or {}).get("symptoms") or [])


class ActionAnswerEmergency(Action):
    """Red flag (in one message, or signs added up over several): send the patient to emergency
    care now and mark the conversation for staff. Emergency mode follows; an open form is stopped
    next (data/rules/safety.yml, bot/safety/conversation.py)."""

    def name(self) -> str:
        return ActionName.ANSWER_EMERGENCY

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        symptoms = emergency_symptoms(tracker.events) or matched_symptoms(tracker)
        send_reply(dispatcher, emergency_reply(symptoms, after_botox=botox_reaction_wording(tracker.events)))
        alert_emergency(tracker.sender_id, list(symptoms))  # the clinic's channels, if it chose so
        return [SlotSet(Slot.STAFF_FOLLOWUP, Followup.EMERGENCY)]


class ActionRepeatEmergency(Action):
    """Emergency mode: whatever the patient says next, get care now (bot/safety/conversation.py)."""

    def name(self) -> str:
        return ActionName.REPEAT_EMERGENCY

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        send_reply(dispatcher, emergency_repeat_reply())
        return [SlotSet(Slot.STAFF_FOLLOWUP, Followup.EMERGENCY)]


class ActionEmergencyAcknowledged(Action):
    """The patient is getting help: emergency mode ends; the staff follow-up mark stays."""

    def name(self) -> str:
        return ActionName.EMERGENCY_ACKNOWLEDGED

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        send_reply(dispatcher, emergency_acknowledged_reply())
        return [SlotSet(Slot.STAFF_FOLLOWUP, Followup.EMERGENCY)]


class ActionAnswerSeriousRisk(Action):
    """A general question about a serious risk: the page does not cover it, the warning does."""

    def name(self) -> str:
        return ActionName.ANSWER_SERIOUS_RISK

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        send_reply(dispatcher, serious_risk_reply(matched_symptoms(tracker)))
        return []


class ActionAnswerMildSymptom(Action):
    """A mild, expected effect: the page's side-effects answer and when to call the clinic."""

    def name(self) -> str:
        return ActionName.ANSWER_MILD_SYMPTOM

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        send_reply(dispatcher, mild_symptom_reply())
        return []
