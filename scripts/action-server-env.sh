# Sourced by run.sh, run-replica.sh and make shell/actions: where the Rasa server finds the action
# server (ACTION_SERVER_URL, used by both endpoints files) and the secret it sends on every action
# call, which the action server requires (ACTION_SERVER_TOKEN, bot/runtime/action_token.py). A value
# already set wins; the token otherwise comes from this checkout's var/action-server.token (mode
# 0600, made on first use), so every process started from this checkout shares one.
export ACTION_PORT=${ACTION_PORT:-5055}
export ACTION_SERVER_URL=${ACTION_SERVER_URL:-http://localhost:$ACTION_PORT/webhook}
ACTION_SERVER_TOKEN=${ACTION_SERVER_TOKEN:-$("${VENV:-.venv}/bin/python" -m bot.runtime.action_token)}
export ACTION_SERVER_TOKEN
# The staff console speaks for staff in live chats through the Rasa server's live channel, which
# answers only callers with this second secret (LIVE_CHAT_TOKEN, var/live-chat.token).
LIVE_CHAT_TOKEN=${LIVE_CHAT_TOKEN:-$("${VENV:-.venv}/bin/python" -m bot.runtime.action_token live)}
export LIVE_CHAT_TOKEN
