"""Who may use the staff console: the signed-in check on every route, the admin check, CSRF on
every form that changes anything, and the headers and error pages of every console response."""
import threading
from dataclasses import dataclass
from typing import Any, Callable, Coroutine, Dict, Optional
from urllib.parse import quote, urlsplit

from fastapi import Depends, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, Response
from fastapi.routing import APIRoute

from bot.staff.bookings import BookingError
from bot.staff.services import StaffConsole
from bot.staff.security import SignedIn, tokens_match
from bot.web.console.filters import install_filters
from bot.web.templating import TEMPLATES

PREFIX = "/staff"
SESSION_COOKIE = "staff_session"
LOGIN_COOKIE = "staff_login"
install_filters(TEMPLATES.env)
# Console pages load nothing but their own stylesheet, run no script and are never cached:
# they show health information.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"),
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
    "Pragma": "no-cache",
    "Referrer-Policy": "same-origin",  # browsers then send Origin on the console's own posts
    "X-Content-Type-Options": "nosniff",
}
_CONSOLE_LOCK = threading.Lock()


def console_of(request: Request) -> StaffConsole:
    """The app's console (tests set `app.state.staff_console`), else one built from settings."""
    with _CONSOLE_LOCK:
        console = getattr(request.app.state, "staff_console", None)
        if console is None:
            console = request.app.state.staff_console = StaffConsole()
        return console


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def error_page(request: Request, status: int, message: str) -> Response:
    return render(request, "error.html", None, status=status, status_code=status, message=message)


class StaffRoute(APIRoute):
    """Adds the security headers to every console response and turns errors into pages."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def secured(request: Request) -> Response:
            try:
                response = await handler(request)
            except HTTPException as error:
                if error.status_code in (301, 302, 303, 307):
                    response = Response(status_code=error.status_code, headers=error.headers)
                else:
                    response = error_page(request, error.status_code, str(error.detail))
            except RequestValidationError:
                response = error_page(request, 400, "That request was not understood.")
            except BookingError as error:
                response = error_page(request, 503, str(error))
            response.headers.update(SECURITY_HEADERS)
            return response

        return secured


def login_url(next_path: str = "") -> str:
    return f"{PREFIX}/login" + (f"?next={quote(next_path, safe='')}" if next_path else "")


def safe_next(target: Optional[str]) -> str:
    """Only a console path may follow sign-in (no open redirect)."""
    parts = urlsplit(target or "")
    if parts.scheme or parts.netloc or not parts.path.startswith(PREFIX + "/") or "\\" in (target or ""):
        return f"{PREFIX}/overview"
    return parts.path + (f"?{parts.query}" if parts.query else "")


def signed_in(request: Request) -> SignedIn:
    """Every console route but sign-in and the stylesheet depends on this."""
    me = console_of(request).sessions.resolve(request.cookies.get(SESSION_COOKIE))
    if me is None:
        if request.method == "GET":
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            raise HTTPException(303, "Sign in first.", headers={"Location": login_url(target)})
        raise HTTPException(403, "Sign in first.")
    return me


def admin(me: SignedIn = Depends(signed_in)) -> SignedIn:
    if not me.account.is_admin:
        raise HTTPException(403, "Only admins can open this page.")
    return me


def same_origin(request: Request) -> bool:
    """Browsers send Origin on form posts; a post from another site is refused outright."""
    if request.headers.get("sec-fetch-site") == "cross-site":
        return False
    origin = request.headers.get("origin")
    return origin is None or urlsplit(origin).netloc == request.url.netloc


@dataclass(frozen=True)
class Submitted:
    """A form post by a signed-in person whose CSRF token matched."""

    me: SignedIn
    form: Dict[str, str]

    def get(self, name: str, default: str = "") -> str:
        return self.form.get(name, default)


async def form_fields(request: Request) -> Dict[str, str]:
    form = await request.form()
    return {key: value for key, value in form.items() if isinstance(value, str)}


async def checked_form(request: Request, me: SignedIn = Depends(signed_in)) -> Submitted:
    fields = await form_fields(request)
    if not same_origin(request) or not tokens_match(me.csrf_token, fields.get("csrf_token")):
        raise HTTPException(403, "This form has expired or did not come from the console. "
                                 "Go back, reload the page and try again.")
    return Submitted(me, fields)


async def checked_admin_form(request: Request, me: SignedIn = Depends(admin)) -> Submitted:
    return await checked_form(request, me)


def set_cookie(request: Request, response: Response, name: str, value: str,
               max_age: Optional[int] = None) -> None:
    secure = console_of(request).staff_settings.secure_cookies or request.url.scheme == "https"
    response.set_cookie(name, value, max_age=max_age, path=PREFIX, httponly=True,
                        samesite="strict", secure=secure)


def render(request: Request, template: str, me: Optional[SignedIn], status: int = 200,
           **context: Any) -> HTMLResponse:
    context = {"me": me, "prefix": PREFIX, "zone": console_of(request).zone, **context}
    return TEMPLATES.TemplateResponse(request, f"staff/{template}", context, status_code=status)
