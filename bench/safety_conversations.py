"""Whole safety conversations through the full trained bot: emergency recall by kind, false
alarms, page answers or offers in emergency mode, and every failed turn.

    .venv/bin/python -m bench.safety_conversations            (the tuning set)
    .venv/bin/python -m bench.safety_conversations --fresh    (the fresh blind batch)

tests/safety/test_safety_conversations.py enforces the targets on the same sets."""

from tests.support.conversation_sets import conversation_bench
from tests.support.safety_conversations import FRESH_SET, TUNING_SET, report, run_conversations

if __name__ == "__main__":
    conversation_bench(__doc__.splitlines()[0], TUNING_SET, FRESH_SET, run_conversations, report)
