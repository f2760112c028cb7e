"""Loading data/knowledge/page.yml into typed objects, checked for internal consistency.

Where a fact lives: the page's sections and passages in that YAML file. Where the question maps to
a topic: each topic names its intent there, and `KnowledgeBase.topic_for_intent` looks it up.
"""

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from bot.paths import KNOWLEDGE_FILE, PROJECT_ROOT
from bot.yamlfile import ConfigError, load_yaml_mapping


@dataclass(frozen=True)
class Section:
    id: str
    heading: str
    paragraphs: tuple[str, ...]

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


@dataclass(frozen=True)
class Passage:
    id: str
    section_id: str
    text: str


@dataclass(frozen=True)
class Topic:
    id: str
    intent: str
    title: str
    answer: str
    passage_ids: tuple[str, ...]
    related: tuple[str, ...]
    touches_symptoms: bool = False


@dataclass(frozen=True)
class KnowledgeBase:
    title: str
    clinic: str
    snapshot_path: Path
    sections: dict[str, Section]
    passages: dict[str, Passage]
    topics: dict[str, Topic]

    def topic_for_intent(self, intent: str | None) -> Topic | None:
        """The topic that answers `intent`, or None when no topic does."""
        for topic in self.topics.values():
            if topic.intent == intent:
                return topic
        return None

    def passages_of(self, topic: Topic) -> list[Passage]:
        return [self.passages[passage_id] for passage_id in topic.passage_ids]

    def source_section(self, topic: Topic) -> Section:
        """The page section an answer comes from: the one most of its passages are quoted from."""
        section_ids = [passage.section_id for passage in self.passages_of(topic)]
        best = max(dict.fromkeys(section_ids), key=section_ids.count)
        return self.sections[best]


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _parse_sections(raw: list) -> dict[str, Section]:
    return {item["id"]: Section(item["id"], item["heading"], tuple(item["paragraphs"])) for item in raw}


def _parse_topics(raw: dict) -> dict[str, Topic]:
    return {
        topic_id: Topic(
            id=topic_id,
            intent=item["intent"],
            title=item["title"],
            answer=_one_line(item["answer"]),
            passage_ids=tuple(item["passages"]),
            related=tuple(item.get("related", ())),
            touches_symptoms=bool(item.get("touches_symptoms", False)),
        )
        for topic_id, item in raw.items()
    }


def _check_references(kb: KnowledgeBase) -> None:
    for passage in kb.passages.values():
        if passage.section_id not in kb.sections:
            raise ConfigError(f"passage {passage.id} names unknown section {passage.section_id}")
    intents = [topic.intent for topic in kb.topics.values()]
    if len(intents) != len(set(intents)):
        raise ConfigError("two topics name the same intent")
    for topic in kb.topics.values():
        unknown = [p for p in topic.passage_ids if p not in kb.passages]
        unknown += [t for t in topic.related if t not in kb.topics]
        if unknown or not topic.passage_ids:
            raise ConfigError(f"topic {topic.id} has no passages or names unknown ids {unknown}")


def load_knowledge_base(path: Path = KNOWLEDGE_FILE) -> KnowledgeBase:
    """Load and check the knowledge base; raises `ConfigError` when it is inconsistent."""
    raw = load_yaml_mapping(path)
    try:
        kb = KnowledgeBase(
            title=raw["source"]["title"],
            clinic=raw["source"]["clinic"],
            snapshot_path=PROJECT_ROOT / raw["source"]["snapshot"],
            sections=_parse_sections(raw["sections"]),
            passages={
                passage_id: Passage(passage_id, item["section"], item["text"])
                for passage_id, item in raw["passages"].items()
            },
            topics=_parse_topics(raw["topics"]),
        )
    except (KeyError, TypeError) as error:
        raise ConfigError(f"{path}: missing or malformed field {error}") from error
    _check_references(kb)
    return kb


@lru_cache(maxsize=1)
def get_knowledge_base() -> KnowledgeBase:
    """The knowledge base of this process, loaded once."""
    return load_knowledge_base()
