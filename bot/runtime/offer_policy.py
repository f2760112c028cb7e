"""The Rasa policy that keeps the booking offer from nagging (bot/booking/history.py decides;
this only plugs it into Rasa).

The rules follow a price question, an off-page question and a serious-risk question with the
booking offer, one message at a time: a patient who asks about price three times was offered a
consultation three times in a row, and again after saying no. A policy sees the whole session.
Right after one of those answers outside a form, when `booking_offer_allowed` says no, it predicts listening
with full confidence and a priority above RulePolicy's, so the offer is left out; otherwise it
predicts nothing and the rules decide. It learns nothing from the training data."""

from __future__ import annotations

from typing import Any

from rasa.core.policies.policy import Policy, PolicyPrediction, confidence_scores_for
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

from bot.booking.history import ANSWERS_FOLLOWED_BY_AN_OFFER, booking_offer_allowed
from bot.names import ActionName

# Above RulePolicy (6), as the emergency policy; the two never predict at the same moment (no
# offer follows an answer in emergency mode).
OFFER_POLICY_PRIORITY = 7


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True)
class BookingOfferLimitPolicy(Policy):
    """Predicts listening instead of an offer that would nag, or nothing."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"priority": OFFER_POLICY_PRIORITY}

    def train(
        self, training_trackers: list[TrackerWithCachedStates], domain: Domain, **kwargs: Any
    ) -> Resource:
        # Nothing to learn; the resource must exist so that the trained model can load it.
        with self._model_storage.write_to(self._resource) as directory:
            (directory / "booking_offer_limit_policy.txt").write_text("rules in bot/booking/history.py\n")
        return self._resource

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        last_action = next((e for e in reversed(tracker.events) if isinstance(e, ActionExecuted)), None)
        if (
            last_action is not None
            and not tracker.active_loop_name  # in a form, the rules go back to the form instead
            and last_action.action_name in ANSWERS_FOLLOWED_BY_AN_OFFER
            and not booking_offer_allowed([event.as_dict() for event in tracker.events])
        ):
            return self._prediction(confidence_scores_for(ActionName.LISTEN, 1.0, domain))
        return self._prediction(self._default_predictions(domain))
