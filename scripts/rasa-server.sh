#!/usr/bin/env bash
# The Rasa server as every run script starts it: the trained model, the guarded channels of
# credentials.yml, the endpoints file ($ENDPOINTS) and the page origins allowed to call it (CORS:
# settings.yml web.allowed_origins only), on $RASA_PORT of 127.0.0.1 (RASA_INTERFACE=0.0.0.0 to
# serve other machines, as a container does; docs/production.md).
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
mapfile -t cors_origins < <("$VENV/bin/python" -m bot.web cors-origins)
# No --enable-api: only the channels and the health route are served. Sanic refuses bodies over
# 1 MB before reading them; the REST channel's own limits are in bot/runtime/input_guard.py.
# bot.runtime.rasa_server is the `rasa` command without JAX, which Rasa never uses (~110 MB).
SANIC_REQUEST_MAX_SIZE=1048576 exec "$VENV/bin/python" -m bot.runtime.rasa_server run -m models/current.tar.gz --port "${RASA_PORT:-5005}" \
  --interface "${RASA_INTERFACE:-127.0.0.1}" \
  --endpoints "${ENDPOINTS:-endpoints.yml}" --credentials credentials.yml --cors "${cors_origins[@]}"
