#!/usr/bin/env bash
# Writes 1 GiB from a container into a volume and reads it back, next to the same dd on a host
# directory of the same disk, in one run. dd uses O_DIRECT (oflag/iflag=direct), so the figures are
# the disk path itself, not the page cache (which made buffered runs swing 0.4x-1.6x on this VM). busybox dd (static) on both sides, timed with busybox
# adjtimex around dd in the same shell (inside the container for the volume), so container
# start-up is not counted. Caches are dropped before each read.
#
#   bench/volume-throughput.sh            MB=1024 REPS=3 (WHARFD=, NO_BUILD=: see lib-engines.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
MB=${MB:-1024}
REPS=${REPS:-3}
source bench/lib-engines.sh
engines_init wharf-volbench
start_wharfd wharfvb0
export DOCKER_HOST=unix://$WSOCK
./scripts/make-busybox-tar.sh | docker import - busybox:latest >/dev/null
docker volume create benchvol >/dev/null
mkdir -p "$WORK/hostdir"

# Runs a dd command line through `sh -c` with microsecond clocks around it; prints MB/s.
TIMED='us() { adjtimex | awk "/tv_sec/{s=\$2}/tv_usec/{u=\$2}END{print s*1000000+u}"; }; t0=$(us); "$@" 2>/dev/null; t1=$(us); echo $((t1 - t0))'
rate() { awk -v mb="$MB" '{ if ($1 > 0) printf "%.0f", mb * 1.048576 * 1e6 / $1 }'; }
host() { busybox sh -c "$TIMED" timed "$@" | rate; }
ctr() { docker run --rm -v benchvol:/d busybox:latest sh -c "$TIMED" timed "$@" | rate; }
# Let the previous container's background cleanup finish, then drop the page cache.
drop() { sleep 1; sync; echo 3 > /proc/sys/vm/drop_caches; }
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

hw=(); hr=(); cw=(); cr=()
for _ in $(seq 1 "$REPS"); do
  rm -f "$WORK/hostdir/f"; drop
  hw+=("$(host busybox dd if=/dev/zero of="$WORK/hostdir/f" bs=1M count="$MB" oflag=direct conv=fsync)")
  drop
  hr+=("$(host busybox dd if="$WORK/hostdir/f" of=/dev/null bs=1M iflag=direct)")
  rm -f "$WORK/hostdir/f"
  docker run --rm -v benchvol:/d busybox:latest rm -f /d/f; drop
  cw+=("$(ctr dd if=/dev/zero of=/d/f bs=1M count="$MB" oflag=direct conv=fsync)")
  drop
  cr+=("$(ctr dd if=/d/f of=/dev/null bs=1M iflag=direct)")
done
HW=$(printf '%s\n' "${hw[@]}" | median); HR=$(printf '%s\n' "${hr[@]}" | median)
CW=$(printf '%s\n' "${cw[@]}" | median); CR=$(printf '%s\n' "${cr[@]}" | median)
echo "host_write $HW MB/s"
echo "host_read $HR MB/s"
echo "volume_write $CW MB/s"
echo "volume_read $CR MB/s"
echo "volume_write_ratio $(awk -v a="$CW" -v b="$HW" 'BEGIN { printf "%.2f", a / b }') x_host"
echo "volume_read_ratio $(awk -v a="$CR" -v b="$HR" 'BEGIN { printf "%.2f", a / b }') x_host"
echo "summary: volume-throughput MB=$MB reps=$REPS host_write=$HW host_read=$HR volume_write=$CW volume_read=$CR (MB/s, medians)"
