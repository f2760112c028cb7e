"""What the two blind conversation sets share (tests/support/safety_conversations.py and
tests/support/patient_conversations.py): the benchmark's command line, and which conversations
were right at every turn."""

import argparse
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, Protocol

from tests.support.harness import RunningBot, running_bot


class JudgedTurn(Protocol):
    @property
    def ok(self) -> bool: ...

    conversation: Any


def right_by_conversation(turns: Iterable[JudgedTurn]) -> dict[str, bool]:
    """Conversation id -> whether every one of its turns was right."""
    right: dict[str, bool] = {}
    for turn in turns:
        right[turn.conversation.id] = right.get(turn.conversation.id, True) and turn.ok
    return right


def conversation_bench(
    description: str,
    tuning: Path,
    fresh: Path,
    run: Callable[[RunningBot, Path], list[Any]],
    report: Callable[[list[Any], str], str],
) -> None:
    """`python -m bench.<set> [--fresh | --set FILE]`: the set through the full bot, reported."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--fresh", action="store_true", help="the fresh blind batch instead")
    parser.add_argument("--set", type=Path, help="another conversation file")
    args = parser.parse_args()
    path = args.set or (fresh if args.fresh else tuning)
    with tempfile.TemporaryDirectory() as workdir, running_bot(Path(workdir)) as bot:
        print(report(run(bot, path), f"{path.name} (full bot over REST)"))
