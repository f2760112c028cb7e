"""Helpers for booking tests: a request factory, a real lock on the store (another client
holding it), and real local receivers for webhook and SMTP notifications."""
import json
import sqlite3
import threading
from contextlib import contextmanager
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable, Iterator, List

import sqlalchemy as sa

from bot.booking.requests import BookingRequest, idempotency_key
from tests.harness import free_port


def make_request(conversation: str = "conv-1", confirmation: str = "msg-1",
                 **fields) -> BookingRequest:
    now = datetime.now(timezone.utc)
    values = dict(
        idempotency_key=idempotency_key(conversation, confirmation), conversation_id=conversation,
        kind="consultation", name="Priya Shah", phone="+447700900123", email=None,
        preferred_time_text="Wednesday 10am", preferred_time="2026-12-02T10:00",
        reason="uneven smile", consent=True, consented_at=now, created_at=now)
    return BookingRequest(**{**values, **fields})


def hold_lock(store_url: str) -> Callable[[], None]:
    """Another client holds the bookings table (SQLite's write lock, or a PostgreSQL table
    lock) until the returned function is called. The table must exist."""
    if store_url.startswith("sqlite"):
        connection = sqlite3.connect(store_url[len("sqlite:///"):], isolation_level=None,
                                     check_same_thread=False)
        connection.execute("BEGIN EXCLUSIVE")
        return connection.close
    engine = sa.create_engine(store_url)
    connection = engine.connect()
    transaction = connection.begin()
    connection.execute(sa.text("LOCK TABLE booking_requests IN ACCESS EXCLUSIVE MODE"))

    def release() -> None:
        transaction.rollback()
        connection.close()
        engine.dispose()
    return release


class WebhookReceiver:
    """A local HTTP server that records JSON POSTs and answers 500 to the first `fail_first`."""

    def __init__(self, fail_first: int = 0) -> None:
        self.bodies: List[dict] = []
        self.fail_first = fail_first
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                length = int(self.headers.get("Content-Length", 0))
                receiver.bodies.append(json.loads(self.rfile.read(length)))
                failing = len(receiver.bodies) <= receiver.fail_first
                self.send_response(500 if failing else 204)
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/booking"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "WebhookReceiver":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


@contextmanager
def smtp_receiver() -> Iterator[tuple]:
    """A local SMTP server (aiosmtpd); yields (port, received messages as bytes)."""
    from aiosmtpd.controller import Controller

    received: List[bytes] = []

    class Handler:
        async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's naming
            received.append(envelope.content)
            return "250 OK"

    port = free_port()
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, received
    finally:
        controller.stop()
