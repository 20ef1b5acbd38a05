#!/usr/bin/env bash
# Estimates start throughput on a kernel whose cgroup v1 moves wait for an RCU grace period (the
# boot state of these machines) while the running kernel no longer does (cgroup favordynmods was
# switched on, which only a reboot undoes; see docs/benchmarks.md, 2026-11-30).
#
# For the length of one bench/compare.sh run, /usr/sbin/runc is replaced by a stand-in
# (bench/rcu-wait-runc.c) that, at each `runc create`, waits until the bundle's spec is there,
# then for one grace period, and then execs the real runc, for dockerd and wharfd alike. It is
# put back on exit, and checked. Pessimistic for wharfd: its helper's sealed copy of runc is
# then a copy of the stand-in, so the real runc runs from its file (its init copies itself again,
# about 1.4 ms), and runc's start-up (about 2.5 ms) comes after the spec instead of before it.
# wharfd's warming of the cgroup lock (src/runtime/cgroup-lock-warmer.ts) cannot shorten this
# stand-in's wait: the estimate is for wharfd without it.
#
#   bench/rcu-wait-emulation.sh        RUN_ID, REPEAT as for compare.sh (engine-throughput)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNC=/usr/sbin/runc
REAL=$RUNC.real
[ ! -e "$REAL" ] || { echo "$REAL exists: an earlier run did not finish; put it back first" >&2; exit 1; }
# On a kernel in its boot state the moves wait already, and this would count the wait twice.
dmesg 2>/dev/null | grep -q favordynmods || echo "note: no favordynmods message in dmesg: is this kernel in its boot state? then measure with bench/compare.sh alone" >&2
before=$(sha256sum "$RUNC" | cut -d' ' -f1)
stand_in=$(mktemp /tmp/rcu-wait-runc.XXXXXX)
gcc -O2 -static -o "$stand_in" bench/rcu-wait-runc.c
restore() {
  [ -e "$REAL" ] && mv -f "$REAL" "$RUNC"
  rm -f "$stand_in"
  [ "$(sha256sum "$RUNC" | cut -d' ' -f1)" = "$before" ] || echo "WARNING: $RUNC is not the runc it was" >&2
}
trap restore EXIT
trap 'exit 130' INT TERM
mv "$RUNC" "$REAL"
cp "$stand_in" "$RUNC"
REPEAT=${REPEAT:-3} bench/compare.sh engine-throughput
