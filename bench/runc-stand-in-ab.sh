#!/usr/bin/env bash
# What the RCU-wait stand-in (bench/rcu-wait-runc.c) costs a wharfd start, against the real runc,
# alternating round by round: a private wharfd (bridge wharfsb0) runs N detached `run -d` one
# after another with the real /usr/sbin/runc, then with the stand-in in its place (the daemon is
# restarted each time: its helper seals a copy of whatever /usr/sbin/runc is). Prints ms per
# container. runc is put back after each round and checked by sha256 at the end.
#
#   bench/runc-stand-in-ab.sh        GRACE_PERIODS=0 (the stand-in alone) or 1; ROUNDS=3 N=40
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-3}
N=${N:-40}
RUNC=/usr/sbin/runc
REAL=$RUNC.real
[ ! -e "$REAL" ] || { echo "$REAL exists: an earlier run did not finish; put it back first" >&2; exit 1; }
before=$(sha256sum "$RUNC" | cut -d' ' -f1)
stand_in=$(mktemp /tmp/rcu-wait-runc.XXXXXX)
gcc -O2 -static -DGRACE_PERIODS="${GRACE_PERIODS:-0}" -o "$stand_in" bench/rcu-wait-runc.c
export NO_BUILD=${NO_BUILD:-1}
# shellcheck source=bench/lib-engines.sh
. bench/lib-engines.sh
engines_init wharf-sb
put_back() { if [ -e "$REAL" ]; then mv -f "$REAL" "$RUNC"; fi; }
finish() {
  put_back
  rm -f "$stand_in"
  [ "$(sha256sum "$RUNC" | cut -d' ' -f1)" = "$before" ] || echo "WARNING: $RUNC is not the runc it was" >&2
  stop_engines
}
trap finish EXIT
trap 'exit 130' INT TERM

for r in $(seq 1 "$ROUNDS"); do
  for mode in real stand-in; do
    if [ "$mode" = stand-in ]; then mv "$RUNC" "$REAL" && cp "$stand_in" "$RUNC"; fi
    start_wharfd wharfsb0
    ensure_busybox "unix://$WSOCK"
    export DOCKER_HOST=unix://$WSOCK
    for i in 1 2 3; do docker run -d busybox:latest sleep 600 >/dev/null; done   # warm-up
    t0=$(date +%s%N)
    for i in $(seq "$N"); do docker run -d busybox:latest sleep 600 >/dev/null; done
    t1=$(date +%s%N)
    echo "round $r $mode: $(echo "$t0 $t1" | awk -v n="$N" '{ printf "%.1f", ($2 - $1) / n / 1e6 }') ms per container"
    docker rm -f $(docker ps -aq) >/dev/null
    kill "$WPID"
    for _ in $(seq 1 100); do kill -0 "$WPID" 2>/dev/null || break; sleep 0.1; done
    put_back
  done
done
