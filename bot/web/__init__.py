"""The clinic's web app: the demo page with the chat widget, and the widget's files.

`create_app()` builds the FastAPI app; each part of the site is a router added there
(the demo page in `demo.py`, the staff console in `console/`).
"""

from bot.web.app import create_app

__all__ = ["create_app"]
