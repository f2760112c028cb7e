"""action_submit_booking: a confirmed form becomes exactly one stored request with consent, the
patient gets the reference and what happens next; a store that is down is said honestly; forms
that ended otherwise store nothing. The form's slots are always emptied."""

import asyncio

import pytest

import actions.booking
from actions.booking import ActionSubmitBooking
from bot.booking import slots as s
from bot.booking.service import BookingService, PendingRequests
from bot.booking.store import BookingStore
from bot.contact import phone_and_web, phone_with_hours
from bot.wording import wording
from tests.support.booking import hold_lock
from tests.support.trackers import make_tracker

CONFIRMED = {
    s.KIND: s.CONSULTATION,
    s.NAME: "Priya Shah",
    s.PHONE: "+447700900123",
    s.EMAIL: None,
    s.PREFERRED_TIME: "Wednesday 10am",
    s.PREFERRED_TIME_NORMALISED: "2026-12-02T10:00",
    s.REASON: "",
    s.CONSENT: True,
    s.OUTCOME: s.CONFIRMED,
}


@pytest.fixture
def service(tmp_path, monkeypatch):
    store = BookingStore(f"sqlite:///{tmp_path / 'bookings.db'}", busy_timeout=0.1)
    booking_service = BookingService(
        store,
        {},
        PendingRequests(tmp_path / "pending.jsonl"),
        attempts=2,
        first_pause=0.01,
        worker_interval=60,
    )
    monkeypatch.setattr(actions.booking, "get_booking_service", lambda: booking_service)
    yield booking_service
    booking_service.worker.stop()
    store.dispose()


def confirming(slots, message_id="m-1", sender="conv-7"):
    events = [
        {
            "event": "user",
            "message_id": message_id,
            "text": "yes",
            "parse_data": {"intent": {"name": "affirm"}},
        }
    ]
    return make_tracker("affirm", "yes", slots=slots, events=events, sender_id=sender)


def submit(dispatcher, tracker):
    return asyncio.run(ActionSubmitBooking().run(dispatcher, tracker, {}))


def test_a_confirmed_request_is_stored_once_and_the_reference_given(service, dispatcher, clinic_with_routes):
    events = submit(dispatcher, confirming(CONFIRMED))
    [row] = service.store.find(conversation_id="conv-7")
    assert row["name"] == "Priya Shah" and row["consent"] is True and row["status"] == "new"
    assert row["preferred_time_text"] == "Wednesday 10am"
    text = dispatcher.messages[0]["text"]
    assert row["reference"] in text and "+44 7700 900123" in text
    assert clinic_with_routes.clinic.phone in text
    assert text.endswith(
        wording(
            "booking.stored.next_step.with_route",
            contact_you=wording("booking.contact_you.phone", who="you", phone="+44 7700 900123"),
            purpose=wording("booking.stored.purpose.consultation"),
            clinic_phone_route=phone_with_hours(clinic_with_routes.clinic),
        )
    )
    assert {"event": "slot", "timestamp": None, "name": s.REFERENCE, "value": row["reference"]} in events


def test_the_same_confirmation_submitted_twice_is_one_request(service, dispatcher):
    submit(dispatcher, confirming(CONFIRMED))
    submit(dispatcher, confirming(CONFIRMED))  # e.g. the action retried by the server
    assert len(service.store.find(conversation_id="conv-7")) == 1
    references = [m["custom"]["booking_reference"] for m in dispatcher.messages]
    assert references[0] == references[1]


def test_a_second_booking_in_the_same_conversation_is_a_new_request(service, dispatcher):
    submit(dispatcher, confirming(CONFIRMED, message_id="m-1"))
    submit(dispatcher, confirming(CONFIRMED, message_id="m-9"))
    assert len(service.store.find(conversation_id="conv-7")) == 2


def test_without_a_clinic_phone_the_next_step_names_no_route(service, dispatcher):
    submit(dispatcher, confirming(CONFIRMED))
    text = dispatcher.messages[0]["text"]
    assert text.endswith(
        wording(
            "booking.stored.next_step.without_route",
            contact_you=wording("booking.contact_you.phone", who="you", phone="+44 7700 900123"),
            purpose=wording("booking.stored.purpose.consultation"),
        )
    )


def test_a_store_that_is_down_is_said_honestly_and_the_request_kept(service, dispatcher, clinic_with_routes):
    service.store.find()  # the table exists, so another client can lock it
    release = hold_lock(service.store.url)
    try:
        submit(dispatcher, confirming(CONFIRMED))
    finally:
        release()
    text = dispatcher.messages[0]["text"]
    assert text.startswith(
        wording(
            "booking.not_stored.kept.with_route",
            first_name="Priya",
            clinic_phone_and_web=phone_and_web(clinic_with_routes.clinic),
        )
    )
    assert dispatcher.messages[0]["custom"]["stored"] is False
    assert len(service.pending.all()) == 1
    service.retry_pending()
    assert len(service.store.find(conversation_id="conv-7")) == 1


@pytest.mark.parametrize(
    "outcome,key,with_route",
    [
        (s.CANCELLED, "booking.ended.cancelled", False),
        (s.DECLINED_CONSENT, "booking.ended.declined_consent.with_route", True),
        (s.PHONE_ROUTE, "booking.ended.phone_route.with_route", True),
    ],
)
def test_forms_that_end_otherwise_store_nothing(
    service, dispatcher, clinic_with_routes, outcome, key, with_route
):
    events = submit(dispatcher, confirming({**CONFIRMED, s.OUTCOME: outcome}))
    assert service.store.find() == []
    route = {"clinic_phone_and_web": phone_and_web(clinic_with_routes.clinic)} if with_route else {}
    assert dispatcher.messages[0]["text"] == wording(key, **route)
    assert {e["name"] for e in events} == set(s.RESET_SLOTS)


def test_every_form_slot_is_emptied_after_a_booking(service, dispatcher):
    events = submit(dispatcher, confirming(CONFIRMED))
    emptied = {e["name"] for e in events if e["value"] is None}
    assert emptied == set(s.RESET_SLOTS)


def test_when_not_even_the_disk_can_keep_it_the_patient_is_asked_to_call(
    service, dispatcher, tmp_path, clinic_with_routes
):
    (tmp_path / "a-file").write_text("not a folder")
    service.pending = PendingRequests(tmp_path / "a-file" / "pending.jsonl")
    service.store.find()
    release = hold_lock(service.store.url)
    try:
        submit(dispatcher, confirming(CONFIRMED))
    finally:
        release()
    text = dispatcher.messages[0]["text"]
    assert clinic_with_routes.clinic.phone in text
    assert text.startswith(
        wording(
            "booking.not_stored.not_kept.with_route",
            first_name="Priya",
            clinic_phone_and_web=phone_and_web(clinic_with_routes.clinic),
        )
    )
    assert service.retry_pending() is False  # kept in memory, stored once the store is back
    assert len(service.store.find(conversation_id="conv-7")) == 1
