"""NLU figures for docs/nlu.md: held-out accuracy and training time of the project's pipeline
against Rasa's default whitespace pipeline, and the fallback threshold table.

    make bench-nlu          (or: .venv/bin/python -m bench.nlu_benchmark)

Trains each configuration on data/nlu, parses tests/nlu/test_nlu.yml (never used for training) and
prints: accuracy of the top intent, training time, and for the project's pipeline how accuracy
and coverage change with the FallbackClassifier threshold. Takes about 10 minutes on 2 cores.
"""

import asyncio
import logging
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
RASA = Path(sys.executable).parent / "rasa"
TEST_SET = PROJECT_ROOT / "tests" / "nlu" / "test_nlu.yml"
CONFIGS = {
    "project (spaCy lemmas + char n-grams)": PROJECT_ROOT / "config.yml",
    "same DIET, whitespace tokens, no lemmas": PROJECT_ROOT
    / "bench"
    / "configs"
    / "whitespace_same_diet.yml",
    "Rasa 3.6 default (whitespace)": PROJECT_ROOT / "bench" / "configs" / "rasa_default.yml",
}
THRESHOLDS = (0.0, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8)


def train(config: Path, out: Path) -> tuple[Path, float]:
    started = time.monotonic()
    subprocess.run(
        [
            str(RASA),
            "train",
            "nlu",
            "-c",
            str(config),
            "--nlu",
            "data/nlu",
            "--out",
            str(out),
            "--fixed-model-name",
            "bench",
            "--quiet",
        ],
        cwd=PROJECT_ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
        env={**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "3"},
    )
    return out / "bench.tar.gz", time.monotonic() - started


def test_examples() -> list[tuple[str, str]]:
    from rasa.shared.nlu.training_data.loading import load_data

    return [(m.get("text"), m.get("intent")) for m in load_data(str(TEST_SET)).intent_examples]


async def top_predictions(model: Path, examples: list[tuple[str, str]]) -> list[tuple[str, float]]:
    """The best real intent and its confidence for each example (ignoring nlu_fallback)."""
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))
    predictions = []
    for text, _ in examples:
        parsed = await agent.parse_message(text)
        ranking = [r for r in parsed["intent_ranking"] if r["name"] != "nlu_fallback"]
        predictions.append((ranking[0]["name"], ranking[0]["confidence"]))
    return predictions


def threshold_table(examples, predictions) -> list[dict[str, float]]:
    rows = []
    for threshold in THRESHOLDS:
        answered = [
            (p, gold) for (p, conf), (_, gold) in zip(predictions, examples, strict=True) if conf >= threshold
        ]
        right = sum(p == gold for p, gold in answered)
        rows.append(
            {
                "threshold": threshold,
                "answered": len(answered) / len(examples),
                "accuracy_answered": right / len(answered) if answered else 0.0,
                "wrong_answers": len(answered) - right,
                "overall": right / len(examples),
            }
        )
    return rows


def main() -> None:
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)  # parse logs would print every test message
    examples = test_examples()
    print(f"Held-out set: {len(examples)} messages ({TEST_SET.relative_to(PROJECT_ROOT)})\n")
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, config in CONFIGS.items():
            model, seconds = train(config, Path(tmp) / str(len(results)))
            predictions = asyncio.run(top_predictions(model, examples))
            accuracy = sum(p == gold for (p, _), (_, gold) in zip(predictions, examples, strict=True)) / len(
                examples
            )
            results[name] = (accuracy, seconds, predictions)
            print(f"{name:42s} accuracy {accuracy:.3f}   training {seconds:5.0f} s", flush=True)
    project = next(iter(results))
    print(f"\nFallback threshold for the project pipeline ({project}):")
    print("threshold  answered  accuracy-of-answered  wrong-answers  right-overall")
    for row in threshold_table(examples, results[project][2]):
        print(
            f"{row['threshold']:9.1f}  {row['answered']:8.1%}  {row['accuracy_answered']:20.1%}"
            f"  {row['wrong_answers']:13d}  {row['overall']:13.1%}"
        )


if __name__ == "__main__":
    main()
