#!/usr/bin/env bash
# Every test: unit tests, Rasa data validation, test stories, the NLU test set, end to end.
# Tests that need PostgreSQL or Redis skip where those servers are absent, unless
# REQUIRE_SERVICES=1 (as .ci/run sets), which turns such a skip into a failure.
# Arguments go to pytest: `make test-fast` passes `-m unit` (markers: docs/development.md).
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
mkdir -p test-output
exec "$VENV/bin/python" -m pytest tests "$@"
