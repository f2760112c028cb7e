"""Whole booking conversations through the full trained bot (issue 13): at least 95 % of the
blind set reach the outcome their writer expected: stored once with the right fields (the patient,
who asked for them, whose contact, the availability in their words, the reason), cancelled or
declined with nothing stored, or handed off to the clinic team.

tests/support/booking_conversations.py judges them; bench/booking_conversations.py prints the
figures, every failed conversation, and the fresh blind batch's."""

import pytest

from tests.support.booking_conversations import (
    OUTCOMES,
    TUNING_SET,
    load_booking_conversations,
    report,
    run_booking_conversations,
    success_rate,
)
from tests.support.harness import running_bot

TARGET = 0.95


@pytest.fixture(scope="module")
def judged(tmp_path_factory, trained_model):
    with running_bot(tmp_path_factory.mktemp("booking-conversations")) as bot:
        return run_booking_conversations(bot, TUNING_SET)


def test_the_set_is_big_and_varied_enough():
    conversations = load_booking_conversations(TUNING_SET)
    assert len(conversations) >= 80
    assert {c.outcome for c in conversations} == set(OUTCOMES)
    for_someone_else = [c for c in conversations if c.request.get("requester_name")]
    assert len(for_someone_else) >= 10


def test_no_placeholder_or_unfilled_template_reaches_a_patient(judged):
    leaks = [j for j in judged if any(p.startswith("placeholder shown") for p in j.problems)]
    assert leaks == [], report(leaks, "conversations with a placeholder")


def test_nothing_is_stored_when_the_patient_cancels_declines_or_asks_for_a_person(judged):
    stored_anyway = [j for j in judged if j.conversation.outcome != "stored" and j.stored]
    assert stored_anyway == [], report(stored_anyway, "stored without a confirmed request")


def test_the_target_share_reaches_the_right_outcome(judged):
    assert success_rate(judged) >= TARGET, report(judged, "booking conversations")
