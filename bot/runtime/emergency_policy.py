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
from rasa.shared.core.trackers import DialogueStateTracker

from bot.runtime.rule_policy_base import RuleDrivenPolicy
from bot.safety.conversation import next_safety_action


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True)
class EmergencyModePolicy(RuleDrivenPolicy):
    """Predicts the safety path's next action (bot/safety/conversation.py), or nothing."""

    def next_action(self, tracker: DialogueStateTracker) -> str | None:
        return next_safety_action([event.as_dict() for event in tracker.events])
