#!/usr/bin/env bash
# The whole suite in one vitest run (unit, integration, e2e projects), then one plain summary line.
set -u
cd "$(dirname "$0")/.."
mkdir -p test-artifacts
# `pnpm test` has just built server/dist: the integration project runs against the compiled server (what
# `pnpm start` runs) rather than the TypeScript sources. Export BESEDA_TEST_SERVER=src to override.
export BESEDA_TEST_SERVER="${BESEDA_TEST_SERVER:-dist}"
npx vitest run --reporter=default --reporter=json --outputFile.json=test-artifacts/vitest.json "$@"
code=$?
node scripts/test-summary.mjs test-artifacts/vitest.json || code=1
exit $code
