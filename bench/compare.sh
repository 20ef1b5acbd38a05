#!/usr/bin/env bash
# Measures wharfd beside a real dockerd in one run on this machine, with the shared harness
# (../shared/bench) and the same docker CLI. Both engines get the same busybox tar.
#
#   bench/compare.sh [script ...]     default: engine-latency engine-throughput engine-memory
#   REPEAT=1 (reps per engine, alternating)   RUN_ID=<date>   BENCH=<path of the shared harness>
#   WHARFD, NO_BUILD (lib-engines.sh)
#
# Starts a private wharfd (bridge wharfb0, roots under /tmp) and, if none answers on
# /var/run/docker.sock, a dockerd from Debian's docker.io (installed if missing). Stops by PID
# what it started and removes the private bridge and its chains (lib-engines.sh). Results go to
# bench/results/<date>-{wharf,docker}/; the comparison table is printed.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)
BENCH=${BENCH:-$REPO/../shared/bench}
REPEAT=${REPEAT:-1}
SCRIPTS=("$@")
[ ${#SCRIPTS[@]} -gt 0 ] || SCRIPTS=(engine-latency engine-throughput engine-memory)
# RUN_ID names the results directories (default: today's date), for a second run on one day.
DATE=${RUN_ID:-$(date +%F)}
OUT=$REPO/bench/results
mkdir -p "$OUT"

NEED=()
for p in docker.io apache2-utils python3 curl; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || NEED+=("$p")
done
if [ ${#NEED[@]} -gt 0 ]; then apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${NEED[@]}" >/dev/null; fi

# shellcheck source=bench/lib-engines.sh
. bench/lib-engines.sh
engines_init wharf-bench
start_wharfd wharfb0
start_dockerd_if_needed || { echo "no dockerd to compare with" >&2; exit 1; }
ensure_busybox "unix://$WSOCK"
ensure_busybox "unix://$DSOCK"

# Reps alternate between the engines (docker 1, wharf 1, docker 2, ...), so a change in the
# machine's speed during the run (these are shared VMs) touches both sides alike.
for label in docker wharf; do
  for s in "${SCRIPTS[@]}"; do rm -f "$OUT/$DATE-$label/$s".*; done
done
for rep in $(seq 1 "$REPEAT"); do
  RESULTS=$OUT/$DATE-docker DOCKER_HOST=unix://$DSOCK REP_START=$rep REPEAT=$rep LABEL=docker "$BENCH/run-all" "${SCRIPTS[@]}" >/dev/null
  # wharfd's processes: the daemon, its host helper (which names the daemon's PID) and the
  # conmons of its containers (whose arguments name its roots under WORK).
  RESULTS=$OUT/$DATE-wharf DOCKER_HOST=unix://$WSOCK REP_START=$rep REPEAT=$rep LABEL=wharf \
    ENGINE_PROC_REGEX="^node .*wharfd.*$WORK|wharf-host-helper --daemon-pid=$WPID( |\$)|^(/[^ ]*/)?conmon .*$WORK" \
    "$BENCH/run-all" "${SCRIPTS[@]}" >/dev/null
done
"$BENCH/aggregate" "$OUT/$DATE-docker" "$OUT/$DATE-wharf"
