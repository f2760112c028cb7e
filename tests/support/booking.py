"""Helpers for booking tests: a request factory, a real lock on the store (another client
holding it), and real local receivers for webhook and SMTP notifications."""

import json
import sqlite3
import ssl
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from ipaddress import ip_address
from pathlib import Path

import sqlalchemy as sa

from bot.booking.request import BookingRequest, idempotency_key
from tests.support.harness import free_port


def make_request(conversation: str = "conv-1", confirmation: str = "msg-1", **fields) -> BookingRequest:
    now = datetime.now(timezone.utc)
    values = {
        "idempotency_key": idempotency_key(conversation, confirmation),
        "conversation_id": conversation,
        "kind": "consultation",
        "name": "Priya Shah",
        "phone": "+447700900123",
        "email": None,
        "preferred_time_text": "Wednesday 10am",
        "preferred_time": "2026-12-02T10:00",
        "reason": "uneven smile",
        "consent": True,
        "consented_at": now,
        "created_at": now,
    }
    return BookingRequest(**{**values, **fields})


def hold_lock(store_url: str) -> Callable[[], None]:
    """Another client holds the bookings table (SQLite's write lock, or a PostgreSQL table
    lock) until the returned function is called. The table must exist."""
    if store_url.startswith("sqlite"):
        connection = sqlite3.connect(
            store_url[len("sqlite:///") :], isolation_level=None, check_same_thread=False
        )
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
        self.bodies: list[dict] = []
        self.fail_first = fail_first
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
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


def self_signed_certificate(directory: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and its key, written as PEM files; the certificate doubles
    as the CA file a client trusts."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.now(timezone.utc)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = directory / "smtp-cert.pem", directory / "smtp-key.pem"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert_file, key_file


@contextmanager
def smtp_receiver(
    certificate: tuple[Path, Path] | None = None, login: tuple[str, str] | None = None
) -> Iterator[tuple]:
    """A local SMTP server (aiosmtpd); yields (port, received messages as bytes). With a
    certificate it offers STARTTLS and refuses mail before it; with a login it requires it."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult

    received: list[bytes] = []

    class Handler:
        async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's naming
            received.append(envelope.content)
            return "250 OK"

    def authenticate(server, session, envelope, mechanism, data):
        given = (data.login.decode(), data.password.decode())
        return AuthResult(success=login is not None and given == login)

    options: dict = {}
    if certificate:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(*map(str, certificate))
        options.update(tls_context=context, require_starttls=True)
    if login:
        options.update(authenticator=authenticate, auth_required=True)
    port = free_port()
    controller = Controller(Handler(), hostname="127.0.0.1", port=port, **options)
    controller.start()
    try:
        yield port, received
    finally:
        controller.stop()
