#!/usr/bin/env bash
# Two (or more) Berth builds, interleaved, against the registry bench/run.sh
# seeded (target/bench/registry): this machine's speed drifts within a day,
# so builds are compared round by round, never across runs.
#   bench/compare.sh [--rounds N] BERTH_BINARY...
# Per build and round: the warm 2,000-tag page (median of 30, time to the
# last byte, br) and the 12-tag page under wrk -t2 -c50 for 8 s.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=2
if [[ ${1:-} == --rounds ]]; then rounds=$2; shift 2; fi
(( $# > 0 )) || { echo "usage: bench/compare.sh [--rounds N] BERTH_BINARY..." >&2; exit 2; }
[[ -d target/bench/registry/data ]] || { echo "run bench/run.sh first: it seeds target/bench/registry" >&2; exit 2; }
reg_port=${BERTH_CMP_REGISTRY_PORT:-5093}
port=${BERTH_CMP_PORT:-3093}
base="http://127.0.0.1:$port"
work=$(mktemp -d)
reg_pid=$(scripts/registry.sh target/bench/registry "$reg_port")
berth_pid=
trap 'kill $reg_pid $berth_pid 2>/dev/null || true; rm -rf "$work"' EXIT

one() {
  local bin=$1
  rm -f "$work"/berth.db*
  BERTH_REGISTRY_URL="http://127.0.0.1:$reg_port" BERTH_AUTH=registry BERTH_ADMINS=admin \
    BERTH_LISTEN="127.0.0.1:$port" BERTH_DATABASE_URL="sqlite://$work/berth.db" \
    LEPTOS_SITE_ROOT=target/site "$bin" >"$work/berth.log" 2>&1 &
  berth_pid=$!
  for _ in $(seq 100); do curl -fs -o /dev/null "$base/healthz" && break; sleep 0.1; done
  local cookie
  cookie=$(curl -s -o /dev/null -D - -X POST "$base/auth/login" \
    -H "Origin: $base" -H 'Sec-Fetch-Site: same-origin' \
    --data 'username=admin&password=admin&next=%2F' |
    tr -d '\r' | sed -n 's/^[Ss]et-[Cc]ookie: \([^;]*\).*/\1/p' | head -1)
  # Fill the caches.
  curl -s -o /dev/null --max-time 300 -H "Cookie: $cookie" "$base/r/bench/big"
  local big rps
  big=$(for _ in $(seq 30); do
      curl -s -o /dev/null -w '%{time_total}\n' -H "Cookie: $cookie" -H 'Accept-Encoding: gzip, deflate, br, zstd' "$base/r/bench/big"
    done | sort -n | awk '{a[NR]=$1} END {printf "%.1f", a[int(NR/2)+1]*1000}')
  rps=$(wrk -t2 -c50 -d8s -H "Cookie: $cookie" -H 'Accept-Encoding: gzip, deflate, br, zstd' "$base/r/bench/app" |
    awk '/Requests\/sec/ {printf "%.0f", $2}')
  kill "$berth_pid"; wait "$berth_pid" 2>/dev/null || true; berth_pid=
  echo "| $round | $bin | $big ms | $rps req/s |"
}

echo "| round | build | /r/bench/big warm | /r/bench/app |"
echo "|---|---|---|---|"
for round in $(seq "$rounds"); do
  for bin in "$@"; do one "$bin"; done
done
