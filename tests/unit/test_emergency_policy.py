"""The Rasa side of conversation safety (bot/runtime/emergency_policy.py): what the policy hands
to the rules from a real tracker, and that it reads only the current session."""

from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    BotUttered,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from bot.names import BOOKING_FORM, ActionName, Intent
from bot.runtime.emergency_policy import safety_action_for, session_events


def said(text, intent=Intent.INFORM, symptoms=()):
    red_flag = {"decision": "emergency" if symptoms else "none", "symptoms": list(symptoms), "signs": []}
    return UserUttered(text, {"name": intent, "confidence": 1.0}, parse_data={"red_flag": red_flag})


ALERT = [
    ActionExecuted(ActionName.LISTEN),
    said("i can't swallow since the botox", Intent.REPORT_EMERGENCY, ["swallowing"]),
    ActionExecuted(ActionName.ANSWER_EMERGENCY),
    BotUttered("Please call 911 now"),
    SlotSet("staff_followup", "emergency"),
    ActionExecuted(ActionName.LISTEN),
]


def tracker(events):
    return DialogueStateTracker.from_events("patient", events)


def test_session_events_keep_what_the_rules_read_in_order():
    events = session_events(tracker(ALERT + [said("is it just swelling?")]))
    assert [e["event"] for e in events] == ["action", "user", "action", "action", "user"]
    assert events[1]["parse_data"]["red_flag"]["symptoms"] == ["swallowing"]
    assert events[2]["name"] == ActionName.ANSWER_EMERGENCY
    assert events[-1]["text"] == "is it just swelling?"


def test_emergency_mode_holds_within_the_session():
    assert safety_action_for(tracker(ALERT + [said("how long do results last btw")])) == (
        ActionName.REPEAT_EMERGENCY
    )


def test_an_earlier_session_is_not_read():
    later = [SessionStarted(), ActionExecuted(ActionName.LISTEN), said("how long do results last")]
    assert session_events(tracker(ALERT + later))[0] == {"event": "action", "name": ActionName.LISTEN}
    assert safety_action_for(tracker(ALERT + later)) is None


def test_an_open_form_is_stopped_after_the_alert():
    events = [ActiveLoop(BOOKING_FORM), *ALERT[:3]]
    assert safety_action_for(tracker(events)) == ActionName.DEACTIVATE_LOOP
