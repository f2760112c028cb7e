"""action_answer_emergency: 911 now, the symptom named back, no buttons, staff follow-up."""

from actions.safety import ActionAnswerEmergency
from tests.support.trackers import make_tracker


def emergency_tracker(symptoms):
    tracker = make_tracker("report_emergency", "kinda hard to swallow since yesterday")
    tracker.latest_message["red_flag"] = {"decision": "emergency", "symptoms": symptoms}
    return tracker


def test_sends_the_emergency_alert_and_marks_the_conversation(dispatcher, domain):
    events = ActionAnswerEmergency().run(dispatcher, emergency_tracker(["swallowing"]), domain)
    assert events == [{"event": "slot", "name": "staff_followup", "value": "emergency", "timestamp": None}]
    [message] = dispatcher.messages
    assert message["text"].startswith("Please call 911 now")
    assert "You mentioned trouble swallowing" in message["text"]
    assert message["buttons"] == []
    assert message["custom"] == {
        "alert": "emergency",
        "symptom": "trouble swallowing",
        "symptoms": ["swallowing"],
    }


def test_an_emergency_the_model_recognised_alone_still_gets_the_alert(dispatcher, domain):
    ActionAnswerEmergency().run(dispatcher, make_tracker("report_emergency", "help"), domain)
    [message] = dispatcher.messages
    assert message["custom"]["alert"] == "emergency" and "call 911 now" in message["text"]
