"""The red-flag vocabulary as reviewed data (data/safety/red_flags.yml, bot/safety/vocabulary.py),
its phrase notation (bot/nlp/phrases.py, bot/nlp/patterns.py), and the checks on load."""

import re
from pathlib import Path

import pytest
import yaml

from bot.nlp.patterns import CLAUSE_BREAKS, matcher_patterns
from bot.nlp.phrases import PhraseError, read_phrase, word_lists
from bot.paths import RED_FLAGS_FILE, SAFETY_WORDING_FILE
from bot.safety.red_flags import EMERGENCY, NO_RED_FLAG, RedFlagDetector
from bot.safety.vocabulary import get_red_flag_vocabulary, load_red_flag_vocabulary, source_ids
from bot.yamlfile import ConfigError, load_yaml_mapping
from tests.support.yaml_edit import set_dotted

LISTS = {"can": ("ca", "can"), "swallow": ("swallow", "gulp"), "negations": ("no", "not")}
GAP = {"LOWER": {"NOT_IN": CLAUSE_BREAKS}, "OP": "?"}


def test_phrases_read_as_matcher_patterns():
    assert matcher_patterns(read_phrase("$can not ...2 $swallow", LISTS)) == [
        [{"LOWER": {"IN": ["ca", "can"]}}, {"LOWER": "not"}, GAP, GAP, {"LOWER": {"IN": ["swallow", "gulp"]}}]
    ]
    assert matcher_patterns(read_phrase("not be? able", LISTS)) == [
        [{"LOWER": "not"}, {"LOWER": "be", "OP": "?"}, {"LOWER": "able"}]
    ]
    assert matcher_patterns(read_phrase("($swallow|choke) ...1!$negations well", LISTS)) == [
        [
            {"LOWER": {"IN": ["swallow", "gulp", "choke"]}},
            {"LOWER": {"NOT_IN": CLAUSE_BREAKS + ["no", "not"]}, "OP": "?"},
            {"LOWER": "well"},
        ]
    ]


def test_near_matches_both_orders():
    assert matcher_patterns(read_phrase({"near": ["throat", "(tight|lump)"], "within": 1}, LISTS)) == [
        [{"LOWER": "throat"}, GAP, {"LOWER": {"IN": ["tight", "lump"]}}],
        [{"LOWER": {"IN": ["tight", "lump"]}}, GAP, {"LOWER": "throat"}],
    ]


@pytest.mark.parametrize(
    "phrase",
    [
        "$nothing ...2 swallow",
        "(hard|) swallow",
        "...3",
        "hard ... 3 swallow",
        {"near": ["throat"], "within": 2},
        {"near": ["a", "b"]},
        42,
    ],
)
def test_unreadable_phrases_are_refused(phrase):
    with pytest.raises(PhraseError):
        read_phrase(phrase, LISTS)


def test_word_lists_may_include_other_lists_but_not_each_other():
    assert word_lists({"hard": ["$easy", "tough"], "easy": ["fine"]})["hard"] == ("fine", "tough")
    with pytest.raises(PhraseError, match="name each other"):
        word_lists({"a": ["$b"], "b": ["$a"]})


def test_every_symptom_has_a_level_sources_and_phrases():
    vocabulary = get_red_flag_vocabulary()
    known = set(source_ids(load_yaml_mapping(SAFETY_WORDING_FILE)))
    for symptom in vocabulary.symptoms.values():
        assert symptom.level in ("urgent", "secondary") and symptom.phrases
        assert symptom.sources and set(symptom.sources) <= known


def test_the_file_names_the_fda_sources_it_rests_on():
    cited = {source for symptom in get_red_flag_vocabulary().symptoms.values() for source in symptom.sources}
    assert {"fda_boxed_warning", "fda_medication_guide"} <= cited


def red_flags_copy(tmp_path: Path, edit) -> Path:
    """A copy of data/safety/red_flags.yml changed by `edit(raw)`."""
    raw = yaml.safe_load(RED_FLAGS_FILE.read_text(encoding="utf-8"))
    edit(raw)
    path = tmp_path / "red_flags.yml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_the_rules_follow_the_file(tmp_path):
    """A phrase added to the file is matched, and a symptom's level decides: data, not code."""

    def edit(raw):
        raw["symptoms"]["swallowing"]["phrases"].append("gloop ...1 (stuck|stick)")
        raw["symptoms"]["vision"]["level"] = "secondary"

    detector = RedFlagDetector(load_red_flag_vocabulary(red_flags_copy(tmp_path, edit)))
    found = detector.detect_text("the gloop got stuck")
    assert found.decision == EMERGENCY and found.symptoms == ("swallowing",)
    assert detector.detect_text("double vision since the botox").decision == NO_RED_FLAG


def _set(path: str, value):
    def edit(raw):
        set_dotted(raw, path, value)

    return edit


@pytest.mark.parametrize(
    "edit,problem",
    [
        (
            _set("symptoms.choking.phrases", ["$chokes"]),
            "`symptoms.choking.phrases`: $chokes is not a word list",
        ),
        (_set("symptoms.choking.phrases", ["(choke|gag"]), "`symptoms.choking.phrases`:"),
        (_set("symptoms.choking.level", "severe"), "`symptoms.choking.level` must be one of"),
        (_set("symptoms.choking.sources", ["a_blog_post"]), "`symptoms.choking.sources` must name"),
        (_set("symptoms.choking.examples", ["i keep choking"]), "`symptoms.choking` has unknown fields"),
        (_set("symptoms.weakness", None), "the symptom `weakness` is missing"),
        (_set("words.negations", None), "the word list `negations` is missing"),
        (_set("words.wheeze", ["wheeze"]), "the word list `wheeze` is used by no phrase and no rule"),
        (_set("words.faint", ["$fainting"]), "word list `faint` names $fainting"),
        (_set("ruled_out.local_face", "face"), "`ruled_out.local_face` must be a list of words"),
        (
            _set("ruled_out.everyday_context.coughing", ["price"]),
            "`ruled_out.everyday_context.coughing` is not a symptom",
        ),
        (_set("not_symptoms.idiom", []), "`not_symptoms.idiom` must be a list of phrases"),
        (_set("extras", {}), "the sections must be"),
    ],
)
def test_a_mistake_in_the_red_flag_file_is_refused_naming_the_place(tmp_path, edit, problem):
    with pytest.raises(ConfigError, match=re.escape(problem)):
        load_red_flag_vocabulary(red_flags_copy(tmp_path, edit))
