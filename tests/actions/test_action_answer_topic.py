"""action_answer_topic: the recognised intent picks the page topic that is sent."""

import pytest

from actions.answers import ActionAnswerTopic
from bot.knowledge import booking_button, get_knowledge_base
from bot.wording import wording
from tests.support.trackers import make_tracker

KB = get_knowledge_base()
OFFER = {"event": "followup", "timestamp": None, "name": "utter_offer_booking"}


def answered(times):
    events = []
    for _ in range(times):
        events += [
            {"event": "user", "parse_data": {"intent": {"name": "ask_what_is"}}},
            {"event": "action", "name": "action_answer_topic"},
        ]
    return events


@pytest.mark.parametrize("topic_id", sorted(KB.topics))
def test_sends_the_topic_answer_with_source_and_buttons(topic_id, dispatcher, domain):
    topic = KB.topics[topic_id]
    events = ActionAnswerTopic().run(dispatcher, make_tracker(topic.intent), domain)
    assert events == ([OFFER] if topic_id == "candidacy" else [])
    [answer] = dispatcher.messages
    assert answer["text"].startswith(topic.answer)
    assert KB.source_section(topic).heading in answer["text"]
    assert answer["buttons"][-1] == booking_button().as_dict()
    assert 2 <= len(answer["buttons"]) <= 3
    custom = dict(answer["custom"])
    answer_id = custom.pop("answer_id")  # names this answer for the patient's rating
    assert custom == {"topic": topic_id, "source_section": KB.source_section(topic).heading}
    assert len(answer_id) == 16 and int(answer_id, 16) >= 0


def test_every_answer_gets_its_own_id_for_the_patients_rating(dispatcher, domain):
    for _ in range(2):
        ActionAnswerTopic().run(dispatcher, make_tracker("ask_downtime"), domain)
    first, second = (message["custom"]["answer_id"] for message in dispatcher.messages)
    assert first != second


def test_duration_question_gets_three_to_four_months(dispatcher, domain):
    ActionAnswerTopic().run(dispatcher, make_tracker("ask_results_duration"), domain)
    assert "3–4 months" in dispatcher.messages[0]["text"]


def test_intent_without_topic_gets_the_unsure_reply_not_a_guess(dispatcher, domain):
    ActionAnswerTopic().run(dispatcher, make_tracker("greet"), domain)
    assert dispatcher.messages[0]["text"].startswith(wording("general.unsure.not_understood"))


def test_booking_is_offered_after_the_third_answer_not_before(dispatcher, domain):
    second = make_tracker("ask_downtime", events=answered(1))
    third = make_tracker("ask_downtime", events=answered(2))
    assert ActionAnswerTopic().run(dispatcher, second, domain) == []
    assert ActionAnswerTopic().run(dispatcher, third, domain) == [OFFER]


def test_no_booking_offer_while_booking(dispatcher, domain):
    events = [{"event": "active_loop", "name": "booking_form"}] + answered(5)
    tracker = make_tracker("ask_candidacy", events=events, active_loop={"name": "booking_form"})
    assert ActionAnswerTopic().run(dispatcher, tracker, domain) == []
