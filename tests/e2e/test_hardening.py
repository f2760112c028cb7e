"""The servers as shipped, fed bad input: every request gets a 4xx or a polite reply, never a 500
or a crash; the HTTP API is off; the patient's words never reach the logs."""

import json

import pytest
import requests

from bot.runtime.input_guard import MAX_MESSAGE_CHARS, empty_message_reply, too_long_reply
from tests.support.harness import ACTION_AUTHORIZATION, running_bot
from tests.support.socketio_chat import socketio_replies

MARKER = "zebra-quartz-7731"  # a word no log line would contain by chance


def body(**fields) -> bytes:
    return json.dumps(fields).encode()


NESTED = b'{"sender": "nest", "message": ' + b"[" * 50_000 + b"]" * 50_000 + b"}"
DEEP_METADATA = body(sender="meta", message="hi", metadata=json.loads('{"a":' * 20 + "1" + "}" * 20))

# (case, raw body, expected status)
REJECTED = [
    ("empty body", b"", 400),
    ("whitespace-only body", b"   \n ", 400),
    ("malformed JSON", b'{"sender": "a", "message": "hello', 400),
    ("JSON list", b"[]", 400),
    ("JSON string", b'"how long does it last?"', 400),
    ("JSON null", b"null", 400),
    ("JSON number", b"42", 400),
    ("NaN is not JSON", b'{"sender": "a", "message": NaN}', 400),
    ("binary body", b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe\x00", 400),
    ("deeply nested JSON", NESTED, 400),
    ("deeply nested metadata", DEEP_METADATA, 400),
    ("metadata not an object", body(sender="a", message="hi", metadata=[1]), 400),
    ("no sender", body(message="hello"), 400),
    ("empty sender", body(sender="", message="hello"), 400),
    ("number sender", body(sender=12, message="hello"), 400),
    ("huge sender", body(sender="s" * 10_000, message="hello"), 400),
    ("control characters in sender", body(sender="a\x00b", message="hello"), 400),
    ("no message", body(sender="a"), 400),
    ("number message", body(sender="a", message=7), 400),
    ("object message", body(sender="a", message={"text": "hi"}), 400),
    ("body over the channel's cap", body(sender="a", message=MARKER + "x" * 300_000), 413),
    ("body over the server's cap", body(sender="a", message="x" * 2_000_000), 413),
]

# (case, message, the reply's text, or None for "the bot answers normally")
ANSWERED = [
    ("empty message", "", empty_message_reply().text),
    ("whitespace-only message", " \n\t  ", empty_message_reply().text),
    ("control characters only", "\x00\x01\x1b\x7f", empty_message_reply().text),
    ("invisible characters only", "\u200b\u202e\ufeff", empty_message_reply().text),
    ("100 kB message", MARKER + " " + "a" * 100_000, too_long_reply().text),
    ("just over the length cap", "b" * (MAX_MESSAGE_CHARS + 1), too_long_reply().text),
    ("markup", f"<script>alert('{MARKER}')</script><b>hello</b>", None),
    ("emoji and right-to-left text", "👋 مرحبا \u202e hello", None),
    ("lone surrogate", "\ud800 hello", None),
    ("binary-looking text", "\x00\xff\xfe\x89PNG garbage \x1b[31m", None),
]


@pytest.fixture(scope="module")
def bot(tmp_path_factory, trained_model):
    with running_bot(tmp_path_factory.mktemp("hardening")) as running:
        yield running


@pytest.mark.parametrize("case,raw,status", REJECTED, ids=[c[0] for c in REJECTED])
def test_malformed_requests_get_a_4xx(bot, case, raw, status):
    response = bot.post(raw)
    assert response.status_code == status, response.text[:300]
    if status == 400:
        assert "error" in response.json()


@pytest.mark.parametrize("case,message,reply", ANSWERED, ids=[c[0] for c in ANSWERED])
def test_odd_messages_get_a_polite_reply(bot, case, message, reply):
    response = bot.post(body(sender=f"odd-{case}", message=message))
    assert response.status_code == 200, response.text[:300]
    texts = [m.get("text") for m in response.json() if m.get("text")]
    assert texts, "the patient got no reply"
    if reply is not None:
        assert texts == [reply]
    else:
        assert MARKER not in " ".join(texts) and "<script>" not in " ".join(texts)


def test_fullwidth_and_zero_width_text_is_understood(bot):
    texts = " ".join(
        m.get("text", "") for m in bot.say("odd-width", "ｈｏｗ ｌｏｎｇ ｄｏｅｓ ｂｏｔｏｘ\u200b ｌａｓｔ?")
    )
    assert "3–4 months" in texts


def test_server_still_answers_after_the_bad_input(bot):
    assert requests.get(f"{bot.rasa_url}/", timeout=10).status_code == 200
    texts = " ".join(m.get("text", "") for m in bot.say("after-bad-input", "how long does botox last?"))
    assert "3–4 months" in texts


@pytest.mark.parametrize(
    "method,path",
    [
        ("GET", "/status"),
        ("GET", "/version"),
        ("GET", "/conversations/x/tracker"),
        ("POST", "/conversations/x/messages"),
        ("POST", "/model/parse"),
        ("PUT", "/model"),
        ("POST", "/webhooks/rest/webhook?stream=true&token=x"),
    ],
)
def test_the_http_api_is_off(bot, method, path):
    response = requests.request(method, f"{bot.rasa_url}{path}", json={"text": "hi"}, timeout=10)
    if path.startswith("/webhooks"):
        assert response.status_code == 400  # the channel, not an API: {"text": ...} is no message
    else:
        assert response.status_code in (404, 405)


def test_patients_words_never_reach_the_logs(bot):
    bot.say("logs", f"my neighbour {MARKER} asked how long botox lasts")
    bot.post(body(sender="logs", message=MARKER * 200))
    bot.post(b'{"sender": "logs", "message": "' + MARKER.encode())
    logs = (bot.workdir / "rasa.log").read_text(errors="replace") + (bot.workdir / "actions.log").read_text(
        errors="replace"
    )
    assert MARKER not in logs
    assert "Traceback" not in logs


# Action server: bad requests from a caller with the secret (tests/e2e/test_action_server_auth.py
# has those without) get a JSON error, never a traceback or the request echoed back.
ACTION_CALLS = [
    ("not JSON", b"{nope", 400),
    ("empty", b"", 400),
    ("JSON list", b"[1, 2]", 400),
    ("no action name", body(tracker={"sender_id": "a"}), 400),
    ("no tracker", body(next_action="action_answer_topic"), 400),
    ("tracker not an object", body(next_action="action_answer_topic", tracker=[MARKER]), 400),
    (
        "slots not an object",
        body(next_action="action_answer_topic", tracker={"sender_id": "a", "slots": [MARKER]}),
        400,
    ),
    ("unknown action", body(next_action="action_nope", tracker={"sender_id": "a"}), 404),
    ("deeply nested", b'{"next_action": ' + b"[" * 50_000 + b"]" * 50_000 + b"}", 400),
]


@pytest.mark.parametrize("case,raw,status", ACTION_CALLS, ids=[c[0] for c in ACTION_CALLS])
def test_action_server_answers_bad_requests_with_errors(bot, case, raw, status):
    response = requests.post(
        f"{bot.action_url}/webhook",
        data=raw,
        timeout=30,
        headers={"Content-Type": "application/json", **ACTION_AUTHORIZATION},
    )
    assert response.status_code == status
    assert "error" in response.json() and MARKER not in response.text


def test_action_server_refuses_compressed_bodies(bot):
    response = requests.post(
        f"{bot.action_url}/webhook",
        data=b"x\x9c\x03\x00",
        timeout=30,
        headers={"Content-Encoding": "deflate", **ACTION_AUTHORIZATION},
    )
    assert response.status_code == 415


def test_action_server_logs_no_traceback_for_bad_requests(bot):
    requests.post(f"{bot.action_url}/webhook", data=b"[", timeout=30, headers=ACTION_AUTHORIZATION)
    assert "Traceback" not in (bot.workdir / "actions.log").read_text(errors="replace")


def test_socketio_channel_applies_the_same_input_rules(bot):
    empty, too_long, question = socketio_replies(
        bot, ["  \u200b ", "c" * (MAX_MESSAGE_CHARS + 1), "how long does botox last?"]
    )
    assert empty == [empty_message_reply().text]
    assert too_long == [too_long_reply().text]
    assert any("3–4 months" in (text or "") for text in question), question
