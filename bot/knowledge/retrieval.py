"""Grounded retrieval over the clinic page, for when NLU is not sure what was asked.

Every passage of data/knowledge/page.yml (an exact quote of the page) is indexed by the spaCy
lemmas of its words and of its section heading, and ranked against the question with BM25
(rank-bm25). Indexing the topics' titles and answers too was measured and did not help. Above
RETRIEVAL_THRESHOLD the bot quotes the best passage ("here is what our page says about ...");
below it, it says it is not sure. The threshold is measured, not guessed:
`python -m bench.retrieval_threshold` prints how many page questions and how many off-page
questions each threshold answers (docs/safety.md, "Retrieval fallback").
"""

from dataclasses import dataclass
from functools import lru_cache

from rank_bm25 import BM25Okapi
from spacy.lang.en.stop_words import STOP_WORDS

from bot.knowledge import KnowledgeBase, Passage, Section, Topic, get_knowledge_base
from bot.nlp.lemmas import LemmaNormaliser

# Lowest BM25 score at which a passage is offered. Measured by bench/retrieval_threshold.py on the
# NLU training questions: the lowest threshold that answers none of the 167 off-page questions and
# puts >= 90 % of the answered page questions on a passage or section of the right answer.
RETRIEVAL_THRESHOLD = 6.0
# Words patients use for the page's words, so that they can match at all.
SYNONYMS: dict[str, str] = {
    "palsy": "paralysis",
    "paralyse": "paralysis",
    "paralysed": "paralysis",
    "paralyzed": "paralysis",
    "paralyze": "paralysis",
    "jab": "injection",
    "shot": "injection",
    "needle": "injection",
    "inject": "injection",
    "physio": "physical",
    "physiotherapy": "therapy",
    "doctor": "surgeon",
    "dr": "surgeon",
    "makeup": "cosmetic",
    "bruised": "bruise",
    "red": "redness",
    "sore": "discomfort",
    "swelling": "inflammation",
    "swell": "inflammation",
}


# Words of the question itself ("how long", "do I need", "tell me"), not of its subject: matching
# them on the page ("long-term", "you may need to") ranks the wrong passage first.
QUESTION_WORDS = {
    "long",
    "need",
    "thing",
    "like",
    "want",
    "sure",
    "know",
    "tell",
    "actually",
    "exactly",
    "really",
    "get",
    "go",
    "make",
    "use",
    "happen",
    "expect",
    "way",
    "kind",
    "sort",
    "lot",
    "bit",
    "ok",
    "okay",
    "normal",
    "question",
    "help",
}


@dataclass(frozen=True)
class Retrieved:
    """A passage of the page, the section it is quoted from, and how well it matched."""

    passage: Passage
    section: Section
    score: float
    topics: list[Topic]


class PageRetriever:
    """BM25 over the page's passages, on content lemmas (stop words and punctuation dropped)."""

    def __init__(self, kb: KnowledgeBase | None = None, with_headings: bool = True) -> None:
        self.kb = kb or get_knowledge_base()
        self.passages = list(self.kb.passages.values())
        self.with_headings = with_headings
        documents = [self.document(passage) for passage in self.passages]
        self.normaliser = LemmaNormaliser({w for d in documents for w in d.lower().split()} | set(SYNONYMS))
        self.bm25 = BM25Okapi([self.terms(document) for document in documents])

    def document(self, passage: Passage) -> str:
        """What a passage is indexed by: its words and (by default) its section's heading."""
        if not self.with_headings:
            return passage.text
        return f"{self.kb.sections[passage.section_id].heading} {passage.text}"

    def terms(self, text: str) -> list[str]:
        """The content lemmas of `text`, typos corrected towards the page's words."""
        lemmas = self.normaliser.lemmas(self.normaliser.parse(text))
        terms = [SYNONYMS.get(lemma, lemma) for lemma in lemmas]
        return [
            t for t in terms if t.isalnum() and len(t) > 1 and t not in STOP_WORDS and t not in QUESTION_WORDS
        ]

    def rank(self, text: str) -> list[Retrieved]:
        """Every passage, best match first."""
        query = self.terms(text)
        scores = self.bm25.get_scores(query) if query else [0.0] * len(self.passages)
        ranked = sorted(zip(self.passages, scores, strict=True), key=lambda pair: -pair[1])
        return [self._retrieved(passage, float(score)) for passage, score in ranked]

    def best(self, text: str, threshold: float = RETRIEVAL_THRESHOLD) -> Retrieved | None:
        """The best passage when it scores at least `threshold`, else None."""
        top = self.rank(text)[0]
        return top if top.score >= threshold else None

    def _retrieved(self, passage: Passage, score: float) -> Retrieved:
        topics = [t for t in self.kb.topics.values() if passage.id in t.passage_ids]
        return Retrieved(passage, self.kb.sections[passage.section_id], score, topics)


@lru_cache(maxsize=1)
def get_retriever() -> PageRetriever:
    return PageRetriever()
