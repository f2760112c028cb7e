"""The staff console's logic: reading conversations from Rasa's SQL tracker store, flags,
transcripts, reports and exports, masking of contact details, staff accounts, sessions, the
audit log and retention. Plain Python over SQLAlchemy; the web pages are in bot/web/console/routes.py,
the command line in `python -m bot.staff`."""
