"""The reading layer over real tracker-store data (SQLite and PostgreSQL): summaries, flags,
topics, transcripts, search and the unanswered report."""

import json
from dataclasses import replace
from datetime import timedelta

import pytest
import sqlalchemy as sa

from bot.staff.conversations import ConversationIndex, ConversationQuery, find_conversations
from bot.staff.events import EVENTS, TrackerStoreReader
from bot.staff.flags import NOT_UNDERSTOOD, OFF_PAGE, UNANSWERED_INTENTS, UNSURE_ACTION, Flag
from bot.staff.masking import EMAIL_MASK, PHONE_MASK
from bot.staff.reports import question_key, unanswered_groups
from bot.staff.services import StaffConsole
from tests.support.staff_conversations import (
    CONTACT_EMAIL,
    CONTACT_PHONE,
    NEW_SCRIPT,
    OLD_SCRIPT,
    events_in,
    make_console,
)


@pytest.fixture
def console(conversations, tmp_path):
    console = make_console(tmp_path, conversations)
    yield console
    console.reader.engine.dispose()


def by_id(console):
    return {s.conversation_id: s for s in console.summaries()}


def test_every_conversation_is_listed_newest_first(console):
    summaries = console.summaries()
    assert {s.conversation_id for s in summaries} == set(OLD_SCRIPT) | set(NEW_SCRIPT)
    starts = [s.started_at for s in summaries]
    assert starts == sorted(starts, reverse=True)
    assert summaries[-1].conversation_id in OLD_SCRIPT


def test_patient_message_counts_leave_out_rasa_control_messages(console):
    summaries = by_id(console)
    for sender in NEW_SCRIPT.keys() - OLD_SCRIPT.keys():
        assert summaries[sender].patient_messages == len(NEW_SCRIPT[sender]), sender
    said = OLD_SCRIPT["staff-returning"] + NEW_SCRIPT["staff-returning"]
    assert summaries["staff-returning"].patient_messages == len(said) - 1  # "/session_start"
    assert summaries["staff-faq"].bot_messages >= 2


def test_unanswered_flag_matches_the_stored_fallback_events(console, conversations):
    for sender, summary in by_id(console).items():
        events = events_in(conversations.tracker_url, sender)
        went_unanswered = any(
            intent in UNANSWERED_INTENTS or action == UNSURE_ACTION for _, intent, action in events
        )
        assert (Flag.UNANSWERED in summary.flags) == went_unanswered, sender
    unanswered = by_id(console)["staff-unanswered"]
    assert Flag.UNANSWERED in unanswered.flags
    # One message not understood; two understood but off the page: a group of their own.
    assert [(m.text, m.group) for m in unanswered.unanswered] == [
        ("purple elephants dancing", OFF_PAGE),
        ("what's the weather on mars", OFF_PAGE),
        ("the thing with the stuff?", NOT_UNDERSTOOD),
    ]


def test_answers_to_the_booking_form_are_not_unanswered_questions(console):
    booking = by_id(console)["staff-booking"]
    assert booking.unanswered == [] and not booking.flags & {Flag.UNANSWERED, Flag.LOW_CONFIDENCE}
    groups = unanswered_groups(console.summaries(), console.zone)
    assert not any(key in ("skip", "yes") for key in (g.key for g in groups))


def test_booking_and_handoff_requests_are_flagged(console):
    summaries = by_id(console)
    assert Flag.BOOKING in summaries["staff-booking"].flags
    assert Flag.BOOKING in summaries["staff-booking-cancelled"].flags  # the form ran, nothing stored
    assert Flag.HANDOFF in summaries["staff-handoff"].flags
    assert not summaries["staff-faq"].flags & {Flag.BOOKING, Flag.HANDOFF, Flag.EMERGENCY}


def model_verdicts(url: str, sender: str) -> list:
    """Straight from the stored JSON: what the classifier itself said of each patient message
    (a rule that replaced its intent keeps it as `model_intent`)."""
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(
            sa.text("select data from events where sender_id = :s and type_name = 'user'"), {"s": sender}
        ).scalars()
        parsed = [json.loads(row)["parse_data"] for row in rows]
    engine.dispose()
    verdicts = []
    for p in parsed:
        kept = [v["model_intent"] for v in p.values() if isinstance(v, dict) and "model_intent" in v]
        if p["intent"]["name"] not in ("session_start", "restart"):
            verdicts.append(kept[0] if kept else p["intent"])
    return verdicts


def test_low_confidence_means_the_classifier_was_below_the_fallback_threshold(console, conversations):
    assert console.threshold == 0.6  # config.yml FallbackClassifier
    for sender, summary in by_id(console).items():
        unsure = [
            v
            for v in model_verdicts(conversations.tracker_url, sender)
            if v["name"] == "nlu_fallback" or v["confidence"] < 0.6
        ]
        assert (Flag.LOW_CONFIDENCE in summary.flags) == bool(unsure), sender
    elephants = next(t for t in console.transcript("staff-unanswered").turns if t.user_text)
    assert elephants.user_text == "purple elephants dancing" and elephants.low_confidence
    assert elephants.best_guess_confidence < console.threshold
    assert Flag.LOW_CONFIDENCE in by_id(console)["staff-unanswered"].flags
    confident = [t for t in console.transcript("staff-faq").turns if t.user_text]
    assert all(not t.low_confidence and t.confidence >= console.threshold for t in confident)


def test_emergency_conversation_is_flagged(console):
    assert Flag.EMERGENCY in by_id(console)["staff-emergency"].flags


def test_topics_are_the_page_topics_the_bot_answered(console):
    summaries = by_id(console)
    assert summaries["staff-faq"].topics[:2] == ["results_duration", "side_effects"]
    assert summaries["staff-unanswered"].topics == []


def test_transcript_has_every_turn_in_order_with_intent_actions_and_buttons(console):
    transcript = console.transcript("staff-faq")
    patient_turns = [t for t in transcript.turns if t.user_text]
    assert [t.user_text for t in patient_turns] == NEW_SCRIPT["staff-faq"]
    first = patient_turns[0]
    assert first.intent == "ask_results_duration" and first.confidence > 0.6
    assert "action_answer_topic" in first.actions
    assert "3–4 months" in first.replies[0].text
    assert {"title": "Book a consultation", "payload": "/request_booking"} in first.replies[0].buttons
    assert first.replies[0].topic == "results_duration"
    moments = [t.at for t in transcript.turns]
    assert moments == sorted(moments)


def test_returning_patient_shows_two_sessions(console):
    transcript = console.transcript("staff-returning")
    assert transcript.sessions == 2
    assert [t.user_text for t in transcript.turns if t.user_text and t.session == 2] == [
        NEW_SCRIPT["staff-returning"][1]
    ]


def test_contacts_are_masked_unless_revealed(console):
    masked = console.transcript("staff-contact").turns[-1].user_text
    assert CONTACT_EMAIL not in masked and CONTACT_PHONE not in masked
    assert EMAIL_MASK in masked and PHONE_MASK in masked
    revealed = console.transcript("staff-contact", masked=False).turns[-1].user_text
    assert CONTACT_EMAIL in revealed and CONTACT_PHONE in revealed
    summary = by_id(console)["staff-contact"]
    assert CONTACT_EMAIL not in summary.first_message + summary.searchable_text


def test_text_search_and_date_filters(console):
    summaries, zone = console.summaries(), console.zone
    found = find_conversations(summaries, ConversationQuery(text="Weather  on MARS"), zone, 25)
    assert [s.conversation_id for s in found.items] == ["staff-unanswered"]
    assert find_conversations(summaries, ConversationQuery(text="jane.doe"), zone, 25).total == 0
    today = console.today()
    assert find_conversations(
        summaries, ConversationQuery(date_from=today, date_to=today), zone, 25
    ).total == len(summaries)
    yesterday = today - timedelta(days=1)
    assert find_conversations(summaries, ConversationQuery(date_to=yesterday), zone, 25).total == 0


def test_flag_filter_counts_and_pagination(console):
    summaries = console.summaries()
    page = find_conversations(summaries, ConversationQuery(flag=Flag.BOOKING, page=2), console.zone, 1)
    flagged = [s for s in summaries if Flag.BOOKING in s.flags]
    assert page.total == len(flagged) == page.flag_counts[Flag.BOOKING] and page.pages == len(flagged) >= 2
    assert page.items == [flagged[1]]


def test_unanswered_report_groups_by_question(console):
    groups = unanswered_groups(console.summaries(), console.zone)
    weather = next(g for g in groups if g.key == question_key("What's the weather on Mars?"))
    assert weather.count == 1 and weather.conversations == {"staff-unanswered"}
    assert list(weather.reasons) == ["not on the page (out of scope)"]
    assert all(CONTACT_EMAIL not in g.example for g in groups)
    counts = [g.count for g in groups]
    assert counts == sorted(counts, reverse=True)


def test_index_folds_new_events_incrementally_like_a_fresh_read(sqlite_conversations, tmp_path):
    """Replays the stored rows in two halves, the second with ids out of order (a PostgreSQL
    transaction committing late), and compares with an index built in one go."""
    conversations = sqlite_conversations
    source = sa.create_engine(conversations.tracker_url)
    with source.connect() as connection:
        rows = [dict(row._mapping) for row in connection.execute(sa.select(EVENTS).order_by(EVENTS.c.id))]
    source.dispose()
    replay = sa.create_engine(f"sqlite:///{tmp_path / 'replay.db'}")
    EVENTS.metadata.create_all(replay)
    reader = TrackerStoreReader("", engine=replay)
    threshold = 0.6
    incremental = ConversationIndex(reader, threshold)
    half = len(rows) // 2
    with replay.begin() as connection:
        connection.execute(EVENTS.insert(), rows[:half])
    incremental.summaries()
    late, early = rows[half : half + 5], rows[half + 5 :]
    with replay.begin() as connection:
        connection.execute(EVENTS.insert(), early)
    incremental.summaries()
    with replay.begin() as connection:
        connection.execute(EVENTS.insert(), late)
    fresh = ConversationIndex(TrackerStoreReader(conversations.tracker_url), threshold).summaries()
    assert [vars(s) for s in incremental.summaries()] == [vars(s) for s in fresh]


def test_booking_requests_are_read_from_the_bots_booking_store(console):
    [stored] = console.bookings.list()
    assert stored.conversation_id == "staff-booking" and stored.status == "new"
    assert stored.name == "Priya Shah" and stored.phone == "+447700900123" and stored.consent
    assert stored.reference.startswith("BK-") and console.bookings.get(stored.reference).name == stored.name
    assert console.bookings.conversation_ids() == {"staff-booking"}


@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "Pacific/Pago_Pago"])
def test_booking_requests_are_filtered_in_the_store_by_conversation_and_clinic_day(console, zone):
    """UTC+14 and UTC-11 are 25 hours apart, so in one of them at least the request's day at the
    clinic is not its UTC day."""
    [stored] = console.bookings.list()
    assert console.bookings.list(conversation_id="staff-booking") == [stored]
    assert console.bookings.list(conversation_id="staff-faq") == []
    clinic = StaffConsole(
        replace(console.settings, clinic=replace(console.settings.clinic, timezone=zone)),
        bookings=console.bookings,
    )
    day = stored.created_at.astimezone(clinic.zone).date()
    assert clinic.bookings_received(day, day) == [stored]
    assert clinic.bookings_received(day - timedelta(days=1), day - timedelta(days=1)) == []
    assert clinic.bookings_received(day + timedelta(days=1), day + timedelta(days=7)) == []
