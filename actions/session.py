"""The start of every conversation: the disclaimer comes first, whatever the patient says first."""

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.replies import send_reply
from bot.names import ActionName
from bot.safety.replies import disclaimer_reply


class ActionSessionStart(Action):
    """Rasa runs this before the first message of each session (and after a session expires),
    so the disclaimer is the first bot message even when the patient opens with a question."""

    def name(self) -> str:
        return ActionName.SESSION_START

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        send_reply(dispatcher, disclaimer_reply())
        return [SessionStarted(), *carried_over_slots(tracker, domain), ActionExecuted(ActionName.LISTEN)]


def carried_over_slots(tracker: Tracker, domain: dict[str, Any]) -> list[dict[str, Any]]:
    """What Rasa's own session start keeps: slots, when the domain's session_config says so."""
    if not (domain.get("session_config") or {}).get("carry_over_slots_to_new_session"):
        return []
    return [SlotSet(name, value) for name, value in tracker.slots.items() if value is not None]
