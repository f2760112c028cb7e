"""The Rasa policy that keeps the booking offer from nagging (bot/booking/history.py decides;
this only plugs it into Rasa).

The rules follow a price question, an off-page question and a serious-risk question with the
booking offer, one message at a time: a patient who asks about price three times was offered a
consultation three times in a row, and again after saying no. A policy sees the whole session.
Right after one of those answers outside a form, when `booking_offer_allowed` says no, it predicts
listening with full confidence and a priority above RulePolicy's, so the offer is left out;
otherwise it predicts nothing and the rules decide. It learns nothing from the training data.
The emergency policy never predicts at the same moment (no offer follows an answer in emergency
mode)."""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.events import ActionExecuted
from rasa.shared.core.trackers import DialogueStateTracker

from bot.booking.history import ANSWERS_FOLLOWED_BY_AN_OFFER, booking_offer_allowed
from bot.names import ActionName
from bot.runtime.rule_policy_base import RuleDrivenPolicy


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True)
class BookingOfferLimitPolicy(RuleDrivenPolicy):
    """Predicts listening instead of an offer that would nag, or nothing."""

    def next_action(self, tracker: DialogueStateTracker) -> str | None:
        last_action = next((e for e in reversed(tracker.events) if isinstance(e, ActionExecuted)), None)
        if (
            last_action is None
            or tracker.active_loop_name  # in a form, the rules go back to the form instead
            or last_action.action_name not in ANSWERS_FOLLOWED_BY_AN_OFFER
        ):
            return None
        return (
            None
            if booking_offer_allowed([event.as_dict() for event in tracker.events])
            else ActionName.LISTEN
        )
