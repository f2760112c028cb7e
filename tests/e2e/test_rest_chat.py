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


def test_a_chat_clients_opener_gets_the_greeting(bot):
    """rasa-webchat sends /get_started as soon as it opens."""
    texts = [m.get("text") or "" for m in bot.say("e2e-webchat", "/get_started")]
    assert "virtual assistant" in texts[0]
    assert any(text.startswith("Hello!") for text in texts[1:])
    assert not any("not sure" in text or "empty" in text for text in texts)


def test_price_is_not_invented(bot):
    texts = " ".join(m.get("text", "") for m in bot.say("e2e-cost", "how much is it?"))
    assert "doesn't list prices" in texts and "$" not in texts


def test_a_price_seeker_is_not_offered_booking_again_and_again(bot):
    """The offer after the price answer comes once; asked again, the answer comes alone."""
    offers = []
    for question in ("how much is it?", "what does it cost roughly", "any idea of the price?"):
        texts = [m.get("text") or "" for m in bot.say("e2e-price-seeker", question)]
        assert any("doesn't list prices" in text for text in texts)
        offers.append(any("Would you like to request a consultation" in text for text in texts))
    assert offers == [True, False, False]


def test_conversation_is_kept_in_the_sql_tracker_store(bot):
    bot.say("e2e-kept", "what is botox for facial paralysis?")
    with sqlite3.connect(bot.tracker_db) as db:
        rows = db.execute(
            "select count(*) from events where sender_id = ? and type_name = 'user'", ("e2e-kept",)
        ).fetchone()
    assert rows[0] == 1


def mapped_libraries(pid: int, *names: str) -> list[str]:
    return [r.path for r in psutil.Process(pid).memory_maps() if any(name in r.path for name in names)]


def test_the_servers_answer_without_loading_frameworks_they_never_use(bot):
    """spaCy's thinc would load TensorFlow into the action server (most of its memory) and
    TensorFlow Lite would load JAX into the Rasa server; both are kept out (bot/runtime/frameworks.py)."""
    messages = bot.say("e2e-frameworks", "does the treatment hurt?")
    assert any(m.get("text") for m in messages)
    assert mapped_libraries(bot.action_pid, "tensorflow", "jaxlib") == []
    assert mapped_libraries(bot.rasa_pid, "jaxlib") == []
    assert mapped_libraries(bot.rasa_pid, "tensorflow")  # the Rasa server's models run on it
