"""action_session_start: the disclaimer is the first bot message of every conversation."""

from actions.session import ActionSessionStart
from tests.support.trackers import make_tracker


def test_sends_the_disclaimer_and_starts_the_session(dispatcher, domain):
    events = ActionSessionStart().run(dispatcher, make_tracker(), domain)
    assert [e["event"] for e in events] == ["session_started", "action"]
    assert events[-1]["name"] == "action_listen"
    [message] = dispatcher.messages
    assert "automated" in message["text"] and "not medical advice" in message["text"]


def test_carries_slots_over_only_when_the_domain_says_so(dispatcher):
    tracker = make_tracker(slots={"staff_followup": "emergency", "other": None})
    keep = {"session_config": {"carry_over_slots_to_new_session": True}}
    events = ActionSessionStart().run(dispatcher, tracker, keep)
    assert {"event": "slot", "name": "staff_followup", "value": "emergency", "timestamp": None} in events
    drop = {"session_config": {"carry_over_slots_to_new_session": False}}
    assert all(e["event"] != "slot" for e in ActionSessionStart().run(dispatcher, tracker, drop))
