#!/usr/bin/env bash
# The whole suite in one vitest run (unit, integration, e2e projects), then one plain summary line.
set -u
cd "$(dirname "$0")/.."
mkdir -p test-artifacts
npx vitest run --reporter=default --reporter=json --outputFile.json=test-artifacts/vitest.json "$@"
code=$?
node scripts/test-summary.mjs test-artifacts/vitest.json || code=1
exit $code
