"""Emergency alerts through the clinic's notification channels (bot/safety/alerts.py): sent only
when the clinic turned them on, naming the conversation and symptoms and nothing a patient
wrote, tried again when a channel fails, and never in the patient's way."""

import threading
from dataclasses import replace

from bot.booking.notifications import EMERGENCY_EVENT, EmailNotifier
from bot.safety.alerts import RETRY_DELAYS_SECONDS, alert_emergency
from bot.settings import get_settings


class RecordingNotifier:
    channel = "webhook"

    def __init__(self, failures: int = 0) -> None:
        self.failures, self.sent = failures, []

    def send(self, payload):
        if self.failures:
            self.failures -= 1
            raise ConnectionError("clinic endpoint down")
        self.sent.append(payload)


def settings(emergencies: bool):
    base = get_settings()
    return replace(base, notifications=replace(base.notifications, emergencies=emergencies))


def finish(threads):
    for thread in threads:
        thread.join(timeout=10)
        assert not thread.is_alive()


def test_an_alert_names_the_conversation_and_symptoms_only():
    notifier = RecordingNotifier()
    finish(alert_emergency("patient-42", ["swallowing", "breathing"], settings(True), {"webhook": notifier}))
    [payload] = notifier.sent
    assert payload["event"] == EMERGENCY_EVENT
    assert set(payload["emergency"]) == {"conversation_id", "symptoms", "at"}
    assert payload["emergency"]["conversation_id"] == "patient-42"
    assert payload["emergency"]["symptoms"] == ["swallowing", "breathing"]


def test_alerts_are_off_unless_the_clinic_turns_them_on():
    notifier = RecordingNotifier()
    assert alert_emergency("patient-42", ["swallowing"], settings(False), {"webhook": notifier}) == []
    assert notifier.sent == []


def test_a_failing_channel_is_tried_again_and_then_given_up_on_without_raising():
    waits: list[float] = []
    flaky, broken = RecordingNotifier(failures=2), RecordingNotifier(failures=99)
    finish(alert_emergency("p", ["vision"], settings(True), {"webhook": flaky}, sleep=waits.append))
    assert len(flaky.sent) == 1 and waits == list(RETRY_DELAYS_SECONDS)
    finish(alert_emergency("p", ["vision"], settings(True), {"webhook": broken}, sleep=lambda _: None))
    assert broken.sent == []


def test_sending_runs_beside_the_answer_not_before_it():
    release = threading.Event()
    started = alert_emergency(
        "p", ["vision"], settings(True), {"webhook": RecordingNotifier()}, sleep=lambda _: release.wait()
    )
    assert all(thread.is_alive() for thread in started)  # the action returned while it waits
    release.set()
    finish(started)


def test_the_emergency_email_holds_no_patient_words(monkeypatch):
    sent = []

    class FakeSMTP:
        def __init__(self, *args, **kwargs): ...
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def send_message(self, message):
            sent.append(message)

        def close(self): ...

    notifier = EmailNotifier(
        "smtp.example", 25, "bot@clinic.example", ["team@clinic.example"], security="none"
    )
    monkeypatch.setattr("smtplib.SMTP", FakeSMTP)
    notifier.send(
        {
            "event": EMERGENCY_EVENT,
            "emergency": {"conversation_id": "c-1", "symptoms": ["breathing"], "at": "now"},
        }
    )
    [message] = sent
    assert message["Subject"] == "Emergency: the assistant sent a patient to 911"
    body = message.get_content()
    assert "Conversation: c-1" in body and "Signs named: breathing" in body
