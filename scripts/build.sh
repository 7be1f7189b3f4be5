#!/usr/bin/env bash
# Release build: target/release/berth, target/site, and the seeding tool.
set -euo pipefail
cd "$(dirname "$0")/.."
# Stale precompressed copies would be served in place of a new bundle.
rm -f target/site/pkg/*.gz target/site/pkg/*.br
cargo leptos build --release
# Smaller WASM (cargo-leptos 0.3.10 does not run wasm-opt itself), then
# br and gzip copies at maximum levels for the static file service.
pkg=target/site/pkg
if command -v wasm-opt >/dev/null; then
  # --converge repeats -Oz until it stops paying (about 0.2 KB with brotli).
  wasm-opt -Oz --converge --strip-debug --strip-producers "$pkg/berth.wasm" -o "$pkg/berth.opt.wasm"
  mv "$pkg/berth.opt.wasm" "$pkg/berth.wasm"
fi
for f in "$pkg"/*.wasm "$pkg"/*.js "$pkg"/*.css; do
  gzip -9 -k -f "$f"
  if command -v brotli >/dev/null; then brotli -f -q 11 "$f"; fi
done
# Same LEPTOS_OUTPUT_NAME as cargo-leptos, so the two builds share compiled crates.
LEPTOS_OUTPUT_NAME=berth cargo build --release --no-default-features --features ssr --bin berth-seed
