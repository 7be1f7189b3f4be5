#!/usr/bin/env bash
# Runs the demo: installs what is missing, builds, starts a local registry:2
# on 127.0.0.1:5000 seeded with demo images, and serves Berth on
# http://127.0.0.1:3000. Log in as admin/admin (may delete) or viewer/viewer.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
work="$PWD/.demo"
rm -rf "$work"; mkdir -p "$work"
# The registry tells Berth what happens (pushes, pulls, deletes) through
# its notifications, with a token made for this run.
events_token=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
reg_pid=$(scripts/registry.sh "$work/registry" 5000 http://127.0.0.1:3000/events "$events_token")
trap 'kill $reg_pid 2>/dev/null || true' EXIT
target/release/berth-seed --registry-url http://127.0.0.1:5000 --username admin --password admin
echo
echo "Berth: http://127.0.0.1:3000  (admin/admin may delete; viewer/viewer may not)"
BERTH_REGISTRY_URL=http://127.0.0.1:5000 BERTH_AUTH=registry BERTH_ADMINS=admin \
  BERTH_PUBLIC_HOST=127.0.0.1:5000 BERTH_EVENTS_TOKEN="$events_token" \
  BERTH_REGISTRY_USERNAME=admin BERTH_REGISTRY_PASSWORD=admin \
  BERTH_INDEX_USERNAME=admin BERTH_INDEX_PASSWORD=admin \
  BERTH_DATABASE_URL="sqlite://$work/berth.db" target/release/berth
