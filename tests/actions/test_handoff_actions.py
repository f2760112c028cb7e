"""action_human_handoff: the contact route from settings, the offer of a callback request, and
the staff follow-up mark (which never replaces an emergency mark); with staff online, the live-chat
queue instead."""

import secrets
import time

import pytest

from actions.handoff import ActionHumanHandoff
from bot.live.presence import check_in, check_out
from bot.settings import get_settings
from bot.staff.accounts import Accounts
from bot.staff.database import StaffDatabase
from bot.wording import wording
from tests.support.trackers import make_tracker


def test_human_handoff_gives_the_phone_and_emergency_route_and_offers_a_callback(
    dispatcher, domain, clinic_with_routes
):
    events = ActionHumanHandoff().run(dispatcher, make_tracker("request_human"), domain)
    message = dispatcher.messages[0]
    assert clinic_with_routes.clinic.phone in message["text"] and "911" in message["text"]
    assert message["text"].endswith(wording("general.handoff.callback_offer"))
    assert [b["payload"] for b in message["buttons"]] == ["/affirm", "/deny"]
    assert events == [
        {"event": "slot", "timestamp": None, "name": "staff_followup", "value": "human_handoff"}
    ]


def test_without_a_clinic_phone_the_handoff_offers_the_callback_and_names_no_number(dispatcher, domain):
    ActionHumanHandoff().run(dispatcher, make_tracker("request_human"), domain)
    message = dispatcher.messages[0]
    assert message["text"].startswith(wording("general.handoff.route.without_route"))
    assert "by phone" not in message["text"] and "911" in message["text"]
    assert [b["payload"] for b in message["buttons"]] == ["/affirm", "/deny"]


def test_during_a_booking_the_handoff_does_not_offer_a_second_form(dispatcher, domain):
    tracker = make_tracker("request_human", active_loop={"name": "booking_form"})
    ActionHumanHandoff().run(dispatcher, tracker, domain)
    message = dispatcher.messages[0]
    assert message["text"].endswith(wording("general.handoff.finish_booking"))
    assert message["buttons"] == []


def test_an_emergency_mark_is_kept(dispatcher, domain):
    tracker = make_tracker("request_human", slots={"staff_followup": "emergency"})
    events = ActionHumanHandoff().run(dispatcher, tracker, domain)
    assert events[0]["value"] == "emergency"


# ---- live chat: a person in this chat while staff are online (bot/live) -------------------------


@pytest.fixture(autouse=True)
def own_staff_database(staff_database):
    """Whether staff are online is read from a staff database of the test's own."""
    return staff_database


@pytest.fixture
def staff_online_now(own_staff_database):
    """A staff member whose console is open."""
    db = StaffDatabase(own_staff_database)
    account = Accounts(db).add(f"nurse{secrets.token_hex(3)}", "a long enough password", "staff")
    check_in(db, account.id)
    yield account
    check_out(db, account.id)


def test_with_staff_online_the_patient_is_told_a_person_will_join_here(dispatcher, domain, staff_online_now):
    events = ActionHumanHandoff().run(dispatcher, make_tracker("request_human"), domain)
    message = dispatcher.messages[0]
    assert message["text"] == wording("live.waiting") and message["buttons"] == []
    assert message["custom"] == {"live_chat": "waiting"}
    assert {"name": "live_chat", "value": "waiting"} in [{k: e[k] for k in ("name", "value")} for e in events]


def test_with_nobody_online_the_phone_route_and_callback_offer_come_instead(dispatcher, domain):
    events = ActionHumanHandoff().run(dispatcher, make_tracker("request_human"), domain)
    assert dispatcher.messages[0]["text"].endswith(wording("general.handoff.callback_offer"))
    assert all(e["name"] != "live_chat" for e in events)


def test_during_a_booking_the_patient_is_not_queued(dispatcher, domain, staff_online_now):
    tracker = make_tracker("request_human", active_loop={"name": "booking_form"})
    ActionHumanHandoff().run(dispatcher, tracker, domain)
    assert dispatcher.messages[0]["text"].endswith(wording("general.handoff.finish_booking"))


def test_a_wait_past_the_limit_becomes_the_callback_offer(dispatcher, domain, staff_online_now):
    waited = time.time() - get_settings().live_chat.wait_seconds - 1
    events = [{"event": "slot", "name": "live_chat", "value": "waiting", "timestamp": waited}]
    result = ActionHumanHandoff().run(dispatcher, make_tracker("request_human", events=events), domain)
    message = dispatcher.messages[0]
    assert message["text"].startswith(wording("live.nobody_free"))
    assert [b["payload"] for b in message["buttons"]] == ["/affirm", "/deny"]
    assert {"name": "live_chat", "value": None} in [{k: e[k] for k in ("name", "value")} for e in result]
