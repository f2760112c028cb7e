"""Telling the clinic team at once when the bot sends a patient to emergency care, through the
webhook and email channels the clinic set up for booking requests (settings.yml
`notifications.emergencies`, off by default). The alert names the conversation and the symptoms
only, never the patient's words or contact details; staff read the rest in the console.

Sent from the action server in a background thread per channel, so the patient's emergency
answer never waits for it; a failed send is tried again after 30 s and 2 min, then logged. It is
kept in memory only: an action server restarting within those minutes drops a pending alert,
which the console (emergency flag, live alert) still shows."""

import logging
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timezone
from typing import Any

from bot.booking.notifications import Notifier, emergency_payload, notifiers_from_settings
from bot.settings import Settings, get_settings

logger = logging.getLogger(__name__)

RETRY_DELAYS_SECONDS = (0.0, 30.0, 120.0)


def alert_emergency(
    conversation_id: str,
    symptoms: Sequence[str],
    settings: Settings | None = None,
    notifiers: Mapping[str, Notifier] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> list[threading.Thread]:
    """Start sending the alert on every enabled channel; returns the sending threads (none when
    emergency alerts are off or no channel is enabled)."""
    settings = settings or get_settings()
    if not settings.notifications.emergencies:
        return []
    notifiers = notifiers if notifiers is not None else notifiers_from_settings(settings.notifications)
    payload = emergency_payload(conversation_id, symptoms, datetime.now(timezone.utc))
    threads = [
        threading.Thread(
            target=_deliver, args=(name, notifier, payload, sleep), daemon=True, name=f"alert-{name}"
        )
        for name, notifier in notifiers.items()
    ]
    for thread in threads:
        thread.start()
    return threads


def _deliver(name: str, notifier: Notifier, payload: dict[str, Any], sleep: Callable[[float], None]) -> None:
    for delay in RETRY_DELAYS_SECONDS:
        sleep(delay)
        try:
            notifier.send(payload)
            return
        except Exception as error:  # noqa: BLE001 - logged and tried again; never reaches the patient
            logger.warning("The emergency alert could not be sent by %s (%s).", name, type(error).__name__)
    logger.error("The emergency alert was not sent by %s after %d tries.", name, len(RETRY_DELAYS_SECONDS))
