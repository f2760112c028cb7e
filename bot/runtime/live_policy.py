"""The Rasa policy that keeps the bot quiet while a staff member is in the chat (bot/live).

Rasa's ConversationPaused would stop every prediction, including the emergency answer, which a
patient must still get during a live chat. So the live state is a slot in the tracker store
(every Rasa server sees it) and this policy predicts `action_listen` after each patient message
while staff are in the chat, except for red flags: then it predicts nothing, and the emergency
rules (and EmergencyModePolicy, at a higher priority) answer as always. Staff see the alert in
the console at the same time.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.trackers import DialogueStateTracker

from bot.names import ActionName, Intent, LiveChat, Slot
from bot.runtime.rule_policy_base import RuleDrivenPolicy


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True)
class LiveChatPolicy(RuleDrivenPolicy):
    """Predicts `action_listen` for a patient message while staff are in the chat, or nothing."""

    def next_action(self, tracker: DialogueStateTracker) -> str | None:
        if tracker.get_slot(Slot.LIVE_CHAT) != LiveChat.JOINED:
            return None
        if tracker.latest_action_name != ActionName.LISTEN:
            return None  # the bot's own actions in this turn (the emergency answer) finish as usual
        if (tracker.latest_message.intent or {}).get("name") == Intent.REPORT_EMERGENCY:
            return None
        return ActionName.LISTEN
