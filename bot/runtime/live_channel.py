"""The Rasa server's live-chat channel (credentials.yml): staff speak in a patient's chat, and the
widget collects what they said.

- `POST /webhooks/live/staff` (the staff console only: `Authorization: Bearer $LIVE_CHAT_TOKEN`):
  `{"sender": id, "op": "join" | "say" | "leave", "agent": first name, "text": ...}` appends the
  events of bot/live/state.py to the conversation under Rasa's lock, as Rasa's own
  `/conversations/<id>/tracker/events` does, so every Rasa server (and the tracker store) sees
  them. Rasa's HTTP API stays off: it would let its token holder do anything to any conversation.
- `GET /webhooks/live/updates?sender=&after=` (the widget, while a live chat is on): the state, the
  staff's messages newer than `after`, and, when the patient has waited longer than
  `live_chat.wait_seconds`, the handoff action's callback offer (run here, under the lock); when
  staff in the chat left the patient unanswered for `live_chat.reply_seconds`, the bot takes the
  chat back and says so (the widget's polls are the clock: nothing runs while nobody is there).
"""

import logging
import math
import os
import time
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel
from rasa.shared.core.events import ActionExecuted, Event, SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.live.state import (
    LiveStatus,
    clean_staff_text,
    hand_back_events,
    join_events,
    live_status,
    staff_message_events,
    staff_messages_after,
    staff_silent_too_long,
    stepped_away_events,
    waited_too_long,
)
from bot.names import ActionName
from bot.runtime.action_token import LIVE_TOKEN_VARIABLE, TokenMissing, bearer_matches, required_token
from bot.runtime.input_guard import MAX_SENDER_CHARS
from bot.settings import get_settings

logger = logging.getLogger(__name__)

MAX_AGENT_CHARS = 40


def session_events(tracker: DialogueStateTracker) -> list[dict[str, Any]]:
    """The current session's events in Rasa's JSON form, oldest first."""
    events: list[dict[str, Any]] = []
    for event in reversed(tracker.events):
        if isinstance(event, SessionStarted):
            break
        events.append(event.as_dict())
    return events[::-1]


def status_json(status: LiveStatus) -> dict[str, Any]:
    return {"state": status.state, "agent": status.agent}


class StaffOpRefused(Exception):
    def __init__(self, status: int, error: str) -> None:
        super().__init__(error)
        self.status, self.error = status, error


def staff_op_events(status: LiveStatus, op: str, agent: str, text: str) -> list[dict[str, Any]]:
    """The events for a staff operation in this state; StaffOpRefused when it does not apply."""
    if op == "join":
        if status.joined and status.agent != agent:
            raise StaffOpRefused(409, f"{status.agent} is already in this chat")
        return [] if status.joined else join_events(agent)
    if not status.joined:
        raise StaffOpRefused(409, "nobody from the team is in this chat")
    if status.agent != agent:
        raise StaffOpRefused(409, f"{status.agent} is in this chat")
    if op == "leave":
        return hand_back_events(agent)
    message = clean_staff_text(text)
    if not message:
        raise StaffOpRefused(400, "the message is empty")
    return staff_message_events(agent, message)


class LiveChatInput(InputChannel):
    """Staff messages into a patient's chat, and the widget's view of them."""

    @classmethod
    def name(cls) -> str:
        return "live"

    def blueprint(self, on_new_message: Any) -> Blueprint:
        try:
            token: str | None = required_token(os.environ, LIVE_TOKEN_VARIABLE)
        except TokenMissing as error:
            logger.warning("Live chat: staff cannot speak in chats: %s", error)
            token = None
        live = Blueprint("live_chat", __name__)

        @live.route("/staff", methods=["POST"])
        async def staff(request: Request) -> HTTPResponse:
            if token is None or not bearer_matches(request.headers.get("Authorization"), token):
                return response.json({"error": "unauthorised"}, status=401)
            body = request.json if isinstance(request.json, dict) else {}
            sender, op = str(body.get("sender") or ""), body.get("op")
            agent = str(body.get("agent") or "").strip()[:MAX_AGENT_CHARS]
            if (
                not sender
                or len(sender) > MAX_SENDER_CHARS
                or op not in ("join", "say", "leave")
                or not agent
            ):
                return response.json(
                    {"error": "sender, op (join, say, leave) and agent are required"}, status=400
                )
            agent_app = request.app.ctx.agent
            if not await agent_app.tracker_store.exists(sender):
                return response.json({"error": "no such conversation"}, status=404)
            async with agent_app.lock_store.lock(sender):
                tracker = await agent_app.processor.fetch_tracker_with_initial_session(sender)
                try:
                    events = staff_op_events(
                        live_status(session_events(tracker)), op, agent, str(body.get("text") or "")
                    )
                except StaffOpRefused as refused:
                    return response.json({"error": refused.error}, status=refused.status)
                await _append(agent_app, tracker, events)
            return response.json(status_json(live_status(session_events(tracker))))

        @live.route("/updates", methods=["GET"])
        async def updates(request: Request) -> HTTPResponse:
            sender = request.args.get("sender", "")
            if not sender or len(sender) > MAX_SENDER_CHARS:
                return response.json({"error": "sender is required"}, status=400)
            after = _timestamp(request.args.get("after"))
            agent_app = request.app.ctx.agent
            tracker = await agent_app.tracker_store.retrieve(sender)
            if tracker is None:
                return response.json({"state": None, "agent": None, "messages": [], "replies": []})
            events = session_events(tracker)
            status, now = live_status(events), time.time()
            live = get_settings().live_chat
            replies: list[dict[str, Any]] = []
            if waited_too_long(status, now, live.wait_seconds):
                replies = await _give_up_waiting(agent_app, sender)
            elif staff_silent_too_long(events, now, live.reply_seconds):
                await _take_back_from_silent_staff(agent_app, sender)
            else:
                return _update(events, after, replies)
            return _update(session_events(await agent_app.tracker_store.retrieve(sender)), after, replies)

        return live


def _update(events: list[dict[str, Any]], after: float, replies: list[dict[str, Any]]) -> HTTPResponse:
    """What the widget gets: the live chat's state, staff messages after `after`, bot replies."""
    return response.json(
        {
            **status_json(live_status(events)),
            "messages": staff_messages_after(events, after),
            "replies": replies,
        }
    )


def _timestamp(value: str | None) -> float:
    try:
        number = float(value or 0)
    except ValueError:
        return 0.0
    return number if math.isfinite(number) else 0.0


async def _append(agent: Any, tracker: DialogueStateTracker, events: list[dict[str, Any]]) -> None:
    """Add events (Rasa's JSON form) to the tracker and store it; the caller holds the lock."""
    for event in events:
        tracker.update(Event.from_parameters(event), agent.domain)
    await agent.tracker_store.save(tracker)


async def _take_back_from_silent_staff(agent: Any, sender: str) -> None:
    """Staff left the patient unanswered too long: the bot takes the chat back and says so."""
    async with agent.lock_store.lock(sender):
        tracker = await agent.tracker_store.retrieve(sender)
        events = session_events(tracker)
        if not staff_silent_too_long(events, time.time(), get_settings().live_chat.reply_seconds):
            return  # staff answered meanwhile, or another poll took the chat back first
        await _append(agent, tracker, stepped_away_events(live_status(events).agent or ""))


async def _give_up_waiting(agent: Any, sender: str) -> list[dict[str, Any]]:
    """Nobody joined in time: the handoff action turns the wait into the callback offer, and the
    bot listens for the patient's answer (so a "yes" starts the callback request)."""
    collector = CollectingOutputChannel()
    async with agent.lock_store.lock(sender):
        tracker = await agent.tracker_store.retrieve(sender)
        if not waited_too_long(
            live_status(session_events(tracker)), time.time(), get_settings().live_chat.wait_seconds
        ):
            return []  # another poll (or another server) gave up first
        await agent.execute_action(sender, ActionName.HUMAN_HANDOFF, collector, None, 1.0)
        tracker = await agent.tracker_store.retrieve(sender)
        tracker.update(ActionExecuted(ActionName.LISTEN))
        await agent.tracker_store.save(tracker)
    return collector.messages
