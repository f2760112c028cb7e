"""Chatting with a running bot over its socket.io channel, as a web chat widget does."""

import queue

import socketio


def socketio_replies(
    bot,
    messages: list[str],
    session_id: str = "socketio-chat",
    timeout: float = 60.0,
    quiet: float = 1.5,
) -> list[list]:
    """Send messages over the socket.io channel (one session); returns, per message, all the texts
    the bot sent until it went quiet (the first message Rasa processes also gets the disclaimer
    that opens every session, before its answer)."""
    replies: queue.Queue[dict] = queue.Queue()
    client = socketio.Client()
    client.on("bot_uttered", replies.put)

    def texts_until_quiet() -> list:
        texts = [replies.get(timeout=timeout).get("text")]
        while True:
            try:
                texts.append(replies.get(timeout=quiet).get("text"))
            except queue.Empty:
                return texts

    client.connect(bot.rasa_url, transports=["polling"], socketio_path="socket.io")
    try:
        client.emit("session_request", {"session_id": session_id})
        answers = []
        for message in messages:
            client.emit("user_uttered", {"message": message, "session_id": session_id})
            answers.append(texts_until_quiet())
        return answers
    finally:
        client.disconnect()
