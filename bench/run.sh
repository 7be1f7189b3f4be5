#!/usr/bin/env bash
# The benchmark, in one command: builds the release, starts a registry:2
# (Debian's docker-registry) on loopback, seeds it through the Registry API
# (10,000 repositories in 10 namespaces, one repository with 2,000 tags),
# then measures Berth and prints each figure beside its goal.
#   bench/run.sh           full run (about 12 minutes on 2 cores, most of it seeding),
#                          then Lighthouse (bench/lighthouse.sh)
#   bench/run.sh --smoke   a few hundred tags, for CI: proves the benchmark runs
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-full}

if [[ "$mode" == "--smoke" ]]; then
  flags=(--repos 100 --tags 200 --samples 5 --cold-rounds 1 --wrk-seconds 2)
else
  flags=(--repos 10000 --tags 2000 --samples 50 --cold-rounds 3 --wrk-seconds 20)
fi

scripts/setup.sh >/dev/null   # idempotent: wrk, docker-registry, chromium, …
[[ -x target/release/berth && -d target/site/pkg ]] || scripts/build.sh
LEPTOS_OUTPUT_NAME=berth cargo build --release --no-default-features --features ssr --bin berth-bench

work=target/bench
rm -rf "$work"
mkdir -p "$work"
port=${BERTH_BENCH_REGISTRY_PORT:-5090}
reg_pid=$(scripts/registry.sh "$work/registry" "$port")
trap 'kill $reg_pid 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -fs -o /dev/null -w '' "http://127.0.0.1:$port/v2/" -u admin:admin && break; sleep 0.1; done

echo "berth-bench $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores: ${flags[*]}"
LEPTOS_SITE_ROOT=target/site target/release/berth-bench \
  --registry-url "http://127.0.0.1:$port" --seed "${flags[@]}" \
  --browser-script bench/browser-load.cjs | tee "$work/table.md"

# Layer figures: a 200 MiB gzip layer listed and read by a child process
# (full runs only: pushing it takes a while).
if [[ "$mode" != "--smoke" ]]; then
  echo
  target/release/berth-bench --registry-url "http://127.0.0.1:$port" --only-layers | tee "$work/layers.md"
fi

# Lighthouse's mobile preset on a repository and a tag page (full runs only).
if [[ "$mode" != "--smoke" ]]; then
  echo
  bench/lighthouse.sh | tee "$work/lighthouse.md"
fi
