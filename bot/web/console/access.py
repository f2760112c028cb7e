"""Who may use the staff console, as dependencies of its routes: the console itself, the
signed-in check on every route, the admin check, CSRF on every form that changes anything; and
the headers and error pages of every console response."""

import logging
from collections.abc import Callable, Coroutine
from typing import Annotated, Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

from fastapi import Depends, FastAPI, Form, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, Response
from fastapi.routing import APIRoute

from bot.staff.bookings import BookingError
from bot.staff.security import SignedIn, tokens_match
from bot.staff.services import StaffConsole
from bot.web.console.filters import install_filters
from bot.web.console.params import refusal
from bot.web.templating import TEMPLATES

logger = logging.getLogger(__name__)
PREFIX = "/staff"
SESSION_COOKIE = "staff_session"
LOGIN_COOKIE = "staff_login"
install_filters(TEMPLATES.env)
# Console pages load nothing but their own stylesheet and one script (console.js: live updates and
# alerts, which ask only the console itself), and are never cached: they show health information.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; script-src 'self'; connect-src 'self'; img-src 'self'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
    "Pragma": "no-cache",
    "Referrer-Policy": "same-origin",  # browsers then send Origin on the console's own posts
    "X-Content-Type-Options": "nosniff",
}


def start_staff_console(app: FastAPI) -> StaffConsole | None:
    """Build the staff console from settings onto `app.state`. A staff database that cannot be
    reached must not take the demo page and the widget down with it: the console's pages answer
    503 and the next request to them tries again."""
    try:
        app.state.staff_console = StaffConsole()
    except Exception as error:  # noqa: BLE001 - logged; /staff says it is unavailable
        logger.error(
            "The staff console could not start (%s: %s); /staff answers 503 until it can.",
            type(error).__name__,
            error,
        )
    return app.state.staff_console


def get_console(request: Request) -> StaffConsole:
    """The console the web app built when it started (bot/web/app.py), or was given."""
    console = request.app.state.staff_console
    if console is None:  # its database was unreachable when the app started: try again
        console = start_staff_console(request.app)
    if console is None:
        raise HTTPException(
            503, "The staff console cannot reach its database just now. Please try again in a minute."
        )
    return console


ConsoleDep = Annotated[StaffConsole, Depends(get_console)]


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def error_page(request: Request, status: int, message: str) -> Response:
    return render(request, "error.html", None, status=status, status_code=status, message=message)


class StaffRoute(APIRoute):
    """Adds the security headers to every console response and turns errors into pages."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def secured(request: Request) -> Response:
            _drop_blank_query_values(request)
            try:
                response = await handler(request)
            except HTTPException as error:
                if error.status_code in (301, 302, 303, 307):
                    response = Response(status_code=error.status_code, headers=error.headers)
                else:
                    response = error_page(request, error.status_code, str(error.detail))
            except RequestValidationError as error:
                response = error_page(request, 400, refusal(error.errors()))
            except BookingError as error:
                response = error_page(request, 503, str(error))
            response.headers.update(SECURITY_HEADERS)
            return response

        return secured


def _drop_blank_query_values(request: Request) -> None:
    """A GET form sends its blank fields too (`from=&to=`): they count as not given, as FastAPI
    counts blank form fields, so that typed parameters take their defaults."""
    query = request.scope.get("query_string", b"").decode("latin-1")
    pairs = parse_qsl(query, keep_blank_values=True)
    if any(not value for _, value in pairs):
        request.scope["query_string"] = urlencode([(k, v) for k, v in pairs if v]).encode("latin-1")


def login_url(next_path: str = "") -> str:
    return f"{PREFIX}/login" + (f"?next={quote(next_path, safe='')}" if next_path else "")


def safe_next(target: str | None) -> str:
    """Only a console path may follow sign-in (no open redirect)."""
    parts = urlsplit(target or "")
    if parts.scheme or parts.netloc or not parts.path.startswith(PREFIX + "/") or "\\" in (target or ""):
        return f"{PREFIX}/overview"
    return parts.path + (f"?{parts.query}" if parts.query else "")


def signed_in(request: Request, console: ConsoleDep) -> SignedIn:
    """Every console route but sign-in and the stylesheet depends on this."""
    me = console.sessions.resolve(request.cookies.get(SESSION_COOKIE))
    if me is None:
        if request.method == "GET":
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            raise HTTPException(303, "Sign in first.", headers={"Location": login_url(target)})
        raise HTTPException(403, "Sign in first.")
    return me


CurrentStaff = Annotated[SignedIn, Depends(signed_in)]


def admin(me: CurrentStaff) -> SignedIn:
    if not me.account.is_admin:
        raise HTTPException(403, "Only admins can open this page.")
    return me


CurrentAdmin = Annotated[SignedIn, Depends(admin)]


def same_origin(request: Request) -> bool:
    """Browsers send Origin on form posts; a post from another site is refused outright."""
    if request.headers.get("sec-fetch-site") == "cross-site":
        return False
    origin = request.headers.get("origin")
    return origin is None or urlsplit(origin).netloc == request.url.netloc


def _posted_from_the_console(request: Request, me: SignedIn, csrf_token: str) -> SignedIn:
    if not same_origin(request) or not tokens_match(me.csrf_token, csrf_token):
        raise HTTPException(
            403,
            "This form has expired or did not come from the console. Go back, reload the page and try again.",
        )
    return me


CsrfToken = Annotated[str, Form()]


def checked_form(request: Request, me: CurrentStaff, csrf_token: CsrfToken = "") -> SignedIn:
    """Who posted a form that changes or reveals something: signed in, from the console's own
    page (same origin, the session's CSRF token). The route runs only if this passes."""
    return _posted_from_the_console(request, me, csrf_token)


def checked_admin_form(request: Request, me: CurrentAdmin, csrf_token: CsrfToken = "") -> SignedIn:
    """As `checked_form`, by an admin."""
    return _posted_from_the_console(request, me, csrf_token)


StaffPost = Annotated[SignedIn, Depends(checked_form)]
AdminPost = Annotated[SignedIn, Depends(checked_admin_form)]


def set_cookie(
    request: Request, response: Response, name: str, value: str, max_age: int | None = None
) -> None:
    secure = get_console(request).staff_settings.secure_cookies or request.url.scheme == "https"
    response.set_cookie(
        name, value, max_age=max_age, path=PREFIX, httponly=True, samesite="strict", secure=secure
    )


def render(
    request: Request, template: str, me: SignedIn | None, status: int = 200, **context: Any
) -> HTMLResponse:
    context = {"me": me, "prefix": PREFIX, "zone": get_console(request).zone, **context}
    return TEMPLATES.TemplateResponse(request, f"staff/{template}", context, status_code=status)
