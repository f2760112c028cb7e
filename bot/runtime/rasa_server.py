"""The `rasa` command line as the run scripts and tests start the Rasa server, without JAX.

    python -m bot.runtime.rasa_server run -m models/current.tar.gz ...   (same arguments as `rasa`)

TensorFlow Lite's converter imports JAX (about 110 MB) when TensorFlow loads; the Rasa server
never converts a model, so JAX is kept out (bot/runtime/frameworks.py) before Rasa starts.
"""

from bot.runtime.frameworks import NOT_IN_RASA_SERVER, keep_out


def main() -> None:
    keep_out(NOT_IN_RASA_SERVER)
    from rasa.__main__ import main as rasa_main

    rasa_main()


if __name__ == "__main__":
    main()
