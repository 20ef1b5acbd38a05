#!/usr/bin/env bash
# Measures wharfd beside a real dockerd in one run on this machine, with the shared harness
# (../shared/bench) and the same docker CLI. Both engines get the same busybox tar.
#
#   bench/compare.sh [script ...]     default: engine-latency engine-throughput engine-memory
#   REPEAT=1 (reps per engine, interleaved by run-all)   BENCH=<path of the shared harness>
#
# Starts a private wharfd (bridge wharfb0, roots under /tmp) and, if none answers on
# /var/run/docker.sock, a dockerd from Debian's docker.io (installed if missing). Stops what it
# started. Results go to bench/results/<date>-{wharf,docker}/; the comparison table is printed.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)
BENCH=${BENCH:-$REPO/../shared/bench}
REPEAT=${REPEAT:-1}
SCRIPTS=("$@")
[ ${#SCRIPTS[@]} -gt 0 ] || SCRIPTS=(engine-latency engine-throughput engine-memory)
DATE=$(date +%F)
OUT=$REPO/bench/results
mkdir -p "$OUT"

./scripts/setup.sh >/dev/null
NEED=()
for p in docker.io apache2-utils python3 curl; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || NEED+=("$p")
done
if [ ${#NEED[@]} -gt 0 ]; then apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${NEED[@]}" >/dev/null; fi

WORK=$(mktemp -d /tmp/wharf-bench.XXXXXX)
WSOCK=$WORK/wharf.sock
started_dockerd=""
cleanup() {
  [ -f "$WORK/wharfd.pid" ] && kill "$(cat "$WORK/wharfd.pid")" 2>/dev/null || true
  [ -n "$started_dockerd" ] && kill "$started_dockerd" 2>/dev/null || true
  sleep 1
  rm -rf "$WORK"
}
trap cleanup EXIT

./bin/wharfd -H "unix://$WSOCK" --data-root "$WORK/data" --exec-root "$WORK/run" -p "$WORK/wharfd.pid" -b wharfb0 >"$WORK/wharfd.log" 2>&1 &
if ! DOCKER_HOST=unix:///var/run/docker.sock docker version >/dev/null 2>&1; then
  dockerd >"$WORK/dockerd.log" 2>&1 &
  started_dockerd=$!
fi
for _ in $(seq 1 150); do
  DOCKER_HOST=unix://$WSOCK docker version >/dev/null 2>&1 && DOCKER_HOST=unix:///var/run/docker.sock docker version >/dev/null 2>&1 && break
  sleep 0.2
done

./scripts/make-busybox-tar.sh "$WORK/busybox.tar"
for host in "unix://$WSOCK" unix:///var/run/docker.sock; do
  DOCKER_HOST=$host docker image inspect busybox:latest >/dev/null 2>&1 || DOCKER_HOST=$host docker import "$WORK/busybox.tar" busybox:latest >/dev/null
done

RESULTS=$OUT/$DATE-docker DOCKER_HOST=unix:///var/run/docker.sock REPEAT=$REPEAT LABEL=docker "$BENCH/run-all" "${SCRIPTS[@]}"
RESULTS=$OUT/$DATE-wharf DOCKER_HOST=unix://$WSOCK REPEAT=$REPEAT LABEL=wharf \
  ENGINE_PROC_REGEX="^node .*wharfd.*$WORK|^(/[^ ]*/)?conmon .*$WORK" "$BENCH/run-all" "${SCRIPTS[@]}"
"$BENCH/aggregate" "$OUT/$DATE-docker" "$OUT/$DATE-wharf"
