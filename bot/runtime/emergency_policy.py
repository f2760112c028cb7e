"""The Rasa policy that puts patient safety before every other prediction, across the whole
conversation (bot/safety/conversation.py decides; this only plugs it into Rasa).

Rules and stories see one message at a time, so they cannot keep a conversation in emergency
mode whatever the patient asks next, or add up a heavy eyelid and, two messages later, a hoarse
voice. A policy sees the whole tracker. It predicts with full confidence and a priority above
RulePolicy's (config.yml), so its prediction wins; when the safety path has nothing to say it
predicts nothing and the other policies decide. It learns nothing from the training data.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.events import ActionExecuted, ActiveLoop, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.runtime.rule_policy_base import RuleDrivenPolicy
from bot.safety.conversation import next_safety_action


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True)
class EmergencyModePolicy(RuleDrivenPolicy):
    """Predicts the safety path's next action (bot/safety/conversation.py), or nothing."""

    def next_action(self, tracker: DialogueStateTracker) -> str | None:
        return safety_action_for(tracker)


def safety_action_for(tracker: DialogueStateTracker) -> str | None:
    """The safety path's next action for this tracker (timed by bench/safety_cost.py)."""
    return next_safety_action(session_events(tracker))


def session_events(tracker: DialogueStateTracker) -> list[dict]:
    """The current session's events that the safety rules read, as small dicts, oldest first.

    Only these, not `event.as_dict()` of the whole tracker: this runs on every prediction, and a
    long conversation's bot messages and slots would make each one slower."""
    events: list[dict] = []
    for event in reversed(tracker.events):
        if isinstance(event, SessionStarted):
            break
        if isinstance(event, UserUttered):
            events.append({"event": "user", "text": event.text, "parse_data": event.parse_data})
        elif isinstance(event, ActionExecuted):
            events.append({"event": "action", "name": event.action_name})
        elif isinstance(event, ActiveLoop):
            events.append({"event": "active_loop", "name": event.name})
    return events[::-1]
