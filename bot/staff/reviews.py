"""Staff's review of conversations: a status (new, reviewed, handled), who has it, tags, notes,
and "false alarm" for an emergency flag raised by a question about risks. Kept in the staff
database; every change is written to the audit log by the console's routes. A conversation staff
have not touched is new."""

import re
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa

from bot.names import REVIEW_STATUSES
from bot.staff.database import ConversationNote, ConversationReview, StaffDatabase, utcnow

MAX_TAGS = 10
MAX_TAG_CHARS = 30
MAX_NOTE_CHARS = 2000
_TAG = re.compile(r"[^a-z0-9 _-]+")


class ReviewError(ValueError):
    """A change that cannot be made, with a message for the person who asked."""


@dataclass(frozen=True)
class Review:
    conversation_id: str
    status: str = REVIEW_STATUSES[0]
    assignee: str | None = None
    tags: tuple[str, ...] = ()
    false_alarm: bool = False
    updated_at: datetime | None = None
    updated_by: str | None = None


@dataclass(frozen=True)
class Note:
    author: str
    at: datetime
    text: str


@dataclass(frozen=True)
class ReviewChange:
    """What a form asked to change; None leaves a field as it is."""

    status: str | None = None
    assignee: str | None = None  # "" takes the conversation off everyone
    tags: str | None = None  # comma-separated, as typed
    false_alarm: bool | None = None
    changed: list[str] = field(default_factory=list)


def normalise_tags(typed: str) -> tuple[str, ...]:
    """ "Follow-up, BOTOX ,, follow-up" → ("follow-up", "botox"): lower case, no duplicates."""
    tags: list[str] = []
    for part in typed.split(","):
        tag = " ".join(_TAG.sub("", part.strip().lower()).split())[:MAX_TAG_CHARS]
        if tag and tag not in tags:
            tags.append(tag)
    if len(tags) > MAX_TAGS:
        raise ReviewError(f"At most {MAX_TAGS} tags on a conversation.")
    return tuple(tags)


def _review(row: ConversationReview | None, conversation_id: str) -> Review:
    if row is None:
        return Review(conversation_id)
    return Review(
        row.conversation_id,
        row.status,
        row.assignee,
        tuple(t for t in row.tags.split(",") if t),
        row.false_alarm,
        row.updated_at,
        row.updated_by,
    )


class Reviews:
    def __init__(self, db: StaffDatabase) -> None:
        self.db = db

    def get(self, conversation_id: str) -> Review:
        with self.db.session() as session:
            return _review(session.get(ConversationReview, conversation_id), conversation_id)

    def all(self) -> dict[str, Review]:
        """Every conversation staff have touched, by id."""
        with self.db.session() as session:
            rows = session.execute(sa.select(ConversationReview)).scalars()
            return {row.conversation_id: _review(row, row.conversation_id) for row in rows}

    def update(self, conversation_id: str, change: ReviewChange, by: str) -> list[str]:
        """Apply `change`; returns what changed, as "field=value" for the audit log."""
        if change.status is not None and change.status not in REVIEW_STATUSES:
            raise ReviewError(f"Unknown status; use one of {', '.join(REVIEW_STATUSES)}.")
        tags = normalise_tags(change.tags) if change.tags is not None else None
        with self.db.session() as session:
            row = session.get(ConversationReview, conversation_id)
            if row is None:
                row = ConversationReview(
                    conversation_id=conversation_id, status=REVIEW_STATUSES[0], tags="", false_alarm=False
                )
                session.add(row)
            before = _review(row, conversation_id) if row.updated_by else Review(conversation_id)
            if change.status is not None:
                row.status = change.status
            if change.assignee is not None:
                row.assignee = change.assignee or None
            if tags is not None:
                row.tags = ",".join(tags)
            if change.false_alarm is not None:
                row.false_alarm = change.false_alarm
            row.updated_at, row.updated_by = utcnow(), by
            after = _review(row, conversation_id)
        return [
            f"{name}={getattr(after, name) if name != 'tags' else ','.join(after.tags)}"
            for name in ("status", "assignee", "tags", "false_alarm")
            if getattr(before, name) != getattr(after, name)
        ]

    def add_note(self, conversation_id: str, author: str, text: str) -> None:
        text = text.strip()
        if not text:
            raise ReviewError("The note is empty.")
        if len(text) > MAX_NOTE_CHARS:
            raise ReviewError(f"A note is at most {MAX_NOTE_CHARS} characters.")
        with self.db.session() as session:
            session.add(
                ConversationNote(conversation_id=conversation_id, author=author, text=text, at=utcnow())
            )

    def notes(self, conversation_id: str) -> list[Note]:
        """Oldest first."""
        with self.db.session() as session:
            rows = session.execute(
                sa.select(ConversationNote)
                .where(ConversationNote.conversation_id == conversation_id)
                .order_by(ConversationNote.id)
            ).scalars()
            return [Note(row.author, row.at, row.text) for row in rows]

    def false_alarms(self) -> list[str]:
        """Conversations whose emergency flag staff marked as a false alarm, oldest change first."""
        with self.db.session() as session:
            return list(
                session.execute(
                    sa.select(ConversationReview.conversation_id)
                    .where(ConversationReview.false_alarm.is_(True))
                    .order_by(ConversationReview.updated_at)
                ).scalars()
            )
