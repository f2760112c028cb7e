"""Staff accounts from the command line (`python -m bot.staff`), hashed with argon2id."""

import os
import subprocess
import sys

import pytest
import sqlalchemy as sa
import yaml

from bot.staff.accounts import AccountError, Accounts
from bot.staff.database import StaffDatabase, StaffUser
from tests.support.paths import PROJECT_ROOT

PASSWORD = "correct horse battery staple"


@pytest.fixture
def settings_file(tmp_path):
    settings = yaml.safe_load((PROJECT_ROOT / "settings.yml").read_text())
    settings["staff"]["database_url"] = f"sqlite:///{tmp_path / 'staff.db'}"
    path = tmp_path / "settings.yml"
    path.write_text(yaml.safe_dump(settings))
    return path


def staff_cli(settings_file, *args, password=None):
    return subprocess.run(
        [sys.executable, "-m", "bot.staff", *args],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        input=None if password is None else password + "\n",
        timeout=120,
        env={**os.environ, "BOT_SETTINGS_FILE": str(settings_file)},
    )


def accounts_of(settings_file):
    return Accounts(StaffDatabase(yaml.safe_load(settings_file.read_text())["staff"]["database_url"]))


def test_add_user_stores_an_argon2id_hash_never_the_password(settings_file):
    done = staff_cli(
        settings_file, "add-user", "Alice", "--role", "admin", "--password-stdin", password=PASSWORD
    )
    assert done.returncode == 0, done.stderr
    assert "alice (admin) created" in done.stdout
    accounts = accounts_of(settings_file)
    with accounts.db.session() as session:
        stored = session.execute(sa.select(StaffUser.password_hash)).scalar()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert accounts.authenticate("alice", PASSWORD).is_admin
    assert accounts.authenticate("alice", PASSWORD + "x") is None


@pytest.mark.parametrize(
    "args,password,message",
    [
        (["add-user", "bob", "--password-stdin"], "short", "at least 12"),
        (["add-user", "b", "--password-stdin"], PASSWORD, "username"),
        (["add-user", "bad name!", "--password-stdin"], PASSWORD, "username"),
        (["set-password", "nobody", "--password-stdin"], PASSWORD, "no account"),
    ],
)
def test_bad_requests_are_refused_clearly(settings_file, args, password, message):
    done = staff_cli(settings_file, *args, password=password)
    assert done.returncode == 2 and message in done.stderr.lower()


def test_duplicate_accounts_are_refused(settings_file):
    assert (
        staff_cli(settings_file, "add-user", "carol", "--password-stdin", password=PASSWORD).returncode == 0
    )
    again = staff_cli(settings_file, "add-user", "CAROL", "--password-stdin", password=PASSWORD)
    assert again.returncode == 2 and "exists already" in again.stderr


def test_password_change_deactivation_and_listing(settings_file):
    staff_cli(settings_file, "add-user", "dave", "--password-stdin", password=PASSWORD)
    assert (
        staff_cli(
            settings_file, "set-password", "dave", "--password-stdin", password=PASSWORD + "2"
        ).returncode
        == 0
    )
    accounts = accounts_of(settings_file)
    assert accounts.authenticate("dave", PASSWORD) is None and accounts.authenticate("dave", PASSWORD + "2")
    assert staff_cli(settings_file, "update-user", "dave", "--active", "no").returncode == 0
    assert accounts.authenticate("dave", PASSWORD + "2") is None
    assert "dave\tstaff\tinactive" in staff_cli(settings_file, "list-users").stdout


def test_the_last_admin_cannot_be_removed(tmp_path):
    accounts = Accounts(StaffDatabase(f"sqlite:///{tmp_path / 'staff.db'}"))
    accounts.add("only-admin", PASSWORD, "admin")
    accounts.add("helper", PASSWORD, "staff")
    for change in ({"role": "staff"}, {"active": False}):
        with pytest.raises(AccountError, match="one active admin"):
            accounts.update("only-admin", **change)
    accounts.update("helper", role="admin")
    assert not accounts.update("only-admin", active=False).active


def test_accounts_work_on_postgres(postgres_url):
    accounts = Accounts(StaffDatabase(postgres_url))
    accounts.add("pg-user", PASSWORD, "staff")
    assert accounts.authenticate("pg-user", PASSWORD).username == "pg-user"
    accounts.db.engine.dispose()
