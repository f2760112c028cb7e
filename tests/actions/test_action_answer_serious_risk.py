"""action_answer_serious_risk: a general question about a serious risk gets the warning."""

from actions.safety import ActionAnswerSeriousRisk
from tests.support.trackers import make_tracker


def test_names_the_risk_asked_about_and_says_when_to_call_911(dispatcher, domain):
    tracker = make_tracker("ask_serious_risk", "can botox cause trouble breathing?")
    tracker.latest_message["red_flag"] = {"decision": "general_question", "symptoms": ["breathing"]}
    assert ActionAnswerSeriousRisk().run(dispatcher, tracker, domain) == []
    [message] = dispatcher.messages
    assert message["text"].startswith("Our page doesn't cover serious risks such as trouble breathing")
    assert "call 911" in message["text"]
    assert "alert" not in (message["custom"] or {})
