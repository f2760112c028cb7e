"""The console's review workflow under /staff: a conversation's status, assignee, tags and false
alarm, notes, and the false alarms exported as safety-set YAML (bot/staff/reviews.py). Every
change is in the audit log."""

from typing import Annotated

from fastapi import Form, Request
from fastapi.responses import RedirectResponse, Response

from bot.names import REVIEW_STATUSES
from bot.staff import audit
from bot.staff.exports import false_alarm_cases
from bot.staff.reviews import MAX_NOTE_CHARS, ReviewChange, ReviewError
from bot.web.console.access import PREFIX, ConsoleDep, StaffPost, client_address, error_page
from bot.web.console.params import MAX_CONVERSATION_ID, ReviewStatus
from bot.web.console.router import staff_router

PostedId = Annotated[str, Form(alias="id", max_length=MAX_CONVERSATION_ID)]


def _to_transcript(conversation_id: str) -> RedirectResponse:
    return RedirectResponse(f"{PREFIX}/transcript?id={conversation_id}#review", status_code=303)


@staff_router.post("/review")
def change_review(
    request: Request,
    console: ConsoleDep,
    me: StaffPost,
    conversation_id: PostedId = "",
    status: Annotated[ReviewStatus, Form()] = REVIEW_STATUSES[0],
    assignee: Annotated[str, Form(max_length=80)] = "",
    tags: Annotated[str, Form(max_length=500)] = "",
    false_alarm: Annotated[bool, Form()] = False,
) -> Response:
    if console.summary(conversation_id) is None:
        return error_page(request, 404, "There is no such conversation.")
    if assignee and assignee not in console.staff_usernames():
        return error_page(request, 400, "Conversations can be assigned to active staff accounts only.")
    try:
        changed = console.reviews.update(
            conversation_id, ReviewChange(status, assignee, tags, false_alarm), me.account.username
        )
    except ReviewError as error:
        return error_page(request, 400, str(error))
    if changed:
        console.audit.record(
            me.account.username,
            audit.CHANGE_REVIEW,
            conversation_id=conversation_id,
            detail=" ".join(changed),
            client_address=client_address(request),
        )
    return _to_transcript(conversation_id)


@staff_router.post("/review/note")
def add_note(
    request: Request,
    console: ConsoleDep,
    me: StaffPost,
    conversation_id: PostedId = "",
    text: Annotated[str, Form(max_length=MAX_NOTE_CHARS * 2)] = "",
) -> Response:
    if console.summary(conversation_id) is None:
        return error_page(request, 404, "There is no such conversation.")
    try:
        console.reviews.add_note(conversation_id, me.account.username, text)
    except ReviewError as error:
        return error_page(request, 400, str(error))
    console.audit.record(
        me.account.username,
        audit.ADD_NOTE,
        conversation_id=conversation_id,
        client_address=client_address(request),
    )
    return _to_transcript(conversation_id)


@staff_router.post("/false-alarms.yml")
def export_false_alarms(request: Request, console: ConsoleDep, me: StaffPost) -> Response:
    """Conversations whose emergency flag staff marked a false alarm, masked, in the shape of the
    safety conversation sets, to be reviewed and added to them."""
    transcripts = console.false_alarm_transcripts()
    console.audit.record_each(
        me.account.username,
        audit.EXPORT,
        [t.conversation_id for t in transcripts],
        detail="false alarms as safety-set YAML (masked)",
        client_address=client_address(request),
    )
    return Response(
        false_alarm_cases(transcripts),
        media_type="application/yaml",
        headers={"Content-Disposition": 'attachment; filename="false-alarms.yml"'},
    )
