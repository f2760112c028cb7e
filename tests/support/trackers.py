"""Trackers for action tests."""

from typing import Any

from rasa_sdk import Tracker


def make_tracker(
    intent: str | None = None,
    text: str = "",
    slots: dict[str, Any] | None = None,
    events: list[dict[str, Any]] | None = None,
    confidence: float = 0.95,
    active_loop: dict[str, Any] | None = None,
    sender_id: str = "test-user",
) -> Tracker:
    """A rasa-sdk Tracker whose latest user message has `intent` and `text`."""
    latest = {
        "text": text,
        "intent": {"name": intent, "confidence": confidence} if intent else {},
        "entities": [],
    }
    return Tracker(
        sender_id=sender_id,
        slots=slots or {},
        latest_message=latest,
        events=events or [],
        paused=False,
        followup_action=None,
        active_loop=active_loop or {},
        latest_action_name=None,
    )
