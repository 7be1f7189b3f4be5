#!/usr/bin/env bash
# Starts a local registry:2 (Debian's docker-registry) with htpasswd auth
# and delete enabled. Usage: scripts/registry.sh DIR PORT [EVENTS_URL TOKEN]
# With EVENTS_URL and TOKEN, the registry sends its notifications there
# (Berth's /events with BERTH_EVENTS_TOKEN=TOKEN).
# Users: admin/admin and viewer/viewer. Prints the PID.
set -euo pipefail
dir=$1 port=$2 events_url=${3:-} events_token=${4:-}
mkdir -p "$dir/data"
htpasswd -Bbc "$dir/htpasswd" admin admin >/dev/null 2>&1
htpasswd -Bb "$dir/htpasswd" viewer viewer >/dev/null 2>&1
cat > "$dir/config.yml" <<YAML
version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $dir/data
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$port
  secret: berth-local-secret
  headers:
    X-Content-Type-Options: [nosniff]
auth:
  htpasswd:
    realm: Registry Realm
    path: $dir/htpasswd
YAML
if [ -n "$events_url" ]; then
  cat >> "$dir/config.yml" <<YAML
notifications:
  endpoints:
    - name: berth
      url: $events_url
      headers:
        Authorization: [Bearer $events_token]
      timeout: 2s
      threshold: 5
      backoff: 1s
YAML
fi
docker-registry serve "$dir/config.yml" >"$dir/registry.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do
  code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/v2/" || true)
  [ "$code" = "401" ] && { echo "$pid"; exit 0; }
  sleep 0.1
done
echo "registry did not start; see $dir/registry.log" >&2
kill "$pid" 2>/dev/null || true
exit 1
