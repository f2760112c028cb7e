"""The staff console's web pages under /staff (routes, live_routes), who may use them (access) and
the template filters they render with (filters). The console's logic is in bot/staff/.

Importing the package registers every route on `staff_router`."""

from bot.web.console import contact_routes, live_routes, review_routes, routes  # noqa: F401 - they register routes
from bot.web.console.router import PUBLIC_PATHS, staff_router

__all__ = ["PUBLIC_PATHS", "staff_router"]
