"""A form validation action that does not let a patient loop on one question: it counts
answers to the question asked that fail validation; after the second it explains the question
more fully (`explain`), after `max_attempts` it calls `give_up` instead of asking again."""

from abc import abstractmethod
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import REQUESTED_SLOT, FormValidationAction

EXPLAIN_AFTER = 2


class RetryLimitedFormValidationAction(FormValidationAction):
    """Subclasses name a slot (type any) that keeps {"slot": ..., "count": n} between turns."""

    max_attempts = 3
    failures_slot: str = ""

    @abstractmethod
    def name(self) -> str:
        """Name of the validation action (validate_<form>)."""

    @abstractmethod
    async def give_up(self, slot: str, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        """Events that end the form when `slot` failed `max_attempts` times in a row."""

    def explain(self, slot: str, dispatcher: CollectingDispatcher) -> None:
        """Explain the question for `slot` more fully (after the second failed answer)."""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        requested = tracker.get_slot(REQUESTED_SLOT)
        candidates = await self.get_extraction_events(dispatcher, tracker, domain)
        tracker.add_slots(candidates)
        events = await self._extract_validation_events(dispatcher, tracker, domain)
        proposed = {event["name"]: event["value"] for event in candidates}
        return events + await self._count_failures(requested, proposed, events, dispatcher, tracker)

    async def _count_failures(
        self,
        requested: str | None,
        proposed: dict[str, Any],
        events: list[EventType],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
    ) -> list[EventType]:
        previous = tracker.get_slot(self.failures_slot) or {}
        if not requested or proposed.get(requested) is None:
            # Not an answer to the question asked (a digression, or other details): the count
            # goes on, unless those details mean the form now asks something else.
            asked_next = next(
                (e["value"] for e in reversed(events) if e.get("name") == REQUESTED_SLOT), requested
            )
            moved_on = previous and previous.get("slot") != asked_next
            return [SlotSet(self.failures_slot, None)] if moved_on else []
        validated = [e["value"] for e in events if e.get("name") == requested]
        if validated and validated[-1] is not None:
            return [SlotSet(self.failures_slot, None)] if previous else []
        count = previous.get("count", 0) + 1 if previous.get("slot") == requested else 1
        if count >= self.max_attempts:
            return [SlotSet(self.failures_slot, None)] + await self.give_up(requested, dispatcher, tracker)
        if count >= EXPLAIN_AFTER:
            self.explain(requested, dispatcher)
        return [SlotSet(self.failures_slot, {"slot": requested, "count": count})]
