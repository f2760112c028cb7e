"""Sending `bot` replies through Rasa's dispatcher: the one place that knows both shapes."""

from rasa_sdk.executor import CollectingDispatcher

from bot.knowledge import Reply


def send_reply(dispatcher: CollectingDispatcher, reply: Reply) -> None:
    """Send one `Reply` as a Rasa bot message (text, buttons, custom payload)."""
    dispatcher.utter_message(
        text=reply.text,
        buttons=[button.as_dict() for button in reply.buttons],
        json_message=reply.custom or None,
    )
