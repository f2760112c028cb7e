"""What patient safety costs per message, on the trained model, in one run over one workload:

- the NLU parse of every patient message of the blind conversation sets and the single-message
  safety sets, timed whole, and the time spent inside `SafetyRulesClassifier` (the red-flag and
  scope rules) during those same parses;
- `EmergencyModePolicy`'s rules (bot/safety/conversation.py) over conversations of growing length,
  since it reads the whole session on every prediction.

    .venv/bin/python -m bench.safety_cost [--model models/current.tar.gz] [--rounds 3]

Prints milliseconds per message (mean, p50, p95) for the whole parse and for the component, the
component's share of the parse, and microseconds per policy prediction by conversation length.
Needs a trained model (`make train`); starts no server.
"""

import argparse
import asyncio
import logging
import os
import statistics
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from bot.paths import PROJECT_ROOT
from bot.yamlfile import load_yaml_mapping

SAFETY_SETS = PROJECT_ROOT / "tests" / "safety"
CONVERSATION_SETS = PROJECT_ROOT / "tests" / "conversations"
LENGTHS = (5, 20, 100, 400)  # patient messages in one session


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)


def workload() -> list[str]:
    """Every patient message of the conversation sets, then the single-message safety sets."""
    messages = []
    for path in sorted(SAFETY_SETS.glob("conversations*.yml")) + sorted(CONVERSATION_SETS.glob("*.yml")):
        for conversation in load_yaml_mapping(path)["conversations"]:
            messages += [str(turn["user"]) for turn in conversation["turns"]]
    for name in ("red_flags", "near_misses", "out_of_scope"):
        messages += list(_strings(load_yaml_mapping(SAFETY_SETS / f"{name}.yml")))
    return messages


def timed(function: Callable, log: list[float]) -> Callable:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            log.append(time.perf_counter() - started)

    return wrapper


def summary(seconds: list[float], unit: float = 1000.0) -> str:
    ordered = sorted(seconds)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    mean, p50 = statistics.fmean(ordered), ordered[len(ordered) // 2]
    return f"mean {mean * unit:7.2f}  p50 {p50 * unit:7.2f}  p95 {p95 * unit:7.2f}"


async def parse_all(
    model: Path, messages: list[str], rounds: int
) -> tuple[list[float], list[float], list[dict]]:
    from rasa.core.agent import Agent

    from bot.nlp.safety_classifier import SafetyRulesClassifier

    component: list[float] = []
    SafetyRulesClassifier.process = timed(SafetyRulesClassifier.process, component)  # type: ignore[method-assign]
    agent = Agent.load(str(model))
    for text in messages[:20]:  # warm-up, not counted
        await agent.parse_message(text)
    component.clear()
    whole, parses = [], []
    for _ in range(rounds):
        for text in messages:
            started = time.perf_counter()
            parses.append(await agent.parse_message(text))
            whole.append(time.perf_counter() - started)
    return whole, component, parses[: len(messages)]


def session_events(parses: list[dict], length: int) -> list[dict]:
    """A session of `length` patient messages (the workload's parses, in order) with a page answer
    after each, as the policy sees them (event dicts)."""
    events: list[dict] = [{"event": "session_started"}, {"event": "action", "name": "action_listen"}]
    for index in range(length):
        parse = parses[index % len(parses)]
        events += [
            {"event": "user", "text": parse.get("text"), "parse_data": parse},
            {"event": "action", "name": "action_answer_topic"},
            {"event": "bot", "text": "an answer"},
            {"event": "action", "name": "action_listen"},
        ]
    return events[:-1]  # the policy predicts after the latest action


def policy_cost(parses: list[dict]) -> list[tuple[int, float, float]]:
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import Event
    from rasa.shared.core.trackers import DialogueStateTracker

    from bot.runtime.emergency_policy import safety_action_for
    from bot.safety.conversation import next_safety_action

    def whole_tracker(tracker: DialogueStateTracker) -> str | None:
        """The same rules over every event of the tracker as dicts (the policy before 2026-12-01)."""
        return next_safety_action([event.as_dict() for event in tracker.events])

    domain = Domain.load(str(PROJECT_ROOT / "domain.yml"))
    results = []
    for length in LENGTHS:
        events = [Event.from_parameters(e) for e in session_events(parses, length)]
        tracker = DialogueStateTracker.from_events("bench", events, domain.slots)
        repeats = max(20, 4000 // length)
        # Both sides alternate, best of three, so neither pays for the other's warm-up.
        session: list[float] = []
        every: list[float] = []
        for _ in range(3):
            session.append(_per_call(safety_action_for, tracker, repeats))
            every.append(_per_call(whole_tracker, tracker, repeats))
        results.append((length, min(session), min(every)))
    return results


def _per_call(function: Callable, argument: Any, repeats: int) -> float:
    started = time.perf_counter()
    for _ in range(repeats):
        function(argument)
    return (time.perf_counter() - started) / repeats


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=PROJECT_ROOT / "models" / "current.tar.gz")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    from rasa.utils.common import configure_logging_and_warnings

    configure_logging_and_warnings(logging.WARNING)
    messages = workload()
    whole, component, parses = asyncio.run(parse_all(args.model, messages, args.rounds))
    print(f"NLU parse, {len(messages)} patient messages x {args.rounds} rounds, ms per message:")
    print(f"  whole parse               {summary(whole)}")
    print(f"  SafetyRulesClassifier     {summary(component)}")
    print(f"  its share of the parse    {sum(component) / sum(whole):.1%}")
    print("EmergencyModePolicy, microseconds per prediction, by patient messages in the session:")
    print("                  the session's events   every event as a dict")
    for length, session_only, every_event in policy_cost(parses):
        print(f"  {length:4} messages   {session_only * 1e6:12.1f}   {every_event * 1e6:16.1f}")


if __name__ == "__main__":
    main()
