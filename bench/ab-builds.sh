#!/usr/bin/env bash
# A/B of two wharfd builds on this machine, alternating them round by round so that the VM's
# drift in speed (10-20 % within minutes here) touches both alike. Each round starts a private
# wharfd from one build (same roots, bridge wharfab0) and measures, with the docker CLI 28.2:
#   seq    ms per container of N detached `run -d` one after another
#   par4   ms per container of N detached `run -d` from 4 clients
#   start  median server-side `start` of N containers (curl; its create comes ~10 ms earlier)
#
#   bench/ab-builds.sh DIR_A DIR_B      ROUNDS=3 N=40; each DIR a checkout with its dist/ built
#                                       (./scripts/setup.sh there); NO_BUILD is implied here
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -eq 2 ] || { echo "usage: bench/ab-builds.sh DIR_A DIR_B" >&2; exit 2; }
A=$(readlink -f "$1")
B=$(readlink -f "$2")
ROUNDS=${ROUNDS:-3}
N=${N:-40}
export NO_BUILD=1
# shellcheck source=bench/lib-engines.sh
. bench/lib-engines.sh
engines_init wharf-ab

stop_wharfd() {
  kill "$WPID" 2>/dev/null || true
  local _
  for _ in $(seq 1 100); do kill -0 "$WPID" 2>/dev/null || break; sleep 0.1; done
  WPID=""
}

per_ctr_ms() { awk -v n="$N" '{ printf "%.1f", ($2 - $1) / n / 1e6 }'; }
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

measure() {
  local t0 t1 starts=() i id
  export DOCKER_HOST=unix://$WSOCK
  t0=$(date +%s%N)
  for i in $(seq "$N"); do docker run -d --name "ab_s$i" busybox:latest sleep 600 >/dev/null; done
  t1=$(date +%s%N)
  local seq_ms; seq_ms=$(echo "$t0 $t1" | per_ctr_ms)
  docker rm -f $(docker ps -aq) >/dev/null
  t0=$(date +%s%N)
  seq "$N" | xargs -P 4 -I{} docker run -d --name "ab_p{}" busybox:latest sleep 600 >/dev/null
  t1=$(date +%s%N)
  local par_ms; par_ms=$(echo "$t0 $t1" | per_ctr_ms)
  docker rm -f $(docker ps -aq) >/dev/null
  for i in $(seq "$N"); do
    id=$(curl -s --unix-socket "$WSOCK" -H 'Content-Type: application/json' \
      -d '{"Image":"busybox:latest","Cmd":["sleep","600"]}' "http://d/v1.41/containers/create?name=ab_c$i" | sed 's/.*"Id":"\([0-9a-f]*\)".*/\1/')
    starts+=("$(curl -s -o /dev/null -w '%{time_total}' --unix-socket "$WSOCK" -X POST "http://d/v1.41/containers/$id/start")")
  done
  local start_ms; start_ms=$(printf '%s\n' "${starts[@]}" | median | awk '{ printf "%.1f", $1 * 1000 }')
  docker rm -f $(docker ps -aq) >/dev/null
  echo "seq $seq_ms par4 $par_ms start $start_ms"
}

declare -A results
for r in $(seq 1 "$ROUNDS"); do
  for label in A B; do
    dir=$A; [ "$label" = B ] && dir=$B
    WHARFD=$dir/bin/wharfd start_wharfd wharfab0
    ensure_busybox "unix://$WSOCK"
    DOCKER_HOST=unix://$WSOCK docker run --rm busybox:latest true >/dev/null   # warm-up
    line=$(measure)
    echo "round $r $label ($dir): $line"
    results[$label]+="$line"$'\n'
    stop_wharfd
  done
done
for label in A B; do
  for f in seq par4 start; do
    m=$(printf '%s' "${results[$label]}" | awk -v f="$f" '{ for (i = 1; i < NF; i++) if ($i == f) print $(i + 1) }' | median)
    printf '%s %s median %s ms\n' "$label" "$f" "$m"
  done
done
