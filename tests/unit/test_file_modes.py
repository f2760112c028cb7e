"""Files that hold patients' words, contact details or staff accounts are readable by their owner
only: the SQLite databases the bot creates (tracker store, booking store, staff database) and
the secrets (the console's key, the servers' tokens)."""

import os
import stat
from dataclasses import replace

from bot.booking.store import BookingStore
from bot.paths import private_sqlite_file
from bot.runtime.action_token import local_token
from bot.runtime.tracker_store import ResilientSQLTrackerStore
from bot.settings import get_settings
from bot.staff.database import StaffDatabase
from bot.staff.security import load_secret_key


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_new_databases_are_private_whatever_the_umask(tmp_path):
    old = os.umask(0o022)  # a usual umask: files would be world-readable
    try:
        StaffDatabase(f"sqlite:///{tmp_path / 'staff' / 'staff.db'}")
        BookingStore(f"sqlite:///{tmp_path / 'bookings.db'}").find()
        ResilientSQLTrackerStore(dialect="sqlite", db=str(tmp_path / "tracker.db"))
        key = load_secret_key(replace(get_settings().staff, secret_key_file=str(tmp_path / "secret.key")))
        local_token(tmp_path / "live.token")
    finally:
        os.umask(old)
    for name in ("staff/staff.db", "bookings.db", "tracker.db", "secret.key", "live.token"):
        assert mode(tmp_path / name) == 0o600, name
    assert mode(tmp_path / "staff") == 0o700 and key


def test_an_existing_file_is_left_as_the_clinic_set_it(tmp_path):
    shared = tmp_path / "shared.db"
    shared.write_bytes(b"")
    shared.chmod(0o640)
    private_sqlite_file(str(shared))
    private_sqlite_file(":memory:")
    assert mode(shared) == 0o640
