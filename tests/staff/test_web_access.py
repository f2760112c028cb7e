"""Nothing in the console without a session: every route is walked; CSRF on every form; the
sign-in rate limit; session cookies and their expiry; roles; security headers."""

from datetime import timedelta

import pytest
import sqlalchemy as sa
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from bot.staff import audit
from bot.staff.database import WebSession, utcnow
from bot.web.console import PUBLIC_PATHS, staff_router
from tests.support.staff_conversations import make_console, unmistakable_patient_texts
from tests.support.staff_web import BASE_URL, PASSWORD, app_with, csrf_of, sign_in, signed_in_client

# Values for the fields of every console form, so that a refused request is refused for the
# missing session or token and not for a missing field.
FORM_FIELDS = {
    "id": "staff-faq",
    "ref": "X",
    "status": "contacted",
    "format": "csv",
    "reveal": "1",
    "username": "someone",
    "password": "another long password",
    "role": "staff",
    "active": "yes",
}
QUERY = "?id=staff-faq&format=csv&ref=X"


def console_routes():
    return [
        (method, route.path)
        for route in staff_router.routes
        if isinstance(route, APIRoute)
        for method in sorted(route.methods)
    ]


def protected_routes():
    return [(method, path) for method, path in console_routes() if path not in PUBLIC_PATHS]


@pytest.fixture
def console(sqlite_conversations, tmp_path):
    return make_console(tmp_path, sqlite_conversations)


@pytest.fixture
def anonymous(console):
    return TestClient(app_with(console), base_url=BASE_URL)


def patient_words_in(text: str) -> bool:
    return any(said.lower() in text.lower() for said in unmistakable_patient_texts())


def test_the_walk_covers_the_console():
    paths = {path for _, path in protected_routes()}
    assert {
        "/staff/conversations",
        "/staff/transcript",
        "/staff/export",
        "/staff/bookings",
        "/staff/unanswered.csv",
        "/staff/audit",
        "/staff/users/add",
    } <= paths
    assert {"/staff/login", "/staff/console.css", "/staff/console.js"} == PUBLIC_PATHS


@pytest.mark.parametrize("method,path", protected_routes())
@pytest.mark.parametrize("cookie", [None, "forged-value", "ImFiYyI.abc.def"])
def test_every_route_refuses_without_a_session(anonymous, method, path, cookie):
    if cookie:
        anonymous.cookies.set("staff_session", cookie, path="/staff")
    if method == "GET":
        response = anonymous.get(path + QUERY, follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"].startswith("/staff/login?next=")
    else:
        response = anonymous.post(path, data={**FORM_FIELDS, "csrf_token": "x"}, follow_redirects=False)
        assert response.status_code == 403
    assert not patient_words_in(response.text)


def test_public_routes_show_nothing_from_conversations(anonymous):
    for path in PUBLIC_PATHS:
        response = anonymous.get(path)
        assert response.status_code == 200 and not patient_words_in(response.text)


@pytest.mark.parametrize("method,path", [r for r in protected_routes() if r[0] == "POST"])
def test_every_form_refuses_a_missing_or_wrong_csrf_token(console, method, path):
    client = signed_in_client(console, "csrf-admin", role="admin")
    for token in (None, "wrong", ""):
        data = dict(FORM_FIELDS, **({"csrf_token": token} if token is not None else {}))
        response = client.post(path, data=data, follow_redirects=False)
        assert response.status_code == 403, (path, token)
        assert not patient_words_in(response.text)


def test_a_form_with_a_wrong_token_is_refused_for_it_whatever_its_values(console):
    client = signed_in_client(console, "csrf-first", role="admin")
    for path, data in (
        ("/staff/booking/status", {"ref": "X", "status": "lost"}),
        ("/staff/users/update", {"username": "csrf-first", "active": "maybe"}),
        ("/staff/export", {"format": "pdf", "reveal": "1"}),
    ):
        response = client.post(path, data={**data, "csrf_token": "wrong"})
        assert response.status_code == 403 and "did not come from the console" in response.text, path


def test_a_post_from_another_site_is_refused_even_with_the_token(console):
    client = signed_in_client(console, "origin-check", role="staff")
    token = csrf_of(client.get("/staff/overview").text)
    data = {"id": "staff-contact", "csrf_token": token}
    for headers in ({"origin": "https://evil.example"}, {"sec-fetch-site": "cross-site"}):
        assert client.post("/staff/transcript/reveal", data=data, headers=headers).status_code == 403
    same = client.post("/staff/transcript/reveal", data=data, headers={"origin": BASE_URL})
    assert same.status_code == 200


def test_sign_in_form_needs_its_own_token(console, anonymous):
    console.accounts.add("form-check", PASSWORD)
    response = anonymous.post(
        "/staff/login", data={"username": "form-check", "password": PASSWORD}, follow_redirects=False
    )
    assert response.status_code == 403 and "staff_session" not in response.headers.get("set-cookie", "")


def test_sign_in_is_rate_limited_per_account_and_address(console, anonymous):
    console.accounts.add("rate-limited", PASSWORD)
    for _ in range(console.staff_settings.login_max_failures):
        assert sign_in(anonymous, "rate-limited", "wrong password!").status_code == 401
    blocked = sign_in(anonymous, "rate-limited", PASSWORD)  # even the right password now waits
    assert blocked.status_code == 429 and "Too many failed sign-ins" in blocked.text
    assert "staff_session" not in blocked.headers.get("set-cookie", "")
    entries, _ = console.audit.entries(audit.AuditFilter(username="rate-limited"))
    assert [e.action for e in entries][:2] == [audit.SIGN_IN_THROTTLED, audit.SIGN_IN_FAILED]


def test_sign_in_is_rate_limited_per_address(console, anonymous):
    console.accounts.add("victim", PASSWORD)
    limit = console.staff_settings.login_max_failures * 4
    for attempt in range(limit):
        sign_in(anonymous, f"guess-{attempt}", "wrong password!")
    assert sign_in(anonymous, "victim", PASSWORD).status_code == 429


def test_failures_from_elsewhere_never_lock_a_colleague_out_and_an_admin_can_unlock(console):
    throttle, limit = console.throttle, console.staff_settings.login_max_failures
    for _ in range(limit):
        throttle.record("alice", "203.0.113.9", succeeded=False)  # someone else, elsewhere
    assert throttle.blocked("alice", "203.0.113.9") and not throttle.blocked("alice", "10.0.0.5")
    assert throttle.locked_out("alice")
    assert throttle.unlock("alice") == limit
    assert not throttle.blocked("alice", "203.0.113.9") and not throttle.locked_out("alice")


def test_admins_unlock_accounts_and_set_new_passwords_in_the_console(console, anonymous):
    console.accounts.add("locked-out", PASSWORD)
    for _ in range(console.staff_settings.login_max_failures):
        sign_in(anonymous, "locked-out", "wrong password!")
    admin = signed_in_client(console, "unlocking-admin", role="admin")
    page = admin.get("/staff/users").text
    assert "Locked out by failed sign-ins" in page
    unlocked = admin.post("/staff/users/unlock", data={"username": "locked-out", "csrf_token": csrf_of(page)})
    assert unlocked.status_code == 200 and "Locked out by failed sign-ins" not in unlocked.text
    assert sign_in(anonymous, "locked-out", PASSWORD).status_code == 303
    new_password = "another long enough password"
    reset = admin.post(
        "/staff/users/password",
        data={"username": "locked-out", "password": new_password, "csrf_token": csrf_of(page)},
    )
    assert reset.status_code == 200 and "their sessions have ended" in reset.text
    assert anonymous.get("/staff/overview", follow_redirects=False).status_code == 303  # signed out
    assert sign_in(anonymous, "locked-out", new_password).status_code == 303
    too_short = admin.post(
        "/staff/users/password",
        data={"username": "locked-out", "password": "short", "csrf_token": csrf_of(page)},
    )
    assert too_short.status_code == 400
    details = [e.detail for e in console.audit.entries(audit.AuditFilter(action=audit.MANAGE_ACCOUNTS))[0]]
    assert "locked-out: password reset by an admin" in details and any("unlocked" in d for d in details)
    staff = signed_in_client(console, "plain-staff")
    token = csrf_of(staff.get("/staff/overview").text)
    assert (
        staff.post("/staff/users/unlock", data={"username": "locked-out", "csrf_token": token}).status_code
        == 403
    )


def test_bulk_unmasked_exports_need_an_admin_and_a_confirmation(console):
    fields = {"format": "csv", "reveal": "1"}
    staff = signed_in_client(console, "bulk-staff")
    refused = staff.post(
        "/staff/export", data={**fields, "csrf_token": csrf_of(staff.get("/staff/overview").text)}
    )
    assert refused.status_code == 403 and "jane.doe@example.com" not in refused.text
    admin = signed_in_client(console, "bulk-admin", role="admin")
    token = csrf_of(admin.get("/staff/conversations").text)
    assert admin.post("/staff/export", data={**fields, "csrf_token": token}).status_code == 400
    confirmed = admin.post("/staff/export", data={**fields, "confirm": "true", "csrf_token": token})
    assert confirmed.status_code == 200 and "jane.doe@example.com" in confirmed.text
    one = staff.post(
        "/staff/export",
        data={**fields, "id": "staff-contact", "csrf_token": csrf_of(staff.get("/staff/overview").text)},
    )
    assert one.status_code == 200 and "jane.doe@example.com" in one.text  # one conversation: staff may


def test_unknown_and_wrong_sign_ins_look_alike(console, anonymous):
    console.accounts.add("known", PASSWORD)
    unknown, wrong = sign_in(anonymous, "nobody"), sign_in(anonymous, "known", "not the password")
    assert unknown.status_code == wrong.status_code == 401
    assert "Wrong username or password." in unknown.text and "Wrong username or password." in wrong.text


def session_cookie(response) -> str:
    return next(c for c in response.headers.get_list("set-cookie") if c.startswith("staff_session="))


def test_session_cookie_is_httponly_samesite_and_scoped(console, anonymous):
    console.accounts.add("cookie-check", PASSWORD)
    cookie = session_cookie(sign_in(anonymous, "cookie-check"))
    assert "staff_session=" in cookie and "HttpOnly" in cookie and "SameSite=strict" in cookie
    assert "Path=/staff" in cookie and "Max-Age" not in cookie and "Secure" not in cookie


def test_secure_cookies_when_configured(sqlite_conversations, tmp_path):
    console = make_console(tmp_path, sqlite_conversations, secure_cookies=True)
    client = TestClient(app_with(console), base_url="https://testserver")
    console.accounts.add("secure-check", PASSWORD)
    assert "Secure" in session_cookie(sign_in(client, "secure-check"))


def test_session_ends_after_inactivity(console):
    client = signed_in_client(console, "idle-check")
    assert client.get("/staff/overview").status_code == 200
    idle = timedelta(minutes=console.staff_settings.session_idle_minutes, seconds=1)
    with console.db.session() as session:
        session.execute(sa.update(WebSession).values(last_seen_at=utcnow() - idle))
    response = client.get("/staff/overview", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/staff/login")


def test_activity_keeps_the_session_alive(console):
    client = signed_in_client(console, "active-check")
    almost = timedelta(minutes=console.staff_settings.session_idle_minutes - 1)
    with console.db.session() as session:
        session.execute(sa.update(WebSession).values(last_seen_at=utcnow() - almost))
    assert client.get("/staff/overview").status_code == 200
    with console.db.session() as session:
        last_seen = session.execute(sa.select(WebSession.last_seen_at)).scalar()
    assert utcnow() - last_seen < timedelta(minutes=1)


def test_sign_out_ends_the_session_on_the_server(console):
    client = signed_in_client(console, "leaver")
    stolen = client.cookies.get("staff_session")
    token = csrf_of(client.get("/staff/overview").text)
    assert client.post("/staff/logout", data={"csrf_token": token}, follow_redirects=False).status_code == 303
    thief = TestClient(client.app, base_url=BASE_URL)
    thief.cookies.set("staff_session", stolen, path="/staff")
    assert thief.get("/staff/overview", follow_redirects=False).status_code == 303


def test_deactivated_account_is_signed_out(console):
    client = signed_in_client(console, "deactivated")
    console.accounts.update("deactivated", active=False)
    assert client.get("/staff/overview", follow_redirects=False).status_code == 303


def test_staff_cannot_open_admin_pages(console):
    client = signed_in_client(console, "plain-staff", role="staff")
    for path in ("/staff/audit", "/staff/users"):
        assert client.get(path).status_code == 403
    assert "Audit log" not in client.get("/staff/overview").text
    token = csrf_of(client.get("/staff/overview").text)
    added = client.post(
        "/staff/users/add",
        data={"csrf_token": token, "username": "sneaky", "password": PASSWORD, "role": "admin"},
    )
    assert added.status_code == 403
    assert "sneaky" not in [a.username for a in console.accounts.all()]


def test_sign_in_returns_only_to_console_pages(console, anonymous):
    console.accounts.add("redirects", PASSWORD)
    for target, expected in [
        ("/staff/bookings", "/staff/bookings"),
        ("https://evil.example/staff/x", "/staff/overview"),
        ("//evil.example/staff/", "/staff/overview"),
        ("/elsewhere", "/staff/overview"),
    ]:
        anonymous.cookies.clear()
        assert sign_in(anonymous, "redirects", next_path=target).headers["location"] == expected


def test_every_console_response_carries_the_security_headers(console, anonymous):
    client = signed_in_client(console, "headers-check", role="admin")
    for response in (
        anonymous.get("/staff/login"),
        anonymous.get("/staff/overview", follow_redirects=False),
        client.get("/staff/conversations"),
        client.get("/staff/transcript?id=nope"),
        client.get("/staff/export?id=staff-faq&format=csv"),
    ):
        headers = response.headers
        assert "default-src 'none'" in headers["content-security-policy"]
        assert "unsafe-inline" not in headers["content-security-policy"]
        assert headers["x-frame-options"] == "DENY" and headers["cache-control"] == "no-store"
        assert headers["referrer-policy"] == "same-origin"


def test_the_web_app_mounts_the_console(console):
    from bot.web import create_app

    app = create_app(console=console)
    mounted = {
        (method, route.path)
        for route in app.routes
        if isinstance(route, APIRoute)
        for method in route.methods
    }
    assert set(console_routes()) <= mounted
    response = TestClient(app, base_url=BASE_URL).get("/staff/conversations", follow_redirects=False)
    assert response.status_code == 303 and "default-src 'none'" in response.headers["content-security-policy"]
