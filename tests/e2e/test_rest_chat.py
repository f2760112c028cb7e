"""End to end: both servers up, a patient chats over the REST channel."""

import sqlite3

import psutil
import pytest

from tests.support.harness import running_bot


@pytest.fixture(scope="module")
def bot(tmp_path_factory, trained_model):
    with running_bot(tmp_path_factory.mktemp("e2e")) as running:
        yield running


def test_duration_question_gets_the_grounded_answer_with_source_and_buttons(bot):
    messages = bot.say("e2e-duration", "how long does botox last for facial palsy?")
    answer = next(m for m in messages if "3–4 months" in m.get("text", ""))
    assert "3–4 months" in answer["text"]
    assert "Risks Associated with Botox for Facial Paralysis" in answer["text"]
    assert {"title": "Book a consultation", "payload": "/request_booking"} in answer["buttons"]
    assert any(m.get("custom", {}).get("topic") == "results_duration" for m in messages)


def test_greeting_states_the_disclaimer(bot):
    text = bot.say("e2e-greet", "hello")[0]["text"]
    assert "virtual assistant" in text and "medical advice" in text and "911" in text


def test_price_is_not_invented(bot):
    texts = " ".join(m.get("text", "") for m in bot.say("e2e-cost", "how much is it?"))
    assert "doesn't list prices" in texts and "$" not in texts


def test_conversation_is_kept_in_the_sql_tracker_store(bot):
    bot.say("e2e-kept", "what is botox for facial paralysis?")
    with sqlite3.connect(bot.tracker_db) as db:
        rows = db.execute(
            "select count(*) from events where sender_id = ? and type_name = 'user'", ("e2e-kept",)
        ).fetchone()
    assert rows[0] == 1


def test_the_action_server_answers_without_loading_tensorflow(bot):
    """spaCy's thinc would load TensorFlow (most of the action server's memory); the server as
    started by make run keeps it out (bot/runtime/action_server.py) and still answers."""
    messages = bot.say("e2e-frameworks", "does the treatment hurt?")
    assert any(m.get("text") for m in messages)
    mapped = {region.path for region in psutil.Process(bot.action_pid).memory_maps()}
    assert not [path for path in mapped if "tensorflow" in path or "jaxlib" in path]
