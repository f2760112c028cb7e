"""Handing a patient over to a person at the clinic: in this chat while staff are online (live
chat, bot/live), otherwise the contact routes from settings.yml and a callback request."""

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.replies import send_reply
from bot.contact import human_handoff_reply, staff_followup_mark
from bot.live.presence import live_chat_open
from bot.live.replies import live_handoff
from bot.live.state import live_status
from bot.names import BOOKING_FORM, ActionName, Slot
from bot.settings import get_settings


class ActionHumanHandoff(Action):
    """Puts the patient in the live-chat queue while staff are online; otherwise gives the
    clinic's contact route and offers a callback request (the booking form). Marks the
    conversation for staff follow-up. The Rasa server's live channel runs it again when nobody
    joined in time, which turns the wait into the callback offer."""

    def name(self) -> str:
        return ActionName.HUMAN_HANDOFF

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        booking_open = (tracker.active_loop or {}).get("name") == BOOKING_FORM
        mark = SlotSet(Slot.STAFF_FOLLOWUP, staff_followup_mark(tracker.get_slot(Slot.STAFF_FOLLOWUP)))
        settings = get_settings()
        status = live_status(tracker.events)
        # The staff database is read only when the patient could join the queue.
        may_queue = not booking_open and not status.waiting
        live = live_handoff(status, settings, may_queue and live_chat_open(settings))
        if live is None:
            send_reply(dispatcher, human_handoff_reply(booking_open=booking_open))
            return [mark]
        send_reply(dispatcher, live.reply)
        return [mark, *(SlotSet(name, value) for name, value in live.slots.items())]
