"""Patients rate page answers (thumbs up or down) through the Rasa server's feedback channel;
the rating is kept in the tracker store with the conversation, shown on the answer in the staff
transcript and counted on the overview."""

import pytest
import requests

from tests.support.harness import running_bot
from tests.support.staff_conversations import make_console, stores_of
from tests.support.staff_web import signed_in_client


@pytest.fixture(scope="module")
def bot(tmp_path_factory, trained_model):
    workdir = tmp_path_factory.mktemp("ratings")
    with running_bot(workdir) as running:
        running.console = make_console(workdir, stores_of(workdir))
        yield running


def answer_id(messages):
    return next(m["custom"]["answer_id"] for m in messages if (m.get("custom") or {}).get("answer_id"))


def rate(bot, sender, answer, rating):
    return requests.post(
        f"{bot.rasa_url}/webhooks/feedback/rating",
        json={"sender": sender, "answer_id": answer, "rating": rating},
        timeout=30,
    )


def test_a_rating_is_kept_with_its_answer_and_the_latest_one_counts(bot):
    sender = "rating-patient"
    first = answer_id(bot.say(sender, "how long does botox last?"))
    second = answer_id(bot.say(sender, "what are the side effects?"))
    assert first != second
    assert rate(bot, sender, first, "down").status_code == 200
    assert rate(bot, sender, first, "up").json() == {"rated": "up"}  # changed their mind
    assert rate(bot, sender, second, "down").status_code == 200
    replies = [r for turn in bot.console.transcript(sender).turns for r in turn.replies if r.rating]
    assert [(r.topic, r.rating) for r in replies] == [("results_duration", "up"), ("side_effects", "down")]
    summary = bot.console.summary(sender)
    assert sorted(summary.ratings.values()) == ["down", "up"]
    staff = signed_in_client(bot.console, "rating-reader")
    overview = staff.get("/staff/overview").text
    assert "answers rated by patients: 50 % helpful (1 👍, 1 👎)" in " ".join(overview.split())
    transcript = staff.get("/staff/transcript", params={"id": sender}).text
    assert "Patient's rating: helpful 👍" in transcript and "Patient's rating: not helpful 👎" in transcript
    # The conversation goes on as before: a rating is not a message.
    assert "3–4 months" in " ".join(m.get("text") or "" for m in bot.say(sender, "how long does it last?"))


@pytest.mark.parametrize(
    "body",
    [
        {"sender": "rating-patient", "answer_id": "not-an-answer", "rating": "up"},
        {"sender": "nobody", "answer_id": "abc", "rating": "up"},
    ],
)
def test_only_an_answer_of_that_conversation_can_be_rated(bot, body):
    assert requests.post(f"{bot.rasa_url}/webhooks/feedback/rating", json=body, timeout=30).status_code == 404


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"sender": "x", "answer_id": "a", "rating": "meh"},
        {"sender": "x" * 200, "answer_id": "a", "rating": "up"},
    ],
)
def test_a_malformed_rating_is_refused(bot, body):
    assert requests.post(f"{bot.rasa_url}/webhooks/feedback/rating", json=body, timeout=30).status_code == 400
