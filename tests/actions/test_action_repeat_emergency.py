"""action_repeat_emergency: in emergency mode, whatever the patient asks, get care now."""

from actions.safety import ActionRepeatEmergency
from tests.support.trackers import make_tracker


def test_repeats_the_advice_short_and_firm_with_the_alert(dispatcher, domain):
    tracker = make_tracker("ask_results_duration", "how long do results last btw")
    events = ActionRepeatEmergency().run(dispatcher, tracker, domain)
    assert events == [{"event": "slot", "name": "staff_followup", "value": "emergency", "timestamp": None}]
    [message] = dispatcher.messages
    assert "call 911 or go to the nearest emergency department now" in message["text"]
    assert len(message["text"]) < 220  # read at a glance on a phone
    assert message["buttons"] == [] and message["custom"] == {"alert": "emergency"}
