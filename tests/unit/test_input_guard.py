"""Input rules for chat channels and the action server (bot/runtime/input_guard.py)."""

import json

import pytest

from bot.runtime.input_guard import (
    MAX_BODY_BYTES,
    MAX_MESSAGE_CHARS,
    Answered,
    ChatMessage,
    Rejected,
    check_action_call,
    check_message,
    clean_text,
    empty_message_reply,
    parse_rest_body,
    too_long_reply,
)


@pytest.mark.parametrize(
    "raw,clean",
    [
        ("  how long   does it last?  ", "how long does it last?"),
        ("line one\nline two\tand a tab", "line one line two and a tab"),
        ("he\x00llo\x1b[31m", "hello[31m"),
        ("ｈｏｗ ｌｏｎｇ", "how long"),  # full-width letters
        ("ﬁne", "fine"),  # ligature
        ("bo\u200btox", "botox"),  # zero-width space
        ("abc\u202edef", "abcdef"),  # right-to-left override
        ("\ud800x", "x"),  # lone surrogate
        ("café 👋", "café 👋"),
        ("non\u00a0breaking", "non breaking"),
    ],
)
def test_clean_text(raw, clean):
    assert clean_text(raw) == clean


def test_a_normal_message_is_accepted_cleaned():
    checked = check_message(ChatMessage("p1", "  how   long?\n", {"page": "x"}))
    assert checked == ChatMessage("p1", "how long?", {"page": "x"})


@pytest.mark.parametrize("opener", ["/get_started", " /GET_STARTED ", "get_started", "/start"])
def test_a_chat_clients_opener_is_read_as_a_greeting(opener):
    """rasa-webchat sends /get_started when it opens; Telegram /start."""
    assert check_message(ChatMessage("p1", opener, {"a": 1})) == ChatMessage("p1", "/greet", {"a": 1})


@pytest.mark.parametrize("text", ["/get_started please", "get started with botox", "/start_booking"])
def test_only_a_whole_opener_is_read_as_a_greeting(text):
    assert check_message(ChatMessage("p1", text)).text == text


@pytest.mark.parametrize("text", ["", "   ", "\n\t", "\x00\x07", "\u200b\ufeff"])
def test_empty_messages_get_the_empty_reply(text):
    checked = check_message(ChatMessage("p1", text))
    assert isinstance(checked, Answered) and checked.reply == empty_message_reply()


def test_the_length_cap_counts_the_cleaned_text():
    assert check_message(ChatMessage("p1", "a" * MAX_MESSAGE_CHARS + "   ")).text == "a" * MAX_MESSAGE_CHARS
    checked = check_message(ChatMessage("p1", "a" * (MAX_MESSAGE_CHARS + 1)))
    assert isinstance(checked, Answered) and checked.reply == too_long_reply()
    assert f"{MAX_MESSAGE_CHARS:,}" in too_long_reply().text


def test_a_well_formed_body_is_parsed():
    parsed = parse_rest_body(b'{"sender": "p1", "message": "hi", "metadata": {"a": [1]}, "x": 1}')
    assert parsed == ChatMessage("p1", "hi", {"a": [1]})


@pytest.mark.parametrize(
    "raw,error",
    [
        (b"", "not valid JSON"),
        (b"{", "not valid JSON"),
        (b"\xff\xfe{}", "UTF-8"),
        (b"[1]", "JSON object"),
        (b'{"sender": "a", "message": Infinity}', "not valid JSON"),
        (b"[" * 100_000, "nested too deeply"),
        (b'{"message": "hi"}', "`sender`"),
        (b'{"sender": " ", "message": "hi"}', "`sender`"),
        (b'{"sender": "a\\nb", "message": "hi"}', "control characters"),
        (json.dumps({"sender": "a" * 129, "message": "hi"}).encode(), "at most 128"),
        (b'{"sender": "a"}', "`message`"),
        (b'{"sender": "a", "message": null}', "`message`"),
        (b'{"sender": "a", "message": "hi", "metadata": "x"}', "`metadata` must be a JSON object"),
        (json.dumps({"sender": "a", "message": "hi", "metadata": {"k": "v" * 5000}}).encode(), "bytes"),
        (
            json.dumps(
                {"sender": "a", "message": "hi", "metadata": json.loads('{"a":' * 9 + "1" + "}" * 9)}
            ).encode(),
            "nested",
        ),
    ],
)
def test_malformed_bodies_are_rejected_with_a_reason(raw, error):
    rejected = parse_rest_body(raw)
    assert isinstance(rejected, Rejected) and rejected.status == 400
    assert error in rejected.error


def test_an_oversized_body_is_rejected_before_parsing():
    rejected = parse_rest_body(b" " * (MAX_BODY_BYTES + 1))
    assert isinstance(rejected, Rejected) and rejected.status == 413


def test_rejections_never_quote_the_message():
    rejected = parse_rest_body(b'{"sender": "a", "message": ["secret words"]}')
    assert "secret" not in rejected.error and "secret" not in json.dumps(rejected.details)


GOOD_CALL = {
    "next_action": "action_answer_topic",
    "domain": {},
    "tracker": {"sender_id": "a", "slots": {}, "events": [], "latest_message": {}, "active_loop": {}},
}


def test_a_well_formed_action_call_passes():
    assert check_action_call(json.dumps(GOOD_CALL).encode()) is None
    assert check_action_call(b'{"next_action": "x", "tracker": {"sender_id": "a"}}') is None


@pytest.mark.parametrize(
    "change,error",
    [
        ({"next_action": ""}, "next_action"),
        ({"next_action": 3}, "next_action"),
        ({"tracker": None}, "`tracker`"),
        ({"tracker": {"slots": {}}}, "`tracker`"),
        ({"tracker": {"sender_id": "a", "events": {}}}, "tracker.events"),
        ({"tracker": {"sender_id": "a", "latest_message": []}}, "tracker.latest_message"),
        ({"domain": []}, "`domain`"),
    ],
)
def test_malformed_action_calls_are_rejected(change, error):
    rejected = check_action_call(json.dumps({**GOOD_CALL, **change}).encode())
    assert rejected is not None and rejected.status == 400 and error in rejected.error


def test_an_over_long_message_with_a_red_flag_is_not_refused():
    from bot.runtime.input_guard import ChatMessage, check_message

    text = "thanks for explaining the recovery. " * 300 + "also i cant swallow since yesterday"
    checked = check_message(ChatMessage("s", text, None))
    assert isinstance(checked, ChatMessage)
    assert "cant swallow" in checked.text and len(checked.text) <= 2000


def test_an_over_long_message_without_a_red_flag_gets_the_polite_answer():
    from bot.runtime.input_guard import Answered, ChatMessage, check_message

    assert isinstance(check_message(ChatMessage("s", "blah " * 4000, None)), Answered)
