"""Telling the clinic team about a stored request: a webhook POST with a JSON body and/or an
email through SMTP, both off by default (settings.yml, `notifications`). Deliveries are queued in
the booking store; a failed one is retried later and never fails the booking."""

import os
import smtplib
import ssl
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from email.message import EmailMessage
from typing import Any, Protocol

import requests

from bot.booking.store import BookingStore, StoreUnavailable
from bot.settings import NotificationSettings

WEBHOOK = "webhook"
EMAIL = "email"
SEND_TIMEOUT_SECONDS = 10
# Waits before each retry; after the last one the delivery is marked failed (kept for staff).
RETRY_DELAYS = tuple(timedelta(minutes=m) for m in (0.5, 2, 10, 30, 60, 120, 240, 480))
EVENT_NAME = "booking_request.created"
EMERGENCY_EVENT = "emergency.flagged"


class Notifier(Protocol):
    @property
    def channel(self) -> str:
        """The channel's name (webhook, email)."""

    def send(self, payload: dict[str, Any]) -> None:
        """Deliver or raise."""


def _json_safe(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


# Shown in the email only when someone booked for another person.
SOMEONE_ELSE_FIELDS = frozenset({"requester_name", "patient_relation", "contact_is"})


def notification_payload(record: Mapping[str, Any]) -> dict[str, Any]:
    """The JSON body of a notification about one stored request."""
    fields = (
        "reference",
        "conversation_id",
        "kind",
        "name",
        "requester_name",
        "patient_relation",
        "contact_is",
        "phone",
        "email",
        "preferred_time_text",
        "preferred_time",
        "reason",
        "consent",
        "consented_at",
        "created_at",
        "status",
    )
    return {"event": EVENT_NAME, "request": {key: _json_safe(record.get(key)) for key in fields}}


@dataclass(frozen=True)
class WebhookNotifier:
    url: str
    channel: str = WEBHOOK

    def send(self, payload: dict[str, Any]) -> None:
        response = requests.post(self.url, json=payload, timeout=SEND_TIMEOUT_SECONDS)
        response.raise_for_status()


@dataclass(frozen=True)
class EmailNotifier:
    host: str
    port: int
    sender: str
    recipients: Sequence[str]
    security: str = "starttls"  # starttls | ssl | none
    username: str = ""
    password_env: str = "BOOKING_SMTP_PASSWORD"
    ca_file: str = ""
    channel: str = EMAIL

    def _connect(self) -> smtplib.SMTP:
        """An SMTP session, encrypted unless `security` is "none", logged in when a user is set."""
        context = ssl.create_default_context(cafile=self.ca_file or None) if self.security != "none" else None
        if self.security == "ssl":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                self.host, self.port, context=context, timeout=SEND_TIMEOUT_SECONDS
            )
        else:
            smtp = smtplib.SMTP(self.host, self.port, timeout=SEND_TIMEOUT_SECONDS)
        try:
            if self.security == "starttls":
                smtp.starttls(context=context)  # raises when the server does not offer it
            if self.username:
                password = os.environ.get(self.password_env)
                if password is None:
                    raise RuntimeError(f"SMTP user is set but ${self.password_env} is not")
                smtp.login(self.username, password)
        except BaseException:
            smtp.close()
            raise
        return smtp

    def send(self, payload: dict[str, Any]) -> None:
        message = self._emergency_message(payload) if payload.get("event") == EMERGENCY_EVENT else None
        if message is None:
            message = self._request_message(payload)
        with self._connect() as smtp:
            smtp.send_message(message)

    def _emergency_message(self, payload: dict[str, Any]) -> EmailMessage:
        alert = payload["emergency"]
        message = EmailMessage()
        message["Subject"] = "Emergency: the assistant sent a patient to 911"
        message["From"] = self.sender
        message["To"] = ", ".join(self.recipients)
        message.set_content(
            "The website assistant told a patient to call 911 or go to the emergency department.\n\n"
            f"Conversation: {alert['conversation_id']}\n"
            f"Signs named: {', '.join(alert['symptoms']) or '-'}\n"
            f"At: {alert['at']}\n\n"
            "Read the conversation in the staff console (Conversations, flag Emergency)."
        )
        return message

    def _request_message(self, payload: dict[str, Any]) -> EmailMessage:
        request = payload["request"]
        message = EmailMessage()
        message["Subject"] = f"New {request['kind']} request {request['reference']}"
        message["From"] = self.sender
        message["To"] = ", ".join(self.recipients)
        message.set_content(
            "\n".join(
                [f"A patient asked for a {request['kind']} through the website assistant.", ""]
                + [
                    f"{key.replace('_', ' ').capitalize()}: {value if value not in (None, '') else '-'}"
                    for key, value in request.items()
                    if key not in SOMEONE_ELSE_FIELDS or value
                ]
            )
        )
        return message


def emergency_payload(conversation_id: str, symptoms: Sequence[str], at: datetime) -> dict[str, Any]:
    """The JSON body telling the clinic the bot sent a patient to emergency care: no words of the
    patient's and no contact details, only where to read the conversation."""
    return {
        "event": EMERGENCY_EVENT,
        "emergency": {"conversation_id": conversation_id, "symptoms": list(symptoms), "at": at.isoformat()},
    }


def notifiers_from_settings(settings: NotificationSettings) -> dict[str, Notifier]:
    """The enabled channels, by name."""
    notifiers: dict[str, Notifier] = {}
    if settings.webhook.enabled and settings.webhook.url:
        notifiers[WEBHOOK] = WebhookNotifier(settings.webhook.url)
    email = settings.email
    if email.enabled and email.sender and email.recipients:
        notifiers[EMAIL] = EmailNotifier(
            email.smtp_host,
            int(email.smtp_port),
            email.sender,
            tuple(email.recipients),
            security=email.security,
            username=email.username,
            password_env=email.password_env,
            ca_file=email.ca_file,
        )
    return notifiers


@dataclass(frozen=True)
class DeliveryReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0


def deliver_due(
    store: BookingStore, notifiers: Mapping[str, Notifier], now: datetime | None = None
) -> DeliveryReport:
    """Send every queued notification that is due; reschedule or give up on failures."""
    now = now or datetime.now(timezone.utc)
    sent = retrying = failed = 0
    for delivery in store.due_notifications(now):
        notifier = notifiers.get(delivery["channel"])
        record = store.get(delivery["reference"])
        try:
            if notifier is None or record is None:
                raise LookupError(f"channel {delivery['channel']} is not configured")
            notifier.send(notification_payload(record))
        except StoreUnavailable:
            raise
        except Exception as error:  # noqa: BLE001 - any delivery failure is retried, never raised
            attempt = delivery["attempts"]
            retry_at = now + RETRY_DELAYS[attempt] if attempt < len(RETRY_DELAYS) else None
            if notifier is None:
                retry_at = None
            store.record_attempt(delivery["id"], f"{type(error).__name__}: {error}"[:1000], retry_at)
            retrying, failed = (retrying + 1, failed) if retry_at else (retrying, failed + 1)
        else:
            store.record_attempt(delivery["id"])
            sent += 1
    return DeliveryReport(sent, retrying, failed)
