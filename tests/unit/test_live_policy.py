"""LiveChatPolicy (bot/runtime/live_policy.py): while staff are in the chat the bot listens after
each patient message, except to red flags, which the emergency rules answer as always."""

from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.names import ActionName, Intent, LiveChat, Slot
from bot.runtime.live_policy import LiveChatPolicy


def said(text, intent):
    return UserUttered(text, {"name": intent, "confidence": 1.0})


def tracker(*events, live=LiveChat.JOINED):
    slots = [SlotSet(Slot.LIVE_CHAT, live)] if live else []
    return DialogueStateTracker.from_events(
        "patient", [ActionExecuted(ActionName.LISTEN), *slots, BotUttered("Alice joined"), *events]
    )


def next_action(tracker_):
    return LiveChatPolicy.next_action(None, tracker_)  # reads only the tracker


def test_with_staff_in_the_chat_a_question_gets_no_bot_answer():
    assert next_action(tracker(said("can i wear makeup?", "ask_aftercare"))) == ActionName.LISTEN


def test_a_red_flag_in_a_live_chat_is_left_to_the_emergency_answer():
    assert next_action(tracker(said("my throat is closing", Intent.REPORT_EMERGENCY))) is None


def test_the_bots_own_actions_in_a_turn_are_not_stopped():
    answered = tracker(
        said("my throat is closing", Intent.REPORT_EMERGENCY), ActionExecuted(ActionName.ANSWER_EMERGENCY)
    )
    assert next_action(answered) is None


def test_while_waiting_or_after_the_hand_back_the_bot_answers():
    for live in (LiveChat.WAITING, None):
        assert next_action(tracker(said("how long does it last?", "ask_duration"), live=live)) is None
