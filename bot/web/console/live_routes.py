"""The console's live chat and alerts under /staff: the queue of patients waiting for a person,
taking a chat, replying in it and handing it back to the assistant (through the Rasa server's live
channel, bot/staff/live.py), and the JSON feed that console.js polls for the badge, the browser
notifications and presence (who can take a live chat)."""

from typing import Annotated

from fastapi import Form, HTTPException, Query, Request
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse, Response

from bot.live.state import LIVE_TEXT_MAX_CHARS
from bot.names import LiveChat
from bot.staff import audit
from bot.staff.live import LiveChatError
from bot.staff.security import SignedIn
from bot.staff.services import StaffConsole
from bot.web.console.access import (
    PREFIX,
    ConsoleDep,
    CurrentStaff,
    StaffPost,
    client_address,
    error_page,
    render,
)
from bot.web.console.params import MAX_CONVERSATION_ID
from bot.web.console.router import staff_router
from bot.web.templating import STATIC_DIR

SCRIPT = STATIC_DIR / "staff" / "console.js"

ChatId = Annotated[str, Query(alias="id", max_length=MAX_CONVERSATION_ID)]
ChatQuery = Annotated[str, Query(alias="chat", max_length=MAX_CONVERSATION_ID)]
PostedId = Annotated[str, Form(alias="id", max_length=MAX_CONVERSATION_ID)]
PostedText = Annotated[str, Form(max_length=LIVE_TEXT_MAX_CHARS * 2)]


@staff_router.get("/console.js")
def script() -> Response:
    return FileResponse(SCRIPT, media_type="text/javascript")


def _chat(console: StaffConsole, conversation_id: str):
    chat = next((c for c in console.live_chats() if c.conversation_id == conversation_id), None)
    if chat is None:
        raise HTTPException(404, "This chat is not waiting for a person, and nobody is in it.")
    return chat


def _audit(console: StaffConsole, request: Request, me: SignedIn, action: str, conversation_id: str) -> None:
    console.audit.record(
        me.account.username, action, conversation_id=conversation_id, client_address=client_address(request)
    )


@staff_router.get("/live")
def live_queue(request: Request, console: ConsoleDep, me: CurrentStaff) -> Response:
    console.check_in(me.account.id)
    chats = console.live_chats()
    return render(
        request,
        "live.html",
        me,
        active="live",
        waiting=[c for c in chats if c.state == LiveChat.WAITING],
        joined=[c for c in chats if c.state == LiveChat.JOINED],
        me_name=console.display_name(me.account.username),
        online=console.staff_online(),
    )


@staff_router.get("/live/chat")
def live_chat(
    request: Request, console: ConsoleDep, me: CurrentStaff, conversation_id: ChatId = ""
) -> Response:
    chat = _chat(console, conversation_id)
    _audit(console, request, me, audit.VIEW_LIVE_CHAT, conversation_id)
    return render(
        request,
        "live_chat.html",
        me,
        active="live",
        chat=chat,
        me_name=console.display_name(me.account.username),
    )


# What each staff operation is recorded as in the audit log.
AUDITED_AS = {
    "join": audit.LIVE_CHAT_JOIN,
    "say": audit.LIVE_CHAT_MESSAGE,
    "leave": audit.LIVE_CHAT_HAND_BACK,
}


def _speak(
    request: Request,
    console: StaffConsole,
    me: SignedIn,
    conversation_id: str,
    op: str,
    then: str,
    text: str = "",
) -> Response:
    """Speak for this staff member in the chat through the Rasa server (an error page when it
    refuses), record it in the audit log, and go on to `then`."""
    try:
        console.live_client(request.app.state.rasa_url).send(
            conversation_id, op, console.display_name(me.account.username), text
        )
    except LiveChatError as error:
        return error_page(request, 409, str(error))
    _audit(console, request, me, AUDITED_AS[op], conversation_id)
    return RedirectResponse(then, status_code=303)


def _chat_url(conversation_id: str) -> str:
    return f"{PREFIX}/live/chat?id={conversation_id}"


@staff_router.post("/live/take")
def take(request: Request, console: ConsoleDep, me: StaffPost, conversation_id: PostedId = "") -> Response:
    return _speak(request, console, me, conversation_id, "join", _chat_url(conversation_id))


@staff_router.post("/live/say")
def say(
    request: Request,
    console: ConsoleDep,
    me: StaffPost,
    conversation_id: PostedId = "",
    text: PostedText = "",
) -> Response:
    if not text.strip():
        return RedirectResponse(_chat_url(conversation_id), status_code=303)
    return _speak(request, console, me, conversation_id, "say", _chat_url(conversation_id), text)


@staff_router.post("/live/hand-back")
def hand_back(
    request: Request, console: ConsoleDep, me: StaffPost, conversation_id: PostedId = ""
) -> Response:
    return _speak(request, console, me, conversation_id, "leave", f"{PREFIX}/live")


@staff_router.get("/live/feed")
def feed(
    request: Request, console: ConsoleDep, me: CurrentStaff, conversation_id: ChatQuery = ""
) -> Response:
    """What console.js shows without a reload: the queue, alerts, who is online. Polling it also
    keeps this staff member available for live chats."""
    console.check_in(me.account.id)
    chats = console.live_chats()
    chat = next((c for c in chats if c.conversation_id == conversation_id), None)
    return JSONResponse(
        {
            "waiting": sum(c.state == LiveChat.WAITING for c in chats),
            "alerts": console.alerts(),
            "online": console.staff_online(),
            "chat": None
            if chat is None
            else {
                "state": chat.state,
                "agent": chat.agent,
                "emergency": chat.emergency,
                "lines": [
                    {"speaker": line.speaker, "name": line.name, "text": line.text, "at": line.at.isoformat()}
                    for line in chat.lines
                ],
            },
        }
    )
