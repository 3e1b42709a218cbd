#!/usr/bin/env bash
# `npm run demo`: install what is missing, start the local test bed (Docker
# daemon + an SWR-like registry checking the derived login), then run the
# bundled action end to end on examples/app. See scripts/demo.ts.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
bash test-env/start.sh
npm run --silent build
exec node build/scripts/demo.js
