"""Answering page questions: the recognised intent picks a topic in the knowledge base."""

import secrets
from dataclasses import replace
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from actions.replies import send_reply
from bot.booking.history import OFFER_ACTION, booking_offer_due
from bot.knowledge import answer_for_intent, get_knowledge_base
from bot.knowledge.answers import answer_for_topics
from bot.knowledge.unsure import unsure_reply
from bot.names import ANSWER_ID_KEY, QUESTION_TOPICS_KEY, ActionName


def topics_asked(message: dict[str, Any]) -> list[str]:
    """The page topics of a message that asks several questions (bot/nlp/question_parts.py)."""
    kb = get_knowledge_base()
    intents = message.get(QUESTION_TOPICS_KEY) or []
    return [topic.id for intent in intents if (topic := kb.topic_for_intent(intent)) is not None]


class ActionAnswerTopic(Action):
    """Answer the topic of the latest intent from the clinic page, then offer booking when the
    moment is right (bot/booking/history.py decides)."""

    def name(self) -> str:
        return ActionName.ANSWER_TOPIC

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        message = tracker.latest_message
        asked = topics_asked(message)
        answer = (
            answer_for_topics(asked) if asked else answer_for_intent(message.get("intent", {}).get("name"))
        )
        if answer:
            # An id the patient's thumbs up or down can name (bot/runtime/feedback_channel.py).
            answer = replace(answer, custom={**answer.custom, ANSWER_ID_KEY: secrets.token_hex(8)})
        send_reply(dispatcher, answer or unsure_reply(ranking=message.get("intent_ranking") or ()))
        if answer and booking_offer_due(tracker.events, answer.custom["topic"]):
            return [FollowupAction(OFFER_ACTION)]
        return []


class ActionAnswerUnsure(Action):
    """Low NLU confidence: quote the page's best-matching passage when it clearly matches (bot/
    retrieval.py), otherwise say so honestly and offer the topics. Never a guessed answer."""

    def name(self) -> str:
        return ActionName.ANSWER_UNSURE

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        message = tracker.latest_message
        send_reply(dispatcher, unsure_reply(message.get("text"), message.get("intent_ranking") or ()))
        return []
