"""The action server keeps TensorFlow and JAX out of its process (bot/runtime/frameworks.py):
spaCy's thinc would import them, and they would hold most of the server's memory."""

import json
import subprocess
import sys

from tests.support.paths import PROJECT_ROOT

PROBE = """
import json, sys
from bot.runtime.action_server import create_hardened_app
from bot.runtime.frameworks import NOT_IN_ACTION_SERVER, keep_out
keep_out(NOT_IN_ACTION_SERVER)
create_hardened_app("t" * 43)              # imports every action module
from bot.knowledge.retrieval import get_retriever
from bot.knowledge.unsure import unsure_reply
found = get_retriever().best("physical therapy after botox")
print(json.dumps({
    "loaded": [name for name in NOT_IN_ACTION_SERVER if sys.modules.get(name) is not None],
    "section": found.section.heading if found else None,
    "unsure": unsure_reply("does the treatment hurt").text,
}))
"""


def test_the_action_server_answers_with_spacy_and_without_tensorflow_or_jax():
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-2000:]
    probe = json.loads(result.stdout.strip().splitlines()[-1])
    assert probe["loaded"] == []
    assert probe["section"] and probe["unsure"]
