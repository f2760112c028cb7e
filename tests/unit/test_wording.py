"""The wording files (data/wording/*.yml) and their loader (bot/wording.py): every key the code
reads is there, and a mistake in a file is refused at start-up, naming the file and the key."""

import re
import shutil
from pathlib import Path

import pytest
import yaml
from rasa.shared.utils.io import is_key_in_yaml

from bot.paths import DATA_DIR, WORDING_DIR
from bot.runtime.startup import check_reviewed_data
from bot.wording import WORDING_KEYS, load_all_wording, wording, wording_file
from bot.yamlfile import ConfigError
from tests.support.yaml_edit import set_dotted


def test_every_wording_file_holds_exactly_the_texts_the_code_reads():
    load_all_wording()
    for name, spec in WORDING_KEYS.items():
        assert set(wording_file(name).texts) == set(spec)


def test_the_servers_check_all_reviewed_data_at_start_up():
    check_reviewed_data()  # raises ConfigError on any mistake; the cases are below


def test_texts_are_one_line_with_single_spaces():
    for name in WORDING_KEYS:
        for key, text in wording_file(name).texts.items():
            assert text == " ".join(text.split()), f"{name}.{key}"


def test_a_text_is_rendered_with_exactly_the_values_the_code_declares():
    assert wording(
        "booking.stored.sent", first_name="Priya", request="callback request", reference="BK-1"
    ).startswith("Thank you, Priya.")
    with pytest.raises(TypeError, match="first_name"):
        wording("booking.stored.sent", first_name="Priya")


def wording_copy(tmp_path: Path, name: str, text: str) -> Path:
    """A copy of data/wording/ in which `name`.yml is `text`."""
    directory = tmp_path / "wording"
    shutil.copytree(WORDING_DIR, directory)
    (directory / f"{name}.yml").write_text(text, encoding="utf-8")
    return directory


def edited(name: str, key: str, value) -> str:
    """`name`.yml with the text at dotted `key` replaced by `value` (or removed when None)."""
    raw = yaml.safe_load((WORDING_DIR / f"{name}.yml").read_text(encoding="utf-8"))
    set_dotted(raw, key, value)
    return yaml.safe_dump(raw, allow_unicode=True)


@pytest.mark.parametrize(
    "key,value,problem",
    [
        ("stored.sent", None, "booking.yml: `stored.sent` is missing"),
        ("stored.sent", "  ", "booking.yml: `stored.sent` must be a non-empty text"),
        ("buttons.consent_no", False, "booking.yml: `buttons.consent_no` must be a non-empty text"),
        (
            "stored.sent",
            "Thank you, {fist_name}.",
            "booking.yml: `stored.sent` uses {fist_name}, which the code does not fill in",
        ),
        (
            "questions.name",
            "What's your {name}?",
            "booking.yml: `questions.name` uses {name}, which the code does not fill in (it fills in: none)",
        ),
        ("stored.sent", "Reference {reference:>10}", "placeholders are written {name}"),
        ("stored.sent", "Reference {reference", "booking.yml: `stored.sent` has a stray brace"),
        ("stored.thanks", "Thank you.", "booking.yml: `stored.thanks` is not a text the code uses"),
    ],
)
def test_a_mistake_in_a_wording_file_is_refused_naming_the_file_and_key(tmp_path, key, value, problem):
    directory = wording_copy(tmp_path, "booking", edited("booking", key, value))
    with pytest.raises(ConfigError, match=re.escape(problem)):
        load_all_wording(directory)


def test_an_unquoted_no_button_is_caught(tmp_path):
    """YAML reads a bare No as false: the check says which key, instead of a button "False"."""
    text = (WORDING_DIR / "booking.yml").read_text(encoding="utf-8")
    directory = wording_copy(tmp_path, "booking", text.replace('consent_no: "No"', "consent_no: No"))
    with pytest.raises(ConfigError, match="`buttons.consent_no` must be a non-empty text"):
        load_all_wording(directory)


def test_a_wording_file_the_code_does_not_read_is_refused(tmp_path):
    directory = wording_copy(tmp_path, "farewells", "goodbye: Bye.\n")
    with pytest.raises(ConfigError, match="farewells.yml is not read by the code"):
        load_all_wording(directory)


@pytest.mark.parametrize(
    "path",
    sorted((DATA_DIR / "wording").glob("*.yml")) + sorted((DATA_DIR / "safety").glob("*.yml")),
    ids=lambda p: p.name,
)
def test_rasa_does_not_take_wording_or_safety_files_for_training_data(path):
    """They sit under data/, which Rasa reads for training data, yet are no training input
    (Makefile TRAINING_INPUTS): a line such as `rules:` would make Rasa read one."""
    assert not is_key_in_yaml(path, "nlu", "stories", "rules", "responses")
