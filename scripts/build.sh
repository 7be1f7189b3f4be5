#!/usr/bin/env bash
# Release build: target/release/berth, target/site, and the seeding tool.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo leptos build --release
# Same LEPTOS_OUTPUT_NAME as cargo-leptos, so the two builds share compiled crates.
LEPTOS_OUTPUT_NAME=berth cargo build --release --no-default-features --features ssr --bin berth-seed
