"""action_answer_unsure: low confidence gets an honest answer and topic buttons."""

from actions.answers import ActionAnswerUnsure
from bot.wording import wording
from tests.support.trackers import make_tracker


def test_says_it_is_not_sure_in_one_short_message_with_the_featured_topics(dispatcher, domain):
    events = ActionAnswerUnsure().run(dispatcher, make_tracker("nlu_fallback", "blorp"), domain)
    assert events == []
    [message] = dispatcher.messages
    assert message["text"] == wording("general.unsure.not_understood")
    assert len(message["text"]) < 160 and "911" in message["text"]
    payloads = [b["payload"] for b in message["buttons"]]
    assert payloads == ["/ask_what_is", "/ask_results_duration", "/ask_side_effects", "/request_human"]


def test_did_you_mean_offers_the_topics_the_nlu_ranked_highest(dispatcher, domain):
    tracker = make_tracker("nlu_fallback", "blorp")
    tracker.latest_message["intent_ranking"] = [
        {"name": "nlu_fallback", "confidence": 0.5},
        {"name": "ask_downtime", "confidence": 0.2},
        {"name": "greet", "confidence": 0.15},
        {"name": "ask_aftercare", "confidence": 0.1},
        {"name": "ask_surgeon", "confidence": 0.01},  # too unlikely to offer
    ]
    ActionAnswerUnsure().run(dispatcher, tracker, domain)
    payloads = [b["payload"] for b in dispatcher.messages[0]["buttons"]]
    assert payloads == ["/ask_downtime", "/ask_aftercare", "/ask_what_is", "/request_human"]


def test_quotes_the_page_when_a_passage_clearly_matches(dispatcher, domain):
    tracker = make_tracker("nlu_fallback", "is it true it's a lunch hour procedure?")
    ActionAnswerUnsure().run(dispatcher, tracker, domain)
    [message] = dispatcher.messages
    assert message["text"].startswith(
        wording("general.unsure.retrieved.intro", heading=message["custom"]["source_section"])
    )
    assert message["custom"]["passage"] == "lunch_hour"


def test_the_clinic_team_is_one_button_away(dispatcher, domain):
    ActionAnswerUnsure().run(dispatcher, make_tracker("nlu_fallback", "blorp"), domain)
    [team] = [b for b in dispatcher.messages[0]["buttons"] if b["payload"] == "/request_human"]
    assert team["title"] == wording("general.unsure.buttons.ask_the_team")
