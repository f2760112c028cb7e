"""Where tests and benchmarks find the project, the trained model, the `rasa` command and the
folder for their screenshots and reports."""

import sys
from pathlib import Path

from bot.paths import PROJECT_ROOT

MODEL_PATH = PROJECT_ROOT / "models" / "current.tar.gz"
TEST_OUTPUT = PROJECT_ROOT / "test-output"
# The `rasa` of the interpreter running the tests, whether or not the venv is activated.
RASA_BIN = Path(sys.executable).parent / "rasa"

__all__ = ["MODEL_PATH", "PROJECT_ROOT", "RASA_BIN", "TEST_OUTPUT"]
