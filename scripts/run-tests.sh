#!/usr/bin/env bash
# Runs the whole suite on SQLite, then on PostgreSQL (TEST_PG_URL, default the local server).
# In CI (CI=true) PostgreSQL must be reachable: the PostgreSQL run fails rather than skips.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PG_URL=${TEST_PG_URL:-postgresql://postgres@127.0.0.1:5432/postgres}

echo "== test suite on SQLite =="
TEST_DATABASE_URL=sqlite:// $PY -m pytest -q -p no:cacheprovider "$@"

echo "== test suite on PostgreSQL ($PG_URL) =="
TEST_DATABASE_URL=$PG_URL $PY -m pytest -q -p no:cacheprovider "$@"
