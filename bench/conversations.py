"""Whole patient conversations through the full trained bot (issue 11): turns handled as their
blind writer labelled them, by label and by tag, conversations right at every turn, needless
"not sure", and every failed turn with what the bot said.

    .venv/bin/python -m bench.conversations            (the tuning set)
    .venv/bin/python -m bench.conversations --fresh    (the fresh blind batch)

tests/conversations/test_patient_conversations.py enforces the floors on the tuning set."""

from tests.support.conversation_sets import conversation_bench
from tests.support.patient_conversations import FRESH_SET, TUNING_SET, report, run_conversations

if __name__ == "__main__":
    conversation_bench(__doc__.splitlines()[0], TUNING_SET, FRESH_SET, run_conversations, report)
