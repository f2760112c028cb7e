"""Lemmas the rule matchers and the retriever work on: the project's spaCy pipeline, plus typo
correction towards the words a matcher cares about.

Rules are written once over lemmas ("swallowing", "swallowed" -> "swallow"). Patients misspell
the words that matter most ("swalow", "brething", "vison"), so a token that is no English word
the lemmatizer knows is replaced by the closest keyword when it is close enough. Real words are
never corrected: "breast" stays "breast" although it is one letter away from "breath".
"""

import difflib
import gzip
import json
import os
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

import spacy
import spacy_lookups_data
from spacy.language import Language
from spacy.tokens import Doc

from bot.paths import BUILD_DIR, SPACY_PIPELINE_DIR

# Shortest word that is corrected, and how similar (difflib ratio) a typo must be to a keyword.
MIN_TYPO_LENGTH = 4
TYPO_SIMILARITY = 0.8
# Word frequencies (log probability) from spacy-lookups-data. Frequent words are real words; the
# rare tail holds common typos ("tounge" -14.7, "vison" -17.5) as well as rare real words
# ("hoarse" -15.5). -15 keeps ~95 % of one-edit typos of the keywords correctable and corrects no
# real word of the training or test data into a symptom keyword (measured on those sets).
KNOWN_WORD_MIN_LOG_PROB = -15.0
# Where the lookup table's lemma is wrong for the sense patients mean ("does" -> "doe").
LEMMA_FIXES = {"does": "do"}
LEXEME_PROB_FILE = Path(spacy_lookups_data.__file__).parent / "data" / "en_lexeme_prob.json.gz"
KNOWN_WORDS_CACHE = BUILD_DIR / "known_words.txt"


@lru_cache(maxsize=1)
def load_nlp() -> Language:
    """The project's spaCy pipeline (build/spacy_en, built by `python -m bot.nlp.build_pipeline`)."""
    if not (SPACY_PIPELINE_DIR / "meta.json").exists():
        raise RuntimeError(
            f"{SPACY_PIPELINE_DIR} is missing: run `python -m bot.nlp.build_pipeline` (make does)"
        )
    return spacy.load(SPACY_PIPELINE_DIR)


@lru_cache(maxsize=1)
def known_words() -> frozenset[str]:
    """Words that are not typos: every form and lemma of the lookup lemmatizer's table, and the
    words of spacy-lookups-data's frequency table that are not rare."""
    lemmatizer: Any = load_nlp().get_pipe("lemmatizer")  # spacy.pipeline.Lemmatizer
    table = lemmatizer.lookups.get_table("lemma_lookup")
    return frozenset(table.keys()) | frozenset(table.values()) | frequent_words()


def frequent_words() -> frozenset[str]:
    """The frequency table's words above KNOWN_WORD_MIN_LOG_PROB. Reading the 1M-word table
    costs ~3 s and ~200 MB, so the result is kept in the build output and read from there."""
    if KNOWN_WORDS_CACHE.exists() and (KNOWN_WORDS_CACHE.stat().st_mtime >= LEXEME_PROB_FILE.stat().st_mtime):
        return frozenset(KNOWN_WORDS_CACHE.read_text(encoding="utf-8").split())
    with gzip.open(LEXEME_PROB_FILE, "rt", encoding="utf-8") as handle:
        frequent = sorted(
            w
            for w, p in json.load(handle).items()
            if p >= KNOWN_WORD_MIN_LOG_PROB and not any(c.isspace() for c in w)
        )
    KNOWN_WORDS_CACHE.parent.mkdir(parents=True, exist_ok=True)
    partial = KNOWN_WORDS_CACHE.with_suffix(f".{os.getpid()}.tmp")
    partial.write_text("\n".join(frequent), encoding="utf-8")
    os.replace(partial, KNOWN_WORDS_CACHE)  # atomic: processes may build it at the same time
    return frozenset(frequent)


class LemmaNormaliser:
    """Turns a Doc into its lowercase lemmas, correcting typos towards `keywords`."""

    def __init__(self, keywords: Iterable[str]) -> None:
        nlp = load_nlp()
        surface = sorted({word.lower() for word in keywords if len(word) >= MIN_TYPO_LENGTH})
        # A typo is corrected to the keyword's lemma: "brething" -> "breathing" -> "breathe".
        self._lemma_of: dict[str, str] = {word: nlp(word)[0].lemma_.lower() for word in surface}
        self._keywords = list(self._lemma_of)
        self._known = known_words()
        self._cache: dict[str, str | None] = {}
        self.vocab = nlp.vocab

    def correction(self, word: str) -> str | None:
        """The keyword lemma an unknown word is a typo of, or None."""
        if word not in self._cache:
            close = difflib.get_close_matches(word, self._keywords, n=1, cutoff=TYPO_SIMILARITY)
            self._cache[word] = self._lemma_of[close[0]] if close else None
        return self._cache[word]

    def lemma(self, text: str, lemma: str) -> str:
        lower, lemma = text.lower(), (lemma or text).lower()
        if lower in LEMMA_FIXES:
            return LEMMA_FIXES[lower]
        is_word = lower in self._known or lemma in self._known or lemma != lower
        if is_word or len(lower) < MIN_TYPO_LENGTH or not lower.isalpha():
            return lemma
        return self.correction(lower) or lemma

    def lemmas(self, doc: Doc) -> list[str]:
        return [self.lemma(token.text, token.lemma_) for token in doc]

    def lemma_doc(self, doc: Doc) -> Doc:
        """A Doc whose tokens are the (corrected) lemmas of `doc`, aligned token for token, so
        that Matcher patterns on LOWER match lemmas and spans map back to the original text.
        It uses this normaliser's vocab, whatever pipeline made `doc` (Rasa loads its own)."""
        return Doc(self.vocab, words=self.lemmas(doc), spaces=[bool(t.whitespace_) for t in doc])

    def parse(self, text: str) -> Doc:
        """Tokenise and lemmatise `text` with the project's pipeline (lowercased, as Rasa does)."""
        return load_nlp()(text.lower())
