"""The words questions about the clinic page use, to tell an unrelated question from a page one.

A statistical classifier always picks one of the intents it knows, sometimes with high confidence:
"who is the president" looks like "who is the surgeon". The vocabulary is learnt from the training
questions of the intents about the page and its safety topics, plus the page itself; a message with
content words, none of which is in it, is about something else and must not get a page answer.
"""

from collections.abc import Iterable

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc

from bot.knowledge import KnowledgeBase, get_knowledge_base
from bot.nlp.lemmas import LemmaNormaliser, load_nlp


def content_lemmas(lemmas: Iterable[str]) -> list[str]:
    """Lemmas that carry content: words of two or more letters that are not stop words."""
    return [lemma for lemma in lemmas if lemma.isalpha() and len(lemma) > 1 and lemma not in STOP_WORDS]


def page_texts(kb: KnowledgeBase) -> list[str]:
    """Everything the page and its topics say, in the page's and the topics' own words."""
    texts = [section.heading + " " + section.text for section in kb.sections.values()]
    return texts + [f"{topic.title} {topic.answer}" for topic in kb.topics.values()]


class TopicVocabulary:
    """Content lemmas of on-topic questions; `unrelated` flags a message that shares none."""

    def __init__(self, learnt: Iterable[str], kb: KnowledgeBase | None = None) -> None:
        self.learnt = frozenset(learnt)
        nlp = load_nlp()
        page = {
            t.lemma_.lower() for text in page_texts(kb or get_knowledge_base()) for t in nlp(text.lower())
        }
        self.words: frozenset[str] = self.learnt | frozenset(content_lemmas(page))
        self.normaliser = LemmaNormaliser(self.words)

    @classmethod
    def learn(cls, texts: Iterable[str], kb: KnowledgeBase | None = None) -> "TopicVocabulary":
        nlp = load_nlp()
        learnt = {
            lemma for text in texts for lemma in content_lemmas(t.lemma_.lower() for t in nlp(text.lower()))
        }
        return cls(learnt, kb)

    def unrelated(self, doc: Doc) -> str | None:
        """The message's content words when none of them is on topic, else None."""
        terms = content_lemmas(self.normaliser.lemmas(doc))
        if terms and not set(terms) & self.words:
            return " ".join(terms)
        return None
