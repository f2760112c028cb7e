"""The one router of the staff console: the pages (routes.py) and the live chat (live_routes.py)
register on it; the web app includes it (bot/web/app.py) through bot.web.console."""

from fastapi import APIRouter

from bot.web.console.access import PREFIX, StaffRoute

staff_router = APIRouter(prefix=PREFIX, route_class=StaffRoute, include_in_schema=False)
# Routes that answer without a session (the test that walks every route knows these).
PUBLIC_PATHS = {f"{PREFIX}/login", f"{PREFIX}/console.css", f"{PREFIX}/console.js"}
