"""action_emergency_acknowledged: the patient is getting help; no alarm again, no offer."""

from actions.safety import ActionEmergencyAcknowledged
from tests.support.trackers import make_tracker


def test_acknowledges_without_an_alarm_an_offer_or_page_facts(dispatcher, domain, clinic_with_routes):
    tracker = make_tracker("inform", "ok my husband is driving me to the ER")
    events = ActionEmergencyAcknowledged().run(dispatcher, tracker, domain)
    assert events == [{"event": "slot", "name": "staff_followup", "value": "emergency", "timestamp": None}]
    [message] = dispatcher.messages
    assert message["text"].startswith("Thank you, that's the right thing to do.")
    assert clinic_with_routes.clinic.phone in message["text"]  # where to tell the clinic afterwards
    assert message["buttons"] == [] and message["custom"] == {"safety": "getting_help"}
