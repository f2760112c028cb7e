# Sourced by run.sh and run-replica.sh: the secret the Rasa server sends on every action call and
# the action server requires (bot/runtime/action_token.py). An ACTION_SERVER_TOKEN already set
# wins; otherwise this checkout's var/action-server.token (mode 0600, made on first use), so every
# process started from this checkout shares one.
ACTION_SERVER_TOKEN=${ACTION_SERVER_TOKEN:-$("${VENV:-.venv}/bin/python" -m bot.runtime.action_token)}
export ACTION_SERVER_TOKEN
