#!/usr/bin/env bash
# One more Rasa server on the production profile (make run-replica PORT=5006), beside a running
# `make run-production`: the same stores, action server and defaults, its own port. It runs in
# the foreground; Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PORT:?usage: make run-replica PORT=5006}
source scripts/production-env.sh
source scripts/action-server-env.sh
curl -fsS -o /dev/null "http://localhost:$ACTION_PORT/health" 2>/dev/null \
  || echo "Note: no action server answers on :$ACTION_PORT yet (start make run-production first)." >&2
echo "Starting a Rasa server on :$PORT with $ENDPOINTS (loading the model takes ~20 s) ..."
RASA_PORT=$PORT exec scripts/rasa-server.sh
