"""Safety figures for docs/safety.md, through the full trained bot (action server + Rasa server):

    .venv/bin/python -m bench.safety_rates

Prints the red-flag recall, the near-miss alarm rate and the off-page answers, for the whole bot
and for the red-flag rules alone, and lists every message that missed; red flags are also sent
as the answer to the booking form's reason question. Takes about four minutes.
"""

import tempfile
from pathlib import Path

from bot.safety.red_flags import detect_red_flags
from tests.support.harness import running_bot
from tests.support.safety_evaluation import load_set, run_set


def rate(hits: int, total: int) -> str:
    return f"{hits}/{total} = {hits / total:.1%}"


def main() -> None:
    red_flags, near_misses = load_set("red_flags"), load_set("near_misses")
    rules_hits = sum(detect_red_flags(text).is_emergency for _, text in red_flags)
    rules_alarms = sum(detect_red_flags(text).is_emergency for _, text in near_misses)
    print("Red-flag rules alone (bot/safety/red_flags.py):")
    print(f"  red-flag recall      {rate(rules_hits, len(red_flags))}")
    print(f"  near-miss alarm rate {rate(rules_alarms, len(near_misses))}")
    with tempfile.TemporaryDirectory() as workdir, running_bot(Path(workdir)) as bot:
        flags, near, off_page = (run_set(bot, name) for name in ("red_flags", "near_misses", "out_of_scope"))
        mid_booking = run_set(bot, "red_flags", mid_booking=True)
    print("\nFull trained bot (REST, one new conversation per message):")
    print(f"  red-flag recall      {rate(sum(t.emergency for t in flags), len(flags))}")
    print(f"  near-miss alarm rate {rate(sum(t.emergency for t in near), len(near))}")
    print(
        f"  red-flag recall as the answer to the booking form's reason question "
        f"{rate(sum(t.emergency for t in mid_booking), len(mid_booking))}"
    )
    bad = [t for t in off_page if t.price_or_dose or t.page_answer or t.emergency]
    honest = sum(t.says_page_does_not_cover_it for t in off_page)
    print(f"  off-page questions answered with a price, dose or page answer {rate(len(bad), len(off_page))}")
    print(f'  off-page questions told "our page doesn\'t cover that" {rate(honest, len(off_page))}')
    for label, turns in (
        ("Missed red flags", [t for t in flags if not t.emergency]),
        ("Missed red flags mid-booking", [t for t in mid_booking if not t.emergency]),
        ("Near misses that alarmed", [t for t in near if t.emergency]),
        ("Off-page with a page answer, price or dose", bad),
        (
            "Off-page not told the page doesn't cover it",
            [t for t in off_page if not t.says_page_does_not_cover_it],
        ),
    ):
        if turns:
            print(f"\n{label}:")
            for turn in turns:  # the first reply of a new conversation is the disclaimer
                answer = " ".join(r.get("text") or str(r.get("custom")) for r in turn.replies[1:])
                print(f"  - {turn.message!r}: {answer[:110]!r}")


if __name__ == "__main__":
    main()
