"""action_answer_mild_symptom: the page's side-effects answer and when to call the clinic."""

from actions.safety import ActionAnswerMildSymptom
from tests.support.trackers import make_tracker


def test_answers_from_the_page_and_says_when_to_call(dispatcher, domain):
    tracker = make_tracker("report_mild_symptom", "small bruise where they injected")
    assert ActionAnswerMildSymptom().run(dispatcher, tracker, domain) == []
    [message] = dispatcher.messages
    assert "Side effects are usually mild" in message["text"]
    assert "gets worse instead of settling" in message["text"]
    assert message["custom"]["topic"] == "side_effects"
    assert "/request_booking" in [b["payload"] for b in message["buttons"]]
