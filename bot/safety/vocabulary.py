"""The red-flag vocabulary as reviewed data (data/safety/red_flags.yml): each symptom with its
level, sources and phrases, and the words that rule a mention out or tell a general question from
a report. Read and checked here, without spaCy; bot/safety/red_flags.py builds the matcher.

Checked on load (`ConfigError` naming the file and the place): the file's sections and fields,
levels, sources known to data/safety/emergency.yml, phrases that can be read and name only
existing word lists, every list and symptom the rules in bot/safety/red_flags.py use, and no list
that nothing uses.
"""

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path
from typing import Any, NoReturn

from bot.nlp.phrases import Phrase, PhraseError, list_references, read_phrase, word_lists
from bot.paths import RED_FLAGS_FILE, SAFETY_WORDING_FILE
from bot.yamlfile import ConfigError, load_yaml_mapping

URGENT = "urgent"
SECONDARY = "secondary"
LEVELS = (URGENT, SECONDARY)

# Sections of the file whose entries are word lists, all referable as $name from phrases.
LIST_SECTIONS = ("words", "ruled_out", "general_question")
SECTIONS = ("symptoms", *LIST_SECTIONS, "not_symptoms", "typo_targets")
SYMPTOM_FIELDS = {"level", "sources", "inability", "phrases", "botox_effect"}
# Matcher labels of `not_symptoms`, as they appear in the reasons a mention was ruled out.
NOT_SYMPTOM_LABELS = {"idiom": "idiom", "all_well": "all well"}
EVERYDAY_CONTEXT = "everyday_context"
# Lists of words a message contains, not of single tokens ("what if"): no phrase can name them.
TEXT_LISTS = ("hypothetical", "question_pairs")
# Symptoms the rules in bot/safety/red_flags.py name (see `RuleWords` for the lists they read).
RULE_SYMPTOMS = frozenset({"weakness", "face_swelling", "speaking", "fainting"})


@dataclass(frozen=True)
class RuleWords:
    """The word lists the rules in bot/safety/red_flags.py read, by their names in the file."""

    can: frozenset[str]
    negations: frozenset[str]
    whole_body: frozenset[str]
    speech: frozenset[str]
    talk_to: frozenset[str]
    speak_manner: frozenset[str]
    medical_anchors: frozenset[str]
    local_face: frozenset[str]
    widespread: frozenset[str]
    not_the_body: frozenset[str]
    slight_or_local: frozenset[str]
    not_slight: frozenset[str]
    availability: frozenset[str]
    needle_fear: frozenset[str]
    long_standing: frozenset[str]
    year: frozenset[str]
    years_ago: frozenset[str]
    treatment_words: frozenset[str]
    known_condition: frozenset[str]
    condition_time: frozenset[str]
    question_starts: frozenset[str]
    general_frame: frozenset[str]
    hypothetical: frozenset[str]
    question_pairs: frozenset[str]
    modal_question: frozenset[str]
    treatment_subjects: frozenset[str]
    experience: frozenset[str]
    causal_since: frozenset[str]
    personal: frozenset[str]
    planned_treatment: frozenset[str]
    auxiliaries: frozenset[str]
    hearsay: frozenset[str]
    hearsay_people: frozenset[str]
    all_clear: frozenset[str]
    reporting: frozenset[str]


RULE_LISTS = frozenset(f.name for f in fields(RuleWords))
Fail = Callable[[str], NoReturn]  # raises ConfigError naming the file


@dataclass(frozen=True)
class Symptom:
    id: str
    level: str
    sources: tuple[str, ...]
    inability: tuple[Phrase, ...]  # phrases with their own "not": never ruled out as negated
    phrases: tuple[Phrase, ...]
    # False for emergencies that are not effects of Botox (a stroke, chest pain): the answer must
    # not call them a reaction to it.
    botox_effect: bool = True


@dataclass(frozen=True)
class RedFlagVocabulary:
    symptoms: dict[str, Symptom]  # in the file's order
    lists: dict[str, tuple[str, ...]]
    not_symptoms: dict[str, tuple[Phrase, ...]]  # matcher label -> phrases
    everyday_context: dict[str, frozenset[str]]  # symptom id -> words
    typo_targets: tuple[str, ...]

    @property
    def levels(self) -> dict[str, str]:
        """Symptom id -> urgent or secondary."""
        return {symptom.id: symptom.level for symptom in self.symptoms.values()}

    @property
    def botox_effects(self) -> frozenset[str]:
        """Symptom ids that can be a reaction to Botox (the others are emergencies all the same)."""
        return frozenset(s.id for s in self.symptoms.values() if s.botox_effect)

    @property
    def rules(self) -> RuleWords:
        return RuleWords(**{name: frozenset(self.lists[name]) for name in RULE_LISTS})


def source_ids(raw: Mapping[str, Any]) -> list[str]:
    """The ids of the sources listed in the safety wording (data/safety/emergency.yml)."""
    return [str(source.get("id")) for source in raw.get("sources") or [] if isinstance(source, dict)]


def _strings(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, str) and v for v in value)


def _raw_lists(raw: Mapping[str, Any], fail: Fail) -> dict[str, list[str]]:
    """Every word list of LIST_SECTIONS, by name; a name may be used once."""
    lists: dict[str, list[str]] = {}
    for section in LIST_SECTIONS:
        entries = raw[section]
        if not isinstance(entries, dict):
            fail(f"`{section}` must map names to word lists")
        for name, words in entries.items():
            if name == EVERYDAY_CONTEXT or name in TEXT_LISTS:
                continue
            if not _strings(words):
                fail(f"`{section}.{name}` must be a list of words")
            if name in lists:
                fail(f"`{section}.{name}`: the name `{name}` is used twice")
            lists[name] = words
    return lists


def _phrases(items: Any, where: str, lists: Mapping[str, Sequence[str]], fail: Fail) -> tuple[Phrase, ...]:
    if not isinstance(items, list) or not items:
        fail(f"`{where}` must be a list of phrases")
    phrases = []
    for item in items:
        try:
            phrases.append(read_phrase(item, lists))
        except PhraseError as error:
            fail(f"`{where}`: {error} (in {item!r})")
    return tuple(phrases)


def _symptom(
    symptom_id: str, raw: Any, lists: Mapping[str, Sequence[str]], known_sources: set[str], fail: Fail
) -> Symptom:
    where = f"symptoms.{symptom_id}"
    if not isinstance(raw, dict) or not {"level", "sources", "phrases"} <= set(raw):
        fail(f"`{where}` needs a level, sources and phrases")
    unknown = set(raw) - SYMPTOM_FIELDS
    if unknown:
        fail(f"`{where}` has unknown fields {sorted(unknown)} (fields: {sorted(SYMPTOM_FIELDS)})")
    if raw["level"] not in LEVELS:
        fail(f"`{where}.level` must be one of {list(LEVELS)}, not {raw['level']!r}")
    if not _strings(raw["sources"]) or set(raw["sources"]) - known_sources:
        fail(
            f"`{where}.sources` must name sources among {sorted(known_sources)} "
            f"({SAFETY_WORDING_FILE.name} `sources`)"
        )
    if not isinstance(raw.get("botox_effect", True), bool):
        fail(f"`{where}.botox_effect` must be true or false")
    inability = _phrases(raw["inability"], f"{where}.inability", lists, fail) if "inability" in raw else ()
    return Symptom(
        symptom_id,
        raw["level"],
        tuple(raw["sources"]),
        inability,
        _phrases(raw["phrases"], f"{where}.phrases", lists, fail),
        raw.get("botox_effect", True),
    )


def _word_lists(raw: Mapping[str, Any], fail: Fail) -> dict[str, tuple[str, ...]]:
    """The word lists, expanded; every one the rules use must be there."""
    try:
        lists = word_lists(_raw_lists(raw, fail))
    except PhraseError as error:
        fail(str(error))
    for name in TEXT_LISTS:
        if not _strings(raw["general_question"].get(name)):
            fail(f"`general_question.{name}` must be a list of words")
    missing = sorted(RULE_LISTS - set(lists) - set(TEXT_LISTS))
    if missing:
        fail(f"the word list `{missing[0]}` is missing: bot/safety/red_flags.py uses it")
    return lists


def _symptoms(
    raw: Mapping[str, Any], lists: Mapping[str, Sequence[str]], known_sources: set[str], fail: Fail
) -> dict[str, Symptom]:
    if not isinstance(raw["symptoms"], dict) or not raw["symptoms"]:
        fail("`symptoms` must map symptom ids to their level, sources and phrases")
    symptoms = {
        str(symptom_id): _symptom(str(symptom_id), entry, lists, known_sources, fail)
        for symptom_id, entry in raw["symptoms"].items()
    }
    missing = sorted(RULE_SYMPTOMS - set(symptoms))
    if missing:
        fail(f"the symptom `{missing[0]}` is missing: bot/safety/red_flags.py has rules for it")
    return symptoms


def _not_symptoms(
    raw: Mapping[str, Any], lists: Mapping[str, Sequence[str]], fail: Fail
) -> dict[str, tuple[Phrase, ...]]:
    if not isinstance(raw["not_symptoms"], dict) or set(raw["not_symptoms"]) != set(NOT_SYMPTOM_LABELS):
        fail(f"`not_symptoms` must have {sorted(NOT_SYMPTOM_LABELS)}")
    return {
        label: _phrases(raw["not_symptoms"][key], f"not_symptoms.{key}", lists, fail)
        for key, label in NOT_SYMPTOM_LABELS.items()
    }


def _everyday_context(
    raw: Mapping[str, Any], symptoms: Collection[str], fail: Fail
) -> dict[str, frozenset[str]]:
    everyday = raw["ruled_out"].get(EVERYDAY_CONTEXT)
    if not isinstance(everyday, dict) or not all(_strings(v) for v in everyday.values()):
        fail(f"`ruled_out.{EVERYDAY_CONTEXT}` must map symptom ids to word lists")
    unknown = sorted(set(map(str, everyday)) - set(symptoms))
    if unknown:
        fail(f"`ruled_out.{EVERYDAY_CONTEXT}.{unknown[0]}` is not a symptom")
    return {str(symptom): frozenset(words) for symptom, words in everyday.items()}


def _check_every_list_is_used(raw: Mapping[str, Any], lists: Collection[str], fail: Fail) -> None:
    """A list no phrase, no other list and no rule names is most likely a misspelt name."""
    written = [item for group in raw["not_symptoms"].values() for item in group]
    for symptom in raw["symptoms"].values():
        written += list(symptom.get("inability") or []) + list(symptom["phrases"])
    written += [" ".join(words) for words in _raw_lists(raw, fail).values()]
    referenced = {name for item in written for name in list_references(item)}
    unused = sorted(set(lists) - referenced - RULE_LISTS)
    if unused:
        fail(f"the word list `{unused[0]}` is used by no phrase and no rule (misspelt?)")


def load_red_flag_vocabulary(
    path: Path = RED_FLAGS_FILE, sources_file: Path = SAFETY_WORDING_FILE
) -> RedFlagVocabulary:
    """Read and check the red-flag vocabulary; raises `ConfigError` naming the file and place."""

    def fail(problem: str) -> NoReturn:
        raise ConfigError(f"{path}: {problem}")

    raw = load_yaml_mapping(path)
    if set(raw) != set(SECTIONS):
        fail(f"the sections must be {list(SECTIONS)}, not {list(raw)}")
    lists = _word_lists(raw, fail)
    symptoms = _symptoms(raw, lists, set(source_ids(load_yaml_mapping(sources_file))), fail)
    not_symptoms = _not_symptoms(raw, lists, fail)
    everyday = _everyday_context(raw, symptoms, fail)
    _check_every_list_is_used(raw, lists, fail)
    if not _strings(raw["typo_targets"]):
        fail("`typo_targets` must be a list of words")
    texts = {name: tuple(raw["general_question"][name]) for name in TEXT_LISTS}
    return RedFlagVocabulary(symptoms, {**lists, **texts}, not_symptoms, everyday, tuple(raw["typo_targets"]))


@lru_cache(maxsize=1)
def get_red_flag_vocabulary() -> RedFlagVocabulary:
    return load_red_flag_vocabulary()
