"""The staff console under /staff: sign-in, conversations and transcripts, booking requests,
unanswered questions, overview, exports, audit log and accounts. Server-rendered; every page works
without the console's one script (console.js, live updates: live_routes.py).

Mount it in the web app with one line: `app.include_router(staff_router)`; the app keeps the
console (`StaffConsole`) on `app.state` (bot/web/app.py). Routes take it, the signed-in person and
checked form posts as dependencies (access.py) and their query and form values as typed
parameters (params.py). Every route needs a signed-in session except the sign-in form and the
stylesheet; each view of patient data is written to the audit log; contact details are masked
unless revealed (logged).
"""

from datetime import date, timedelta
from typing import Annotated, Any, Literal

from fastapi import Form, HTTPException, Query, Request
from fastapi.responses import FileResponse, RedirectResponse, Response

from bot.names import REVIEW_STATUSES
from bot.staff import audit
from bot.staff.accounts import AccountError
from bot.staff.audit import AuditFilter
from bot.staff.bookings import STATUSES, BookingError
from bot.staff.conversations import ConversationSummary
from bot.staff.exports import conversations_csv, to_json, unanswered_csv
from bot.staff.flags import FLAG_LABELS, NOT_UNDERSTOOD, OFF_PAGE, Flag
from bot.staff.masking import mask_contacts
from bot.staff.reports import overview, unanswered_groups
from bot.staff.security import SignedIn
from bot.staff.services import StaffConsole
from bot.web.console.access import (
    LOGIN_COOKIE,
    PREFIX,
    SESSION_COOKIE,
    AdminPost,
    ConsoleDep,
    CurrentAdmin,
    CurrentStaff,
    StaffPost,
    client_address,
    render,
    safe_next,
    set_cookie,
)
from bot.web.console.filters import iso_day
from bot.web.console.params import (
    MAX_CONVERSATION_ID,
    MAX_REFERENCE,
    BookingStatus,
    DayFrom,
    DayTo,
    ExportFormat,
    ListForm,
    ListParams,
    ListQuery,
    Page,
)
from bot.web.console.router import staff_router
from bot.web.templating import STATIC_DIR

STYLESHEET = STATIC_DIR / "staff" / "console.css"
OVERVIEW_DAYS = 14
AUDIT_PAGE_SIZE = 50


ConversationId = Annotated[str, Query(alias="id", max_length=MAX_CONVERSATION_ID)]
PostedConversationId = Annotated[str, Form(alias="id", max_length=MAX_CONVERSATION_ID)]
Reference = Annotated[str, Query(max_length=MAX_REFERENCE)]
PostedReference = Annotated[str, Form(max_length=MAX_REFERENCE)]


def _log(
    console: StaffConsole,
    request: Request,
    me: SignedIn,
    action: str,
    *,
    conversation_id: str | None = None,
    booking_reference: str | None = None,
    detail: str = "",
) -> None:
    console.audit.record(
        me.account.username,
        action,
        conversation_id=conversation_id,
        booking_reference=booking_reference,
        detail=detail,
        client_address=client_address(request),
    )


def _redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def _quick_ranges(today: date) -> list[tuple[str, date, date]]:
    return [
        ("Today", today, today),
        ("Yesterday", today - timedelta(days=1), today - timedelta(days=1)),
        ("Last 7 days", today - timedelta(days=6), today),
    ]


# ---- sign-in ------------------------------------------------------------------------------------


@staff_router.get("/console.css")
def stylesheet() -> Response:
    return FileResponse(STYLESHEET, media_type="text/css")


def _login_page(
    request: Request,
    console: StaffConsole,
    status: int = 200,
    error: str = "",
    username: str = "",
    next_path: str = "",
) -> Response:
    cookie, token = console.sessions.login_form_tokens()
    response = render(
        request,
        "login.html",
        None,
        status=status,
        error=error,
        username=username,
        login_token=token,
        next_path=safe_next(next_path),
    )
    set_cookie(request, response, LOGIN_COOKIE, cookie, max_age=3600)
    return response


@staff_router.get("/login")
def login_form(
    request: Request, console: ConsoleDep, next_path: Annotated[str, Query(alias="next")] = ""
) -> Response:
    if console.sessions.resolve(request.cookies.get(SESSION_COOKIE)):
        return _redirect(safe_next(next_path))
    return _login_page(request, console, next_path=next_path)


@staff_router.post("/login")
def login(
    request: Request,
    console: ConsoleDep,
    username: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    login_token: Annotated[str, Form()] = "",
    next_path: Annotated[str, Form(alias="next")] = "",
) -> Response:
    username = username.strip().lower()[:80]
    address = client_address(request)
    if not console.sessions.login_form_valid(request.cookies.get(LOGIN_COOKIE), login_token):
        return _login_page(
            request, console, 403, "The sign-in form expired. Please try again.", username, next_path
        )
    if console.throttle.blocked(username, address):
        console.audit.record(username or "-", audit.SIGN_IN_THROTTLED, client_address=address)
        return _login_page(
            request,
            console,
            429,
            f"Too many failed sign-ins. Try again in {console.throttle.window_minutes} minutes.",
            username,
            next_path,
        )
    account = console.accounts.authenticate(username, password)
    console.throttle.record(username, address, succeeded=account is not None)
    if account is None:
        console.audit.record(username or "-", audit.SIGN_IN_FAILED, client_address=address)
        return _login_page(request, console, 401, "Wrong username or password.", username, next_path)
    console.audit.record(account.username, audit.SIGN_IN, client_address=address)
    response = _redirect(safe_next(next_path))
    set_cookie(request, response, SESSION_COOKIE, console.sessions.start(account))
    response.delete_cookie(LOGIN_COOKIE, path=PREFIX, httponly=True, samesite="strict")
    return response


@staff_router.post("/logout")
def logout(request: Request, console: ConsoleDep, me: StaffPost) -> Response:
    console.sessions.end(me)
    console.check_out(me.account.id)  # no live chats for someone who signed out
    _log(console, request, me, audit.SIGN_OUT)
    response = _redirect(f"{PREFIX}/login")
    response.delete_cookie(SESSION_COOKIE, path=PREFIX, httponly=True, samesite="strict")
    return response


@staff_router.get("/")
def home(me: CurrentStaff) -> Response:
    return _redirect(f"{PREFIX}/overview")


# ---- overview and conversations -----------------------------------------------------------------


@staff_router.get("/overview")
def show_overview(
    request: Request, console: ConsoleDep, me: CurrentStaff, date_from: DayFrom = None, date_to: DayTo = None
) -> Response:
    today = console.today()
    date_to = date_to or today
    date_from = date_from or date_to - timedelta(days=OVERVIEW_DAYS - 1)
    if date_from > date_to or (date_to - date_from).days > 366:
        raise HTTPException(400, "Choose a range of at most a year, from before to.")
    bookings_note = "" if console.bookings.available else "booking store not installed"
    try:
        stored = len(console.bookings_received(date_from, date_to))
    except BookingError:
        stored, bookings_note = 0, "booking store not reachable"
    report = overview(console.summaries(), console.zone, date_from, date_to, console.kb, stored)
    _log(console, request, me, audit.VIEW_OVERVIEW, detail=f"from={date_from} to={date_to}")
    return render(
        request,
        "overview.html",
        me,
        report=report,
        Flag=Flag,
        quick=_quick_ranges(today),
        bookings_note=bookings_note,
    )


@staff_router.get("/conversations")
def list_conversations(
    request: Request, console: ConsoleDep, me: CurrentStaff, params: ListQuery
) -> Response:
    page = console.find_conversations(params.query())
    _log(console, request, me, audit.VIEW_LIST, detail=params.audit_detail())
    return render(
        request,
        "conversations.html",
        me,
        page=page,
        params=params,
        filters=params.as_params(),
        flags=list(Flag),
        labels=FLAG_LABELS,
        quick=_quick_ranges(console.today()),
        kb=console.kb,
        statuses=REVIEW_STATUSES,
        staff_names=console.staff_usernames(),
    )


def _conversation(console: StaffConsole, conversation_id: str) -> ConversationSummary:
    summary = console.summary(conversation_id)
    if summary is None:
        raise HTTPException(
            404, "There is no such conversation (it may have been deleted by the retention rule)."
        )
    return summary


def _transcript_page(
    request: Request, console: StaffConsole, me: SignedIn, conversation_id: str, masked: bool
) -> Response:
    summary = _conversation(console, conversation_id)
    try:
        bookings = console.bookings.list(conversation_id=conversation_id)
    except BookingError:
        bookings = []
    _log(
        console,
        request,
        me,
        audit.VIEW_TRANSCRIPT if masked else audit.REVEAL_CONTACTS,
        conversation_id=conversation_id,
        detail="" if masked else "transcript shown unmasked",
    )
    return render(
        request,
        "transcript.html",
        me,
        summary=summary,
        labels=FLAG_LABELS,
        kb=console.kb,
        transcript=console.transcript(conversation_id, masked),
        bookings=bookings,
        mask=(mask_contacts if masked else str),
        review=console.reviews.get(conversation_id),
        notes=console.reviews.notes(conversation_id),
        staff_names=console.staff_usernames(),
        statuses=REVIEW_STATUSES,
    )


@staff_router.get("/transcript")
def show_transcript(
    request: Request, console: ConsoleDep, me: CurrentStaff, conversation_id: ConversationId = ""
) -> Response:
    return _transcript_page(request, console, me, conversation_id, masked=True)


@staff_router.post("/transcript/reveal")
def reveal_transcript(
    request: Request, console: ConsoleDep, me: StaffPost, conversation_id: PostedConversationId = ""
) -> Response:
    return _transcript_page(request, console, me, conversation_id, masked=False)


# ---- exports ------------------------------------------------------------------------------------


def _export(
    request: Request,
    console: StaffConsole,
    me: SignedIn,
    conversation_id: str,
    params: ListParams,
    fmt: str,
    reveal: bool,
) -> Response:
    if conversation_id:
        summaries = [_conversation(console, conversation_id)]
        name = f"conversation-{_safe_name(conversation_id)}"
        scope: dict[str, Any] = {"conversation_id": conversation_id}
    else:
        summaries = list(console.find_conversations(params.query(), page_size=10**9).items)
        name = f"conversations-{iso_day(params.date_from) or 'start'}-to-{iso_day(params.date_to) or 'now'}"
        scope = {"filters": params.as_params()}
    records = console.export_records(summaries, masked=not reveal)
    body = (
        to_json(records, {"exported_by": me.account.username, "masked": not reveal, **scope})
        if fmt == "json"
        else conversations_csv(records)
    )
    console.audit.record_each(
        me.account.username,
        audit.REVEAL_CONTACTS if reveal else audit.EXPORT,
        [s.conversation_id for s in summaries],
        client_address=client_address(request),
        detail=f"export {fmt}" + (" unmasked" if reveal else " masked"),
    )
    media = "application/json" if fmt == "json" else "text/csv; charset=utf-8"
    return Response(
        body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'}
    )


def _safe_name(text: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in text)[:60]


@staff_router.get("/export")
def export_masked(
    request: Request,
    console: ConsoleDep,
    me: CurrentStaff,
    params: ListQuery,
    conversation_id: ConversationId = "",
    fmt: Annotated[ExportFormat, Query(alias="format")] = "csv",
) -> Response:
    return _export(request, console, me, conversation_id, params, fmt, reveal=False)


@staff_router.post("/export")
def export_revealed(
    request: Request,
    console: ConsoleDep,
    me: StaffPost,
    params: ListForm,
    conversation_id: PostedConversationId = "",
    fmt: Annotated[ExportFormat, Form(alias="format")] = "csv",
    reveal: Annotated[bool, Form()] = False,
    confirm: Annotated[bool, Form()] = False,
) -> Response:
    if reveal and not conversation_id:  # every listed conversation's contact details at once
        if not me.account.is_admin:
            raise HTTPException(403, "Only admins can export many conversations with contact details.")
        if not confirm:
            raise HTTPException(
                400, "Tick the box to confirm that you need the contact details of every conversation listed."
            )
    return _export(request, console, me, conversation_id, params, fmt, reveal=reveal)


# ---- unanswered questions -----------------------------------------------------------------------


def _range_detail(date_from: date | None, date_to: date | None) -> str:
    return f"from={iso_day(date_from) or '-'} to={iso_day(date_to) or '-'}"


@staff_router.get("/unanswered")
def show_unanswered(
    request: Request, console: ConsoleDep, me: CurrentStaff, date_from: DayFrom = None, date_to: DayTo = None
) -> Response:
    summaries = console.summaries()
    groups = unanswered_groups(summaries, console.zone, date_from, date_to, NOT_UNDERSTOOD)
    off_page = unanswered_groups(summaries, console.zone, date_from, date_to, OFF_PAGE)
    _log(console, request, me, audit.VIEW_UNANSWERED, detail=_range_detail(date_from, date_to))
    return render(
        request,
        "unanswered.html",
        me,
        groups=groups,
        off_page=off_page,
        date_from=date_from,
        date_to=date_to,
        quick=_quick_ranges(console.today()),
    )


@staff_router.get("/unanswered.csv")
def export_unanswered(
    request: Request, console: ConsoleDep, me: CurrentStaff, date_from: DayFrom = None, date_to: DayTo = None
) -> Response:
    groups = unanswered_groups(console.summaries(), console.zone, date_from, date_to)
    _log(console, request, me, audit.EXPORT, detail=f"unanswered csv {_range_detail(date_from, date_to)}")
    return Response(
        unanswered_csv(groups),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="unanswered-questions.csv"'},
    )


# ---- booking requests ---------------------------------------------------------------------------


@staff_router.get("/bookings")
def list_bookings(
    request: Request, console: ConsoleDep, me: CurrentStaff, status: BookingStatus | None = None
) -> Response:
    bookings = console.bookings.list(status=status)
    _log(console, request, me, audit.VIEW_BOOKINGS, detail=f"status={status or 'any'}")
    return render(
        request,
        "bookings.html",
        me,
        bookings=bookings,
        status_filter=status or "",
        statuses=STATUSES,
        available=console.bookings.available,
        mask=mask_contacts,
    )


def _booking_page(
    request: Request, console: StaffConsole, me: SignedIn, reference: str, masked: bool, notice: str = ""
) -> Response:
    booking = console.bookings.get(reference)
    if booking is None:
        raise HTTPException(404, "There is no such booking request.")
    history, _ = console.audit.entries(
        AuditFilter(action=audit.CHANGE_BOOKING_STATUS, booking_reference=reference), page_size=100
    )
    _log(
        console,
        request,
        me,
        audit.VIEW_BOOKING if masked else audit.REVEAL_CONTACTS,
        booking_reference=reference,
        conversation_id=booking.conversation_id,
        detail="" if masked else "booking shown unmasked",
    )
    return render(
        request,
        "booking.html",
        me,
        booking=booking,
        statuses=STATUSES,
        history=history,
        notice=notice,
        mask=(mask_contacts if masked else str),
        masked=masked,
    )


@staff_router.get("/booking")
def show_booking(
    request: Request, console: ConsoleDep, me: CurrentStaff, ref: Reference = "", changed: bool = False
) -> Response:
    return _booking_page(request, console, me, ref, masked=True, notice="Status saved." if changed else "")


@staff_router.post("/booking/reveal")
def reveal_booking(
    request: Request, console: ConsoleDep, me: StaffPost, ref: PostedReference = ""
) -> Response:
    return _booking_page(request, console, me, ref, masked=False)


@staff_router.post("/booking/status")
def change_booking_status(
    request: Request,
    console: ConsoleDep,
    me: StaffPost,
    status: Annotated[BookingStatus, Form()],
    ref: PostedReference = "",
) -> Response:
    booking = console.bookings.get(ref)
    if booking is None:
        raise HTTPException(404, "There is no such booking request.")
    try:
        console.bookings.set_status(ref, status, me.account.username)
    except BookingError as error:
        raise HTTPException(409, str(error)) from None
    _log(
        console,
        request,
        me,
        audit.CHANGE_BOOKING_STATUS,
        booking_reference=ref,
        conversation_id=booking.conversation_id,
        detail=f"{booking.status} -> {status}",
    )
    return _redirect(f"{PREFIX}/booking?ref={ref}&changed=1")


# ---- admin: audit log and accounts --------------------------------------------------------------


@staff_router.get("/audit")
def show_audit_log(
    request: Request,
    console: ConsoleDep,
    me: CurrentAdmin,
    user: Annotated[str, Query(max_length=80)] = "",
    action: Annotated[str, Query(max_length=40)] = "",
    conversation: Annotated[str, Query(max_length=MAX_CONVERSATION_ID)] = "",
    booking: Annotated[str, Query(max_length=MAX_REFERENCE)] = "",
    page: Page = 1,
) -> Response:
    where = AuditFilter(username=user, action=action, conversation_id=conversation, booking_reference=booking)
    entries, total = console.audit.entries(where, page, AUDIT_PAGE_SIZE)
    _log(console, request, me, audit.VIEW_AUDIT_LOG)
    return render(
        request,
        "audit.html",
        me,
        entries=entries,
        total=total,
        page=page,
        pages=max(1, -(-total // AUDIT_PAGE_SIZE)),
        where=where,
        actions=audit.ACTIONS,
        filters={"user": user, "action": action, "conversation": conversation, "booking": booking},
    )


def _users_page(
    request: Request,
    console: StaffConsole,
    me: SignedIn,
    notice: str = "",
    error: str = "",
    status: int = 200,
) -> Response:
    return render(
        request,
        "users.html",
        me,
        status=status,
        accounts=console.accounts.all(),
        locked={a.username for a in console.accounts.all() if console.throttle.locked_out(a.username)},
        notice=notice,
        error=error,
    )


@staff_router.get("/users")
def show_users(request: Request, console: ConsoleDep, me: CurrentAdmin) -> Response:
    return _users_page(request, console, me)


# Usernames, passwords and roles are checked by `Accounts`, whose message shows on the page.
@staff_router.post("/users/add")
def add_user(
    request: Request,
    console: ConsoleDep,
    me: AdminPost,
    username: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    role: Annotated[str, Form()] = "staff",
) -> Response:
    try:
        account = console.accounts.add(username, password, role)
    except AccountError as error:
        return _users_page(request, console, me, error=str(error), status=400)
    _log(console, request, me, audit.MANAGE_ACCOUNTS, detail=f"added {account.username} ({account.role})")
    return _users_page(request, console, me, notice=f"Account {account.username} added.")


@staff_router.post("/users/unlock")
def unlock_user(
    request: Request, console: ConsoleDep, me: AdminPost, username: Annotated[str, Form(max_length=80)] = ""
) -> Response:
    cleared = console.throttle.unlock(username)
    _log(
        console,
        request,
        me,
        audit.MANAGE_ACCOUNTS,
        detail=f"{username}: unlocked ({cleared} failed sign-ins cleared)",
    )
    return _users_page(
        request, console, me, notice=f"Failed sign-ins of {username} cleared; they can sign in again."
    )


@staff_router.post("/users/password")
def reset_password(
    request: Request,
    console: ConsoleDep,
    me: AdminPost,
    username: Annotated[str, Form(max_length=80)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
) -> Response:
    """An admin sets a new password (to hand over in person): the account's sessions end and its
    failed sign-ins are cleared."""
    try:
        console.accounts.set_password(username, password)
    except AccountError as error:
        return _users_page(request, console, me, error=str(error), status=400)
    console.throttle.unlock(username)
    _log(console, request, me, audit.MANAGE_ACCOUNTS, detail=f"{username}: password reset by an admin")
    return _users_page(
        request, console, me, notice=f"New password set for {username}; their sessions have ended."
    )


@staff_router.post("/users/update")
def update_user(
    request: Request,
    console: ConsoleDep,
    me: AdminPost,
    username: Annotated[str, Form()] = "",
    role: Annotated[str | None, Form()] = None,
    active: Annotated[Literal["yes", "no"] | None, Form()] = None,
) -> Response:
    try:
        account = console.accounts.update(username, role, None if active is None else active == "yes")
    except AccountError as error:
        return _users_page(request, console, me, error=str(error), status=400)
    _log(
        console,
        request,
        me,
        audit.MANAGE_ACCOUNTS,
        detail=f"{account.username}: role={account.role} active={account.active}",
    )
    return _users_page(request, console, me, notice=f"Account {account.username} updated.")
