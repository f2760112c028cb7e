"""The action server's shared secret (bot/runtime/action_token.py): refused when missing or
short, compared exactly, made once per checkout in a file only its owner can read; the action
server does not start without it; both endpoints files send it."""

import os
import stat
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml

from bot.runtime.action_token import (
    MIN_TOKEN_CHARS,
    TOKEN_VARIABLE,
    TokenMissing,
    bearer_matches,
    local_token,
    required_token,
)
from tests.support.paths import PROJECT_ROOT

GOOD = "k" * MIN_TOKEN_CHARS


@pytest.mark.parametrize(
    "environ", [{}, {TOKEN_VARIABLE: ""}, {TOKEN_VARIABLE: "   "}, {TOKEN_VARIABLE: "k" * 31}]
)
def test_a_missing_or_short_token_is_refused_naming_the_variable(environ):
    with pytest.raises(TokenMissing, match=TOKEN_VARIABLE):
        required_token(environ)


def test_a_long_enough_token_is_used_as_given():
    assert required_token({TOKEN_VARIABLE: f" {GOOD}\n"}) == GOOD


@pytest.mark.parametrize(
    "header,matches",
    [
        (f"Bearer {GOOD}", True),
        (None, False),
        ("", False),
        (GOOD, False),
        (f"bearer {GOOD}", False),
        (f"Bearer {GOOD} ", False),
        (f"Bearer {GOOD[:-1]}", False),
        (f"Basic {GOOD}", False),
    ],
)
def test_only_the_exact_bearer_header_matches(header, matches):
    assert bearer_matches(header, GOOD) is matches


def test_the_local_token_is_made_once_with_owner_only_access(tmp_path: Path):
    path = tmp_path / "var" / "action-server.token"
    first = local_token(path)
    assert len(first) >= MIN_TOKEN_CHARS
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert local_token(path) == first
    assert local_token(tmp_path / "other.token") != first


def test_processes_starting_together_share_one_local_token(tmp_path: Path):
    path = tmp_path / "action-server.token"
    with ThreadPoolExecutor(8) as pool:
        tokens = set(pool.map(lambda _: local_token(path), range(16)))
    assert tokens == {path.read_text().strip()}


def test_the_action_server_does_not_start_without_the_token():
    environ = {k: v for k, v in os.environ.items() if k != TOKEN_VARIABLE}
    result = subprocess.run(
        [sys.executable, "-m", "bot.runtime.action_server", "--port", "1"],
        cwd=PROJECT_ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert f"{TOKEN_VARIABLE} is not set" in result.stderr


@pytest.mark.parametrize("endpoints", ["endpoints.yml", "endpoints.production.yml"])
def test_both_profiles_send_the_token_on_every_action_call(endpoints):
    """Both take the address and the secret from the variables the run scripts set
    (scripts/action-server-env.sh), so ACTION_PORT=... make run reaches its action server."""
    action_endpoint = yaml.safe_load((PROJECT_ROOT / endpoints).read_text())["action_endpoint"]
    assert action_endpoint == {
        "url": "${ACTION_SERVER_URL}",
        "headers": {"Authorization": f"Bearer ${{{TOKEN_VARIABLE}}}"},
    }
