"""Questions the clinic page cannot answer, recognised by rules over lemmas (spaCy `Matcher`).

The page gives no price, insurance detail, dose, advice on pregnancy or other medicines, and says
nothing about other brands or procedures. A statistical model happily maps "is botox safe when
trying to conceive" to the side-effects topic with high confidence; these rules make sure such a
question gets "our page doesn't cover that" instead of a page answer that was not asked for.
Prompt-like input ("ignore your instructions...") is just another question off the page.
"""

from dataclasses import dataclass
from functools import lru_cache

from spacy.matcher import Matcher
from spacy.tokens import Doc

from bot.names import Intent
from bot.nlp.lemmas import LemmaNormaliser
from bot.nlp.patterns import gap, keywords_of, near, phrase, word, words

COST = "cost"
# A sentinel token after the message, so that a pattern can require the end of a clause.
END_OF_CLAUSE = [".", ",", "!", "?", ";", "and", "so", "but"]
# Words just before a matched keyword that take it off the page's blind spots: "another dose"
# asks about retreatment, which the page covers.
NOT_OFF_PAGE_AFTER = {"dose": {"another", "next"}}
# Category -> the intent whose answer fits it (domain.yml: ask_cost, out_of_scope).
INTENT_FOR_CATEGORY = {COST: Intent.ASK_COST}
DEFAULT_INTENT = Intent.OUT_OF_SCOPE
# When a message touches several categories, the first one here names it.
PRIORITY = ("instructions", COST, "dose", "pregnancy", "medication", "other_brand", "other_procedure")

MEDICINES = [
    "medication",
    "meds",
    "antibiotic",
    "antidepressant",
    "ibuprofen",
    "aspirin",
    "paracetamol",
    "acetaminophen",
    "tylenol",
    "advil",
    "nurofen",
    "warfarin",
    "clopidogrel",
    "heparin",
    "apixaban",
    "rivaroxaban",
    "metformin",
    "insulin",
    "statin",
    "amlodipine",
    "supplement",
    "vitamin",
    "gentamicin",
    "aminoglycoside",
    "painkiller",
    "steroid",
    "antihistamine",
    "interact",
    "interaction",
    "contraindication",
]
BRANDS = [
    "dysport",
    "xeomin",
    "jeuveau",
    "daxxify",
    "letybo",
    "myobloc",
    "azzalure",
    "bocouture",
    "relfydess",
    "alluzience",
    "brand",
]
PROCEDURES = [
    "facelift",
    "rhinoplasty",
    "filler",
    "implant",
    "augmentation",
    "liposuction",
    "lipo",
    "laser",
    "blepharoplasty",
    "graft",
    "reanimation",
    "microneedling",
    "hyperhidrosis",
    "armpit",
    "sweat",
    "sweating",
    "migraine",
    "masseter",
    "bruxism",
    "tattoo",
    "tummy",
    "peel",
]


def scope_patterns() -> dict[str, list[list[dict]]]:
    return {
        COST: [
            [
                words(
                    [
                        "price",
                        "pricing",
                        "pricey",
                        "cost",
                        "costly",
                        "fee",
                        "expensive",
                        "cheap",
                        "cheaper",
                        "affordable",
                        "insurance",
                        "nhs",
                        "insure",
                        "insurer",
                        "medicare",
                        "medicaid",
                        "hsa",
                        "fsa",
                        "klarna",
                        "afterpay",
                        "financing",
                        "finance",
                        "discount",
                        "deductible",
                        "copay",
                        "refund",
                        "payment",
                        "pay",
                        "money",
                        "dollar",
                        "quote",
                        "$",
                        "£",
                        "€",
                        "aetna",
                        "cigna",
                        "bupa",
                        "tax",
                    ]
                )
            ],
            phrase("blue cross"),
            phrase("out of pocket"),
            [word("charge"), *gap(2), word("for")],
            phrase("going rate"),
            phrase("credit card"),
            phrase("covered by"),
            [word("be"), *gap(4), word("cover"), {"LOWER": {"NOT_IN": ["in", "with", "up"]}}],
            [word("how"), word("much"), words(["for", "per"])],
            [
                word("how"),
                word("much"),
                words(["would", "will"]),
                word("it"),
                *gap(1),
                words(["be", "cost", "set"]),
            ],
            [
                word("how"),
                word("much"),
                word("be"),
                *gap(3),
                words(
                    [
                        "botox",
                        "it",
                        "this",
                        "session",
                        "injection",
                        "treatment",
                        "consultation",
                        "appointment",
                        "jab",
                    ]
                ),
            ],
        ],
        "dose": [
            [
                words(
                    [
                        "unit",
                        "dose",
                        "dosage",
                        "dilution",
                        "dilute",
                        "milligram",
                        "mg",
                        "ml",
                        "cc",
                        "syringe",
                        "vial",
                    ]
                )
            ],
            [word("how"), word("much"), words(["botox", "toxin", "product"])],
            [word("how"), word("many"), words(["injection", "jab", "shot", "needle"])],
            phrase("higher dose"),
        ],
        "pregnancy": [
            [
                words(
                    [
                        "pregnant",
                        "pregnancy",
                        "conceive",
                        "conception",
                        "breastfeed",
                        "breastfeeding",
                        "ttc",
                        "ivf",
                        "fertility",
                        "postpartum",
                    ]
                )
            ],
            phrase("breast milk"),
            [words(["while", "when"]), words(["nursing", "nurse"])],
            [words(["try", "plan", "planning"]), *gap(2), words(["baby", "family"])],
            [word("i"), word("be"), word("expect"), words(END_OF_CLAUSE + ["a", "twin", "baby"])],
        ],
        "medication": [
            [words(MEDICINES)],
            phrase("blood thinner"),
            phrase("blood thinning"),
            [
                words(["my", "take", "on", "any", "other"]),
                *gap(1),
                words(["medicine", "prescription", "tablet", "pill"]),
            ],
            phrase("fish oil"),
            phrase("blood pressure"),
            phrase("muscle relaxant"),
            [words(["react", "mix"]), word("with")],
        ],
        "other_brand": [[words(BRANDS)]],
        "other_procedure": [
            [words(PROCEDURES)],
            phrase("face lift"),
            phrase("brow lift"),
            phrase("nose job"),
            phrase("boob job"),
            phrase("thread lift"),
            phrase("hair removal"),
            phrase("tummy tuck"),
            phrase("muscle transfer"),
            phrase("crow's feet"),
            phrase("crows feet"),
            phrase("eyelid weight"),
            phrase("gold weight"),
            phrase("eyelid surgery"),
            phrase("jaw slimming"),
            phrase("gummy smile"),
            phrase("double chin"),
            [word("fix"), *gap(1), word("nose")],
            [word("breast"), words(["lift", "reduction"])],
        ],
        "instructions": [
            [
                words(["ignore", "disregard", "forget", "override", "bypass"]),
                *gap(3),
                words(
                    ["instruction", "rule", "prompt", "above", "previous", "prior", "everything", "guideline"]
                ),
            ],
            phrase("system prompt"),
            phrase("you are now"),
            [word("pretend")],
            phrase("act as"),
            [words(["jailbreak", "unfiltered", "dan"])],
            phrase("developer mode"),
            phrase("training data"),
            [
                words(["reveal", "repeat", "print", "show", "leak"]),
                *gap(3),
                words(["prompt", "rule", "instruction", "training", "configuration"]),
            ],
            phrase("new instruction"),
            [word("system"), word(":")],
            [word("<"), word("script")],
            *near(word("hidden"), words(["rule", "instruction", "prompt"]), 1),
        ],
    }


@dataclass(frozen=True)
class ScopeMatch:
    """A question the page cannot answer: its category, the words that show it, the intent."""

    category: str
    matched: str
    intent: str

    def as_dict(self) -> dict:
        return {"category": self.category, "matched": self.matched, "intent": self.intent}


class ScopeDetector:
    """Finds questions the page cannot answer; plain Python over spaCy, no Rasa needed."""

    def __init__(self) -> None:
        patterns = scope_patterns()
        keywords = keywords_of([p for group in patterns.values() for p in group])
        self.normaliser = LemmaNormaliser(keywords + ["pregnant", "insurance", "breastfeeding"])
        self.matcher = Matcher(self.normaliser.vocab)
        for category, group in patterns.items():
            self.matcher.add(category, group)

    def detect_text(self, text: str) -> ScopeMatch | None:
        return self.detect(self.normaliser.parse(text))

    def detect(self, doc: Doc) -> ScopeMatch | None:
        """The most telling off-page category in the message, or None when there is none."""
        words_ = self.normaliser.lemmas(doc) + ["."]
        lemmas = Doc(self.normaliser.vocab, words=words_)
        found: dict[str, str] = {}
        for match_id, start, end in self.matcher(lemmas):
            category = lemmas.vocab.strings[match_id]
            if start > 0 and lemmas[start - 1].lower_ in NOT_OFF_PAGE_AFTER.get(category, ()):
                continue
            found.setdefault(category, lemmas[start:end].text if end > len(doc) else doc[start:end].text)
        for category in PRIORITY:
            if category in found:
                intent = INTENT_FOR_CATEGORY.get(category, DEFAULT_INTENT)
                return ScopeMatch(category, found[category], intent)
        return None


@lru_cache(maxsize=1)
def get_scope_detector() -> ScopeDetector:
    return ScopeDetector()


def detect_off_page(text: str) -> ScopeMatch | None:
    return get_scope_detector().detect_text(text)
