#!/usr/bin/env bash
# Lighthouse 12.2.3 (mobile preset: slow 4G, 4x CPU slowdown) with Debian's
# Chromium on a repository page and a tag page of the demo registry, logged
# in (the session cookie goes in --extra-headers). Prints each page's scores
# and timings beside the goals. bench/run.sh runs it after the main figures;
# CI does not.
#   bench/lighthouse.sh [RUNS]   RUNS per page (default 3; the median is kept)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
scripts/setup.sh >/dev/null
[[ -x target/release/berth && -d target/site/pkg ]] || scripts/build.sh
lh_dir=target/lighthouse
if [[ ! -x $lh_dir/node_modules/.bin/lighthouse ]]; then
  mkdir -p "$lh_dir"
  (cd "$lh_dir" && npm install --no-audit --no-fund --prefix . lighthouse@12.2.3 >/dev/null)
fi

work=$PWD/target/bench-lighthouse
rm -rf "$work"; mkdir -p "$work"
reg_port=${BERTH_LH_REGISTRY_PORT:-5091}
port=${BERTH_LH_PORT:-3091}
reg_pid=$(scripts/registry.sh "$work/registry" "$reg_port")
berth_pid=
trap 'kill $reg_pid $berth_pid 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -fs -o /dev/null -u admin:admin "http://127.0.0.1:$reg_port/v2/" && break; sleep 0.1; done
target/release/berth-seed --registry-url "http://127.0.0.1:$reg_port" --username admin --password admin >/dev/null

BERTH_REGISTRY_URL="http://127.0.0.1:$reg_port" BERTH_AUTH=registry BERTH_ADMINS=admin \
  BERTH_LISTEN="127.0.0.1:$port" BERTH_DATABASE_URL="sqlite://$work/berth.db" \
  LEPTOS_SITE_ROOT=target/site target/release/berth >"$work/berth.log" 2>&1 &
berth_pid=$!
base="http://127.0.0.1:$port"
for _ in $(seq 100); do curl -fs -o /dev/null "$base/healthz" && break; sleep 0.1; done

# Log in as a browser does; keep the session cookie.
cookie=$(curl -s -o /dev/null -D - -X POST "$base/auth/login" \
  -H "Origin: $base" -H 'Sec-Fetch-Site: same-origin' \
  --data 'username=admin&password=admin&next=%2F' |
  tr -d '\r' | sed -n 's/^[Ss]et-[Cc]ookie: \([^;]*\).*/\1/p' | head -1)
[[ -n $cookie ]] || { echo "login failed" >&2; exit 1; }
# Warm the caches, as the benchmark's warm figures are.
for p in /r/library/alpine /r/team-a/backend/api/-/tag/v1.9.0; do
  curl -fs -o /dev/null -H "Cookie: $cookie" "$base$p"
done

echo "Lighthouse 12.2.3, mobile preset, median of $runs runs per page ($(date -u +%Y-%m-%dT%H:%MZ))"
echo
echo "| page | performance | accessibility | best practices | LCP | TBT | TTI | FCP | CLS |"
echo "|---|---|---|---|---|---|---|---|---|"
for p in /r/library/alpine /r/team-a/backend/api/-/tag/v1.9.0; do
  for i in $(seq "$runs"); do
    "$lh_dir/node_modules/.bin/lighthouse" "$base$p" --quiet \
      --chrome-path="${CHROMIUM_PATH:-/usr/bin/chromium}" \
      --chrome-flags="--headless=new --no-sandbox --disable-gpu" \
      --extra-headers="{\"Cookie\":\"$cookie\"}" \
      --only-categories=performance,accessibility,best-practices \
      --output=json --output-path="$work/lh-$i.json" >/dev/null 2>"$work/lh-$i.err" || {
        echo "lighthouse failed on $p:" >&2; tail -5 "$work/lh-$i.err" >&2; exit 1; }
  done
  node -e '
    const fs = require("fs");
    const [dir, runs, page] = process.argv.slice(1);
    const reports = [];
    for (let i = 1; i <= Number(runs); i++) reports.push(JSON.parse(fs.readFileSync(`${dir}/lh-${i}.json`)));
    const median = (f) => { const v = reports.map(f).sort((a, b) => a - b); return v[Math.floor(v.length / 2)]; };
    const score = (c) => Math.round(median((r) => r.categories[c].score) * 100);
    const ms = (a) => Math.round(median((r) => r.audits[a].numericValue));
    const cls = median((r) => r.audits["cumulative-layout-shift"].numericValue).toFixed(3);
    console.log(`| ${page} | ${score("performance")} | ${score("accessibility")} | ${score("best-practices")} | ${ms("largest-contentful-paint")} ms | ${ms("total-blocking-time")} ms | ${ms("interactive")} ms | ${ms("first-contentful-paint")} ms | ${cls} |`);
    const failed = [];
    for (const r of reports.slice(0, 1)) for (const c of ["accessibility", "best-practices"])
      for (const ref of r.categories[c].auditRefs)
        if (ref.weight > 0 && r.audits[ref.id].score !== null && r.audits[ref.id].score < 1) failed.push(`${c}: ${ref.id}`);
    if (failed.length) console.log(`|  | failing audits: ${failed.join(", ")} |||||||`);
  ' "$work" "$runs" "$p"
done
echo
echo "Goals (mobile): performance >= 98, LCP <= 1,500 ms, TBT <= 50 ms, accessibility 100, best practices 100."
