#!/usr/bin/env bash
# Runs every test: unit tests, integration tests against a real registry:2,
# then the release build in Chromium via Playwright (JavaScript on and off).
set -euo pipefail
cd "$(dirname "$0")/.."
# Each phase line shows the time since the start (for the README's timings).
phase() { printf '\n==> [%dm%02ds] %s\n' $((SECONDS / 60)) $((SECONDS % 60)) "$*"; }
# A clean clone gains nothing from incremental state, and it doubles the
# disk a debug build takes (the linker dies with SIGBUS when the disk fills).
if [ -n "${CI:-}" ]; then export CARGO_INCREMENTAL=0; fi
df -h . | tail -1 | awk '{print "disk free here: " $4}'
scripts/setup.sh
phase "cargo test (unit + integration against a real registry:2 and PostgreSQL)"
# One test at a time: each integration test starts its own registry and
# Berth, and on 2 cores serial runs are as fast and steadier.
cargo test --features ssr --lib --test integration -- --test-threads=1
phase "release build"
scripts/build.sh
phase "Playwright in Chromium (end2end/)"
(cd end2end && npx playwright test)
phase "Playwright again, Berth under BERTH_BASE_PATH=/ui (as behind a reverse proxy)"
# The walk over every page's links, forms and assets, and the flows that
# move between pages (log-in, browsing, deleting, the island loader's URLs).
# The other specs do not depend on the path, and CI's time is bounded.
(cd end2end && BERTH_E2E_BASE_PATH=/ui npx playwright test links login browse delete islands files)
phase "benchmark smoke run (figures are printed, never judged)"
bench/run.sh --smoke
phase "done"
