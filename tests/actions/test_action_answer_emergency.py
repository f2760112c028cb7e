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


def test_names_botox_only_when_the_patient_named_it_as_theirs(dispatcher, domain):
    said = {"event": "user", "text": "had my injections monday and now i can't swallow", "parse_data": {}}
    tracker = make_tracker("report_emergency", said["text"], events=[said])
    tracker.latest_message["red_flag"] = {"decision": "emergency", "symptoms": ["swallowing"]}
    ActionAnswerEmergency().run(dispatcher, tracker, domain)
    assert "after Botox injections" in dispatcher.messages[0]["text"]


def test_signs_added_up_over_messages_are_named_back(dispatcher, domain):
    def said(text, signs):
        return {"event": "user", "text": text, "parse_data": {"red_flag": {"signs": signs}}}

    events = [
        said("my eyelid feels heavy", ["eyelid_droop"]),
        said("and my voice is hoarse", ["voice_change"]),
    ]
    tracker = make_tracker("report_mild_symptom", "and my voice is hoarse", events=events)
    ActionAnswerEmergency().run(dispatcher, tracker, domain)
    [message] = dispatcher.messages
    assert "You mentioned a drooping eyelid and a change of voice" in message["text"]
