"""Live chat's rules (bot/live): opening hours, the state read from a conversation's events, the
handoff's decisions, staff operations on the Rasa server's channel, and presence."""

from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.live.hours import HoursError, parse_hours, parse_window, within_hours
from bot.live.presence import check_in, check_out, display_name, first_name, live_chat_open, staff_online
from bot.live.replies import live_handoff
from bot.live.state import (
    hand_back_events,
    join_events,
    live_status,
    staff_message_events,
    staff_messages_after,
    staff_silent_too_long,
    stepped_away_events,
    waited_too_long,
)
from bot.names import LIVE_CHAT_KEY, LiveChat, Slot
from bot.runtime.live_channel import StaffOpRefused, staff_op_events
from bot.settings import get_settings
from bot.staff.accounts import Accounts
from bot.staff.database import StaffDatabase, StaffPresence, utcnow
from bot.wording import wording

MONDAY_NOON = datetime(2026, 11, 30, 12, 0)  # a Monday


def stamped(events, start=1000.0):
    return [{**event, "timestamp": start + index} for index, event in enumerate(events)]


def waiting_since(at: float):
    return [{"event": "slot", "name": Slot.LIVE_CHAT, "value": LiveChat.WAITING, "timestamp": at}]


# ---- opening hours --------------------------------------------------------------------------------


def test_a_weekday_window_holds_from_its_opening_minute_until_before_its_closing_minute():
    windows = parse_hours(("Mon-Fri 09:00-17:00",))
    assert within_hours(windows, MONDAY_NOON.replace(hour=9))
    assert within_hours(windows, MONDAY_NOON.replace(hour=16, minute=59))
    assert not within_hours(windows, MONDAY_NOON.replace(hour=17))
    assert not within_hours(windows, MONDAY_NOON + timedelta(days=5))  # Saturday


def test_days_can_wrap_round_the_week_and_no_hours_means_always():
    assert parse_window("Sat-Mon 10:00-13:00").days == frozenset({5, 6, 0})
    assert within_hours((), MONDAY_NOON.replace(hour=3))


@pytest.mark.parametrize(
    "entry", ["weekdays 9-5", "Mon-Fri 17:00-09:00", "Mon 25:00-26:00", "Xyz 09:00-10:00"]
)
def test_unreadable_hours_are_refused_with_the_entry_named(entry):
    with pytest.raises(HoursError, match="Mon|time|close|write"):
        parse_window(entry)


# ---- state --------------------------------------------------------------------------------------


def test_the_state_follows_the_slots_and_a_new_session_ends_it():
    events = stamped([*waiting_since(0), *join_events("Alice")])
    status = live_status(events)
    assert (status.state, status.agent) == (LiveChat.JOINED, "Alice")
    assert live_status([*events, {"event": "session_started", "timestamp": 2000}]).state is None
    assert live_status([*events, *stamped(hand_back_events("Alice"), 3000)]).state is None


def test_the_wait_runs_out_only_while_waiting():
    status = live_status(waiting_since(1000.0))
    assert not waited_too_long(status, 1179.0, 180) and waited_too_long(status, 1180.0, 180)
    joined = live_status(stamped([*waiting_since(0), *join_events("Alice")]))
    assert not waited_too_long(joined, 10**9, 180)


def test_the_widget_gets_only_the_live_chats_messages_after_its_cursor():
    events = stamped(
        [
            {"event": "bot", "text": "The assistant's answer"},
            *join_events("Alice"),
            *staff_message_events("Alice", "Hello, I'm Alice"),
        ]
    )
    messages = staff_messages_after(events, 0)
    assert [(m["from"], m["kind"]) for m in messages] == [("Alice", "joined"), ("Alice", "message")]
    assert messages[0]["text"] == wording("live.joined", staff_name="Alice")
    assert staff_messages_after(events, messages[0]["at"]) == messages[1:]


def test_staff_silence_counts_from_the_patients_latest_unanswered_message():
    chat = [
        *waiting_since(0),
        *stamped(join_events("Alice"), 10),
        {"event": "user", "text": "hi", "timestamp": 20.0},
    ]
    assert not staff_silent_too_long(chat, 319.0, 300) and staff_silent_too_long(chat, 320.0, 300)
    answered = [*chat, *stamped(staff_message_events("Alice", "Hello"), 30)]
    assert not staff_silent_too_long(answered, 10**6, 300)
    assert not staff_silent_too_long([*answered, *stamped(hand_back_events("Alice"), 40)], 10**6, 300)
    away = stepped_away_events("Alice")
    assert live_status(stamped([*chat, *away], 50)).state is None
    assert away[0]["text"] == wording("live.stepped_away", staff_name="Alice")


# ---- the handoff's decisions --------------------------------------------------------------------


def test_with_staff_online_the_patient_joins_the_queue():
    live = live_handoff(live_status([]), get_settings(), staff_available=True)
    assert live.reply.text == wording("live.waiting") and live.reply.custom == {
        LIVE_CHAT_KEY: LiveChat.WAITING
    }
    assert live.slots == {Slot.LIVE_CHAT: LiveChat.WAITING}


def test_without_staff_there_is_no_live_chat():
    assert live_handoff(live_status([]), get_settings(), staff_available=False) is None


def test_asking_again_while_waiting_is_a_reminder_and_after_the_wait_the_callback_offer():
    settings = get_settings()
    waiting = live_status(waiting_since(1000.0))
    again = live_handoff(waiting, settings, staff_available=True, now=1010.0)
    assert again.reply.text == wording("live.still_waiting") and again.slots == {}
    late = live_handoff(
        live_status(waiting_since(1000.0)), settings, True, now=1000.0 + settings.live_chat.wait_seconds
    )
    assert late.reply.text.startswith(wording("live.nobody_free"))
    assert [b.payload for b in late.reply.buttons] == ["/affirm", "/deny"]
    assert late.slots == {Slot.LIVE_CHAT: None}


# ---- staff operations on the Rasa server's live channel -----------------------------------------


def test_staff_join_a_waiting_chat_and_only_the_one_in_it_may_speak_or_hand_back():
    waiting = live_status(waiting_since(0))
    assert staff_op_events(waiting, "join", "Alice", "") == join_events("Alice")
    joined = live_status(stamped([*waiting_since(0), *join_events("Alice")]))
    assert staff_op_events(joined, "join", "Alice", "") == []  # a second click changes nothing
    assert staff_op_events(joined, "say", "Alice", "  Hello  ") == staff_message_events("Alice", "Hello")
    assert staff_op_events(joined, "leave", "Alice", "") == hand_back_events("Alice")
    for op in ("join", "say", "leave"):
        with pytest.raises(StaffOpRefused) as refused:
            staff_op_events(joined, op, "Bob", "hi")
        assert refused.value.status == 409 and "Alice" in refused.value.error


def test_nobody_speaks_in_a_chat_nobody_joined_and_an_empty_message_is_refused():
    with pytest.raises(StaffOpRefused):
        staff_op_events(live_status([]), "say", "Alice", "hello")
    joined = live_status(stamped(join_events("Alice")))
    with pytest.raises(StaffOpRefused) as refused:
        staff_op_events(joined, "say", "Alice", "   ")
    assert refused.value.status == 400


# ---- presence -----------------------------------------------------------------------------------


@pytest.fixture
def staff_db(tmp_path):
    return StaffDatabase(f"sqlite:///{tmp_path / 'staff.db'}")


def test_staff_are_online_while_their_console_checks_in(staff_db):
    alice = Accounts(staff_db).add("alice.smith", "a long enough password", "staff")
    assert staff_online(staff_db, 60) == []
    check_in(staff_db, alice.id)
    assert staff_online(staff_db, 60) == ["alice.smith"] and first_name("alice.smith") == "Alice"
    with staff_db.session() as session:
        session.get(StaffPresence, alice.id).seen_at = utcnow() - timedelta(seconds=61)
    assert staff_online(staff_db, 60) == []
    check_in(staff_db, alice.id)
    check_out(staff_db, alice.id)
    assert staff_online(staff_db, 60) == []


def test_staff_who_share_a_first_name_are_told_apart():
    team = ["alice.smith", "alice.jones", "bob", "bob_lee", "carol"]
    assert [display_name(name, team) for name in team] == ["Alice S.", "Alice J.", "Bob", "Bob L.", "Carol"]
    assert display_name("alice.smith", ["alice.smith", "carol"]) == "Alice"


def test_a_deactivated_account_is_never_online(staff_db):
    accounts = Accounts(staff_db)
    bob = accounts.add("bob", "a long enough password", "staff")
    check_in(staff_db, bob.id)
    accounts.update("bob", active=False)
    assert staff_online(staff_db, 60) == []


def test_live_chat_is_open_with_staff_online_within_the_hours(staff_db, tmp_path):
    alice = Accounts(staff_db).add("alice", "a long enough password", "staff")
    check_in(staff_db, alice.id)
    base = get_settings()
    settings = replace(
        base,
        staff=replace(base.staff, database_url=str(staff_db.engine.url)),
        clinic=replace(base.clinic, timezone="America/Chicago"),
        live_chat=replace(base.live_chat, hours=("Mon-Fri 09:00-17:00",)),
    )
    chicago = ZoneInfo("America/Chicago")
    assert live_chat_open(settings, MONDAY_NOON.replace(tzinfo=chicago))
    assert not live_chat_open(settings, MONDAY_NOON.replace(hour=20, tzinfo=chicago))
    assert not live_chat_open(replace(settings, live_chat=replace(settings.live_chat, enabled=False)))
    check_out(staff_db, alice.id)
    assert not live_chat_open(settings, MONDAY_NOON.replace(tzinfo=chicago))


def test_a_staff_database_that_cannot_be_read_means_no_live_chat():
    base = get_settings()
    unreachable = replace(
        base, staff=replace(base.staff, database_url="postgresql://nobody@127.0.0.1:1/none")
    )
    assert live_chat_open(unreachable) is False
