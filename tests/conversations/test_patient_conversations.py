"""Whole patient conversations through the full trained bot (both servers, REST), each patient
turn judged by the label its blind writer gave it (tests/support/patient_conversations.py).

The issue's targets (at least 95 % of turns handled as labelled, 90 % of conversations right at
every turn, at most 2 % needless "not sure") are not met yet; the floors below are today's
figures on this set, so that a change cannot make them worse. bench/conversations.py prints the
figures by label and tag with every failed turn, and the fresh blind batch's."""

import pytest

from tests.support.harness import running_bot
from tests.support.patient_conversations import (
    TUNING_SET,
    figures,
    load_conversations,
    report,
    run_conversations,
)

# Today's figures on this set (68.6 %, 17.5 %, 17.9 %) less a margin for retraining on another
# machine; docs/nlu.md has them with the fresh batch's.
TURNS_FLOOR = 0.66
CONVERSATIONS_FLOOR = 0.15
NEEDLESS_NOT_SURE_CEILING = 0.20


@pytest.fixture(scope="module")
def judged(tmp_path_factory, trained_model):
    with running_bot(tmp_path_factory.mktemp("patient-conversations")) as bot:
        return run_conversations(bot, TUNING_SET)


def test_the_set_is_big_and_varied_enough():
    conversations = load_conversations(TUNING_SET)
    assert len(conversations) >= 150 and sum(len(c.turns) for c in conversations) >= 900
    labels = {next(iter(expect)) for c in conversations for _, expect, _ in c.turns}
    assert labels >= {"answer", "not_on_page", "emergency", "booking", "handoff", "small_talk"}


def test_no_placeholder_or_unfilled_template_reaches_a_patient(judged):
    leaks = [t for t in judged if "placeholder shown" in t.problems]
    assert leaks == [], report(leaks, "replies with a placeholder")


def test_every_emergency_turn_gets_the_advice(judged):
    emergencies = [t for t in judged if "emergency" in t.expect]
    assert len(emergencies) >= 30
    missed = [t for t in emergencies if not t.ok]
    assert missed == [], report(missed, "emergency turns without the advice")


def test_the_figures_do_not_fall_below_todays(judged):
    found = figures(judged)
    assert found.turn_rate >= TURNS_FLOOR, report(judged, "turns handled as labelled")
    assert found.conversation_rate >= CONVERSATIONS_FLOOR, report(judged, "conversations right")
    assert found.needless_not_sure_rate <= NEEDLESS_NOT_SURE_CEILING, report(judged, "needless not-sure")
