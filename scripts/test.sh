#!/usr/bin/env bash
# The project's test command (npm test, .ci/run): installs what is missing,
# starts the local test bed, builds, runs every test. The last line printed is
# "N passed, N failed". Extra arguments go to scripts/run-tests.mjs (--unit,
# --e2e, paths). TESTBED_STOP=1 stops the test bed afterwards.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

STATE="${IMAGESHIP_TESTBED:-/tmp/imageship-testbed}"
tests_ran=0
finish() {
  local rc=$?
  if [ "${TESTBED_STOP:-0}" = 1 ]; then
    mkdir -p "$STATE"
    # Quietly, so the summary line stays the last line.
    bash test-env/stop.sh >"$STATE/stop.log" 2>&1 || true
  fi
  if [ "$tests_ran" = 0 ] && [ "$rc" != 0 ]; then
    echo "test.sh: setup failed before any test ran (exit $rc)" >&2
  fi
  exit "$rc"
}
trap finish EXIT

# npm writes node_modules/.package-lock.json on every install: older than the lock means stale.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "test.sh: installing dependencies (npm ci)" >&2
  npm ci --no-audit --no-fund >&2
fi

bash test-env/start.sh
npm run --silent build >&2

tests_ran=1
rc=0
node scripts/run-tests.mjs "$@" || rc=$?
exit "$rc"
