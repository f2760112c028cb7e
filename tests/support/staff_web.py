"""The real web app over a test's own staff console, and a signed-in client for it."""

import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from fastapi import FastAPI
from fastapi.testclient import TestClient

from bot.staff.services import StaffConsole
from bot.web import create_app
from tests.support.harness import free_port

PASSWORD = "a long enough test password"
BASE_URL = "http://testserver"


def app_with(console: StaffConsole) -> FastAPI:
    return create_app(console=console)


def login_token(client: TestClient) -> str:
    page = client.get("/staff/login")
    return re.search(r'name="login_token" value="([^"]+)"', page.text).group(1)


def sign_in(client: TestClient, username: str, password: str = PASSWORD, next_path: str = ""):
    return client.post(
        "/staff/login",
        data={
            "username": username,
            "password": password,
            "login_token": login_token(client),
            "next": next_path,
        },
        follow_redirects=False,
    )


def csrf_of(page_html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page_html).group(1)


def signed_in_client(
    console: StaffConsole, username: str, role: str = "staff", client: TestClient | None = None
) -> TestClient:
    """A browser signed in as a new account `username`."""
    client = client or TestClient(app_with(console), base_url=BASE_URL)
    console.accounts.add(username, PASSWORD, role)
    response = sign_in(client, username)
    assert response.status_code == 303, response.text
    return client


@contextmanager
def serving(app: FastAPI) -> Iterator[str]:
    """`app` on a free port in a background thread (for the browser); yields its base URL."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False, ws="none")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test web server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
