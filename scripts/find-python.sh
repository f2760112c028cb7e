#!/usr/bin/env bash
# Print the path of a Python 3.10 interpreter that really runs (Rasa 3.6 supports 3.8-3.10 only).
# Looks at $PYTHON, then python3.10 on PATH, then pyenv's versions folder, then common locations.
set -u
works() { "$1" -c 'import sys, venv; sys.exit(0 if sys.version_info[:2] == (3, 10) else 1)' >/dev/null 2>&1; }
candidates=()
[ -n "${PYTHON:-}" ] && candidates+=("$PYTHON")
command -v python3.10 >/dev/null 2>&1 && candidates+=("$(command -v python3.10)")
pyenv_root=$( (command -v pyenv >/dev/null 2>&1 && pyenv root) || echo "${PYENV_ROOT:-$HOME/.pyenv}")
for p in "$pyenv_root"/versions/3.10*/bin/python3.10; do [ -x "$p" ] && candidates+=("$p"); done
candidates+=(/usr/bin/python3.10 /usr/local/bin/python3.10)
for c in "${candidates[@]}"; do
  if works "$c"; then echo "$c"; exit 0; fi
done
cat >&2 <<'MSG'
No working Python 3.10 was found (Rasa Open Source 3.6 runs on Python 3.8-3.10 only).
Install one, then run make again, for example:
  pyenv install 3.10.13                 # with pyenv
  apt-get install python3.10 python3.10-venv   # where your distribution packages it
or point to one explicitly:  make PYTHON=/path/to/python3.10 ...
MSG
exit 1
