"""Rasa's own checks over the project: data validation, test stories, the held-out NLU set."""

import json

from tests.support.harness import run_rasa_cli
from tests.support.paths import PROJECT_ROOT, TEST_OUTPUT

NLU_ACCURACY_TARGET = 0.90


def test_training_data_and_domain_validate_without_warnings():
    result = run_rasa_cli(["data", "validate", "--domain", "domain.yml", "--fail-on-warnings"])
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]


def test_every_test_story_is_predicted_correctly(trained_model):
    out = TEST_OUTPUT / "core"
    result = run_rasa_cli(
        [
            "test",
            "core",
            "-m",
            str(trained_model),
            "--stories",
            "tests/stories",
            "--out",
            str(out),
            "--fail-on-prediction-errors",
        ]
    )
    failed = out / "failed_test_stories.yml"
    details = failed.read_text() if failed.exists() else result.stdout[-4000:] + result.stderr[-4000:]
    assert result.returncode == 0, details


def test_held_out_nlu_set_reaches_the_accuracy_target(trained_model):
    out = TEST_OUTPUT / "nlu"
    result = run_rasa_cli(
        [
            "test",
            "nlu",
            "-m",
            str(trained_model),
            "--nlu",
            "tests/nlu/test_nlu.yml",
            "--out",
            str(out),
        ]
    )
    assert result.returncode == 0, result.stderr[-4000:]
    report = json.loads((out / "intent_report.json").read_text())
    assert report["accuracy"] >= NLU_ACCURACY_TARGET, (
        f"intent accuracy {report['accuracy']:.3f} < {NLU_ACCURACY_TARGET}; see {out / 'intent_errors.json'}"
    )


def test_nlu_test_set_is_not_used_for_training():
    import re

    from rasa.shared.nlu.training_data.loading import load_data

    def norm(text: str) -> str:
        return re.sub(r"[^a-z0-9 ]", "", text.lower()).strip()

    train = {norm(m.get("text")) for m in load_data(str(PROJECT_ROOT / "data" / "nlu")).intent_examples}
    test = load_data(str(PROJECT_ROOT / "tests" / "nlu" / "test_nlu.yml")).intent_examples
    assert [m.get("text") for m in test if norm(m.get("text")) in train] == []
    counts = {}
    for message in test:
        counts[message.get("intent")] = counts.get(message.get("intent"), 0) + 1
    assert min(counts.values()) >= 8, counts
