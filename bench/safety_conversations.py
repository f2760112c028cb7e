"""Whole safety conversations through the full trained bot: emergency recall by kind, false
alarms, page answers or offers in emergency mode, and every failed turn.

    .venv/bin/python -m bench.safety_conversations            (the tuning set)
    .venv/bin/python -m bench.safety_conversations --fresh    (the fresh blind batch)

tests/safety/test_safety_conversations.py enforces the targets on the same sets."""

import argparse
import tempfile
from pathlib import Path

from tests.support.harness import running_bot
from tests.support.safety_conversations import FRESH_SET, TUNING_SET, report, run_conversations


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
