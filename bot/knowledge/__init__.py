"""The clinic page as a knowledge base, and the answers composed from it."""

from bot.knowledge.answers import (
    Button,
    Reply,
    answer_for_intent,
    answer_for_topic,
    booking_button,
)
from bot.knowledge.base import KnowledgeBase, Passage, Section, Topic, get_knowledge_base, load_knowledge_base

__all__ = [
    "Button",
    "KnowledgeBase",
    "Passage",
    "Reply",
    "Section",
    "Topic",
    "answer_for_intent",
    "answer_for_topic",
    "booking_button",
    "get_knowledge_base",
    "load_knowledge_base",
]
