"""The web app without a browser: the demo page's content, headers, the widget's files, and the
CORS origins entry point that `make run` passes to the Rasa server."""

import re
import subprocess
import sys

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

from bot.contact import offline_contact_line
from bot.knowledge import get_knowledge_base
from bot.settings import WebSettings, get_settings
from bot.web import create_app
from bot.web.demo import SURGEON_SECTION, demo_page
from bot.web.templating import STATIC_DIR
from tests.support.paths import PROJECT_ROOT

RASA_URL = "http://rasa.test:5999"


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app(WebSettings(("http://page.test",), "http://unused:1"), RASA_URL))


def test_demo_page_shows_the_clinic_page_text_and_headings(client):
    html = client.get("/").text
    kb = get_knowledge_base()
    for section in kb.sections.values():
        if section.id != SURGEON_SECTION:
            assert f">{section.heading}</h" in html.replace("&#39;", "'")
            for paragraph in section.paragraphs:
                assert paragraph.replace("&", "&amp;") in html
    assert "<h1" in html and kb.title in html


def test_demo_page_shows_the_surgeon_and_booking_buttons(client):
    html = client.get("/").text
    page = demo_page()
    assert page.surgeon.name == "Sam DeVictor, MD"
    assert page.surgeon.name in html and page.surgeon.title in html and page.surgeon.quote in html
    buttons = re.findall(r'<button[^>]*data-chat-payload="([^"]+)"[^>]*>([^<]+)</button>', html)
    assert buttons and all(b == ("/request_booking", "Request a Consultation") for b in buttons)


def test_widget_is_embedded_with_one_script_tag_pointing_at_rasa(client):
    html = client.get("/").text
    scripts = re.findall(r"<script[^>]*>", html)
    assert len(scripts) == 1
    assert 'src="/static/widget.js"' in scripts[0]
    assert f'data-server-url="{RASA_URL}"' in scripts[0]
    # The offline message names the routes to a person that are set, and 911.
    assert f'data-contact="{escape(offline_contact_line())}"' in scripts[0]


def test_rasa_url_comes_from_settings_unless_overridden():
    app = create_app(WebSettings(("http://page.test",), "http://rasa.settings:5005/"))
    assert 'data-server-url="http://rasa.settings:5005"' in TestClient(app).get("/").text


def test_pages_load_nothing_from_other_hosts(client):
    response = client.get("/")
    policy = response.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert "connect-src 'self' http://rasa.test:5999;" in policy
    assert response.headers["x-content-type-options"] == "nosniff"
    for url in re.findall(r'(?:src|href)="([^"]+)"', response.text):
        assert url.startswith("/") or url.startswith("data:"), url


def test_widget_files_are_served(client):
    script = client.get("/static/widget.js")
    style = client.get("/static/widget.css")
    assert script.status_code == 200 and "javascript" in script.headers["content-type"]
    assert style.status_code == 200 and style.headers["content-type"].startswith("text/css")
    assert client.get("/healthz").json() == {"status": "ok"}


def test_widget_never_writes_html_and_loads_nothing_else():
    """A cheap guard beside the browser tests: no HTML sinks, no imports, fonts or trackers."""
    script = (STATIC_DIR / "widget.js").read_text()
    code = re.sub(r"/\*.*?\*/", "", script, flags=re.S)  # the usage comment names example URLs
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in code
    assert not re.search(r"https?://", code)
    for css in ("widget.css", "demo.css"):
        text = (STATIC_DIR / css).read_text()
        assert "@import" not in text and "url(" not in text and "http" not in text


def cors_origins(env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bot.web", "cors-origins"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def test_cors_origins_are_read_from_settings(tmp_path):
    result = cors_origins({"PATH": "/usr/bin:/bin"})
    assert result.returncode == 0
    assert result.stdout.split() == ["http://localhost:8000", "http://127.0.0.1:8000"]


def test_a_wildcard_origin_is_refused(tmp_path):
    settings = tmp_path / "settings.yml"
    settings.write_text(
        "clinic: {name: C}\nweb: {allowed_origins: ['*'], rasa_url: 'http://localhost:5005'}\n"
    )
    result = cors_origins({"PATH": "/usr/bin:/bin", "BOT_SETTINGS_FILE": str(settings)})
    assert result.returncode == 1 and "never '*'" in result.stderr and result.stdout == ""


STARTS_THE_CONSOLE = """
from fastapi.testclient import TestClient
from bot.staff.services import StaffConsole
from bot.web import create_app

app = create_app()
assert app.state.staff_console is None, "built before the app started"
with TestClient(app) as client:  # runs the app's start-up
    console = app.state.staff_console
    assert isinstance(console, StaffConsole), "not built when the app started"
    assert client.get("/staff/login").status_code == 200
    assert client.get("/staff/overview", follow_redirects=False).status_code == 303
    assert app.state.staff_console is console
print("started")
"""


def test_the_staff_console_is_built_once_when_the_app_starts(tmp_path):
    """In its own process: the console is built from settings (here pointed at tmp_path)."""
    env = {
        "PATH": "/usr/bin:/bin",
        "STAFF_SECRET_KEY": "k" * 48,
        "STAFF_DATABASE_URL": f"sqlite:///{tmp_path / 'staff.db'}",
        "STAFF_TRACKER_STORE_URL": f"sqlite:///{tmp_path / 'tracker.db'}",
        "BOOKING_DATABASE_URL": f"sqlite:///{tmp_path / 'bookings.db'}",
    }
    result = subprocess.run(
        [sys.executable, "-c", STARTS_THE_CONSOLE],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["started"] and (tmp_path / "staff.db").exists()


def test_an_unreachable_staff_database_leaves_the_demo_page_up_and_the_console_says_so(tmp_path, monkeypatch):
    monkeypatch.setenv("STAFF_DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    get_settings.cache_clear()
    try:
        with TestClient(create_app()) as client:
            assert client.get("/").status_code == 200
            console = client.get("/staff/login")
            assert console.status_code == 503
            assert "cannot reach its database" in console.text
    finally:
        get_settings.cache_clear()
