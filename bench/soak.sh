#!/usr/bin/env bash
# The soak, in one command: builds the release, starts a registry:2
# (Debian's docker-registry) on loopback, seeds the demo content, and runs
# Berth under a mixed wrk load with pushes and deletes for 10 minutes.
#   bench/soak.sh          10 minutes
#   bench/soak.sh 60       a minute, to check that it runs
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}

scripts/setup.sh >/dev/null
[[ -x target/release/berth && -d target/site/pkg ]] || scripts/build.sh
LEPTOS_OUTPUT_NAME=berth cargo build --release --no-default-features --features ssr --bin berth-soak

work=target/soak
rm -rf "$work"
mkdir -p "$work"
port=${BERTH_SOAK_REGISTRY_PORT:-5091}
reg_pid=$(scripts/registry.sh "$work/registry" "$port")
trap 'kill $reg_pid 2>/dev/null || true' EXIT

warm=$(( seconds < 120 ? seconds / 4 : 60 ))
LEPTOS_SITE_ROOT=target/site target/release/berth-soak \
  --registry-url "http://127.0.0.1:$port" --seed --seconds "$seconds" --warm-up "$warm" \
  | tee "$work/table.md"
