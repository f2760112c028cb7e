"""What the bot accepts from a chat channel before Rasa sees it, and what the action server
accepts from Rasa.

Plain rules, testable without Rasa: a REST request body must be a small JSON object with a sender
id and a text message; the text is normalised and stripped of control and invisible characters;
an empty or over-long message gets a polite answer instead of being parsed. An action call must be
a JSON object naming an action and carrying a tracker. Nothing here logs or returns the patient's
words.
"""

import json
from dataclasses import dataclass, field
from typing import Any

from bot.knowledge.answers import Reply
from bot.names import MAX_MESSAGE_CHARS, Intent
from bot.text import clean_text
from bot.wording import wording

# A patient's question fits easily; longer text is almost always a paste or an attack, and NLU
# time grows with length. The body cap leaves room for a long paste to get the polite reply.
MAX_BODY_BYTES = 256 * 1024
MAX_SENDER_CHARS = 128
MAX_METADATA_BYTES = 4096
MAX_METADATA_DEPTH = 8
# An action call carries the whole conversation session and the domain.
MAX_ACTION_CALL_BYTES = 20 * 1024 * 1024


def empty_message_reply() -> Reply:
    return Reply(text=wording("general.input.empty_message"))


def too_long_reply() -> Reply:
    return Reply(text=wording("general.input.too_long", max_chars=f"{MAX_MESSAGE_CHARS:,}"))


@dataclass(frozen=True)
class ChatMessage:
    """A message for the bot: who sent it, its text and optional channel metadata."""

    sender: str
    text: str
    metadata: dict[str, Any] | None = None


@dataclass(frozen=True)
class Answered:
    """A well-formed message that gets a fixed reply instead of going to the bot."""

    sender: str
    reply: Reply
    reason: str


@dataclass(frozen=True)
class Rejected:
    """A malformed request: an HTTP error status and a short reason (never the message text)."""

    status: int
    error: str
    details: dict[str, Any] = field(default_factory=dict)


# What standard chat clients send when they open, before the patient types anything:
# rasa-webchat's default initPayload, Telegram's /start, Botfront's /get_started. Each is read as
# a greeting, so the patient is greeted instead of told their message was not understood.
OPENER_PAYLOADS = frozenset({"/get_started", "get_started", "/start", "/getstarted", "/get_started{}"})


def check_message(message: ChatMessage) -> ChatMessage | Answered:
    """The message with its text cleaned, or a direct answer when it is empty or too long; a
    client's opener payload becomes the greeting."""
    cleaned = clean_text(message.text)
    if cleaned.lower() in OPENER_PAYLOADS:
        return ChatMessage(message.sender, f"/{Intent.GREET}", message.metadata)
    if not cleaned:
        return Answered(message.sender, empty_message_reply(), "empty message")
    if len(cleaned) > MAX_MESSAGE_CHARS:
        # Safety first: a long message that describes an urgent symptom is never refused; the
        # part that mentions it goes through, so the patient gets the emergency answer.
        urgent = red_flag_excerpt(cleaned)
        if urgent is None:
            return Answered(message.sender, too_long_reply(), f"message over {MAX_MESSAGE_CHARS} characters")
        cleaned = urgent
    return ChatMessage(message.sender, cleaned, message.metadata)


def red_flag_excerpt(text: str) -> str | None:
    """The first window of at most MAX_MESSAGE_CHARS characters in which the red-flag rules fire."""
    from bot.safety.red_flags import detect_red_flags  # loads spaCy: only for over-long messages

    step = MAX_MESSAGE_CHARS // 2  # windows overlap, so a symptom on a boundary is not cut
    for start in range(0, len(text), step):
        window = text[start : start + MAX_MESSAGE_CHARS]
        if detect_red_flags(window).is_emergency:
            return window
        if start + MAX_MESSAGE_CHARS >= len(text):
            break
    return None


def parse_rest_body(body: bytes) -> ChatMessage | Rejected:
    """Read a REST channel body: {"sender": "...", "message": "...", "metadata": {...}?}.

    Only the shape is checked here; the text is checked by `check_message`.
    """
    parsed = _json_object(body, MAX_BODY_BYTES)
    if isinstance(parsed, Rejected):
        return parsed
    sender = parsed.get("sender")
    problem = _sender_problem(sender)
    if problem:
        return Rejected(400, problem)
    message = parsed.get("message")
    if not isinstance(message, str):
        return Rejected(400, "`message` must be a string")
    metadata = parsed.get("metadata")
    problem = _metadata_problem(metadata)
    if problem:
        return Rejected(400, problem)
    return ChatMessage(str(sender), message, metadata)


def _json_object(body: bytes, max_bytes: int) -> dict[str, Any] | Rejected:
    """A request body that must be a JSON object of at most `max_bytes`."""
    if len(body) > max_bytes:
        return Rejected(413, "request body too large", {"max_bytes": max_bytes})
    parsed = _parse_json(body)
    if isinstance(parsed, (Rejected, dict)):
        return parsed
    return Rejected(400, "request body must be a JSON object")


def _parse_json(body: bytes) -> Any | Rejected:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return Rejected(400, "request body must be UTF-8 encoded JSON")
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except RecursionError:
        return Rejected(400, "request body is nested too deeply")
    except ValueError:
        return Rejected(400, "request body is not valid JSON")


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


def _sender_problem(sender: Any) -> str | None:
    if not isinstance(sender, str) or not sender.strip():
        return "`sender` must be a non-empty string"
    if len(sender) > MAX_SENDER_CHARS:
        return f"`sender` must be at most {MAX_SENDER_CHARS} characters"
    if not sender.isprintable():
        return "`sender` must not contain control characters"
    return None


def _metadata_problem(metadata: Any) -> str | None:
    if metadata is None:
        return None
    if not isinstance(metadata, dict):
        return "`metadata` must be a JSON object"
    if _depth(metadata) > MAX_METADATA_DEPTH:
        return f"`metadata` must be nested at most {MAX_METADATA_DEPTH} levels"
    if len(json.dumps(metadata).encode("utf-8")) > MAX_METADATA_BYTES:
        return f"`metadata` must be at most {MAX_METADATA_BYTES} bytes"
    return None


def _depth(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + max((_depth(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((_depth(v) for v in value), default=0)
    return 0


def check_action_call(body: bytes) -> Rejected | None:
    """Why an action server request is malformed, or None when its shape is what rasa-sdk reads.

    Shape: {"next_action": "...", "tracker": {"sender_id": "...", "slots": {}, "events": [],
    "latest_message": {}, "active_loop": {}}, "domain": {}}, optional keys may be absent.
    """
    call = _json_object(body, MAX_ACTION_CALL_BYTES)
    if isinstance(call, Rejected):
        return call
    if not isinstance(call.get("next_action"), str) or not call["next_action"]:
        return Rejected(400, "`next_action` must be a non-empty string")
    tracker = call.get("tracker")
    if not isinstance(tracker, dict) or not isinstance(tracker.get("sender_id"), str):
        return Rejected(400, "`tracker` must be an object with a `sender_id` string")
    expected = {"slots": dict, "events": list, "latest_message": dict, "active_loop": dict}
    for key, kind in expected.items():
        if tracker.get(key) is not None and not isinstance(tracker[key], kind):
            return Rejected(400, f"`tracker.{key}` must be a JSON {_json_kind(kind)}")
    if call.get("domain") is not None and not isinstance(call["domain"], dict):
        return Rejected(400, "`domain` must be a JSON object")
    return None


def _json_kind(kind: type) -> str:
    return "object" if kind is dict else "array"
