"""Rasa input channels hardened for patients, at the same URLs as Rasa's own (credentials.yml).

- REST (`/webhooks/rest/webhook`): the body must be a small JSON object with a sender id and a text
  message (bot/runtime/input_guard.py); anything else gets a 4xx JSON error, never a 500.
- Both REST and socket.io: the text is cleaned, empty and over-long messages get a polite reply
  without reaching the bot, and when the turn fails (the action server or the tracker store is
  down) the patient is told how to reach the clinic instead of getting silence.
- Both: flood protection (bot/runtime/rate_limit.py). REST answers 429 with a retry time;
  socket.io sends the "please wait" notice as a bot message with the retry time in `custom`.
- Nothing here logs what the patient wrote (Rasa's own REST channel does, on failures).
"""

import asyncio
import logging
import weakref
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, OutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.knowledge.answers import Reply
from bot.runtime.input_guard import Answered, ChatMessage, Rejected, check_message, parse_rest_body
from bot.runtime.rate_limit import FloodGuard, server_flood_guard
from bot.runtime.service_notices import slow_down_reply, unavailable_reply
from bot.runtime.startup import check_reviewed_data
from bot.runtime.tracker_store import TrackerStoreUnavailable
from bot.settings import get_settings

logger = logging.getLogger(__name__)

MessageHandler = Callable[[UserMessage], Awaitable[Any]]


@dataclass
class TurnReport:
    """What went wrong while the bot handled one message."""

    failed: bool = False


_current_turn: ContextVar[TurnReport | None] = ContextVar("clinic_bot_turn", default=None)


class _FailedActionWatcher(logging.Filter):
    """Notes a failed action in the current turn.

    Rasa 3.6 catches an exception from any action (for instance "couldn't connect to the action
    server"), logs it on `rasa.core.processor` and carries on with no reply and no sign of the
    failure to the channel. Logging runs in the task that handles the message, so the context
    variable set by `guarded` is the one of this turn.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        report = _current_turn.get()
        if report is not None and record.exc_info:
            report.failed = True
        return True


_WATCHER = _FailedActionWatcher()


def _watch_failed_actions() -> None:
    processor_logger = logging.getLogger("rasa.core.processor")
    if _WATCHER not in processor_logger.filters:
        processor_logger.addFilter(_WATCHER)


async def send_channel_reply(output: OutputChannel, recipient_id: str, reply: Reply) -> None:
    """Send a `bot` Reply through a Rasa output channel (outside any action)."""
    message: dict = {"text": reply.text}
    if reply.buttons:
        message["buttons"] = [button.as_dict() for button in reply.buttons]
    if reply.custom:
        message["custom"] = reply.custom
    await output.send_response(recipient_id, message)


_admissions: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore]" = (
    weakref.WeakKeyDictionary()
)


def admission() -> asyncio.Semaphore:
    """The turns to work on messages, shared by every channel of this server (settings.yml
    rasa_server.messages_at_once). Waiters are served in arrival order."""
    loop = asyncio.get_running_loop()
    if loop not in _admissions:
        _admissions[loop] = asyncio.Semaphore(get_settings().rasa_server.messages_at_once)
    return _admissions[loop]


def guarded(on_new_message: MessageHandler) -> MessageHandler:
    """Wrap Rasa's message handler with the input rules and the failure notice. Called when the
    Rasa server builds its channels: refuses to start (`ConfigError`) when the wording or
    red-flag data has a mistake."""
    check_reviewed_data()
    _watch_failed_actions()

    async def handle(message: UserMessage) -> None:
        checked = check_message(ChatMessage(message.sender_id, message.text or "", message.metadata))
        if isinstance(checked, Answered):
            logger.info("Answered without the bot: %s.", checked.reason)
            await send_channel_reply(message.output_channel, message.sender_id, checked.reply)
            return
        message.text = checked.text
        report = TurnReport()
        token = _current_turn.set(report)
        try:
            async with admission():
                await on_new_message(message)
        except (Exception, TrackerStoreUnavailable) as error:  # noqa: BLE001 - told to the patient
            logger.error(
                "The turn failed (%s); the patient was sent the unavailable notice.", type(error).__name__
            )
            report.failed = True
        finally:
            _current_turn.reset(token)
        if report.failed:
            await send_channel_reply(message.output_channel, message.sender_id, unavailable_reply())

    return handle


class GuardedRestInput(RestInput):
    """Rasa's REST channel with the input rules; same name, so the same URL."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: MessageHandler) -> Blueprint:
        handle = guarded(on_new_message)
        flood_guard = server_flood_guard()
        webhook = Blueprint("guarded_rest_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            parsed = parse_rest_body(request.body or b"")
            if isinstance(parsed, Rejected):
                logger.info("REST request rejected (%d): %s.", parsed.status, parsed.error)
                return response.json({"error": parsed.error, **parsed.details}, status=parsed.status)
            wait = await flood_wait(flood_guard, request, parsed.sender)
            if wait is not None:
                return response.json(
                    {"error": "too many messages", "retry_after": wait},
                    status=429,
                    headers={"Retry-After": str(wait)},
                )
            collector = CollectingOutputChannel()
            await handle(
                UserMessage(
                    parsed.text, collector, parsed.sender, input_channel=self.name(), metadata=parsed.metadata
                )
            )
            return response.json(collector.messages)

        return webhook


class GuardedSocketIOInput(SocketIOInput):
    """Rasa's socket.io channel with the input rules; same name, so the same path."""

    @classmethod
    def name(cls) -> str:
        return "socketio"

    def blueprint(self, on_new_message: MessageHandler) -> Blueprint:
        webhook = super().blueprint(guarded(on_new_message))
        flood_guard = server_flood_guard()
        if flood_guard is not None:
            self._limit_user_messages(flood_guard)
        return webhook

    def _limit_user_messages(self, flood_guard: FloodGuard) -> None:
        """Put the flood guard in front of Rasa's own user-message handler."""
        sio = self.sio
        handlers = sio.handlers[self.namespace or "/"]
        rasa_handler = handlers[self.user_message_evt]

        async def handle_message(sid: str, data: dict) -> None:
            sender = (data.get("session_id") if self.session_persistence else sid) or sid
            request = sio.get_environ(sid, self.namespace).get("sanic.request")
            wait = await flood_wait(flood_guard, request, sender)
            if wait is None:
                await rasa_handler(sid, data)
                return
            reply = slow_down_reply(wait)
            await send_channel_reply(SocketIOOutput(sio, self.bot_message_evt), sender, reply)

        handlers[self.user_message_evt] = handle_message


async def flood_wait(flood_guard: FloodGuard | None, request: Request | None, sender: str) -> int | None:
    """Seconds this address or conversation must wait before it is heard again; None: go on."""
    if flood_guard is None:
        return None
    # remote_addr is the client's address as told by a trusted proxy (SANIC_PROXIES_COUNT or
    # SANIC_REAL_IP_HEADER); without one it is empty and the peer's address is used.
    address = (request.remote_addr or request.ip) if request is not None else ""
    return await flood_guard.retry_after(address, sender)
