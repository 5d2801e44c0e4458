#!/usr/bin/env bash
# Runs the linter (ruff check, [tool.ruff] in pyproject.toml), then the whole suite on SQLite,
# then on PostgreSQL (TEST_PG_URL, default the local server), then the date-sensitive tests on
# both with the clock in a later year (R-16.5).
# Both runs always happen; the script fails if either fails. pytest's exit code 5 ("no tests
# collected") counts as a failure: a suite that silently runs nothing must not pass.
# In CI (CI set) PostgreSQL must be reachable: tests/conftest.py fails rather than skips.
# Extra arguments go to pytest, e.g. `scripts/run-tests.sh tests/test_app.py -x`; with them,
# only the selected tests run (no linter, no later-year runs).
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

# R-16.5: the tests marked date_sensitive run again with the injected clock (app/clock.py,
# frozen by tests/conftest.py at TEST_TODAY) standing in a later year.
LATER_DAY=${TEST_LATER_DAY:-2028-03-15}

status=0
if [ "$#" -eq 0 ]; then
  echo "== ruff check =="
  "$PY" -m ruff check || status=1
fi
run_suite SQLite "sqlite://" "$@" || status=1
run_suite "PostgreSQL ($PG_SHOWN)" "$PG_URL" "$@" || status=1
if [ "$#" -eq 0 ]; then
  TEST_TODAY=$LATER_DAY run_suite "SQLite, clock at $LATER_DAY" "sqlite://" -m date_sensitive \
    || status=1
  TEST_TODAY=$LATER_DAY run_suite "PostgreSQL, clock at $LATER_DAY" "$PG_URL" -m date_sensitive \
    || status=1
fi

if [ "$status" -ne 0 ]; then
  echo "== FAILED: see the runs above ==" >&2
fi
exit "$status"
