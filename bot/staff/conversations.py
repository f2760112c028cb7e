"""The conversations list: one summary per conversation (a Rasa sender id), kept up to date
incrementally from the tracker store, then filtered, searched and paginated for staff.

Summaries are folded from events in id order. The index reads only events newer than the last it
saw; when the store's per-conversation counts no longer match (retention deleted rows, or a
PostgreSQL transaction committed an older id late) it re-reads just those conversations.
"""

import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timezone, tzinfo

from bot.knowledge import KnowledgeBase, get_knowledge_base
from bot.names import BOOKING_FORM, Slot
from bot.staff.events import StoredEvent, TrackerStoreReader
from bot.staff.flags import (
    BOOKING_INTENT,
    CONTROL_INTENTS,
    EMERGENCY_INTENT,
    FOLLOWUP_FLAGS,
    FOLLOWUP_SLOT,
    HANDOFF_ACTION,
    NOT_UNDERSTOOD,
    OFF_PAGE,
    OFF_PAGE_REASONS,
    UNANSWERED_INTENTS,
    UNANSWERED_REASONS,
    UNSURE_ACTION,
    Flag,
    is_low_confidence,
    nearest_answerable,
)
from bot.staff.masking import mask_contacts
from bot.staff.reviews import Review

RATING_SLOT = Slot.ANSWER_RATING
# A patient message's text -> keyed hashes of the contacts in it (bot/staff/contacts.py).
ContactHashes = Callable[[str], set[str]]


def to_datetime(timestamp: float) -> datetime:
    return datetime.fromtimestamp(timestamp, tz=timezone.utc)


@dataclass(frozen=True)
class UnansweredMessage:
    """A patient message the bot could not answer: fallback, out of scope or an unsure reply."""

    conversation_id: str
    at: datetime
    text: str  # masked
    reason: str
    nearest_intent: str | None
    group: str = NOT_UNDERSTOOD  # or OFF_PAGE: understood, but the page does not cover it


@dataclass
class ConversationSummary:
    conversation_id: str
    started_at: datetime
    last_active_at: datetime
    patient_messages: int = 0
    bot_messages: int = 0
    topics: list[str] = field(default_factory=list)
    flags: set[Flag] = field(default_factory=set)
    first_message: str = ""  # masked
    searchable_text: str = ""  # masked, lower case: what the text search looks in
    # Keyed hashes of the phone numbers and email addresses in patients' messages
    # (bot/staff/contacts.py): what the contact search compares, never the contacts themselves.
    contact_hashes: set[str] = field(default_factory=set)
    ratings: dict[str, str] = field(default_factory=dict)  # answer id -> "up" or "down" (the latest)
    unanswered: list[UnansweredMessage] = field(default_factory=list)

    def local_start_date(self, zone: tzinfo) -> date:
        return self.started_at.astimezone(zone).date()


class SummaryBuilder:
    """Folds one conversation's events, in order, into its summary."""

    def __init__(
        self,
        conversation_id: str,
        threshold: float,
        kb: KnowledgeBase,
        contact_hashes: ContactHashes | None = None,
    ) -> None:
        self.conversation_id = conversation_id
        self.threshold = threshold
        self.kb = kb
        self.contact_hashes = contact_hashes
        self.event_count = 0
        self.last_event_id = 0
        self.summary: ConversationSummary | None = None
        self._last_user: UnansweredMessage | None = None
        # While the booking form runs, messages are its answers ("Yes, send it", a name, an
        # email): not questions the bot failed, whatever the classifier made of them.
        self._in_form = False

    def add(self, event: StoredEvent) -> None:
        self.event_count += 1
        self.last_event_id = max(self.last_event_id, event.id)
        moment = to_datetime(event.timestamp)
        if self.summary is None:
            self.summary = ConversationSummary(self.conversation_id, moment, moment)
        summary = self.summary
        summary.started_at = min(summary.started_at, moment)
        summary.last_active_at = max(summary.last_active_at, moment)
        if event.type_name == "action":  # the most common event: its name is a column
            self._on_action(summary, event.action_name)
            return
        handler = getattr(self, f"_on_{event.type_name}", None)
        if handler:
            handler(summary, event.data)

    def _add_topic(self, summary: ConversationSummary, topic_id: str | None) -> None:
        if topic_id and topic_id in self.kb.topics and topic_id not in summary.topics:
            summary.topics.append(topic_id)

    def _add_text(self, summary: ConversationSummary, text: str) -> None:
        summary.searchable_text += " ".join(mask_contacts(text).lower().split()) + "\n"

    def _on_user(self, summary: ConversationSummary, data: dict) -> None:
        parse_data = data.get("parse_data") or {}
        intent = (parse_data.get("intent") or {}).get("name")
        if intent in CONTROL_INTENTS:
            return
        summary.patient_messages += 1
        text = str(data.get("text") or "")
        if not summary.first_message and text and not text.startswith("/"):
            summary.first_message = mask_contacts(text)
        self._add_text(summary, text)
        if self.contact_hashes is not None:
            summary.contact_hashes |= self.contact_hashes(text)
        if intent == EMERGENCY_INTENT:
            summary.flags.add(Flag.EMERGENCY)
        if intent == BOOKING_INTENT:
            summary.flags.add(Flag.BOOKING)
        self._last_user = UnansweredMessage(
            self.conversation_id,
            to_datetime(data.get("timestamp") or 0),
            mask_contacts(text),
            UNANSWERED_REASONS.get(intent or "", ""),
            nearest_answerable(parse_data),
        )
        if self._in_form:
            pass
        elif intent in UNANSWERED_INTENTS:
            summary.flags.add(Flag.UNANSWERED)
            self._note_unanswered(summary, UNANSWERED_REASONS[intent])
        elif intent in OFF_PAGE_REASONS:
            self._note_unanswered(summary, OFF_PAGE_REASONS[intent], OFF_PAGE)
        if is_low_confidence(parse_data, self.threshold) and not self._in_form:
            summary.flags.add(Flag.LOW_CONFIDENCE)
        topic = self.kb.topic_for_intent(intent)
        self._add_topic(summary, topic.id if topic else None)

    def _note_unanswered(
        self, summary: ConversationSummary, reason: str, group: str = NOT_UNDERSTOOD
    ) -> None:
        """Keep the latest patient message once, with the first reason it went unanswered."""
        if self._last_user is not None and self._last_user.text and not self._last_user.text.startswith("/"):
            summary.unanswered.append(replace(self._last_user, reason=reason, group=group))
            self._last_user = None

    def _on_bot(self, summary: ConversationSummary, data: dict) -> None:
        summary.bot_messages += 1
        self._add_text(summary, str(data.get("text") or ""))
        custom = (data.get("data") or {}).get("custom") or {}
        if isinstance(custom, dict):
            self._add_topic(summary, custom.get("topic"))

    def _on_action(self, summary: ConversationSummary, name: str | None) -> None:
        if name == UNSURE_ACTION and not self._in_form:
            summary.flags.add(Flag.UNANSWERED)
            self._note_unanswered(summary, UNANSWERED_REASONS[UNSURE_ACTION])
        elif name == BOOKING_FORM:
            summary.flags.add(Flag.BOOKING)
        elif name == HANDOFF_ACTION:
            summary.flags.add(Flag.HANDOFF)

    def _on_active_loop(self, summary: ConversationSummary, data: dict) -> None:
        self._in_form = data.get("name") == BOOKING_FORM
        if self._in_form:
            summary.flags.add(Flag.BOOKING)

    def _on_slot(self, summary: ConversationSummary, data: dict) -> None:
        rated = data.get("value")
        if data.get("name") == RATING_SLOT and isinstance(rated, dict) and rated.get("answer_id"):
            summary.ratings[str(rated["answer_id"])] = str(rated.get("rating"))
        if data.get("name") == FOLLOWUP_SLOT and data.get("value") in FOLLOWUP_FLAGS:
            summary.flags.add(FOLLOWUP_FLAGS[data["value"]])


@dataclass(frozen=True)
class ConversationQuery:
    """What staff asked the list for. Dates are local days (settings' time zone), inclusive."""

    flag: Flag | None = None
    date_from: date | None = None
    date_to: date | None = None
    text: str = ""
    page: int = 1
    status: str = ""  # a review status (bot/staff/reviews.py); "" any
    assignee: str = ""  # a username; "" anyone
    tag: str = ""


@dataclass(frozen=True)
class ConversationPage:
    items: list[ConversationSummary]
    total: int
    page: int
    pages: int
    flag_counts: dict[Flag, int]
    reviews: Mapping[str, Review] = field(default_factory=dict)

    def review(self, conversation_id: str) -> Review:
        return self.reviews.get(conversation_id) or Review(conversation_id)


def _review_matches(review: Review, query: ConversationQuery) -> bool:
    return (
        (not query.status or review.status == query.status)
        and (not query.assignee or review.assignee == query.assignee)
        and (not query.tag or query.tag in review.tags)
    )


def summary_with_bookings(summary: ConversationSummary, booked: frozenset[str]) -> ConversationSummary:
    """A stored booking request marks its conversation as booking requested."""
    if summary.conversation_id in booked and Flag.BOOKING not in summary.flags:
        return ConversationSummary(**{**summary.__dict__, "flags": summary.flags | {Flag.BOOKING}})
    return summary


class ConversationIndex:
    """Summaries of every conversation in the tracker store, refreshed on each read."""

    def __init__(
        self,
        reader: TrackerStoreReader,
        threshold: float,
        kb: KnowledgeBase | None = None,
        contact_hashes: ContactHashes | None = None,
    ) -> None:
        self.reader = reader
        self.threshold = threshold
        self.kb = kb or get_knowledge_base()
        self.contact_hashes = contact_hashes
        self._builders: dict[str, SummaryBuilder] = {}
        self._last_id = 0
        self._event_count = 0
        self._lock = threading.Lock()

    def _fold(self, events: Iterable[StoredEvent], builders: dict[str, SummaryBuilder]) -> int:
        folded = 0
        for event in events:
            builder = builders.get(event.conversation_id)
            if builder is None:
                builder = builders[event.conversation_id] = SummaryBuilder(
                    event.conversation_id, self.threshold, self.kb, self.contact_hashes
                )
            builder.add(event)
            folded += 1
        return folded

    def _reconcile(self) -> None:
        """Re-read the conversations whose stored event count differs from what was folded."""
        stored = self.reader.counts_by_conversation()
        for conversation_id in set(self._builders) - set(stored):
            del self._builders[conversation_id]
        stale = [
            cid
            for cid, count in stored.items()
            if cid not in self._builders or self._builders[cid].event_count != count
        ]
        for conversation_id in stale:
            self._builders.pop(conversation_id, None)
        self._fold(self.reader.events_of(stale), self._builders)

    def refresh(self) -> None:
        with self._lock:
            count, highest = self.reader.totals()
            if count == self._event_count and highest == self._last_id:
                return
            self._fold(self.reader.events_after(self._last_id), self._builders)
            folded = sum(builder.event_count for builder in self._builders.values())
            if folded != count or highest < self._last_id:
                self._reconcile()
            self._event_count = sum(builder.event_count for builder in self._builders.values())
            self._last_id = max((b.last_event_id for b in self._builders.values()), default=0)

    def summaries(self, booked: frozenset[str] = frozenset()) -> list[ConversationSummary]:
        """Every conversation, newest first."""
        self.refresh()
        with self._lock:
            summaries = [
                summary_with_bookings(builder.summary, booked)
                for builder in self._builders.values()
                if builder.summary
            ]
        return sorted(summaries, key=lambda s: (s.started_at, s.conversation_id), reverse=True)

    def get(self, conversation_id: str) -> ConversationSummary | None:
        self.refresh()
        with self._lock:
            builder = self._builders.get(conversation_id)
            return builder.summary if builder else None


def in_date_range(
    summary: ConversationSummary, zone: tzinfo, date_from: date | None, date_to: date | None
) -> bool:
    day = summary.local_start_date(zone)
    return (date_from is None or day >= date_from) and (date_to is None or day <= date_to)


def find_conversations(
    summaries: list[ConversationSummary],
    query: ConversationQuery,
    zone: tzinfo,
    page_size: int,
    reviews: Mapping[str, Review] | None = None,
) -> ConversationPage:
    """Filter by date, text and review, count each flag among those, then filter by flag and
    paginate. `reviews`: staff's reviews by conversation id (a conversation without one is new)."""
    reviews = reviews or {}
    needle = " ".join(query.text.lower().split())
    matching = [
        s
        for s in summaries
        if in_date_range(s, zone, query.date_from, query.date_to)
        and (not needle or needle in s.searchable_text)
        and _review_matches(reviews.get(s.conversation_id) or Review(s.conversation_id), query)
    ]
    flag_counts = {flag: sum(flag in s.flags for s in matching) for flag in Flag}
    if query.flag:
        matching = [s for s in matching if query.flag in s.flags]
    pages = max(1, -(-len(matching) // page_size))
    page = min(max(1, query.page), pages)
    items = matching[(page - 1) * page_size : page * page_size]
    return ConversationPage(items, len(matching), page, pages, flag_counts, reviews)
