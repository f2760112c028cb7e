"""Start-up time and memory of the two servers after start, and after a few messages.

.venv/bin/python -m bench.server_footprint
"""

import tempfile
import time
from pathlib import Path

import psutil

from tests.support.harness import running_bot

QUESTIONS = [
    "hello",
    "how long does botox last for facial palsy?",
    "what are the side effects?",
    "who is the surgeon?",
    "thanks",
]


def rss_mb(pid: int) -> float:
    process = psutil.Process(pid)
    return sum(p.memory_info().rss for p in [process, *process.children(recursive=True)]) / 2**20


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        started = time.monotonic()
        with running_bot(Path(tmp)) as bot:
            up = time.monotonic() - started
            print(f"both servers answering after {up:.1f} s")
            print(
                f"after start:   Rasa server {rss_mb(bot.rasa_pid):6.0f} MB RSS, "
                f"action server {rss_mb(bot.action_pid):5.0f} MB RSS"
            )
            latencies = []
            for text in QUESTIONS:
                sent = time.monotonic()
                bot.say("footprint", text)
                latencies.append(time.monotonic() - sent)
            print(
                f"after {len(QUESTIONS)} messages: Rasa server {rss_mb(bot.rasa_pid):6.0f} MB RSS, "
                f"action server {rss_mb(bot.action_pid):5.0f} MB RSS; "
                f"slowest reply {max(latencies) * 1000:.0f} ms (first one warms up)"
            )


if __name__ == "__main__":
    main()
