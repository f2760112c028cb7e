"""The staff tool `python -m bot.booking`: list, show, change status, retry."""

from bot.booking.__main__ import main
from bot.booking.store import BookingStore
from tests.support.booking import make_request


def test_staff_can_list_show_and_progress_a_request(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'bookings.db'}"
    store = BookingStore(url)
    reference = store.save(make_request()).reference
    assert main(["--database", url, "list"]) == 0
    assert reference in capsys.readouterr().out
    assert main(["--database", url, "status", reference, "contacted"]) == 0
    assert main(["--database", url, "show", reference]) == 0
    shown = capsys.readouterr().out
    assert "status: contacted" in shown and "name: Priya Shah" in shown
    assert main(["--database", url, "list", "--status", "new"]) == 0
    assert reference not in capsys.readouterr().out
    store.dispose()


def test_unknown_reference_and_unreachable_store_are_clear_errors(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'bookings.db'}"
    assert main(["--database", url, "show", "BK-NOPE"]) == 1
    assert main(["--database", url, "status", "BK-NOPE", "closed"]) == 1
    assert main(["--database", "postgresql://postgres@127.0.0.1:1/x", "list"]) == 2
    assert "unavailable" in capsys.readouterr().err
