"""The staff console's parts wired together from settings: where conversations are read, the staff
database (accounts, sessions, audit log), the booking requests, and the reports over them.
The web layer (bot/web/console/routes.py) and the command line (python -m bot.staff) both use it."""

import os
from datetime import date, datetime, time, timedelta, timezone
from functools import cached_property
from typing import Any

from bot.knowledge import KnowledgeBase, get_knowledge_base
from bot.live.presence import check_in, check_out, display_name, staff_online
from bot.runtime.action_token import LIVE_TOKEN_VARIABLE
from bot.settings import Settings, StaffSettings, get_settings
from bot.staff.accounts import Accounts
from bot.staff.audit import AuditLog
from bot.staff.bookings import BookingRequests, BookingView, booking_requests_from_settings
from bot.staff.contacts import Contact, ContactHasher, contact_from_query
from bot.staff.conversations import (
    ConversationIndex,
    ConversationPage,
    ConversationQuery,
    ConversationSummary,
    find_conversations,
)
from bot.staff.database import StaffDatabase
from bot.staff.events import TrackerStoreReader, tracker_store_url
from bot.staff.exports import conversation_record
from bot.staff.flags import Flag, fallback_threshold
from bot.staff.live import LiveChat, LiveChatClient, live_chats
from bot.staff.retention import RetentionReport, apply_retention
from bot.staff.reviews import Reviews
from bot.staff.security import LoginThrottle, SessionManager, load_secret_key
from bot.staff.transcript import Transcript, build_transcript

# What the console alerts staff to, most urgent first, and for how long after the last message.
ALERT_FLAGS = (Flag.EMERGENCY, Flag.HANDOFF, Flag.BOOKING)
ALERT_HOURS = 12


class StaffConsole:
    def __init__(
        self,
        settings: Settings | None = None,
        *,
        bookings: BookingRequests | None = None,
        kb: KnowledgeBase | None = None,
    ) -> None:
        self.settings = settings or get_settings()
        staff: StaffSettings = self.settings.staff
        self.staff_settings = staff
        self.zone = self.settings.clinic.zone  # checked when the settings were read
        self.threshold = fallback_threshold()
        self.kb = kb or get_knowledge_base()
        self.reader = TrackerStoreReader(tracker_store_url(staff))
        self.index = ConversationIndex(self.reader, self.threshold, self.kb, self._contact_hashes)
        self.db = StaffDatabase(staff.database_url)
        self.accounts = Accounts(self.db)
        self.reviews = Reviews(self.db)
        self.audit = AuditLog(self.db)
        self.throttle = LoginThrottle(
            self.db, staff.login_max_failures, timedelta(minutes=staff.login_window_minutes)
        )
        self._bookings = bookings

    @cached_property
    def contact_hasher(self) -> ContactHasher:
        return ContactHasher(load_secret_key(self.staff_settings))

    def _contact_hashes(self, text: str) -> set[str]:
        return self.contact_hasher.digests_in(text, self.settings.booking_phone_regions)

    def find_by_contact(
        self, typed: str
    ) -> tuple[Contact, list[ConversationSummary], list[BookingView]] | None:
        """Conversations whose patient wrote this exact phone number or email address, and the
        booking requests that hold it; None when `typed` is neither."""
        contact = contact_from_query(typed, self.settings.booking_phone_regions)
        if contact is None:
            return None
        digest = self.contact_hasher.digest(contact)
        conversations = [s for s in self.summaries() if digest in s.contact_hashes]
        if contact.kind == "phone":
            return contact, conversations, self.bookings.list(phone=contact.value)
        return contact, conversations, self.bookings.list(email=contact.value)

    @cached_property
    def sessions(self) -> SessionManager:
        staff = self.staff_settings
        return SessionManager(
            self.db,
            self.accounts,
            load_secret_key(staff),
            idle=timedelta(minutes=staff.session_idle_minutes),
            max_age=timedelta(hours=staff.session_max_hours),
        )

    @property
    def bookings(self) -> BookingRequests:
        if self._bookings is None:
            self._bookings = booking_requests_from_settings(self.settings)
        return self._bookings

    def today(self) -> date:
        return datetime.now(self.zone).date()

    def day_start(self, day: date) -> datetime:
        """The first moment of `day` at the clinic."""
        return datetime.combine(day, time.min, tzinfo=self.zone)

    def bookings_received(self, date_from: date, date_to: date) -> list[BookingView]:
        """Requests received on the clinic's days `date_from` to `date_to`, both included."""
        return self.bookings.list(
            created_from=self.day_start(date_from), created_before=self.day_start(date_to + timedelta(days=1))
        )

    def summaries(self) -> list[ConversationSummary]:
        """Every conversation, newest first; stored booking requests mark theirs."""
        return self.index.summaries(self.bookings.conversation_ids())

    def find_conversations(self, query: ConversationQuery, page_size: int | None = None) -> ConversationPage:
        """The conversations staff asked for, with their reviews (status, assignee, tags)."""
        return find_conversations(
            self.summaries(), query, self.zone, page_size or self.staff_settings.page_size, self.reviews.all()
        )

    def summary(self, conversation_id: str) -> ConversationSummary | None:
        return next((s for s in self.summaries() if s.conversation_id == conversation_id), None)

    def transcript(self, conversation_id: str, masked: bool = True) -> Transcript:
        return build_transcript(
            conversation_id, self.reader.events_of([conversation_id]), self.threshold, masked
        )

    def export_records(self, summaries: list[ConversationSummary], masked: bool) -> list[dict[str, Any]]:
        events = self.reader.events_of([s.conversation_id for s in summaries])
        by_conversation: dict[str, list] = {}
        for event in events:
            by_conversation.setdefault(event.conversation_id, []).append(event)
        return [
            conversation_record(
                s,
                build_transcript(
                    s.conversation_id, by_conversation.get(s.conversation_id, []), self.threshold, masked
                ),
            )
            for s in summaries
        ]

    def apply_retention(
        self, days: int | None = None, dry_run: bool = False, now: datetime | None = None
    ) -> RetentionReport:
        days = days or self.staff_settings.retention_days
        cutoff = (now or datetime.now(timezone.utc)) - timedelta(days=days)
        return apply_retention(self.reader, cutoff, dry_run)

    def booked_conversations(self) -> frozenset[str]:
        return self.bookings.conversation_ids()

    def staff_usernames(self) -> list[str]:
        """Active accounts, for assigning conversations."""
        return sorted(a.username for a in self.accounts.all() if a.active)

    def false_alarm_transcripts(self) -> list[Transcript]:
        """Masked transcripts of the conversations staff marked as false alarms."""
        return [self.transcript(conversation_id) for conversation_id in self.reviews.false_alarms()]

    # ---- live chat and alerts ------------------------------------------------------------------

    def live_chats(self) -> list[LiveChat]:
        """Patients waiting for a person, longest wait first, then the chats staff are in."""
        return live_chats(self.reader)

    def live_client(self, rasa_url: str) -> LiveChatClient:
        return LiveChatClient(rasa_url, os.environ.get(LIVE_TOKEN_VARIABLE))

    def check_in(self, user_id: int) -> None:
        """This staff member's console is open: they can be asked to join a live chat."""
        check_in(self.db, user_id)

    def check_out(self, user_id: int) -> None:
        check_out(self.db, user_id)

    def staff_online(self) -> list[str]:
        return [
            self.display_name(name)
            for name in staff_online(self.db, self.settings.live_chat.presence_seconds)
        ]

    def display_name(self, username: str) -> str:
        """How this staff member is named to patients in a live chat (bot/live/presence.py)."""
        return display_name(username, self.staff_usernames())

    def alerts(self, hours: int = ALERT_HOURS) -> list[dict[str, Any]]:
        """Conversations that need staff, active within `hours`, newest first: emergencies,
        people asked for and booking requests (one entry per conversation and kind)."""
        since = datetime.now(timezone.utc) - timedelta(hours=hours)
        return [
            {
                "id": s.conversation_id,
                "kind": flag.value,
                "label": flag.label,
                "at": s.last_active_at.isoformat(),
            }
            for s in self.summaries()
            if s.last_active_at >= since
            for flag in ALERT_FLAGS
            if flag in s.flags
        ]
