"""Whole booking conversations through the full trained bot (issue 13): how many reach the
outcome their blind writer expected (stored once with the right fields, cancelled or declined
with nothing stored, handed off), by outcome, and every failed conversation with what the bot
said.

    .venv/bin/python -m bench.booking_conversations            (the tuning set)
    .venv/bin/python -m bench.booking_conversations --fresh    (the fresh blind batch)

tests/conversations/test_booking_conversations.py enforces the target on the tuning set."""

from tests.support.booking_conversations import FRESH_SET, TUNING_SET, report, run_booking_conversations
from tests.support.conversation_sets import conversation_bench

if __name__ == "__main__":
    conversation_bench(__doc__.splitlines()[0], TUNING_SET, FRESH_SET, run_booking_conversations, report)
