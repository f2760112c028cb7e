"""action_answer_unsure: low confidence gets an honest answer and topic buttons."""
from actions.answers import ActionAnswerUnsure
from tests.support.trackers import make_tracker


def test_says_it_is_not_sure_and_offers_topics(dispatcher, domain):
    events = ActionAnswerUnsure().run(dispatcher, make_tracker("nlu_fallback", "blorp"), domain)
    assert events == []
    [message] = dispatcher.messages
    assert message["text"].startswith("I'm not sure I understood")
    payloads = [b["payload"] for b in message["buttons"]]
    assert "/ask_results_duration" in payloads and "/request_booking" in payloads


def test_quotes_the_page_when_a_passage_clearly_matches(dispatcher, domain):
    tracker = make_tracker("nlu_fallback", "is it true it's a lunch hour procedure?")
    ActionAnswerUnsure().run(dispatcher, tracker, domain)
    [message] = dispatcher.messages
    assert "here is what our page says about" in message["text"]
    assert message["custom"]["passage"] == "lunch_hour"


def test_below_the_threshold_gives_the_clinic_team_contact(dispatcher, domain):
    ActionAnswerUnsure().run(dispatcher, make_tracker("nlu_fallback", "blorp"), domain)
    assert "talk to the clinic team by phone" in dispatcher.messages[0]["text"]
