"""The action server as shipped: rasa-sdk's server for the `actions` package, hardened.

Only the Rasa server may call it: every route but /health needs the shared secret
(bot/runtime/action_token.py), checked before anything reads the body, and by default it listens on
127.0.0.1 only (SANIC_HOST=0.0.0.0 in a container, docs/production.md).

rasa-sdk 3.6 answers a malformed request (not JSON, a JSON list, no action name) with a 500 whose
body echoes the request, and logs a traceback. Here a malformed request gets a 4xx JSON error
(rules in bot/runtime/input_guard.py: `check_action_call`), and an action that fails gets a 500 with a
short error naming the action, never the request (which holds the patient's conversation).

    python -m bot.runtime.action_server --port 5055      # same options as `rasa run actions`
"""

import logging
import os
from collections.abc import Awaitable, Callable

from rasa_sdk import utils
from rasa_sdk.constants import APPLICATION_ROOT_LOGGER_NAME
from rasa_sdk.endpoint import create_app, create_argument_parser, create_ssl_context
from rasa_sdk.plugin import plugin_manager
from sanic import Sanic, response
from sanic.exceptions import SanicException
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.runtime.action_token import TokenMissing, bearer_matches, required_token
from bot.runtime.frameworks import NOT_IN_ACTION_SERVER, keep_out
from bot.runtime.input_guard import check_action_call
from bot.runtime.startup import check_reviewed_data

logger = logging.getLogger(__name__)

ACTIONS_PACKAGE = "actions"


def refuse_without_token(token: str) -> Callable[[Request], Awaitable[HTTPResponse | None]]:
    """Request middleware: 401 for any call but /health without `Authorization: Bearer <token>`.
    The log names the address and route, never the body (it holds a conversation)."""

    async def check_token(request: Request) -> HTTPResponse | None:
        if request.path == "/health" or bearer_matches(request.headers.get("Authorization"), token):
            return None
        logger.warning(
            "Action call refused (401, no valid token): %s %s from %s.",
            request.method,
            request.path,
            request.ip,
        )
        return response.json(
            {"error": "only the Rasa server may call the action server"},
            status=401,
            headers={"WWW-Authenticate": "Bearer"},
        )

    return check_token


async def reject_bad_action_call(request: Request) -> HTTPResponse | None:
    """Request middleware: answer a malformed action call before rasa-sdk reads it."""
    if request.path != "/webhook" or request.method != "POST":
        return None
    if request.headers.get("Content-Encoding"):
        # rasa-sdk would inflate a deflate body with no size limit; Rasa sends plain JSON unless
        # COMPRESS_ACTION_SERVER_REQUEST is set, which the project never sets.
        return response.json({"error": "compressed requests are not accepted"}, status=415)
    problem = check_action_call(request.body or b"")
    if problem:
        logger.warning("Action call rejected (%d): %s.", problem.status, problem.error)
        return response.json({"error": problem.error, **problem.details}, status=problem.status)
    return None


async def answer_error(request: Request, exception: Exception) -> HTTPResponse:
    """Errors as short JSON: client errors as they are, failed actions as a 500 naming the action."""
    if isinstance(exception, SanicException) and exception.status_code < 500:
        return response.json({"error": str(exception)}, status=exception.status_code)
    action = _action_name(request)
    logger.error("Action %s failed.", action, exc_info=exception)
    return response.json({"error": "the action failed", "action_name": action}, status=500)


def _action_name(request: Request) -> str:
    try:
        return str(request.json.get("next_action"))
    except Exception:  # noqa: BLE001 - only used for the error message
        return "unknown"


def create_hardened_app(
    token: str,
    package: str = ACTIONS_PACKAGE,
    cors_origins: list[str] | None = None,
    auto_reload: bool = False,
) -> Sanic:
    """rasa-sdk's app for `package`, answering only calls with `token`, with the bad-request
    middleware and the error handler. Refuses to start (`ConfigError`) when the wording or
    red-flag data has a mistake."""
    check_reviewed_data()
    app = create_app(package, cors_origins=cors_origins, auto_reload=auto_reload)
    app.register_middleware(refuse_without_token(token), "request")  # first: nothing unauthenticated is read
    app.register_middleware(reject_bad_action_call, "request")
    app.error_handler.add(Exception, answer_error)
    return app


def main(argv: list[str] | None = None) -> None:
    """Start the server; the options are those of `rasa run actions` (rasa_sdk.__main__)."""
    keep_out(NOT_IN_ACTION_SERVER)  # spaCy would load TensorFlow: ~540 MB never used here
    args = create_argument_parser().parse_args(argv)
    try:
        token = required_token()
    except TokenMissing as missing:
        raise SystemExit(f"The action server did not start: {missing}") from None
    utils.configure_colored_logging(args.loglevel)
    utils.configure_file_logging(
        logging.getLogger(APPLICATION_ROOT_LOGGER_NAME),
        args.log_file,
        args.loglevel,
        args.logging_config_file,
    )
    utils.update_sanic_log_level()
    package = args.actions or ACTIONS_PACKAGE
    app = create_hardened_app(token, package, cors_origins=args.cors, auto_reload=args.auto_reload)
    plugin_manager().hook.attach_sanic_app_extensions(app=app)
    ssl_context = create_ssl_context(args.ssl_certificate, args.ssl_keyfile, args.ssl_password)
    logger.info("Action server for '%s' on port %s.", package, args.port)
    app.run(
        os.environ.get("SANIC_HOST", "127.0.0.1"),
        args.port,
        ssl=ssl_context,
        workers=utils.number_of_sanic_workers(),
    )


if __name__ == "__main__":
    main()
