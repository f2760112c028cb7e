"""Notifying the clinic team through a real local webhook receiver and a real local SMTP server
(aiosmtpd): delivered once, retried after a failure, given up after the last retry, and never a
reason for a booking to fail."""

from datetime import datetime, timedelta, timezone
from email import message_from_bytes

import pytest

from bot.booking.notifications import (
    EMAIL,
    RETRY_DELAYS,
    WEBHOOK,
    EmailNotifier,
    WebhookNotifier,
    deliver_due,
    notifiers_from_settings,
)
from bot.booking.store import BookingStore
from bot.settings import EmailSettings, NotificationSettings, WebhookSettings
from tests.support.booking import WebhookReceiver, make_request, self_signed_certificate, smtp_receiver
from tests.support.harness import free_port


@pytest.fixture
def store(tmp_path):
    booking_store = BookingStore(f"sqlite:///{tmp_path / 'bookings.db'}")
    yield booking_store
    booking_store.dispose()


def test_webhook_posts_the_request_as_json_once(store):
    with WebhookReceiver() as receiver:
        reference = store.save(make_request(), notify=[WEBHOOK]).reference
        report = deliver_due(store, {WEBHOOK: WebhookNotifier(receiver.url)})
        deliver_due(store, {WEBHOOK: WebhookNotifier(receiver.url)})  # nothing left to send
    assert report.sent == 1 and len(receiver.bodies) == 1
    body = receiver.bodies[0]
    assert body["event"] == "booking_request.created"
    assert body["request"]["reference"] == reference
    assert body["request"]["phone"] == "+447700900123" and body["request"]["consent"] is True
    assert store.notifications(reference)[0]["status"] == "sent"


def test_a_failed_webhook_is_retried_later_and_then_delivered(store):
    with WebhookReceiver(fail_first=1) as receiver:
        reference = store.save(make_request(), notify=[WEBHOOK]).reference
        notifiers = {WEBHOOK: WebhookNotifier(receiver.url)}
        first = deliver_due(store, notifiers)
        [failed] = store.notifications(reference)
        too_soon = deliver_due(store, notifiers)
        later = deliver_due(store, notifiers, datetime.now(timezone.utc) + RETRY_DELAYS[0])
    assert (first.retrying, too_soon.sent, later.sent) == (1, 0, 1)
    assert failed["status"] == "pending" and "500" in failed["last_error"]
    assert len(receiver.bodies) == 2
    [row] = store.notifications(reference)
    assert row["status"] == "sent" and row["attempts"] == 2
    assert store.get(reference)["status"] == "new"  # the booking itself never failed


def test_a_webhook_that_stays_down_is_given_up_after_the_last_retry(store):
    reference = store.save(make_request(), notify=[WEBHOOK]).reference
    notifiers = {WEBHOOK: WebhookNotifier(f"http://127.0.0.1:{free_port()}/down")}
    now = datetime.now(timezone.utc)
    for _ in RETRY_DELAYS:
        assert deliver_due(store, notifiers, now).retrying == 1
        now += timedelta(days=1)
    assert deliver_due(store, notifiers, now).failed == 1
    [row] = store.notifications(reference)
    assert row["status"] == "failed" and row["attempts"] == len(RETRY_DELAYS) + 1
    assert store.get(reference) is not None


def test_email_is_sent_through_smtp(store):
    with smtp_receiver() as (port, received):
        reference = store.save(make_request(), notify=[EMAIL]).reference
        notifier = EmailNotifier(
            "127.0.0.1", port, "bot@clinic.example", ("team@clinic.example",), security="none"
        )
        report = deliver_due(store, {EMAIL: notifier})
    assert report.sent == 1 and len(received) == 1
    message = message_from_bytes(received[0])
    assert reference in message["Subject"] and message["To"] == "team@clinic.example"
    assert "Priya Shah" in message.get_payload() and "+447700900123" in message.get_payload()


def test_email_goes_over_starttls_with_a_login(store, tmp_path, monkeypatch):
    certificate = self_signed_certificate(tmp_path)
    monkeypatch.setenv("TEST_SMTP_PASSWORD", "s3cret")
    with smtp_receiver(certificate, login=("bot", "s3cret")) as (port, received):
        reference = store.save(make_request(), notify=[EMAIL]).reference
        notifier = EmailNotifier(
            "127.0.0.1",
            port,
            "bot@clinic.example",
            ("team@x.example",),
            username="bot",
            password_env="TEST_SMTP_PASSWORD",
            ca_file=str(certificate[0]),
        )
        assert deliver_due(store, {EMAIL: notifier}).sent == 1
    assert len(received) == 1 and reference in message_from_bytes(received[0])["Subject"]


@pytest.mark.parametrize("problem", ["untrusted certificate", "wrong password", "no password"])
def test_email_that_cannot_be_sent_safely_is_retried_not_sent(store, tmp_path, monkeypatch, problem):
    certificate = self_signed_certificate(tmp_path)
    monkeypatch.setenv("TEST_SMTP_PASSWORD", "wrong" if problem == "wrong password" else "s3cret")
    if problem == "no password":
        monkeypatch.delenv("TEST_SMTP_PASSWORD")
    with smtp_receiver(certificate, login=("bot", "s3cret")) as (port, received):
        reference = store.save(make_request(), notify=[EMAIL]).reference
        notifier = EmailNotifier(
            "127.0.0.1",
            port,
            "bot@clinic.example",
            ("team@x.example",),
            username="bot",
            password_env="TEST_SMTP_PASSWORD",
            ca_file="" if problem == "untrusted certificate" else str(certificate[0]),
        )
        assert deliver_due(store, {EMAIL: notifier}).retrying == 1
    assert received == [] and store.notifications(reference)[0]["status"] == "pending"


def test_email_is_not_sent_in_clear_to_a_server_without_starttls(store):
    with smtp_receiver() as (port, received):
        store.save(make_request(), notify=[EMAIL])
        notifier = EmailNotifier("127.0.0.1", port, "bot@clinic.example", ("team@x.example",))
        assert deliver_due(store, {EMAIL: notifier}).retrying == 1
    assert received == []


def test_email_to_a_server_that_is_down_is_retried(store):
    reference = store.save(make_request(), notify=[EMAIL]).reference
    notifier = EmailNotifier(
        "127.0.0.1", free_port(), "bot@clinic.example", ("team@x.example",), security="none"
    )
    assert deliver_due(store, {EMAIL: notifier}).retrying == 1
    with smtp_receiver() as (port, received):
        notifier = EmailNotifier(
            "127.0.0.1", port, "bot@clinic.example", ("team@x.example",), security="none"
        )
        later = datetime.now(timezone.utc) + RETRY_DELAYS[0]
        assert deliver_due(store, {EMAIL: notifier}, later).sent == 1
    assert len(received) == 1 and store.notifications(reference)[0]["status"] == "sent"


def test_a_channel_switched_off_after_queueing_is_marked_failed_not_retried(store):
    reference = store.save(make_request(), notify=[WEBHOOK]).reference
    assert deliver_due(store, {}).failed == 1
    assert store.notifications(reference)[0]["status"] == "failed"


def test_notifications_are_off_by_default_and_built_from_settings():
    assert notifiers_from_settings(NotificationSettings()) == {}
    settings = NotificationSettings(
        webhook=WebhookSettings(enabled=True, url="http://127.0.0.1:9/hook"),
        email=EmailSettings(
            enabled=True,
            smtp_host="127.0.0.1",
            smtp_port=2525,
            sender="bot@x.example",
            recipients=("team@x.example",),
        ),
    )
    assert sorted(notifiers_from_settings(settings)) == [EMAIL, WEBHOOK]
