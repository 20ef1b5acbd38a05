#!/usr/bin/env bash
# Publishing a range of 1000 ports (`-p 20000-20999:20000-20999`) on wharfd and on dockerd, in one
# run: wall time of `docker run -d`, extra memory (PSS of the engine's processes, from
# /proc/<pid>/smaps_rollup) and extra processes. Then `docker rm -f` and its wall time.
#
#   bench/port-range.sh          (needs a dockerd on /var/run/docker.sock for the comparison)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib-engines.sh
engines_init wharf-prbench
start_wharfd wharfpr0

pss_of() { # sum of PSS (KiB) of processes whose command line matches $1
  local total=0 pid
  for pid in $(pgrep -f "$1" || true); do
    total=$((total + $(awk '/^Pss:/{print $2}' /proc/$pid/smaps_rollup 2>/dev/null || echo 0)))
  done
  echo "$total"
}
count_of() { pgrep -fc "$1" || true; }
now_ms() { date +%s%3N; }

measure() { # label host regex
  local label=$1 host=$2 regex=$3
  export DOCKER_HOST=$host
  docker image inspect busybox:latest >/dev/null 2>&1 || ./scripts/make-busybox-tar.sh | docker import - busybox:latest >/dev/null
  docker rm -f benchpr_range >/dev/null 2>&1 || true
  sleep 1
  local p0 n0 t0 t1 p1 n1 t2 t3
  p0=$(pss_of "$regex"); n0=$(count_of "$regex")
  t0=$(now_ms)
  docker run -d --name benchpr_range -p 20000-20999:20000-20999 busybox:latest sleep 600 >/dev/null
  t1=$(now_ms)
  sleep 3
  p1=$(pss_of "$regex"); n1=$(count_of "$regex")
  t2=$(now_ms)
  docker rm -f benchpr_range >/dev/null
  t3=$(now_ms)
  echo "${label}_publish_1000_run_d $((t1 - t0)) ms"
  echo "${label}_publish_1000_extra_pss $(awk -v a="$p1" -v b="$p0" 'BEGIN { printf "%.1f", (a - b) / 1024 }') MiB"
  echo "${label}_publish_1000_extra_procs $((n1 - n0)) procs"
  echo "${label}_publish_1000_rm_f $((t3 - t2)) ms"
}

measure wharf "unix://$WSOCK" "wharfd.*$WORK|conmon .*$WORK"
if DOCKER_HOST=unix:///var/run/docker.sock docker version >/dev/null 2>&1; then
  measure docker unix:///var/run/docker.sock '^(/usr/sbin/|/usr/bin/)?(dockerd|containerd|containerd-shim|docker-proxy)'
fi
