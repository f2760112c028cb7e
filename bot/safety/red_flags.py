"""Red-flag symptoms after Botox, recognised by rules over lemmas (spaCy `Matcher`). The symptoms,
their words and phrases and the words of every rule below are reviewed data in
data/safety/red_flags.yml (read by bot/safety/vocabulary.py); this module keeps the mechanics.

Which symptoms, and why they are urgent: the FDA boxed warning for onabotulinumtoxinA (BOTOX
prescribing information), "Distant Spread of Toxin Effect": the effect of the toxin may spread
from the injection area hours to weeks after injection and cause generalised muscle weakness,
double or blurred vision, drooping eyelids, hoarseness or change of voice, trouble speaking
(dysarthria), loss of bladder control, and trouble swallowing or breathing, which can be life
threatening; plus its hypersensitivity warnings (hives, swelling of face, lips, tongue or throat,
wheezing, feeling faint).

A symptom is *urgent* on its own, or *secondary* (hoarse voice, drooping eyelid: common and
harmless alone, urgent with any other sign). A mention does not count when it is negated ("no
trouble swallowing"), an idiom ("that price is hard to swallow"), plainly about something else
("I can't breathe, this price is crazy" carries no medical anchor), or a local, expected effect
(a face that feels weak where it was injected is what Botox is for). A general question about a
red-flag symptom ("can Botox cause trouble swallowing?") is told apart from a report, because it
deserves a warning, not an emergency alarm. When in doubt the rules fire: a missed emergency costs
more than an unneeded one.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from spacy.matcher import Matcher
from spacy.tokens import Doc, Span

from bot.nlp.lemmas import LemmaNormaliser
from bot.nlp.patterns import CLAUSE_BREAKS, keywords_of, matcher_patterns
from bot.nlp.phrases import Phrase
from bot.safety.vocabulary import (
    NOT_SYMPTOM_LABELS,
    SECONDARY,
    URGENT,
    RedFlagVocabulary,
    get_red_flag_vocabulary,
)

EMERGENCY = "emergency"
GENERAL_QUESTION = "general_question"
NO_RED_FLAG = "none"

# A negation counts up to this many words before a mention, not across a clause or an "and"
# ("no bruising and trouble swallowing" is not negated).
NEGATION_WINDOW = 3
NEGATION_STOPS = set(CLAUSE_BREAKS) | {"and"}
SENTENCE_BREAKS = {".", "!", "?", "\n"}
# Matcher labels: "<symptom>/inability" for phrases that contain their own "not" ("can't
# swallow"), "<symptom>/plain" for the others.
INABILITY = "inability"
PLAIN = "plain"
ALL_WELL = NOT_SYMPTOM_LABELS["all_well"]


def patterns_of(phrases: Iterable[Phrase]) -> list[list[dict]]:
    return [pattern for phrase in phrases for pattern in matcher_patterns(phrase)]


@dataclass(frozen=True)
class SymptomMention:
    symptom: str
    text: str
    start: int
    end: int
    inability: bool = False


@dataclass(frozen=True)
class RedFlagResult:
    """What the rules found in one message."""

    decision: str  # EMERGENCY, GENERAL_QUESTION or NO_RED_FLAG
    symptoms: tuple[str, ...] = ()
    mentions: tuple[SymptomMention, ...] = ()
    ignored: tuple[tuple[str, str], ...] = field(default=())  # (words, why they did not count)
    # A secondary sign alone (a heavy eyelid): not urgent in this message, but judged together
    # with the signs of the next messages (bot/safety/conversation.py).
    signs: tuple[str, ...] = ()

    @property
    def is_emergency(self) -> bool:
        return self.decision == EMERGENCY

    def as_dict(self) -> dict:
        return {
            "decision": self.decision,
            "symptoms": list(self.symptoms),
            "matched": [m.text for m in self.mentions],
            "ignored": [{"text": text, "reason": reason} for text, reason in self.ignored],
            "signs": list(self.signs),
        }


def _around(doc: Doc, start: int, end: int, breaks: set[str]) -> Span:
    """The tokens around start..end up to the nearest `breaks` on either side."""
    left = start
    while left > 0 and doc[left - 1].lower_ not in breaks:
        left -= 1
    right = end
    while right < len(doc) and doc[right].lower_ not in breaks:
        right += 1
    return doc[left:right]


class RedFlagDetector:
    """Finds red-flag symptoms in a message; plain Python over spaCy, no Rasa needed."""

    def __init__(self, vocabulary: RedFlagVocabulary | None = None) -> None:
        vocabulary = vocabulary or get_red_flag_vocabulary()
        self.levels = vocabulary.levels
        self.words = vocabulary.rules
        self.everyday_context = vocabulary.everyday_context
        patterns = {
            symptom.id: (patterns_of(symptom.inability), patterns_of(symptom.phrases))
            for symptom in vocabulary.symptoms.values()
        }
        # Typos are corrected towards the words of the symptom phrases and the forms patients type.
        keywords = keywords_of([p for pair in patterns.values() for p in pair[0] + pair[1]])
        self.normaliser = LemmaNormaliser({*keywords, *vocabulary.typo_targets})
        vocab = self.normaliser.vocab
        self.matcher = Matcher(vocab)
        for symptom, (inability, plain) in patterns.items():
            if inability:
                self.matcher.add(f"{symptom}/{INABILITY}", inability)
            self.matcher.add(f"{symptom}/{PLAIN}", plain)
        # Fixed phrases in which symptom words mean something else, or say all is well.
        self.idioms = Matcher(vocab)
        for label, phrases in vocabulary.not_symptoms.items():
            self.idioms.add(label, patterns_of(phrases))

    def detect_text(self, text: str) -> RedFlagResult:
        return self.detect(self.normaliser.parse(text))

    def detect(self, doc: Doc) -> RedFlagResult:
        """Red flags in a spaCy Doc of the message (Rasa's SpacyNLP Doc or `parse(text)`)."""
        lemmas = self.normaliser.lemma_doc(doc)
        idioms = [(lemmas.vocab.strings[m], s, e) for m, s, e in self.idioms(lemmas)]
        # "can't speak well" is not all well.
        idioms = [
            (label, s, e)
            for label, s, e in idioms
            if label != ALL_WELL or not self._negated(lemmas, s, count_inability=True)
        ]
        idiom_tokens = {i for _, s, e in idioms for i in range(s, e)}
        kept: list[SymptomMention] = []
        # Idioms count as symptom words seen and ruled out, so the model's guess cannot override.
        ignored: list[tuple[str, str]] = [(doc[s:e].text, label) for label, s, e in idioms]
        for match_id, start, end in self.matcher(lemmas):
            symptom, variant = lemmas.vocab.strings[match_id].split("/")
            mention = SymptomMention(symptom, doc[start:end].text, start, end, variant == INABILITY)
            reason = self._reason_to_ignore(mention, lemmas, idiom_tokens)
            if reason:
                ignored.append((mention.text, reason))
            else:
                kept.append(mention)
        return self._decide(lemmas, kept, ignored)

    def _reason_to_ignore(self, mention: SymptomMention, lemmas: Doc, idiom_tokens: set[int]) -> str | None:
        span_tokens = set(range(mention.start, mention.end))
        if span_tokens & idiom_tokens:
            return "idiom"
        clause = {t.lower_ for t in _around(lemmas, mention.start, mention.end, set(CLAUSE_BREAKS))}
        if not mention.inability and self._negated(lemmas, mention.start):
            return "negated"
        context = self.everyday_context.get(mention.symptom)
        # The sentence, clauses joined by commas included: "I can't breathe, this price is crazy".
        sentence = {t.lower_ for t in _around(lemmas, mention.start, mention.end, SENTENCE_BREAKS)}
        if context and sentence & context and not sentence & self.words.medical_anchors:
            return "everyday meaning"
        if self._history_of_known_condition(sentence):
            return "the patient's known condition"
        return self._local_or_unrelated(mention, lemmas, clause)

    def _history_of_known_condition(self, sentence: set[str]) -> bool:
        """ "ever since my Ramsay Hunt syndrome my right side is weak": told as the history of the
        palsy, and not tied to the treatment."""
        words = self.words
        return bool(
            sentence & words.known_condition
            and sentence & words.condition_time
            and not sentence & words.treatment_words
        )

    def _negated(self, lemmas: Doc, start: int, count_inability: bool = False) -> bool:
        """A negation just before `start` in the same clause ("no trouble swallowing"). "can't"
        is inability, not negation, unless `count_inability`."""
        for index in range(start - 1, max(start - 1 - NEGATION_WINDOW, -1), -1):
            lower = lemmas[index].lower_
            if lower in NEGATION_STOPS:
                return False
            inability = lower == "not" and index > 0 and lemmas[index - 1].lower_ in self.words.can
            if lower in self.words.negations and (count_inability or not inability):
                return True
        return False

    def _local_or_unrelated(self, mention: SymptomMention, lemmas: Doc, clause: set[str]) -> str | None:
        words = self.words
        span = {t.lower_ for t in lemmas[mention.start : mention.end]}
        if mention.symptom == "weakness" and not span & (words.whole_body | words.widespread):
            if clause & words.local_face:
                return "local to the treated face"
            subject = {t.lower_ for t in lemmas[max(mention.start - 3, 0) : mention.start]}
            if subject & words.not_the_body:
                return "not about the body"
        if (
            mention.symptom == "face_swelling"
            and clause & words.slight_or_local
            and not clause & words.not_slight
        ):
            return "slight or at the injection site"
        if mention.symptom == "speaking" and lemmas[mention.end - 1].lower_ in words.speech:
            after = {t.lower_ for t in lemmas[mention.end : mention.end + 4]}
            if mention.inability and after & words.availability and not clause & words.speak_manner:
                return "about being available to talk"
            if lemmas[mention.end : mention.end + 1].text.lower() in words.talk_to:
                return "about talking to someone"
        if mention.symptom == "fainting" and clause & words.needle_fear:
            return "fear of needles"
        chronic = clause & words.long_standing or (clause & words.year and clause & words.years_ago)
        if chronic and not clause & words.treatment_words:
            return "long-standing"
        return None

    def _decide(
        self, lemmas: Doc, kept: list[SymptomMention], ignored: list[tuple[str, str]]
    ) -> RedFlagResult:
        symptoms = tuple(dict.fromkeys(m.symptom for m in sorted(kept, key=lambda m: m.start)))
        urgent = [s for s in symptoms if self.levels[s] == URGENT]
        secondary = [s for s in symptoms if self.levels[s] == SECONDARY]
        if not urgent and len(secondary) < 2:
            ignored += [(m.text, "alone, not urgent") for m in kept]
            general = bool(secondary) and self.is_general_question(lemmas)
            return RedFlagResult(NO_RED_FLAG, (), (), tuple(ignored), () if general else tuple(secondary))
        decision = GENERAL_QUESTION if self.is_general_question(lemmas) else EMERGENCY
        return RedFlagResult(decision, symptoms, tuple(kept), tuple(ignored))

    def is_general_question(self, lemmas: Doc) -> bool:
        """A question about what Botox can do ("can it cause...?", "what if it spreads?") with no
        sign that the patient has the symptom now ("since", "yesterday", "I can't", "my throat")."""
        words = self.words
        tokens = [t.lower_ for t in lemmas]
        text = " ".join(tokens)
        possibility = any(phrase in text for phrase in words.hypothetical)
        if not (possibility or self._question_shaped(tokens)):
            return False
        hypothetical = possibility or self._asks_what_treatment_can_do(tokens)
        all_clear = bool(set(tokens) & words.all_clear)
        if not (set(tokens) & words.general_frame or hypothetical):
            return False
        if self._experience(tokens) and not all_clear:
            return False
        if set(tokens) & words.personal and not (all_clear or hypothetical):
            return False
        for index, lower in enumerate(tokens):
            following = tokens[index + 1] if index + 1 < len(tokens) else ""
            reported = (
                following in words.hearsay_people and set(tokens[index + 2 : index + 4]) & words.reporting
            )
            if (
                lower == "my"
                and following not in words.planned_treatment
                and not hypothetical
                and not reported
            ):
                return False
            starts_a_statement = index == 0 or tokens[index - 1] not in words.auxiliaries
            if lower == "i" and starts_a_statement and following not in words.hearsay:
                return False
        return True

    def _experience(self, tokens: list[str]) -> bool:
        """A word that says the patient has the symptom now ("since yesterday"); "since it's close
        to the face" gives a reason, not a time."""
        for index, lower in enumerate(tokens):
            following = tokens[index + 1] if index + 1 < len(tokens) else ""
            if lower in self.words.experience and not (
                lower == "since" and following in self.words.causal_since
            ):
                return True
        return False

    def _question_shaped(self, tokens: list[str]) -> bool:
        """Has a "?", starts like a question, has a clause that does ("..., is that right") or a
        question inside it ("... lol is that real", "... what should i do")."""
        if "?" in tokens:
            return True
        pairs = {" ".join(pair) for pair in zip(tokens, tokens[1:], strict=False)}
        if pairs & self.words.question_pairs:
            return True
        starts = [0] + [i + 1 for i, t in enumerate(tokens) if t in CLAUSE_BREAKS]
        return any(i < len(tokens) and tokens[i] in self.words.question_starts for i in starts)

    def _asks_what_treatment_can_do(self, tokens: list[str]) -> bool:
        """A modal question whose subject (before or after it) is the treatment or a generic "you":
        "can botox make it hard to breathe", "could the toxin spread", "can you get hives from it"."""
        for index, lower in enumerate(tokens[:-1]):
            # "can botox make ...", or in a learner's word order "the injection can make ...?"
            around = tokens[max(index - 2, 0) : index] + tokens[index + 1 : index + 4]
            if lower in self.words.modal_question and set(around) & self.words.treatment_subjects:
                return True
        return False


@lru_cache(maxsize=1)
def get_detector() -> RedFlagDetector:
    """One detector per process (building the matcher loads the spaCy pipeline)."""
    return RedFlagDetector()


def detect_red_flags(text: str) -> RedFlagResult:
    return get_detector().detect_text(text)
