"""action_answer_unsure: low confidence gets an honest answer and topic buttons."""
from actions.answers import ActionAnswerUnsure
from tests.conftest import make_tracker


def test_says_it_is_not_sure_and_offers_topics(dispatcher, domain):
    events = ActionAnswerUnsure().run(dispatcher, make_tracker("nlu_fallback", "blorp"), domain)
    assert events == []
    [message] = dispatcher.messages
    assert message["text"].startswith("I'm not sure I understood")
    payloads = [b["payload"] for b in message["buttons"]]
    assert "/ask_results_duration" in payloads and "/request_booking" in payloads
