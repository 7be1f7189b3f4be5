#!/usr/bin/env bash
# Runs every test: unit tests, integration tests against a real registry:2,
# then the release build in Chromium via Playwright (JavaScript on and off).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
echo "==> cargo test (unit + integration against a real registry:2)"
# One test at a time: each integration test starts its own registry and
# Berth, and on 2 cores serial runs are as fast and steadier.
cargo test --features ssr -- --test-threads=1
echo "==> release build"
scripts/build.sh
echo "==> Playwright in Chromium (end2end/)"
(cd end2end && npx playwright test)
echo "==> benchmark smoke run (figures are printed, never judged)"
bench/run.sh --smoke
