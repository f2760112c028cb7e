"""Staff console administration from the command line.

  python -m bot.staff add-user NAME [--role staff|admin] [--password-stdin]
  python -m bot.staff set-password NAME [--password-stdin]
  python -m bot.staff update-user NAME [--role staff|admin] [--active yes|no]
  python -m bot.staff list-users
  python -m bot.staff retention [--days N] [--dry-run]

Passwords are asked for twice without echo, or read from the first line of standard input with
--password-stdin (for scripts). Retention deletes conversation sessions older than N days
(settings.yml staff.retention_days by default) and prints what it deleted.
"""

import argparse
import getpass
import sys

from bot.staff import audit
from bot.staff.accounts import AccountError, Accounts, check_password_rules
from bot.staff.database import ROLES, StaffDatabase
from bot.yamlfile import ConfigError

COMMAND_LINE_ACTOR = "command-line"


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    password = getpass.getpass("Password (at least 12 characters): ")
    check_password_rules(password)
    if getpass.getpass("Same password again: ") != password:
        raise AccountError("The two passwords differ.")
    return password


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot.staff", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", required=True)
    add = commands.add_parser("add-user", help="create an account")
    add.add_argument("username")
    add.add_argument("--role", choices=ROLES, default="staff")
    add.add_argument("--password-stdin", action="store_true")
    password = commands.add_parser("set-password", help="set a new password (signs out everywhere)")
    password.add_argument("username")
    password.add_argument("--password-stdin", action="store_true")
    update = commands.add_parser("update-user", help="change role or (de)activate")
    update.add_argument("username")
    update.add_argument("--role", choices=ROLES)
    update.add_argument("--active", choices=("yes", "no"))
    commands.add_parser("list-users", help="list accounts")
    retention = commands.add_parser("retention", help="delete conversations older than N days")
    retention.add_argument("--days", type=int, help="default: settings.yml staff.retention_days")
    retention.add_argument("--dry-run", action="store_true", help="only report what would go")
    return parser


def _accounts() -> Accounts:
    from bot.settings import get_settings

    return Accounts(StaffDatabase(get_settings().staff.database_url))


def _record(action: str, detail: str) -> None:
    from bot.settings import get_settings

    audit.AuditLog(StaffDatabase(get_settings().staff.database_url)).record(
        COMMAND_LINE_ACTOR, action, detail=detail
    )


def _run(args: argparse.Namespace) -> int:
    if args.command == "add-user":
        account = _accounts().add(args.username, _read_password(args.password_stdin), args.role)
        _record(audit.MANAGE_ACCOUNTS, f"added {account.username} ({account.role})")
        print(f"Account {account.username} ({account.role}) created.")
    elif args.command == "set-password":
        _accounts().set_password(args.username, _read_password(args.password_stdin))
        _record(audit.MANAGE_ACCOUNTS, f"new password for {args.username}")
        print(f"Password of {args.username} changed; its sessions were ended.")
    elif args.command == "update-user":
        active = None if args.active is None else args.active == "yes"
        account = _accounts().update(args.username, args.role, active)
        _record(audit.MANAGE_ACCOUNTS, f"{account.username}: role={account.role} active={account.active}")
        print(f"{account.username}: role {account.role}, {'active' if account.active else 'inactive'}.")
    elif args.command == "list-users":
        for account in _accounts().all():
            print(f"{account.username}\t{account.role}\t{'active' if account.active else 'inactive'}")
    elif args.command == "retention":
        return _retention(args)
    return 0


def _retention(args: argparse.Namespace) -> int:
    from bot.staff.services import StaffConsole

    if args.days is not None and args.days < 1:
        raise AccountError("--days must be at least 1")
    console = StaffConsole()
    report = console.apply_retention(args.days, dry_run=args.dry_run)
    print("\n".join(report.lines()))
    if not args.dry_run:
        console.audit.record(
            COMMAND_LINE_ACTOR,
            audit.RETENTION,
            detail=(
                f"cutoff {report.cutoff.isoformat(timespec='seconds')}: "
                f"{len(report.conversations_deleted)} conversations, "
                f"{sum(report.sessions_deleted.values())} older sessions, {report.events_deleted} events"
            ),
        )
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return _run(args)
    except (AccountError, ConfigError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
