#!/usr/bin/env bash
# Start the action server, the Rasa server and the web app (demo page with the chat widget), wait
# until all answer, print where to chat.
# Ctrl-C (or any exit) stops every process this script started.
set -euo pipefail
# Everything the servers write (databases, logs, secrets) is readable by this user only.
umask 077
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
RASA_PORT=${RASA_PORT:-5005}
WEB_PORT=${WEB_PORT:-8000}
# endpoints.yml: the embedded SQLite default; `make run-production` sets endpoints.production.yml.
ENDPOINTS=${ENDPOINTS:-endpoints.yml}
LOG_DIR=${LOG_DIR:-logs}
mkdir -p var "$LOG_DIR"
# Where the Rasa server finds the action server, and the secret it sends on every action call.
source scripts/action-server-env.sh
# The booking and staff databases at their newest schema before any server uses them (make migrate).
"$VENV/bin/python" -m bot.migrations upgrade
# The settings load (or the mistake is named), and which clinic contact details are still empty.
settings_warning=$("$VENV/bin/python" -m bot.settings)

pids=()
stop_all() {
  trap - INT TERM EXIT
  echo; echo "Stopping..."
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  echo "All processes stopped."
  exit 0
}
trap stop_all INT TERM EXIT

wait_for() {  # name url seconds
  local deadline=$((SECONDS + $3))
  until curl -fsS -o /dev/null "$2" 2>/dev/null; do
    if (( SECONDS > deadline )); then echo "$1 did not start; see $LOG_DIR/$1.log" >&2; exit 1; fi
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null || { echo "$1 exited; see $LOG_DIR/$1.log" >&2; exit 1; }; done
    sleep 1
  done
}

echo "Starting the action server on :$ACTION_PORT ..."
# The project's hardened action server (bot/runtime/action_server.py): same options as `rasa run actions`.
# It listens on 127.0.0.1 only and answers only calls that carry $ACTION_SERVER_TOKEN.
"$VENV/bin/python" -m bot.runtime.action_server --port "$ACTION_PORT" >"$LOG_DIR/actions.log" 2>&1 &
pids+=($!)
echo "Starting the Rasa server on :$RASA_PORT with $ENDPOINTS (loading the model takes ~20 s) ..."
VENV=$VENV RASA_PORT=$RASA_PORT ENDPOINTS=$ENDPOINTS scripts/rasa-server.sh >"$LOG_DIR/rasa.log" 2>&1 &
pids+=($!)
echo "Starting the web app (demo page and chat widget) on :$WEB_PORT ..."
# The widget and the console's live chat talk to this Rasa server (RASA_PUBLIC_URL when browsers
# reach it by another address). LIVE_CHAT_TOKEN (scripts/action-server-env.sh) lets the console
# speak for staff in live chats.
"$VENV/bin/python" -m bot.web --port "$WEB_PORT" --rasa-url "${RASA_PUBLIC_URL:-http://localhost:$RASA_PORT}" \
  >"$LOG_DIR/web.log" 2>&1 &
pids+=($!)

wait_for actions "http://localhost:$ACTION_PORT/health" 120
wait_for web "http://localhost:$WEB_PORT/healthz" 60
wait_for rasa "http://localhost:$RASA_PORT/" 300

cat <<MSG

The clinic bot is running.
  Demo page with the chat widget:  http://localhost:$WEB_PORT/
  Staff console:    http://localhost:$WEB_PORT/staff  (accounts: make staff-user NAME=alice ROLE=admin)
  Live chat:        http://localhost:$WEB_PORT/staff/live  (while it is open, patients who ask for a person get you)
  Chat over REST:   curl -s localhost:$RASA_PORT/webhooks/rest/webhook \\
                      -d '{"sender": "me", "message": "how long does botox last for facial palsy?"}'
  socket.io:        http://localhost:$RASA_PORT/socket.io (for web chat widgets)
  Terminal chat:    in another terminal, make shell
  Logs:             $LOG_DIR/actions.log, $LOG_DIR/rasa.log, $LOG_DIR/web.log
Press Ctrl-C to stop everything.
MSG
if [[ -n $settings_warning ]]; then echo; echo "$settings_warning"; fi
wait -n "${pids[@]}" || true
echo "A server exited; see $LOG_DIR/." >&2
