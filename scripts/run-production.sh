#!/usr/bin/env bash
# The production profile on this machine: conversations and bookings on PostgreSQL, the lock store
# on Redis (endpoints.production.yml). Every setting can be overridden from the environment.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/production-env.sh
exec scripts/run.sh
