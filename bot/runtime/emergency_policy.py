"""The Rasa policy that puts patient safety before every other prediction, across the whole
conversation (bot/safety/conversation.py decides; this only plugs it into Rasa).

Rules and stories see one message at a time, so they cannot keep a conversation in emergency
mode whatever the patient asks next, or add up a heavy eyelid and, two messages later, a hoarse
voice. A policy sees the whole tracker. It predicts with full confidence and a priority above
RulePolicy's (config.yml), so its prediction wins; when the safety path has nothing to say it
predicts nothing and the other policies decide. It learns nothing from the training data.
"""

from __future__ import annotations

from typing import Any

from rasa.core.policies.policy import Policy, PolicyPrediction, confidence_scores_for
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

from bot.safety.conversation import next_safety_action

# Above RulePolicy (6), so that a safety prediction wins a tie at full confidence.
EMERGENCY_POLICY_PRIORITY = 7


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True)
class EmergencyModePolicy(Policy):
    """Predicts the safety path's next action (bot/safety/conversation.py), or nothing."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"priority": EMERGENCY_POLICY_PRIORITY}

    def train(
        self, training_trackers: list[TrackerWithCachedStates], domain: Domain, **kwargs: Any
    ) -> Resource:
        # Nothing to learn; the resource must exist so that the trained model can load it.
        with self._model_storage.write_to(self._resource) as directory:
            (directory / "emergency_mode_policy.txt").write_text("rules in bot/safety/conversation.py\n")
        return self._resource

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        action = next_safety_action([event.as_dict() for event in tracker.events])
        if action is None:
            return self._prediction(self._default_predictions(domain))
        return self._prediction(confidence_scores_for(action, 1.0, domain))
