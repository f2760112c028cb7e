"""The shape shared by the project's Rasa policies that learn nothing: each asks plain rules in
bot/ (over the whole tracker) for the next action, predicts it with full confidence at a priority
above RulePolicy's, so it wins, or predicts nothing and lets the other policies decide."""

from __future__ import annotations

from abc import abstractmethod
from typing import Any

from rasa.core.policies.policy import Policy, PolicyPrediction, confidence_scores_for
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

# Above RulePolicy (6), so that these policies' predictions win a tie at full confidence.
ABOVE_RULES_PRIORITY = 7


class RuleDrivenPolicy(Policy):
    """Subclasses say which action comes next (`next_action`), or None."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"priority": ABOVE_RULES_PRIORITY}

    def train(
        self, training_trackers: list[TrackerWithCachedStates], domain: Domain, **kwargs: Any
    ) -> Resource:
        # Nothing to learn; the resource must exist so that the trained model can load it.
        with self._model_storage.write_to(self._resource) as directory:
            (directory / "rules.txt").write_text(f"{type(self).__name__}: rules in bot/, nothing learnt\n")
        return self._resource

    @abstractmethod
    def next_action(self, tracker: DialogueStateTracker) -> str | None:
        """The action the rules want next, or None to leave it to the other policies."""

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        action = self.next_action(tracker)
        if action is None:
            return self._prediction(self._default_predictions(domain))
        return self._prediction(confidence_scores_for(action, 1.0, domain))
