"""The staff console under /staff: sign-in, conversations and transcripts, booking requests,
unanswered questions, overview, exports, audit log and accounts. Server-rendered, no script.

Mount it in the web app with one line: `app.include_router(staff_router)`.
Every route needs a signed-in session except the sign-in form and the stylesheet; each view of
patient data is written to the audit log; contact details are masked unless revealed (logged).
"""
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Dict, List, Optional, Tuple

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import FileResponse, RedirectResponse, Response

from bot.staff import audit
from bot.staff.accounts import AccountError
from bot.staff.audit import AuditFilter
from bot.staff.bookings import STATUSES, BookingError
from bot.staff.conversations import ConversationQuery, find_conversations
from bot.staff.exports import conversations_csv, to_json, unanswered_csv
from bot.staff.flags import FLAG_LABELS, Flag
from bot.staff.masking import mask_contacts
from bot.staff.reports import overview, unanswered_groups
from bot.staff.security import SignedIn
from bot.web.console.access import (
    LOGIN_COOKIE, PREFIX, SESSION_COOKIE, StaffRoute, Submitted, admin, checked_admin_form,
    checked_form, client_address, console_of, form_fields, render, safe_next, set_cookie, signed_in,
)
from bot.web.templating import STATIC_DIR

STYLESHEET = STATIC_DIR / "staff" / "console.css"
OVERVIEW_DAYS = 14
MAX_TEXT_QUERY = 200

staff_router = APIRouter(prefix=PREFIX, route_class=StaffRoute, include_in_schema=False)
# Routes that answer without a session (the test that walks every route knows these).
PUBLIC_PATHS = {f"{PREFIX}/login", f"{PREFIX}/console.css"}


def _log(request: Request, me: SignedIn, action: str, **fields: Optional[str]) -> None:
    console_of(request).audit.record(me.account.username, action,
                                     client_address=client_address(request), **fields)


def _redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


# ---- reading what staff asked for ---------------------------------------------------------------

def _day(value: str, field: str) -> Optional[date]:
    if not value:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise HTTPException(400, f"The {field} date must look like 2025-01-31.") from None


def _page(value: str) -> int:
    return int(value) if value.isdigit() and 0 < len(value) < 7 else 1


@dataclass(frozen=True)
class ListParams:
    """The conversation filters, read from a query string or a form."""

    flag: Optional[Flag]
    date_from: Optional[date]
    date_to: Optional[date]
    text: str
    page: int

    @classmethod
    def read(cls, values: Dict[str, str]) -> "ListParams":
        flag = values.get("flag", "")
        if flag and flag not in {f.value for f in Flag}:
            raise HTTPException(400, "Unknown flag.")
        date_from, date_to = _day(values.get("from", ""), "from"), _day(values.get("to", ""), "to")
        if date_from and date_to and date_from > date_to:
            raise HTTPException(400, "The from date is after the to date.")
        return cls(Flag(flag) if flag else None, date_from, date_to,
                   values.get("q", "")[:MAX_TEXT_QUERY], _page(values.get("page", "")))

    def query(self) -> ConversationQuery:
        return ConversationQuery(self.flag, self.date_from, self.date_to, self.text, self.page)

    def as_params(self) -> Dict[str, str]:
        return {"flag": self.flag.value if self.flag else "", "from": _iso(self.date_from),
                "to": _iso(self.date_to), "q": self.text}

    def audit_detail(self) -> str:
        """What was listed, without the search words (they may be a patient's)."""
        return (f"flag={self.flag.value if self.flag else 'any'} from={_iso(self.date_from) or '-'} "
                f"to={_iso(self.date_to) or '-'} page={self.page}" + (" text-search" if self.text else ""))


def _iso(day: Optional[date]) -> str:
    return day.isoformat() if day else ""


def _quick_ranges(today: date) -> List[Tuple[str, date, date]]:
    return [("Today", today, today), ("Yesterday", today - timedelta(days=1), today - timedelta(days=1)),
            ("Last 7 days", today - timedelta(days=6), today)]


# ---- sign-in ------------------------------------------------------------------------------------

@staff_router.get("/console.css")
def stylesheet() -> Response:
    return FileResponse(STYLESHEET, media_type="text/css")


def _login_page(request: Request, status: int = 200, error: str = "", username: str = "",
                next_path: str = "") -> Response:
    cookie, token = console_of(request).sessions.login_form_tokens()
    response = render(request, "login.html", None, status=status, error=error, username=username,
                      login_token=token, next_path=safe_next(next_path))
    set_cookie(request, response, LOGIN_COOKIE, cookie, max_age=3600)
    return response


@staff_router.get("/login")
def login_form(request: Request, next: str = "") -> Response:  # noqa: A002 - the query's name
    if console_of(request).sessions.resolve(request.cookies.get(SESSION_COOKIE)):
        return _redirect(safe_next(next))
    return _login_page(request, next_path=next)


@staff_router.post("/login")
async def login(request: Request) -> Response:
    console = console_of(request)
    fields = await form_fields(request)
    username = fields.get("username", "").strip().lower()[:80]
    address, next_path = client_address(request), fields.get("next", "")
    if not console.sessions.login_form_valid(request.cookies.get(LOGIN_COOKIE), fields.get("login_token")):
        return _login_page(request, 403, "The sign-in form expired. Please try again.", username, next_path)
    if console.throttle.blocked(username, address):
        console.audit.record(username or "-", audit.SIGN_IN_THROTTLED, client_address=address)
        return _login_page(request, 429, "Too many failed sign-ins. Try again in "
                           f"{console.throttle.window_minutes} minutes.", username, next_path)
    account = console.accounts.authenticate(username, fields.get("password", ""))
    console.throttle.record(username, address, succeeded=account is not None)
    if account is None:
        console.audit.record(username or "-", audit.SIGN_IN_FAILED, client_address=address)
        return _login_page(request, 401, "Wrong username or password.", username, next_path)
    console.audit.record(account.username, audit.SIGN_IN, client_address=address)
    response = _redirect(safe_next(next_path))
    set_cookie(request, response, SESSION_COOKIE, console.sessions.start(account))
    response.delete_cookie(LOGIN_COOKIE, path=PREFIX, httponly=True, samesite="strict")
    return response


@staff_router.post("/logout")
def logout(request: Request, submitted: Submitted = Depends(checked_form)) -> Response:
    console_of(request).sessions.end(submitted.me)
    _log(request, submitted.me, audit.SIGN_OUT)
    response = _redirect(f"{PREFIX}/login")
    response.delete_cookie(SESSION_COOKIE, path=PREFIX, httponly=True, samesite="strict")
    return response


@staff_router.get("/")
def home(me: SignedIn = Depends(signed_in)) -> Response:
    return _redirect(f"{PREFIX}/overview")


# ---- overview and conversations -----------------------------------------------------------------

@staff_router.get("/overview")
def show_overview(request: Request, me: SignedIn = Depends(signed_in)) -> Response:
    console = console_of(request)
    today = console.today()
    date_to = _day(request.query_params.get("to", ""), "to") or today
    date_from = _day(request.query_params.get("from", ""), "from") or date_to - timedelta(days=OVERVIEW_DAYS - 1)
    if date_from > date_to or (date_to - date_from).days > 366:
        raise HTTPException(400, "Choose a range of at most a year, from before to.")
    bookings_note = "" if console.bookings.available else "booking store not installed"
    try:
        stored = len([b for b in console.bookings.list()
                      if date_from <= b.created_at.astimezone(console.zone).date() <= date_to])
    except BookingError:
        stored, bookings_note = 0, "booking store not reachable"
    report = overview(console.summaries(), console.zone, date_from, date_to, console.kb, stored)
    _log(request, me, audit.VIEW_OVERVIEW, detail=f"from={date_from} to={date_to}")
    return render(request, "overview.html", me, report=report, Flag=Flag,
                  quick=_quick_ranges(today), bookings_note=bookings_note)


@staff_router.get("/conversations")
def list_conversations(request: Request, me: SignedIn = Depends(signed_in)) -> Response:
    console = console_of(request)
    params = ListParams.read(dict(request.query_params))
    page = find_conversations(console.summaries(), params.query(), console.zone,
                              console.staff_settings.page_size)
    _log(request, me, audit.VIEW_LIST, detail=params.audit_detail())
    return render(request, "conversations.html", me, page=page, params=params,
                  filters=params.as_params(), flags=list(Flag), labels=FLAG_LABELS,
                  quick=_quick_ranges(console.today()), kb=console.kb)


def _conversation(request: Request, conversation_id: str):
    summary = console_of(request).summary(conversation_id)
    if summary is None:
        raise HTTPException(404, "There is no such conversation (it may have been deleted by the "
                                 "retention rule).")
    return summary


def _transcript_page(request: Request, me: SignedIn, conversation_id: str, masked: bool) -> Response:
    console = console_of(request)
    summary = _conversation(request, conversation_id)
    try:
        bookings = [b for b in console.bookings.list() if b.conversation_id == conversation_id]
    except BookingError:
        bookings = []
    _log(request, me, audit.VIEW_TRANSCRIPT if masked else audit.REVEAL_CONTACTS,
         conversation_id=conversation_id, detail="" if masked else "transcript shown unmasked")
    return render(request, "transcript.html", me, summary=summary, labels=FLAG_LABELS, kb=console.kb,
                  transcript=console.transcript(conversation_id, masked), bookings=bookings,
                  mask=(mask_contacts if masked else str))


@staff_router.get("/transcript")
def show_transcript(request: Request, id: str = "", me: SignedIn = Depends(signed_in)) -> Response:  # noqa: A002
    return _transcript_page(request, me, id, masked=True)


@staff_router.post("/transcript/reveal")
def reveal_transcript(request: Request, submitted: Submitted = Depends(checked_form)) -> Response:
    return _transcript_page(request, submitted.me, submitted.get("id"), masked=False)


# ---- exports ------------------------------------------------------------------------------------

def _export(request: Request, me: SignedIn, values: Dict[str, str], reveal: bool) -> Response:
    console = console_of(request)
    fmt = values.get("format", "csv")
    if fmt not in ("csv", "json"):
        raise HTTPException(400, "Exports are CSV or JSON.")
    if values.get("id"):
        summaries = [_conversation(request, values["id"])]
        name, scope = f"conversation-{_safe_name(values['id'])}", {"conversation_id": values["id"]}
    else:
        params = ListParams.read(values)
        summaries = [s for s in find_conversations(
            console.summaries(), params.query(), console.zone, page_size=10 ** 9).items]
        name = f"conversations-{_iso(params.date_from) or 'start'}-to-{_iso(params.date_to) or 'now'}"
        scope = {"filters": params.as_params()}
    records = console.export_records(summaries, masked=not reveal)
    body = (to_json(records, {"exported_by": me.account.username, "masked": not reveal, **scope})
            if fmt == "json" else conversations_csv(records))
    console.audit.record_each(
        me.account.username, audit.REVEAL_CONTACTS if reveal else audit.EXPORT,
        [s.conversation_id for s in summaries], client_address=client_address(request),
        detail=f"export {fmt}" + (" unmasked" if reveal else " masked"))
    media = "application/json" if fmt == "json" else "text/csv; charset=utf-8"
    return Response(body, media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'})


def _safe_name(text: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in text)[:60]


@staff_router.get("/export")
def export_masked(request: Request, me: SignedIn = Depends(signed_in)) -> Response:
    return _export(request, me, dict(request.query_params), reveal=False)


@staff_router.post("/export")
def export_revealed(request: Request, submitted: Submitted = Depends(checked_form)) -> Response:
    return _export(request, submitted.me, submitted.form, reveal=submitted.get("reveal") == "1")


# ---- unanswered questions -----------------------------------------------------------------------

def _unanswered(request: Request):
    console = console_of(request)
    date_from = _day(request.query_params.get("from", ""), "from")
    date_to = _day(request.query_params.get("to", ""), "to")
    return date_from, date_to, unanswered_groups(console.summaries(), console.zone, date_from, date_to)


@staff_router.get("/unanswered")
def show_unanswered(request: Request, me: SignedIn = Depends(signed_in)) -> Response:
    date_from, date_to, groups = _unanswered(request)
    _log(request, me, audit.VIEW_UNANSWERED, detail=f"from={_iso(date_from) or '-'} to={_iso(date_to) or '-'}")
    return render(request, "unanswered.html", me, groups=groups, date_from=date_from, date_to=date_to,
                  quick=_quick_ranges(console_of(request).today()))


@staff_router.get("/unanswered.csv")
def export_unanswered(request: Request, me: SignedIn = Depends(signed_in)) -> Response:
    date_from, date_to, groups = _unanswered(request)
    _log(request, me, audit.EXPORT, detail=f"unanswered csv from={_iso(date_from) or '-'} to={_iso(date_to) or '-'}")
    return Response(unanswered_csv(groups), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="unanswered-questions.csv"'})


# ---- booking requests ---------------------------------------------------------------------------

@staff_router.get("/bookings")
def list_bookings(request: Request, status: str = "", me: SignedIn = Depends(signed_in)) -> Response:
    console = console_of(request)
    if status and status not in STATUSES:
        raise HTTPException(400, "Unknown status.")
    bookings = console.bookings.list(status or None)
    _log(request, me, audit.VIEW_BOOKINGS, detail=f"status={status or 'any'}")
    return render(request, "bookings.html", me, bookings=bookings, status_filter=status, statuses=STATUSES,
                  available=console.bookings.available, mask=mask_contacts)


def _booking_page(request: Request, me: SignedIn, reference: str, masked: bool,
                  notice: str = "", status: int = 200) -> Response:
    console = console_of(request)
    booking = console.bookings.get(reference)
    if booking is None:
        raise HTTPException(404, "There is no such booking request.")
    history, _ = console.audit.entries(AuditFilter(action=audit.CHANGE_BOOKING_STATUS,
                                                   booking_reference=reference), page_size=100)
    _log(request, me, audit.VIEW_BOOKING if masked else audit.REVEAL_CONTACTS,
         booking_reference=reference, conversation_id=booking.conversation_id,
         detail="" if masked else "booking shown unmasked")
    return render(request, "booking.html", me, status, booking=booking, statuses=STATUSES,
                  history=history, notice=notice, mask=(mask_contacts if masked else str),
                  masked=masked)


@staff_router.get("/booking")
def show_booking(request: Request, ref: str = "", changed: str = "",
                 me: SignedIn = Depends(signed_in)) -> Response:
    return _booking_page(request, me, ref, masked=True, notice="Status saved." if changed else "")


@staff_router.post("/booking/reveal")
def reveal_booking(request: Request, submitted: Submitted = Depends(checked_form)) -> Response:
    return _booking_page(request, submitted.me, submitted.get("ref"), masked=False)


@staff_router.post("/booking/status")
def change_booking_status(request: Request, submitted: Submitted = Depends(checked_form)) -> Response:
    console, reference, new = console_of(request), submitted.get("ref"), submitted.get("status")
    booking = console.bookings.get(reference)
    if booking is None:
        raise HTTPException(404, "There is no such booking request.")
    if new not in STATUSES:
        raise HTTPException(400, "Unknown status.")
    try:
        console.bookings.set_status(reference, new, submitted.me.account.username)
    except BookingError as error:
        raise HTTPException(409, str(error)) from None
    _log(request, submitted.me, audit.CHANGE_BOOKING_STATUS, booking_reference=reference,
         conversation_id=booking.conversation_id, detail=f"{booking.status} -> {new}")
    return _redirect(f"{PREFIX}/booking?ref={reference}&changed=1")


# ---- admin: audit log and accounts --------------------------------------------------------------

@staff_router.get("/audit")
def show_audit_log(request: Request, me: SignedIn = Depends(admin)) -> Response:
    values = request.query_params
    where = AuditFilter(username=values.get("user", "")[:80], action=values.get("action", "")[:40],
                        conversation_id=values.get("conversation", "")[:255],
                        booking_reference=values.get("booking", "")[:64])
    page = _page(values.get("page", ""))
    entries, total = console_of(request).audit.entries(where, page)
    _log(request, me, audit.VIEW_AUDIT_LOG)
    return render(request, "audit.html", me, entries=entries, total=total, page=page,
                  pages=max(1, -(-total // 50)), where=where, actions=audit.ACTIONS,
                  filters={"user": where.username, "action": where.action,
                           "conversation": where.conversation_id, "booking": where.booking_reference})


def _users_page(request: Request, me: SignedIn, notice: str = "", error: str = "",
                status: int = 200) -> Response:
    return render(request, "users.html", me, status=status, accounts=console_of(request).accounts.all(),
                  notice=notice, error=error)


@staff_router.get("/users")
def show_users(request: Request, me: SignedIn = Depends(admin)) -> Response:
    return _users_page(request, me)


@staff_router.post("/users/add")
def add_user(request: Request, submitted: Submitted = Depends(checked_admin_form)) -> Response:
    try:
        account = console_of(request).accounts.add(
            submitted.get("username"), submitted.get("password"), submitted.get("role", "staff"))
    except AccountError as error:
        return _users_page(request, submitted.me, error=str(error), status=400)
    _log(request, submitted.me, audit.MANAGE_ACCOUNTS, detail=f"added {account.username} ({account.role})")
    return _users_page(request, submitted.me, notice=f"Account {account.username} added.")


@staff_router.post("/users/update")
def update_user(request: Request, submitted: Submitted = Depends(checked_admin_form)) -> Response:
    role = submitted.get("role") or None
    active = {"yes": True, "no": False}.get(submitted.get("active"))
    try:
        account = console_of(request).accounts.update(submitted.get("username"), role, active)
    except AccountError as error:
        return _users_page(request, submitted.me, error=str(error), status=400)
    _log(request, submitted.me, audit.MANAGE_ACCOUNTS,
         detail=f"{account.username}: role={account.role} active={account.active}")
    return _users_page(request, submitted.me, notice=f"Account {account.username} updated.")
