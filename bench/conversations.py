"""Whole patient conversations through the full trained bot (issue 11): turns handled as their
blind writer labelled them, by label and by tag, conversations right at every turn, needless
"not sure", and every failed turn with what the bot said.

    .venv/bin/python -m bench.conversations            (the tuning set)
    .venv/bin/python -m bench.conversations --fresh    (the fresh blind batch)

tests/conversations/test_patient_conversations.py enforces the floors on the tuning set."""

import argparse
import tempfile
from pathlib import Path

from tests.support.harness import running_bot
from tests.support.patient_conversations import FRESH_SET, TUNING_SET, report, run_conversations


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fresh", action="store_true", help="the fresh blind batch instead")
    parser.add_argument("--set", type=Path, help="another conversation file")
    args = parser.parse_args()
    path = args.set or (FRESH_SET if args.fresh else TUNING_SET)
    with tempfile.TemporaryDirectory() as workdir, running_bot(Path(workdir)) as bot:
        print(report(run_conversations(bot, path), f"{path.name} (full bot over REST)"))


if __name__ == "__main__":
    main()
