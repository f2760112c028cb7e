"""Building the web app: routers, the widget's static files, security headers, and the staff
console that the console's routes share (built once, when the app starts)."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import urlsplit

from fastapi import FastAPI, Request
from fastapi.staticfiles import StaticFiles

from bot.settings import WebSettings, get_settings
from bot.staff.services import StaffConsole
from bot.web.console import staff_router
from bot.web.console.access import start_staff_console
from bot.web.demo import router as demo_router
from bot.web.templating import STATIC_DIR


def origin_of(url: str) -> str:
    """scheme://host[:port] of a URL, as browsers compare origins."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def content_security_policy(rasa_url: str) -> str:
    """Our pages load nothing from other hosts; the only other origin they talk to is Rasa."""
    return (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        f"connect-src 'self' {origin_of(rasa_url)}; frame-ancestors 'none'; base-uri 'none'; "
        "form-action 'self'"
    )


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    # Built when the server starts rather than with the app: building opens the staff database.
    if app.state.staff_console is None:
        start_staff_console(app)
    yield


def create_app(
    web: WebSettings | None = None, rasa_url: str | None = None, console: StaffConsole | None = None
) -> FastAPI:
    """The web app. `rasa_url` overrides settings.yml `web.rasa_url` (tests use free ports);
    `console` is the staff console's, else one is built from settings when the app starts."""
    web = web or get_settings().web
    app = FastAPI(title="Clinic web", docs_url=None, redoc_url=None, openapi_url=None, lifespan=_lifespan)
    app.state.staff_console = console  # read by bot/web/console/access.py get_console
    app.state.rasa_url = (rasa_url or web.rasa_url).rstrip("/")
    policy = content_security_policy(app.state.rasa_url)

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response

    @app.get("/healthz", include_in_schema=False)
    def health() -> dict:
        return {"status": "ok"}

    app.include_router(demo_router)
    app.include_router(staff_router)  # the staff console under /staff (bot/web/console/routes.py)
    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")
    return app
