#!/usr/bin/env bash
# Installs everything Berth's build, demo and tests need. Idempotent: each
# step is skipped when its tool is already there at the right version.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\n==> %s\n' "$*"; }
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"

# fonts-wqy-zenhei: a CJK font, so Chromium draws the Chinese pages in the
# end-to-end screenshots (not needed to run Berth).
APT_PACKAGES=(docker-registry apache2-utils chromium ca-certificates curl wrk brotli postgresql prometheus fonts-wqy-zenhei umoci skopeo)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  log "apt-get install ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi

if ! rustup target list --installed | grep -q wasm32-unknown-unknown; then
  log "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

# cargo-leptos 0.3.10 builds on this toolchain; 0.3.11 needs a newer rustc.
if ! cargo leptos --version 2>/dev/null | grep -q "0.3.10"; then
  log "cargo install cargo-leptos 0.3.10 (about 13 minutes on 2 cores)"
  cargo install cargo-leptos --version 0.3.10 --locked
fi

# The wasm-bindgen CLI must equal the library version in Cargo.lock.
WB_VERSION=$(grep -A1 '^name = "wasm-bindgen"$' Cargo.lock | sed -n 's/^version = "\(.*\)"$/\1/p')
if ! wasm-bindgen --version 2>/dev/null | grep -q " ${WB_VERSION}$"; then
  log "cargo install wasm-bindgen-cli ${WB_VERSION}"
  cargo install wasm-bindgen-cli --version "${WB_VERSION}" --force
fi

# wasm-opt for release builds (cargo-leptos cannot download it here).
if ! command -v wasm-opt >/dev/null 2>&1; then
  log "npm install -g binaryen@132"
  npm install -g binaryen@132
fi

if [ ! -d end2end/node_modules/@playwright/test ] || [ ! -d end2end/node_modules/@axe-core/playwright ]; then
  log "npm ci in end2end/"
  (cd end2end && npm ci --no-audit --no-fund)
fi
