"""The shared secret between the Rasa server and the action server.

The action server stores booking requests, so it answers only calls that carry
`Authorization: Bearer $ACTION_SERVER_TOKEN`; the Rasa server sends that header from the action
endpoint in endpoints.yml / endpoints.production.yml. On this machine the run scripts take the
token from the environment or from var/action-server.token, made once with mode 0600; on
Kubernetes both deployments read it from one secret (docs/production.md).

    python -m bot.runtime.action_token      # prints this checkout's token (var/action-server.token)
    python -m bot.runtime.action_token live # the live-chat token (var/live-chat.token)

The staff console calls the Rasa server's live channel (bot/runtime/live_channel.py) with a
second secret of the same kind, `LIVE_CHAT_TOKEN`, so that only the console can speak for staff.
"""

import hmac
import os
import secrets
from collections.abc import Mapping
from pathlib import Path

from bot.paths import PROJECT_ROOT

TOKEN_VARIABLE = "ACTION_SERVER_TOKEN"
TOKEN_FILE = PROJECT_ROOT / "var" / "action-server.token"
LIVE_TOKEN_VARIABLE = "LIVE_CHAT_TOKEN"
LIVE_TOKEN_FILE = PROJECT_ROOT / "var" / "live-chat.token"
# secrets.token_urlsafe(32) gives 43 characters; a shorter secret is refused as guessable.
MIN_TOKEN_CHARS = 32


class TokenMissing(RuntimeError):
    """The action server was started without a usable shared secret."""


def required_token(environ: Mapping[str, str] = os.environ, variable: str = TOKEN_VARIABLE) -> str:
    """The token from the environment; `TokenMissing` when it is unset or too short."""
    token = environ.get(variable, "").strip()
    if len(token) < MIN_TOKEN_CHARS:
        problem = "is not set" if not token else f"is shorter than {MIN_TOKEN_CHARS} characters"
        raise TokenMissing(
            f"{variable} {problem}. Each server answers only its callers that send this secret; "
            f"start them with `make run`, or set the same {variable} for both "
            "(python -m bot.runtime.action_token [live] prints this checkout's)."
        )
    return token


def bearer_matches(authorization: str | None, token: str) -> bool:
    """Whether an Authorization header carries `token`, compared in constant time."""
    return hmac.compare_digest((authorization or "").encode(), f"Bearer {token}".encode())


def local_token(path: Path = TOKEN_FILE) -> str:
    """This checkout's token, made on first use in a file only its owner can read. The file
    appears whole (written aside, then linked into place), so processes starting together read
    the same token."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as token_file:
            token_file.write(secrets.token_urlsafe(32) + "\n")
        try:
            os.link(draft, path)  # fails if another process linked its token first
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_text().strip()


if __name__ == "__main__":
    import sys

    print(local_token(LIVE_TOKEN_FILE if sys.argv[1:] == ["live"] else TOKEN_FILE))
