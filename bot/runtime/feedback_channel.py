"""The Rasa server's feedback channel (credentials.yml): a patient rates one page answer with a
thumbs up or down in the widget.

`POST /webhooks/feedback/rating` `{"sender": id, "answer_id": ..., "rating": "up" | "down"}`
names an answer by the id its custom payload carried (actions/answers.py). The rating is kept
in the tracker store as the `answer_rating` slot (it does not steer the dialogue), appended under
Rasa's lock, so the staff console reads it from the same store as the conversation. A later
rating of the same answer replaces the earlier one.
"""

from typing import Any

from rasa.core.channels.channel import InputChannel
from rasa.shared.core.events import BotUttered, SlotSet
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.names import ANSWER_ID_KEY, ANSWER_RATINGS, Slot
from bot.runtime.channels import flood_wait
from bot.runtime.input_guard import MAX_SENDER_CHARS
from bot.runtime.rate_limit import server_flood_guard

MAX_ANSWER_ID_CHARS = 64


def answered(events: list[Any], answer_id: str) -> bool:
    """Whether the bot sent the answer with this id in this conversation."""
    return any(
        isinstance(event, BotUttered)
        and ((event.data or {}).get("custom") or {}).get(ANSWER_ID_KEY) == answer_id
        for event in events
    )


class FeedbackInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "feedback"

    def blueprint(self, on_new_message: Any) -> Blueprint:
        feedback = Blueprint("answer_feedback", __name__)
        flood_guard = server_flood_guard()  # ratings count against the same budget as messages

        @feedback.route("/rating", methods=["POST"])
        async def rate(request: Request) -> HTTPResponse:
            body = request.json if isinstance(request.json, dict) else {}
            sender, answer_id, rating = (
                str(body.get(key) or "") for key in ("sender", "answer_id", "rating")
            )
            if (
                not sender
                or len(sender) > MAX_SENDER_CHARS
                or not answer_id
                or len(answer_id) > MAX_ANSWER_ID_CHARS
                or rating not in ANSWER_RATINGS
            ):
                return response.json(
                    {"error": "sender, answer_id and rating (up or down) are required"}, status=400
                )
            wait = await flood_wait(flood_guard, request, sender)
            if wait is not None:
                return response.json({"error": "too many requests", "retry_after": wait}, status=429)
            agent = request.app.ctx.agent
            async with agent.lock_store.lock(sender):
                tracker = await agent.tracker_store.retrieve(sender)
                if tracker is None or not answered(list(tracker.events), answer_id):
                    return response.json({"error": "no such answer in this conversation"}, status=404)
                tracker.update(SlotSet(Slot.ANSWER_RATING, {"answer_id": answer_id, "rating": rating}))
                await agent.tracker_store.save(tracker)
            return response.json({"rated": rating})

        return feedback
