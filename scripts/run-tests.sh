#!/usr/bin/env bash
# Runs the whole suite on SQLite, then on PostgreSQL (TEST_PG_URL, default the local server).
# Both runs always happen; the script fails if either fails. pytest's exit code 5 ("no tests
# collected") counts as a failure: a suite that silently runs nothing must not pass.
# In CI (CI set) PostgreSQL must be reachable: tests/conftest.py fails rather than skips.
# Extra arguments go to pytest, e.g. `scripts/run-tests.sh tests/test_app.py -x`.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
PG_URL=${TEST_PG_URL:-postgresql://postgres@127.0.0.1:5432/postgres}
# The URL as printed: any password masked.
PG_SHOWN=$(printf '%s' "$PG_URL" | sed -E 's#//([^:/@]+):[^@]*@#//\1:***@#')

run_suite() {
  local label=$1 url=$2
  shift 2
  echo "== test suite on $label =="
  TEST_DATABASE_URL=$url "$PY" -m pytest -q -rfEs -p no:cacheprovider "$@"
  local rc=$?
  if [ "$rc" -eq 5 ]; then
    echo "ERROR: pytest collected no tests on $label" >&2
    rc=1
  fi
  return "$rc"
}

status=0
run_suite SQLite "sqlite://" "$@" || status=1
run_suite "PostgreSQL ($PG_SHOWN)" "$PG_URL" "$@" || status=1

if [ "$status" -ne 0 ]; then
  echo "== FAILED: see the runs above ==" >&2
fi
exit "$status"
