"""Staff tools for booking requests (the store named in settings.yml, or --database URL):

python -m bot.booking list [--status new]     requests, oldest first
python -m bot.booking show BK-7F3K2Q9A         one request and its notifications
python -m bot.booking status BK-7F3K2Q9A contacted    new -> contacted -> booked -> closed
python -m bot.booking retry                    store kept requests, send owed notifications
"""

import argparse
import sys

from bot.booking.notifications import notifiers_from_settings
from bot.booking.request import STATUSES
from bot.booking.service import PENDING_FILE, BookingService, PendingRequests
from bot.booking.store import BookingStore, StoreUnavailable
from bot.settings import load_settings


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot.booking",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--database", help="SQLAlchemy URL (default: settings.yml)")
    commands = parser.add_subparsers(dest="command", required=True)
    listing = commands.add_parser("list")
    listing.add_argument("--status", choices=STATUSES)
    commands.add_parser("show").add_argument("reference")
    status = commands.add_parser("status")
    status.add_argument("reference")
    status.add_argument("new_status", choices=STATUSES)
    commands.add_parser("retry")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    settings = load_settings()
    store = BookingStore(args.database or settings.booking_database_url)
    try:
        if args.command == "list":
            for row in store.find(status=args.status):
                print(
                    f"{row['reference']}  {row['created_at']:%Y-%m-%d %H:%M}  {row['status']:9}  "
                    f"{row['kind']:12}  {row['name']}  {row['phone'] or row['email']}"
                )
        elif args.command == "show":
            found = store.get(args.reference)
            if found is None:
                print(f"No request {args.reference}", file=sys.stderr)
                return 1
            for key, value in found.items():
                print(f"{key}: {value}")
            for note in store.notifications(args.reference):
                print(
                    f"notification {note['channel']}: {note['status']} "
                    f"(attempts {note['attempts']}) {note['last_error'] or ''}".rstrip()
                )
        elif args.command == "status":
            store.set_status(args.reference, args.new_status)
            print(f"{args.reference}: {args.new_status}")
        else:
            service = BookingService(
                store, notifiers_from_settings(settings.notifications), PendingRequests(PENDING_FILE)
            )
            remaining = service.retry_pending()
            print(
                "Work remains (store or a notification target is down)."
                if remaining
                else "Nothing left to retry."
            )
    except KeyError as missing:
        print(f"No request {missing}", file=sys.stderr)
        return 1
    except StoreUnavailable as error:
        print(f"The booking store is unavailable: {error}", file=sys.stderr)
        return 2
    finally:
        store.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
