# Sourced by run-production.sh and run-replica.sh: the production profile's defaults (PostgreSQL
# and Redis on this machine), so a second Rasa server gets exactly the first one's settings.
# Every variable can be overridden from the environment.
VENV=${VENV:-.venv}
export DB_HOST=${DB_HOST:-127.0.0.1} DB_PORT=${DB_PORT:-5432}
export DB_USER=${DB_USER:-postgres} DB_PASSWORD=${DB_PASSWORD:-}
export DB_DATABASE=${DB_DATABASE:-clinic_bot}
export REDIS_HOST=${REDIS_HOST:-127.0.0.1} REDIS_PORT=${REDIS_PORT:-6379}
export REDIS_PASSWORD=${REDIS_PASSWORD:-} REDIS_DB=${REDIS_DB:-1}
export ENDPOINTS=endpoints.production.yml
# Flood protection counted in Redis, so every Rasa server shares one budget per address.
export RATE_LIMIT_REDIS_URL=${RATE_LIMIT_REDIS_URL:-redis://:$REDIS_PASSWORD@$REDIS_HOST:$REDIS_PORT/$REDIS_DB}

# Fails with a clear message when a server is down; creates the database when it is missing.
"$VENV/bin/python" -m bot.runtime.production check
BOOKING_DATABASE_URL=$("$VENV/bin/python" -m bot.runtime.production booking-url)
export BOOKING_DATABASE_URL
