"""Reports over conversation summaries: unanswered questions grouped, and the overview
(conversations per day, top topics, booking conversion, emergencies and handoffs)."""

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo

from bot.knowledge import KnowledgeBase
from bot.staff.conversations import ConversationSummary, UnansweredMessage, in_date_range
from bot.staff.flags import Flag

_NOT_WORD = re.compile(r"[^\w\[\] ]+", re.UNICODE)


def question_key(text: str) -> str:
    """Messages that differ only in case, punctuation or spacing are the same question."""
    return " ".join(_NOT_WORD.sub(" ", text.lower()).split())


@dataclass
class UnansweredGroup:
    key: str
    example: str
    count: int = 0
    conversations: set[str] = field(default_factory=set)
    reasons: Counter = field(default_factory=Counter)
    nearest_intents: Counter = field(default_factory=Counter)
    first_seen: datetime | None = None
    last_seen: datetime | None = None

    def add(self, message: UnansweredMessage) -> None:
        self.count += 1
        self.conversations.add(message.conversation_id)
        self.reasons[message.reason] += 1
        if message.nearest_intent:
            self.nearest_intents[message.nearest_intent] += 1
        self.first_seen = min(filter(None, (self.first_seen, message.at)))
        if self.last_seen is None or message.at >= self.last_seen:
            self.last_seen, self.example = message.at, message.text


def unanswered_groups(
    summaries: Iterable[ConversationSummary],
    zone: tzinfo,
    date_from: date | None = None,
    date_to: date | None = None,
    group: str | None = None,
) -> list[UnansweredGroup]:
    """Unanswered patient messages (masked) grouped by question, most asked first; `group`:
    only those not understood (NOT_UNDERSTOOD) or only those off the page (OFF_PAGE)."""
    groups: dict[str, UnansweredGroup] = {}
    for summary in summaries:
        for message in summary.unanswered:
            if group is not None and message.group != group:
                continue
            day = message.at.astimezone(zone).date()
            if (date_from and day < date_from) or (date_to and day > date_to):
                continue
            key = question_key(message.text)
            groups.setdefault(key, UnansweredGroup(key, message.text)).add(message)
    return sorted(
        groups.values(), key=lambda g: (-g.count, -(g.last_seen.timestamp() if g.last_seen else 0.0))
    )


@dataclass(frozen=True)
class DayCount:
    day: date
    count: int


@dataclass(frozen=True)
class TopicCount:
    topic_id: str
    title: str
    count: int


@dataclass(frozen=True)
class Overview:
    date_from: date
    date_to: date
    conversations: int
    per_day: list[DayCount]
    top_topics: list[TopicCount]
    flag_counts: dict[Flag, int]
    stored_booking_requests: int
    ratings: Counter = field(default_factory=Counter)  # "up" / "down" -> answers rated so

    @property
    def helpful_share(self) -> float:
        """Share of rated answers the patient found helpful (thumbs up)."""
        rated = self.ratings["up"] + self.ratings["down"]
        return self.ratings["up"] / rated if rated else 0.0

    @property
    def booking_conversion(self) -> float:
        """Share of conversations in which the patient asked to book."""
        return self.flag_counts[Flag.BOOKING] / self.conversations if self.conversations else 0.0

    @property
    def booking_completion(self) -> float:
        """Stored booking requests per conversation that asked to book."""
        started = self.flag_counts[Flag.BOOKING]
        return min(1.0, self.stored_booking_requests / started) if started else 0.0

    @property
    def busiest_day(self) -> int:
        return max((day.count for day in self.per_day), default=0)


def overview(
    summaries: list[ConversationSummary],
    zone: tzinfo,
    date_from: date,
    date_to: date,
    kb: KnowledgeBase,
    stored_booking_requests: int = 0,
    top: int = 8,
) -> Overview:
    chosen = [s for s in summaries if in_date_range(s, zone, date_from, date_to)]
    per_day = Counter(s.local_start_date(zone) for s in chosen)
    days = [date_from + timedelta(days=n) for n in range((date_to - date_from).days + 1)]
    topics = Counter(topic for s in chosen for topic in s.topics)
    return Overview(
        date_from=date_from,
        date_to=date_to,
        conversations=len(chosen),
        per_day=[DayCount(day, per_day.get(day, 0)) for day in days],
        top_topics=[
            TopicCount(topic, kb.topics[topic].title if topic in kb.topics else topic, count)
            for topic, count in topics.most_common(top)
        ],
        flag_counts={flag: sum(flag in s.flags for s in chosen) for flag in Flag},
        stored_booking_requests=stored_booking_requests,
        ratings=Counter(rating for s in chosen for rating in s.ratings.values()),
    )
