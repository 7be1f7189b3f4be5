#!/usr/bin/env bash
# Runs the cargo-fuzz targets in fuzz/ one after another, each for a fixed
# number of executions, and prints a table of the results.
#
#   scripts/fuzz.sh [RUNS] [TARGET...]     RUNS defaults to 10000000
#
# The targets are built once, then the built binaries run, so edits made to
# src/ while the script runs do not trigger rebuilds between targets.
# FUZZ_NO_BUILD=1 skips the build and runs the binaries already built.
# FUZZ_MAX_TIME=SECONDS caps each target's run (libFuzzer -max_total_time)
# for a target too slow to reach RUNS; the table shows what it did execute.
#
# One fuzz process at a time, under `nice`, without sanitizers (safe Rust).
# Corpora are seeded from the recorded registry answers in
# src/registry/fixtures/. Crash inputs land in fuzz/artifacts/<target>/;
# the script exits non-zero if any target has one. Logs: fuzz/target/logs/.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
FUZZ=$ROOT/fuzz
FIX=$ROOT/src/registry/fixtures
RUNS=${1:-10000000}
shift || true
ALL_TARGETS=(manifest www_authenticate link names semver_sort)
TARGETS=("${ALL_TARGETS[@]}")
[ $# -eq 0 ] || TARGETS=("$@")
LOGS=$FUZZ/target/logs
TIME_CAP=()
[ -z "${FUZZ_MAX_TIME:-}" ] || TIME_CAP=(-max_total_time="$FUZZ_MAX_TIME")

if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
    cargo install cargo-fuzz --locked
fi

if [ -z "${FUZZ_NO_BUILD:-}" ]; then
    echo "== building fuzz targets"
    (cd "$FUZZ" && nice -n 10 cargo +nightly fuzz build -s none)
fi
BIN=$FUZZ/target/$(rustc +nightly -vV | sed -n 's/^host: //p')/release

# ---------------------------------------------------------------- seeds --

# The body of a recorded answer: everything after the first blank line.
body_of() { sed '1,/^$/d' "$1"; }
# A header value of a recorded answer (first match, case-insensitive).
header_of() { sed -n '/^$/q; s/\r$//; s/^'"$2"': *//Ip' "$1" | head -n 1; }
# The non-comment lines of a *.txt fixture.
lines_of() { grep -v '^#' "$1" | grep -v '^$' || true; }
hexbyte() { printf "\\x$(printf %02x "$1")"; }
# Its arguments joined by NUL bytes.
nul_join() { printf '%s' "$1"; shift; for x in "$@"; do printf '\0%s' "$x"; done; }

# Indexes into CONTENT_TYPES / STATUSES of fuzz_targets/manifest.rs.
ct_index() {
    case "$(printf %s "$1" | tr 'A-Z' 'a-z' | sed 's/;.*//; s/ *$//')" in
        "") echo 0 ;;
        application/json) echo 2 ;;
        text/plain) echo 3 ;;
        application/octet-stream) echo 4 ;;
        application/vnd.docker.distribution.manifest.v2+json) echo 5 ;;
        application/vnd.docker.distribution.manifest.list.v2+json) echo 6 ;;
        application/vnd.docker.distribution.manifest.v1+prettyjws) echo 7 ;;
        application/vnd.docker.distribution.manifest.v1+json) echo 8 ;;
        application/vnd.oci.image.manifest.v1+json) echo 9 ;;
        application/vnd.oci.image.index.v1+json) echo 10 ;;
        *) echo 0 ;;
    esac
}
status_index() {
    case "$1" in
        200) echo 0 ;; 202) echo 1 ;; 400) echo 2 ;; 401) echo 3 ;; 403) echo 4 ;;
        404) echo 5 ;; 405) echo 6 ;; 429) echo 10 ;; 500) echo 11 ;; *) echo 0 ;;
    esac
}

seed() { # seed TARGET NAME  (content on stdin)
    mkdir -p "$FUZZ/corpus/$1"
    cat >"$FUZZ/corpus/$1/seed-$2"
}

seed_corpora() {
    local f n ct st i
    # manifest: [content-type][flags] body, flags 0x05 = header digest is the
    # body's sha256 and the reference is that digest; high nibble = status.
    for f in "$FIX"/*/*.http; do
        n=$(basename "$(dirname "$f")")-$(basename "$f" .http)
        ct=$(ct_index "$(header_of "$f" Content-Type)")
        st=$(status_index "$(sed -n '/^HTTP/{s/^HTTP\/[0-9.]* \([0-9]*\).*/\1/p;q}' "$f")")
        { hexbyte "$ct"; hexbyte $((st * 16 + 5)); body_of "$f"; } | seed manifest "$n"
        { hexbyte 0; hexbyte $((st * 16)); body_of "$f"; } | seed manifest "$n-sniffed"
    done
    # The signed schema 1 manifest: the reference is its JWS payload digest.
    { hexbyte 7; hexbyte 9; cat "$FIX/registry2/manifest-schema1.json"; } | seed manifest schema1-signed
    { hexbyte 0; hexbyte 0; cat "$FIX/registry2/manifest-schema1.json"; } | seed manifest schema1-sniffed
    for i in 5 6 9 10; do
        { hexbyte $i; hexbyte 5; body_of "$FIX/spec/buildkit-attestation-index.http"; } | seed manifest "attestation-index-ct$i"
        { hexbyte $i; hexbyte 5; body_of "$FIX/spec/buildkit-attestation-manifest.http"; } | seed manifest "attestation-manifest-ct$i"
    done
    { hexbyte 12; hexbyte 4; printf '%s' '{"created":"2024-01-02T03:04:05Z","architecture":"arm64","variant":"v8","os":"linux","config":{"Env":["PATH=/bin"]},"rootfs":{"type":"layers","diff_ids":["sha256:2d0e6ba2d36e4ab1f5a3d1bd5fe8a1ec2e6e1c0c7e4e1d1b7e9d0f1a2b3c4d5e"]},"history":[{"created":"2024-01-02T03:04:05Z","created_by":"ADD x /"}]}'; } | seed manifest image-config
    { hexbyte 14; hexbyte 4; printf '%s' '{"name":"chart","version":"1.2.3","appVersion":"4.5","description":"a chart","apiVersion":"v2"}'; } | seed manifest helm-config
    { hexbyte 9; hexbyte 5; printf '%s' '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","artifactType":"application/vnd.cncf.helm.config.v1+json","config":{"mediaType":"application/vnd.cncf.helm.config.v1+json","digest":"sha256:0000000000000000000000000000000000000000000000000000000000000000","size":117},"layers":[{"mediaType":"application/vnd.cncf.helm.chart.content.v1.tar+gzip","digest":"sha256:1111111111111111111111111111111111111111111111111111111111111111","size":3000}],"subject":{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:2222222222222222222222222222222222222222222222222222222222222222","size":7}}'; } | seed manifest helm-manifest

    # www_authenticate: recorded challenges.
    i=0
    for f in "$FIX"/*/challenge*.txt "$FIX"/zot/*challenge*.txt "$FIX"/zot/v2-bearer-hint.txt; do
        while IFS= read -r line; do
            i=$((i + 1)); printf '%s' "$line" | seed www_authenticate "txt-$i"
        done < <(lines_of "$f")
    done
    for f in "$FIX"/*/*.http; do
        line=$(header_of "$f" Www-Authenticate)
        [ -z "$line" ] || printf '%s' "$line" | seed www_authenticate "http-$(basename "$(dirname "$f")")-$(basename "$f" .http)"
    done
    printf '%s' 'Bearer realm="https://registry.example:5000/token",service="registry.example",scope="repository:a/b:pull,push repository:c:pull", Basic realm="x\"y"' | seed www_authenticate handmade-1
    printf '%s' 'Bearer realm=https://registry.example/auth,error=insufficient_scope' | seed www_authenticate handmade-2

    # link: recorded Link headers.
    i=0
    for f in "$FIX"/quay/link-next-*.txt; do
        while IFS= read -r line; do
            i=$((i + 1)); printf '%s' "$line" | seed link "txt-$i"
        done < <(lines_of "$f")
    done
    for f in "$FIX"/*/*.http; do
        line=$(header_of "$f" Link)
        [ -z "$line" ] || printf '%s' "$line" | seed link "http-$(basename "$(dirname "$f")")-$(basename "$f" .http)"
    done
    printf '%s' '<https://other/v2/x/tags/list?last=a,b>; rel="prev", <//registry.example:5000/v2/_catalog?n=2&last=c>; rel="next"' | seed link handmade-1
    printf '%s' '<http://registry.example:5000/v2/_catalog?last=b&n=100>; rel=next' | seed link handmade-2

    # names: tags, repositories, digests, routes, post-login targets.
    i=0
    while IFS= read -r line; do
        i=$((i + 1)); printf '%s' "$line" | seed names "cosign-$i"
    done < <(lines_of "$FIX/spec/cosign-tags.txt")
    printf '%s' 'team-a/web latest' | seed names repo-tag
    printf '%s' 'library/alpine sha256:2d0e6ba2d36e4ab1f5a3d1bd5fe8a1ec2e6e1c0c7e4e1d1b7e9d0f1a2b3c4d5e' | seed names repo-digest
    printf '%s' 'a.b/c__d/e---f v1.2.3-rc.1_x' | seed names repo-separators
    printf '%s' 'sha256:2d0e6ba2d36e4ab1f5a3d1bd5fe8a1ec2e6e1c0c7e4e1d1b7e9d0f1a2b3c4d5e' | seed names digest
    printf '%s' '/r/team-a/web/-/tag/v1.0' | seed names route-tag
    printf '%s' '/r/team-a/web/-/delete?tags=a%2Cb' | seed names route-delete
    printf '%s' '//evil.example/' | seed names next-evil
    printf '%s' '/\evil.example' | seed names next-backslash

    # semver_sort: NUL-separated tag lists.
    nul_join v1.9.0 v1.10.0 v1.2.3 v1.10.0-rc1 v2.0.0 v1.9.1 | seed semver_sort tags
    nul_join 1.01 1.1 10 9 V1.1 01 | seed semver_sort numbers
    nul_join 1.0.0-alpha 1.0.0-alpha.1 1.0.0-beta.2 1.0.0-rc.1 1.0.0 latest | seed semver_sort prerelease
    lines_of "$FIX/spec/cosign-tags.txt" | tr '\n' '\0' | seed semver_sort cosign
}

echo "== seeding corpora"
seed_corpora

# ------------------------------------------------------------------ runs --

mkdir -p "$LOGS"
declare -A EXECS SECS RATE CRASHES STATUS
for t in "${TARGETS[@]}"; do
    max_len=4096
    [ "$t" = manifest ] && max_len=65536
    mkdir -p "$FUZZ/artifacts/$t" "$FUZZ/corpus/$t"
    log=$LOGS/$t.log
    echo "== fuzzing $t: $RUNS runs, max_len $max_len (log: $log)"
    start=$(date +%s.%N)
    set +e
    (cd "$FUZZ" && nice -n 10 "$BIN/$t" -artifact_prefix="$FUZZ/artifacts/$t/" \
        -runs="$RUNS" -max_len="$max_len" -rss_limit_mb=2048 -timeout=10 \
        -print_final_stats=1 "${TIME_CAP[@]}" "$FUZZ/corpus/$t") >"$log" 2>&1
    rc=$?
    set -e
    end=$(date +%s.%N)
    grep '^stat::' "$log" || true
    [ $rc -eq 0 ] || { echo "   $t exited with $rc; last lines:"; tail -n 25 "$log"; }
    EXECS[$t]=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    # A run that died before its final stats: take the last progress line.
    [ -n "${EXECS[$t]}" ] || EXECS[$t]=$(sed -n 's/^#\([0-9]*\).*/\1/p' "$log" | tail -n 1)
    EXECS[$t]=${EXECS[$t]:-0}
    SECS[$t]=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')
    RATE[$t]=$(awk -v n="${EXECS[$t]}" -v s="${SECS[$t]}" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }')
    CRASHES[$t]=$(find "$FUZZ/artifacts/$t" -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
    STATUS[$t]=$rc
done

echo
printf '%-18s %14s %10s %10s %8s %5s\n' target executions seconds exec/s crashes rc
failed=0
for t in "${TARGETS[@]}"; do
    printf '%-18s %14s %10s %10s %8s %5s\n' "$t" "${EXECS[$t]}" "${SECS[$t]}" "${RATE[$t]}" "${CRASHES[$t]}" "${STATUS[$t]}"
    if [ "${CRASHES[$t]}" -gt 0 ] || [ "${STATUS[$t]}" -ne 0 ]; then failed=1; fi
done
if [ $failed -ne 0 ]; then
    echo "crash inputs: fuzz/artifacts/<target>/ (replay: cd fuzz && cargo +nightly fuzz run -s none <target> <file>)"
    exit 1
fi
