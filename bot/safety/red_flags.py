"""Red-flag symptoms after Botox, recognised by rules over lemmas (spaCy `Matcher`).

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
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Dict, List, Optional, Set, Tuple

from spacy.matcher import Matcher
from spacy.tokens import Doc, Span

from bot.nlp.lemmas import LemmaNormaliser
from bot.nlp.patterns import CLAUSE_BREAKS, gap, keywords_of, near, word, words

URGENT = "urgent"
SECONDARY = "secondary"
EMERGENCY = "emergency"
GENERAL_QUESTION = "general_question"
NO_RED_FLAG = "none"

# Symptom id -> urgent on its own, or only together with another sign.
SYMPTOM_LEVELS: Dict[str, str] = {
    "swallowing": URGENT,
    "choking": URGENT,
    "breathing": URGENT,
    "wheezing": URGENT,
    "speaking": URGENT,
    "weakness": URGENT,
    "vision": URGENT,
    "bladder": URGENT,
    "allergic_reaction": URGENT,
    "face_swelling": URGENT,
    "fainting": URGENT,
    "toxin_spread": URGENT,
    "voice_change": SECONDARY,
    "eyelid_droop": SECONDARY,
}

NEGATIONS = {"no", "not", "never", "without", "none", "nor", "nothing"}
NEGATION_WINDOW = 3
CAN = ["ca", "can", "could", "wo"]  # + "not": inability ("can't swallow"), not a negation
NEGATION_STOPS = set(CLAUSE_BREAKS) | {"and"}

DIFFICULTY = ["hard", "difficult", "difficulty", "trouble", "problem", "issue", "struggle",
              "tough", "tricky", "effort", "impossible", "painful", "pain", "hurt", "sore",
              "uncomfortable", "weird", "strange", "odd", "funny", "slow", "wrong", "awkward",
              "harder", "different", "off"]
SWALLOW = ["swallow", "swallowing", "gulp"]
BREATH = ["breathe", "breath", "breathing"]
BREATH_DIFFICULTY = DIFFICULTY + ["short", "shortness", "shallow", "heavy", "tight", "catch",
                                  "gasp", "fight", "rapid", "noisy", "labour", "labor", "laboured",
                                  "labored", "enough", "proper"]
SPEECH = ["speak", "talk", "speech", "pronounce", "articulate"]
SPEECH_DIFFICULTY = DIFFICULTY + ["garble", "thick", "mumble", "unclear", "drunk"]
WEAK = ["weak", "weakness", "weaker", "floppy", "jelly"]
WHOLE_BODY = ["arm", "leg", "neck", "body", "limb", "hand", "shoulder", "foot", "feet", "whole",
              "everywhere", "everything"]
VISION_WORDS = ["vision", "eyesight", "sight"]
VISION_PROBLEM = ["double", "blur", "blurry", "blurred", "fuzzy", "hazy", "cloudy", "dim", "weird",
                  "strange", "funny", "off", "change", "problem", "trouble", "difficulty", "worse",
                  "bad", "wrong", "go"]
LIQUIDS = ["food", "drink", "water", "liquid", "milk", "tea", "coffee", "juice", "pill", "tablet"]
BLURRED = ["double", "blur", "blurry", "blurred", "fuzzy", "hazy"]
SEE_MANNER = ["properly", "clearly", "straight", "well", "right", "normally"]
SPEAK_MANNER = {"properly", "clearly", "normally", "well", "straight"}
LID = ["eyelid", "lid"]
DROOP = ["droop", "droopy", "heavy", "hang", "sag", "saggy", "fall", "drop", "close"]
VOICE_CHANGE = ["change", "different", "weird", "strange", "hoarse", "weak", "quiet", "rough",
                "funny", "go", "odd", "deep", "deeper", "husky", "raspy", "croaky"]
SWELL = ["swell", "swelling", "swollen", "puffy", "puff", "balloon", "bloat"]
AIRWAY_PARTS = ["lip", "tongue", "throat", "mouth", "airway"]
THROAT_CLOSING = ["tight", "tightness", "close", "closing", "narrow", "constrict", "block", "lump",
                  "swell", "swollen", "shut"]
FAINT = ["faint", "lightheaded", "dizzy", "dizziness", "collapse", "woozy"]
BODY_WIDE = ["all", "spread", "everywhere", "body", "arm", "chest", "neck", "leg", "back",
             "stomach", "face"]

# Context that shows an everyday meaning, per idiom-prone symptom, unless a medical anchor is near.
EVERYDAY_CONTEXT = {
    "breathing": {"price", "cost", "fee", "bill", "expensive", "pricey", "money", "laugh", "lol",
                  "lmao", "haha", "hahaha", "hilarious", "joke", "excited", "excite", "excitement",
                  "gym", "exercise", "workout", "jog", "sport", "anyway"},
    "choking": {"price", "cost", "fee", "bill", "expensive", "pricey", "money", "laugh", "up",
                "emotional", "tear", "cry", "kid", "kidding", "joke", "hazard"},
    "swallowing": {"price", "cost", "fee", "bill", "expensive", "pricey", "money", "news", "pride",
                   "truth", "idea"},
}
MEDICAL_ANCHORS = {"since", "injection", "inject", "shot", "jab", "treatment", "session", "throat",
                   "chest", "food", "drink", "water", "eat", "spit", "tablet", "pill", "yesterday",
                   "today", "tonight", "morning", "hour", "lie"}
# Words that make a weakness, swelling or speaking mention local, expected or about something else.
LOCAL_FACE = {"face", "smile", "cheek", "mouth", "forehead", "brow", "eyebrow", "side", "lip",
              "frown", "expression"}
NOT_THE_BODY = {"effect", "result", "botox", "dose", "chatbot", "bot", "signal", "wifi", "coffee",
                "tea", "excuse", "answer", "argument", "password", "link", "treatment", "injection"}
SLIGHT_OR_LOCAL = {"site", "spot", "point", "area", "where", "slight", "slightly", "little", "bit",
                   "small", "tiny", "mild", "minor", "around", "needle"}
AVAILABILITY = {"now", "moment", "atm", "busy", "work", "later", "call", "phone", "meeting", "long",
                "lunch", "break"}
# A symptom the patient has had for a long time is not a new reaction to the injections, unless
# they tie it to the treatment ("always short of breath since the botox").
LONG_STANDING = {"always", "lifelong", "childhood", "birth"}
TREATMENT_WORDS = {"injection", "inject", "shot", "jab", "botox", "treatment", "session", "toxin"}
NEEDLE_FEAR = {"needle", "blood", "sight"}

# General questions: question shape, a "can it cause / is it a risk" frame, and no sign that the
# patient has the symptom now.
QUESTION_STARTS = {"can", "could", "do", "will", "would", "be", "what", "how", "should", "may",
                   "might", "any", "whats", "is", "are", "does"}
GENERAL_FRAME = {"cause", "lead", "give", "risk", "side", "effect", "happen", "possible",
                 "possibility", "common", "rare", "likely", "chance", "ever", "danger", "dangerous",
                 "warning", "true", "people", "patient", "anyone", "someone", "spread", "often"}
# Signs the patient has the symptom (or is asking about their own): never a general question.
EXPERIENCE = {"since", "yesterday", "today", "tonight", "now", "currently", "still", "start",
              "ago", "suddenly", "keep", "worse", "lately", "recently", "anymore", "me", "myself",
              "normal", "usual", "ok", "okay", "fine", "worry", "worried", "expected", "help",
              "else"}
AUXILIARIES = {"can", "could", "will", "would", "do", "should", "might", "may", "be", "if", "shall",
               "wo", "ca"}
MODAL_QUESTION = {"can", "could", "do", "will", "would", "might", "may"}
TREATMENT_SUBJECTS = {"botox", "toxin", "injection", "it", "treatment", "jab", "shot", "you",
                      "people", "patient", "anyone", "someone", "this"}
HEARSAY = {"read", "hear", "wonder", "understand", "know", "see"}
PLANNED_TREATMENT = {"injection", "treatment", "appointment", "session", "botox", "consultation",
                     "surgeon", "doctor", "jab", "shot", "first", "next", "upcoming", "case"}


def unable_to(target: dict, size: int = 3) -> List[List[dict]]:
    """Can't / cannot / unable to / not able to / barely ... `target`."""
    return [
        [words(CAN), word("not"), *gap(size), target],
        [words(["unable", "barely", "hardly", "scarcely"]), *gap(size), target],
        [word("not"), {"LOWER": "be", "OP": "?"}, word("able"), *gap(size), target],
    ]


def not_well(subject: List[str]) -> List[List[dict]]:
    """ "my swallowing isn't right", "breathing does not feel normal": wellness, negated."""
    return [[words(subject), *gap(2), word("not"), *gap(1),
             words(["normal", "right", "ok", "okay", "good", "well", "fine"])]]


# symptom -> (patterns that contain their own negation, i.e. inability) and other patterns.
def red_flag_patterns() -> Dict[str, Tuple[List[List[dict]], List[List[dict]]]]:
    return {
        "swallowing": (
            unable_to(words(SWALLOW)) + not_well(SWALLOW),
            [*near(words(DIFFICULTY + ["stuck", "stick"]), words(SWALLOW), 4),
             [word("dysphagia")],
             [word("down"), word("the"), word("wrong"), words(["way", "pipe", "hole"])],
             [words(["food", "drink", "water", "liquid", "pill", "tablet"]), *gap(3),
              words(["stuck", "stick"])],
             [words(DIFFICULTY), *gap(2), word("get"), *gap(2), words(["food", "drink"]),
              word("down")],
             [words(LIQUIDS), *gap(2), word("not"), *gap(1), word("go"), word("down")],
             [words(LIQUIDS), *gap(4), word("nose")],
             [word("cough"), *gap(5), words(["swallow", "drink", "eat"])],
             *near(word("throat"), words(["funny", "weird", "strange", "odd", "off", "stuck"]), 3),
             [word("lump"), *gap(3), word("throat")]],
        ),
        "choking": ([], [[words(["choke", "chock", "choking", "gag", "gagging"])]]),
        "breathing": (
            unable_to(words(BREATH)) + unable_to(word("air"), 3) + not_well(BREATH)
            + [[word("not"), *gap(2), words(["enough", "any"]), word("air")]],
            [*near(words(BREATH_DIFFICULTY), words(BREATH)),
             [words(["breathless", "breathlessness"])],
             [word("out"), word("of"), word("breath")],
             [word("gasp")],
             [words(["suffocate", "suffocating", "suffocation", "smother"])],
             [words(["struggle", "fight", "gasp"]), *gap(2), word("air")],
             *near(word("chest"), words(["tight", "tightness", "tighten", "heavy", "pressure"]), 2)],
        ),
        "wheezing": ([], [[words(["wheeze", "wheezy", "wheezing"])]]),
        "speaking": (
            [[words(CAN), word("not"), *gap(2), words(SPEECH)],
             [words(["unable", "barely", "hardly"]), *gap(2), words(SPEECH)],
             [word("not"), {"LOWER": "be", "OP": "?"}, word("able"), *gap(2), words(SPEECH)],
             *not_well(SPEECH)],
            [[words(SPEECH_DIFFICULTY), *gap(3), words(SPEECH)],
             [words(SPEECH), {"LOWER": {"NOT_IN": CLAUSE_BREAKS + ["to", "with", "about"]},
                              "OP": "?"},
              *gap(2), words(SPEECH_DIFFICULTY)],
             [words(["slur", "slurry", "slurring"])],
             [word("dysarthria")],
             [word("get"), *gap(1), word("word"), word("out")],
             [word("sound"), *gap(1), words(["drunk", "drink"])],
             [words(DIFFICULTY), *gap(2), word("form"), *gap(1), word("word")],
             [word("word"), *gap(2), word("not"), *gap(1), word("come"), word("out")]],
        ),
        "weakness": (
            [[words(CAN), word("not"), *gap(2), word("hold"), *gap(2), word("head")],
             [words(["barely", "hardly"]), *gap(1), word("hold"), *gap(2), word("head")],
             [words(CAN), word("not"), *gap(2), word("lift"), *gap(2), words(["arm", "leg", "head"])],
             [words(["barely", "hardly"]), words(["stand", "walk"])],
             [words(["barely", "hardly"]), *gap(1), word("lift")],
             [words(DIFFICULTY), *gap(2), word("lift"), *gap(2), words(["head", "arm", "leg"])],
             [words(CAN), word("not"), *gap(1), words(["stand", "walk"])]],
            [*near(words(WEAK), words(WHOLE_BODY), 3),
             [words(WEAK), *gap(2), word("all"), word("over")],
             *near(words(WEAK), words(["spread", "spreading"]), 3),
             [words(["generalised", "generalized", "general"]), *gap(1), words(WEAK)],
             [word("muscle"), words(WEAK)],
             [words(["feel", "be", "so", "very", "really", "too"]), *gap(2), words(WEAK)],
             [word("struggle"), *gap(1), word("lift")]],
        ),
        "vision": (
            [[words(CAN), word("not"), *gap(2), word("see"), *gap(2), words(SEE_MANNER)],
             [words(CAN), word("not"), word("focus")],
             [word("eye"), *gap(2), word("not"), word("focus")],
             [words(CAN), word("not"), *gap(1), word("see"), word("out")],
             *not_well(VISION_WORDS)],
            [[words(BLURRED), *gap(2), words(VISION_WORDS)],
             [words(VISION_WORDS), *gap(4), words(VISION_PROBLEM)],
             [word("see"), *gap(1), words(BLURRED + ["two"])],
             [words(["difficulty", "trouble", "hard", "problem"]), *gap(2), word("see"), *gap(1),
              words(SEE_MANNER)],
             [words(["thing", "everything"]), *gap(2), words(BLURRED)],
             *near(word("eye"), words(["blur", "blurry", "blurred", "fuzzy"]), 2),
             [word("diplopia")],
             [word("out"), word("of"), word("focus")]],
        ),
        "eyelid_droop": (
            [[words(CAN), word("not"), *gap(2), word("open"), *gap(2), word("eye")]],
            [[words(LID), *gap(3), words(DROOP)],
             [words(["droop", "droopy", "heavy", "saggy", "sag"]), *gap(2), words(LID)],
             [word("eye"), word("lid"), *gap(3), words(DROOP)],
             [word("ptosis")]],
        ),
        "voice_change": (
            [],
            [[words(["hoarse", "hoarseness", "croaky", "raspy", "husky", "croak"])],
             [word("voice"), *gap(3), words(VOICE_CHANGE)],
             [word("lose"), *gap(1), word("voice")],
             [words(["change", "different"]), *gap(2), word("voice")]],
        ),
        "bladder": (
            [[words(CAN), word("not"), *gap(2), word("hold"), *gap(2),
              words(["urine", "pee", "wee", "bladder"])],
             [words(CAN), word("not"), *gap(1), words(["control", "pee", "urinate", "wee"]), *gap(2),
              words(["bladder", "pee", "wee", "urine"])]],
            [[words(["incontinence", "incontinent"])],
             *near(word("bladder"), words(["control", "leak", "problem", "issue", "weak"]), 2),
             [word("lose"), *gap(3), word("bladder")],
             [words(["wet", "pee", "wee", "piss"]), *gap(1), words(["myself", "self", "pant", "bed"])],
             *near(words(["urine", "pee", "wee"]), word("leak"), 2),
             [words(CAN), word("not"), *gap(1), word("make"), word("it"), word("to"), *gap(1),
              words(["toilet", "bathroom", "loo", "restroom"])],
             *near(word("accident"), words(["toilet", "bathroom", "loo", "wet", "bladder"]), 4)],
        ),
        "allergic_reaction": (
            [],
            [[words(["hive", "hives", "welt", "urticaria", "anaphylaxis", "anaphylactic", "epipen"])],
             [word("allergic"), *gap(1), word("reaction")],
             *near(words(SWELL), words(AIRWAY_PARTS), 3),
             *near(word("throat"), words(THROAT_CLOSING), 3),
             [words(["tongue", "lip", "throat"]), *gap(3), words(["big", "huge", "thick", "fat"])],
             *near(word("rash"), words(BODY_WIDE), 3),
             [words(["itchy", "itch"]), *gap(1), word("all"), word("over")]],
        ),
        "face_swelling": ([], near(words(SWELL), words(["face", "eye"]), 3)),
        "fainting": (
            [],
            [[words(FAINT)],
             [word("pass"), word("out")],
             [word("black"), word("out")],
             [word("light"), {"LOWER": "-", "OP": "?"}, word("head")]],
        ),
        "toxin_spread": ([], [[words(["botox", "toxin", "it", "poison"]), *gap(2), word("spread")]]),
    }


# Fixed phrases in which symptom words mean something else.
IDIOMS: List[List[dict]] = [
    [words(["take", "took"]), *gap(1), word("breath"), word("away")],
    [word("breathtaking")],
    [word("breath"), word("of"), word("fresh")],
    [word("hold"), *gap(1), word("breath")],
    [word("swallow"), *gap(1), words(["pride", "nerve", "fear", "word", "anger", "tear"])],
    [words(DIFFICULTY), word("to"), words(["say", "tell"])],
    [word("double"), word("chin")],
    [word("bitter"), word("pill")],
    [word("weak"), word("at"), word("the"), word("knee")],
    [word("weak"), words(["spot", "point", "link", "excuse", "signal"])],
    [word("faint"), words(["bruise", "mark", "line", "red", "redness", "scar", "trace", "hint",
                           "smell", "pink", "outline", "sound", "hope", "idea", "memory"])],
    [word("choke"), word("up")],
    [words(["vision", "sight"]), word("of")],
    [word("double"), word("check")],
    [word("lot"), word("to"), word("swallow")],
    [word("breathe"), *gap(1), word("sigh")],
    [word("sigh"), word("of"), word("relief")],
]
# A symptom word that says all is well or getting better ("my speech is better", "breathing is
# fine"). The lookup lemmatizer turns "better" into "well".
WELL = ["well", "good", "improve", "easy", "easier", "clearer", "normal", "fine", "ok", "okay",
        "right"]
ALL_WELL: List[List[dict]] = [
    [words(SWALLOW + BREATH + SPEECH + VISION_WORDS + ["voice"]),
     *[{"LOWER": {"NOT_IN": CLAUSE_BREAKS + sorted(NEGATIONS)}, "OP": "?"}] * 2, words(WELL)],
]


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
    symptoms: Tuple[str, ...] = ()
    mentions: Tuple[SymptomMention, ...] = ()
    ignored: Tuple[Tuple[str, str], ...] = field(default=())  # (words, why they did not count)

    @property
    def is_emergency(self) -> bool:
        return self.decision == EMERGENCY

    def as_dict(self) -> dict:
        return {
            "decision": self.decision,
            "symptoms": list(self.symptoms),
            "matched": [m.text for m in self.mentions],
            "ignored": [{"text": text, "reason": reason} for text, reason in self.ignored],
        }


def _keywords() -> Set[str]:
    found = set(keywords_of([p for pair in red_flag_patterns().values() for p in pair[0] + pair[1]]))
    # Surface forms patients type, so that their typos are corrected too.
    found.update({"swallowing", "breathing", "breathless", "choking", "wheezing", "slurred",
                  "slurring", "speaking", "talking", "speech", "vision", "blurry", "blurred",
                  "eyelid", "eyelids", "drooping", "hoarse", "bladder", "swollen", "swelling",
                  "tongue", "throat", "lightheaded", "fainted", "fainting", "weakness", "difficulty",
                  "trouble", "struggling", "allergic", "reaction", "double", "dizzy"})
    return found


SENTENCE_BREAKS = {".", "!", "?", "\n"}


def _around(doc: Doc, start: int, end: int, breaks: Set[str]) -> Span:
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

    def __init__(self) -> None:
        self.normaliser = LemmaNormaliser(_keywords())
        vocab = self.normaliser.vocab
        self.matcher = Matcher(vocab)
        for symptom, (inability, plain) in red_flag_patterns().items():
            if inability:
                self.matcher.add(f"{symptom}/inability", inability)
            self.matcher.add(f"{symptom}/plain", plain)
        self.idioms = Matcher(vocab)
        self.idioms.add("idiom", IDIOMS)
        self.idioms.add("all well", ALL_WELL)

    def detect_text(self, text: str) -> RedFlagResult:
        return self.detect(self.normaliser.parse(text))

    def detect(self, doc: Doc) -> RedFlagResult:
        """Red flags in a spaCy Doc of the message (Rasa's SpacyNLP Doc or `parse(text)`)."""
        lemmas = self.normaliser.lemma_doc(doc)
        idioms = [(lemmas.vocab.strings[m], s, e) for m, s, e in self.idioms(lemmas)]
        # "can't speak well" is not all well.
        idioms = [(label, s, e) for label, s, e in idioms
                  if label != "all well" or not self._negated(lemmas, s, count_inability=True)]
        idiom_tokens = {i for _, s, e in idioms for i in range(s, e)}
        kept: List[SymptomMention] = []
        # Idioms count as symptom words seen and ruled out, so the model's guess cannot override.
        ignored: List[Tuple[str, str]] = [(doc[s:e].text, label) for label, s, e in idioms]
        for match_id, start, end in self.matcher(lemmas):
            symptom, variant = lemmas.vocab.strings[match_id].split("/")
            mention = SymptomMention(symptom, doc[start:end].text, start, end, variant == "inability")
            reason = self._reason_to_ignore(mention, lemmas, idiom_tokens)
            if reason:
                ignored.append((mention.text, reason))
            else:
                kept.append(mention)
        return self._decide(lemmas, kept, ignored)

    def _reason_to_ignore(
        self, mention: SymptomMention, lemmas: Doc, idiom_tokens: Set[int]
    ) -> Optional[str]:
        span_tokens = set(range(mention.start, mention.end))
        if span_tokens & idiom_tokens:
            return "idiom"
        clause = {t.lower_ for t in _around(lemmas, mention.start, mention.end, set(CLAUSE_BREAKS))}
        if not mention.inability and self._negated(lemmas, mention.start):
            return "negated"
        context = EVERYDAY_CONTEXT.get(mention.symptom)
        # The sentence, clauses joined by commas included: "I can't breathe, this price is crazy".
        sentence = {t.lower_ for t in _around(lemmas, mention.start, mention.end, SENTENCE_BREAKS)}
        if context and sentence & context and not sentence & MEDICAL_ANCHORS:
            return "everyday meaning"
        return self._local_or_unrelated(mention, lemmas, clause)

    @staticmethod
    def _negated(lemmas: Doc, start: int, count_inability: bool = False) -> bool:
        """A negation just before `start` in the same clause ("no trouble swallowing"). "can't"
        is inability, not negation, unless `count_inability`."""
        for index in range(start - 1, max(start - 1 - NEGATION_WINDOW, -1), -1):
            lower = lemmas[index].lower_
            if lower in NEGATION_STOPS:
                return False
            inability = lower == "not" and index > 0 and lemmas[index - 1].lower_ in CAN
            if lower in NEGATIONS and (count_inability or not inability):
                return True
        return False

    @staticmethod
    def _local_or_unrelated(mention: SymptomMention, lemmas: Doc, clause: Set[str]) -> Optional[str]:
        span = {t.lower_ for t in lemmas[mention.start:mention.end]}
        if mention.symptom == "weakness" and not span & set(WHOLE_BODY + ["spread", "spreading",
                                                                          "all", "generalised",
                                                                          "generalized"]):
            if clause & LOCAL_FACE:
                return "local to the treated face"
            subject = {t.lower_ for t in lemmas[max(mention.start - 3, 0):mention.start]}
            if subject & NOT_THE_BODY:
                return "not about the body"
        if mention.symptom == "face_swelling" and clause & SLIGHT_OR_LOCAL:
            return "slight or at the injection site"
        if mention.symptom == "speaking" and lemmas[mention.end - 1].lower_ in SPEECH:
            after = {t.lower_ for t in lemmas[mention.end:mention.end + 4]}
            if mention.inability and after & AVAILABILITY and not clause & SPEAK_MANNER:
                return "about being available to talk"
            if lemmas[mention.end:mention.end + 1].text.lower() in {"to", "with", "about"}:
                return "about talking to someone"
        if mention.symptom == "fainting" and clause & NEEDLE_FEAR:
            return "fear of needles"
        chronic = clause & LONG_STANDING or ("year" in clause and clause & {"ago", "for"})
        if chronic and not clause & TREATMENT_WORDS:
            return "long-standing"
        return None

    def _decide(
        self, lemmas: Doc, kept: List[SymptomMention], ignored: List[Tuple[str, str]]
    ) -> RedFlagResult:
        symptoms = tuple(dict.fromkeys(m.symptom for m in sorted(kept, key=lambda m: m.start)))
        urgent = [s for s in symptoms if SYMPTOM_LEVELS[s] == URGENT]
        secondary = [s for s in symptoms if SYMPTOM_LEVELS[s] == SECONDARY]
        if not urgent and len(secondary) < 2:
            ignored += [(m.text, "alone, not urgent") for m in kept]
            return RedFlagResult(NO_RED_FLAG, (), (), tuple(ignored))
        decision = GENERAL_QUESTION if self.is_general_question(lemmas) else EMERGENCY
        return RedFlagResult(decision, symptoms, tuple(kept), tuple(ignored))

    @staticmethod
    def is_general_question(lemmas: Doc) -> bool:
        """A question about what Botox can do ("can it cause...?", "what if it spreads?") with no
        sign that the patient has the symptom now ("since", "yesterday", "I can't", "my throat")."""
        tokens = [t.lower_ for t in lemmas]
        if not _question_shaped(tokens):
            return False
        hypothetical = _asks_what_treatment_can_do(tokens)
        if not (set(tokens) & GENERAL_FRAME or hypothetical) or set(tokens) & EXPERIENCE:
            return False
        for index, lower in enumerate(tokens):
            following = tokens[index + 1] if index + 1 < len(tokens) else ""
            if lower == "my" and following not in PLANNED_TREATMENT and not hypothetical:
                return False
            if lower == "i" and (index == 0 or tokens[index - 1] not in AUXILIARIES):
                if following not in HEARSAY:
                    return False
        return True


def _question_shaped(tokens: List[str]) -> bool:
    """Ends in "?", starts like a question, or has a clause that does ("..., is that right")."""
    if "?" in tokens:
        return True
    starts = [0] + [i + 1 for i, t in enumerate(tokens) if t in CLAUSE_BREAKS]
    return any(i < len(tokens) and tokens[i] in QUESTION_STARTS for i in starts)


def _asks_what_treatment_can_do(tokens: List[str]) -> bool:
    """ "what if ...", or a modal question whose subject is the treatment or a generic "you":
    "can botox make it hard to breathe", "could the toxin spread", "can you get hives from it"."""
    if "what if" in " ".join(tokens):
        return True
    for index, lower in enumerate(tokens[:-1]):
        if lower in MODAL_QUESTION and set(tokens[index + 1:index + 4]) & TREATMENT_SUBJECTS:
            return True
    return False


@lru_cache(maxsize=1)
def get_detector() -> RedFlagDetector:
    """One detector per process (building the matcher loads the spaCy pipeline)."""
    return RedFlagDetector()


def detect_red_flags(text: str) -> RedFlagResult:
    return get_detector().detect_text(text)
