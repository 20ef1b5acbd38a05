#!/usr/bin/env bash
# Estimates start throughput on a kernel whose cgroup v1 moves wait for an RCU grace period (the
# boot state of these machines) when the running kernel does not (once a cgroup v1 hierarchy has
# been mounted with favordynmods, which only a reboot undoes; see docs/benchmarks.md, "The
# kernel's boot state and the cgroup lock warmer").
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
# With RCU_SYNC_MODEL=1 the stand-in waits as bench/rcu-sync-model.c says instead: a model of the
# kernel's rcu_sync, run on real grace periods, which wharfd's warmer enters too (its writes go
# to the model's FIFO through WHARF_CGROUP_WARM_FILE). WARM=none switches the warmer off. The
# stand-in enters the model when the spec is there, about 5 ms before runc's first move into a
# cgroup would: pessimistic for the warmer as well.
#
#   bench/rcu-wait-emulation.sh        RUN_ID, REPEAT as for compare.sh (engine-throughput)
#   GRACE_PERIODS=0 bench/rcu-wait-emulation.sh     the stand-in without the wait: its own cost
#   RCU_SYNC_MODEL=1 [WARM=none] bench/rcu-wait-emulation.sh
set -euo pipefail
cd "$(dirname "$0")/.."
RUNC=/usr/sbin/runc
REAL=$RUNC.real
[ ! -e "$REAL" ] || { echo "$REAL exists: an earlier run did not finish; put it back first" >&2; exit 1; }
# On a kernel in its boot state the moves wait already, and this would count the wait twice.
# (The message can also have left the ring buffer: docs/benchmarks.md gives a direct check.)
dmesg 2>/dev/null | grep -q favordynmods || echo "note: no favordynmods message in dmesg: if this kernel is in its boot state, measure with bench/compare.sh alone" >&2
before=$(sha256sum "$RUNC" | cut -d' ' -f1)
stand_in=$(mktemp /tmp/rcu-wait-runc.XXXXXX)
model_pid=""
model_dir=""
restore() {
  [ -e "$REAL" ] && mv -f "$REAL" "$RUNC"
  rm -f "$stand_in"
  if [ -n "$model_pid" ]; then kill "$model_pid" 2>/dev/null || true; fi
  [ -z "$model_dir" ] || rm -rf "$model_dir"
  [ "$(sha256sum "$RUNC" | cut -d' ' -f1)" = "$before" ] || echo "WARNING: $RUNC is not the runc it was" >&2
}
trap restore EXIT
if [ "${RCU_SYNC_MODEL:-0}" = 1 ]; then
  model_dir=$(mktemp -d /tmp/rcu-sync-model.XXXXXX)
  gcc -O2 -pthread -o "$model_dir/model" bench/rcu-sync-model.c
  "$model_dir/model" "$model_dir/sock" "$model_dir/warm" &
  model_pid=$!
  for _ in $(seq 50); do [ -S "$model_dir/sock" ] && break; sleep 0.1; done
  gcc -O2 -static -DRCU_SYNC_SOCKET="\"$model_dir/sock\"" -o "$stand_in" bench/rcu-wait-runc.c
  if [ "${WARM:-}" = none ]; then export WHARF_CGROUP_WARM_FILE=none; else export WHARF_CGROUP_WARM_FILE="$model_dir/warm"; fi
else
  gcc -O2 -static -DGRACE_PERIODS="${GRACE_PERIODS:-1}" -o "$stand_in" bench/rcu-wait-runc.c
fi
trap 'exit 130' INT TERM
mv "$RUNC" "$REAL"
cp "$stand_in" "$RUNC"
REPEAT=${REPEAT:-3} bench/compare.sh engine-throughput
