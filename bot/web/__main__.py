"""`python -m bot.web` serves the web app; `python -m bot.web cors-origins` prints the page
origins that the Rasa server must allow (settings.yml `web.allowed_origins`), one a line."""

import argparse
import sys

from bot.settings import get_settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.web", description=__doc__)
    parser.add_argument("command", nargs="?", default="serve", choices=["serve", "cors-origins"])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--rasa-url", help="Rasa server URL for the widget (default: settings.yml)")
    args = parser.parse_args(argv)
    web = get_settings().web
    if args.command == "cors-origins":
        if "*" in web.allowed_origins:
            print("settings.yml web.allowed_origins must name origins, never '*'", file=sys.stderr)
            return 1
        print("\n".join(web.allowed_origins))
        return 0

    import uvicorn

    from bot.web.app import create_app

    # ws="none": the app has no websockets, and Rasa pins a `websockets` too old for uvicorn's.
    # Access logs stay off: request paths are not patient data, but nothing here needs them.
    uvicorn.run(
        create_app(web, args.rasa_url),
        host=args.host,
        port=args.port,
        log_level="warning",
        access_log=False,
        ws="none",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
