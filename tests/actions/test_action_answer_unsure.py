"""action_answer_unsure: low confidence gets an honest answer and topic buttons."""

from actions.answers import ActionAnswerUnsure
from bot.contact import human_handoff_reply
from bot.wording import wording
from tests.support.trackers import make_tracker


def test_says_it_is_not_sure_and_offers_topics(dispatcher, domain):
    events = ActionAnswerUnsure().run(dispatcher, make_tracker("nlu_fallback", "blorp"), domain)
    assert events == []
    [message] = dispatcher.messages
    assert message["text"].startswith(wording("general.unsure.not_understood"))
    payloads = [b["payload"] for b in message["buttons"]]
    assert "/ask_results_duration" in payloads and "/request_booking" in payloads


def test_quotes_the_page_when_a_passage_clearly_matches(dispatcher, domain):
    tracker = make_tracker("nlu_fallback", "is it true it's a lunch hour procedure?")
    ActionAnswerUnsure().run(dispatcher, tracker, domain)
    [message] = dispatcher.messages
    assert message["text"].startswith(
        wording("general.unsure.retrieved.intro", heading=message["custom"]["source_section"])
    )
    assert message["custom"]["passage"] == "lunch_hour"


def test_below_the_threshold_gives_the_clinic_team_contact(dispatcher, domain):
    ActionAnswerUnsure().run(dispatcher, make_tracker("nlu_fallback", "blorp"), domain)
    assert dispatcher.messages[0]["text"].endswith(human_handoff_reply().text)
