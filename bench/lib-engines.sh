# Sourced by the bench scripts that compare wharfd with dockerd in one run. Not executable.
# Run from the repository root (the scripts `cd` there first).
#
#   engines_init PREFIX         build (tolerates a build that reports errors), make WORK under /tmp
#                               and RUNDIR under /run, install the EXIT trap that stops everything
#                               started here
#   start_wharfd BRIDGE         private wharfd on its own bridge; data root and socket under WORK,
#                               exec root under RUNDIR, where wharfd mounts its tmpfs as it does
#                               at its default /run/wharf (dockerd keeps /var/run/docker on
#                               whatever /run is: the root ext4 on these machines);
#                               sets WSOCK, WPID; returns once it answers
#   start_dockerd_if_needed     DSOCK=/var/run/docker.sock when a dockerd answers there; otherwise
#                               starts Debian's dockerd (if installed; DOCKER_BIP or a free
#                               172.x/16 for docker0, removed again if it was created here) and
#                               remembers its PID;
#                               returns 1 when there is no dockerd to compare with
#   ensure_busybox HOST         imports busybox:latest (scripts/make-busybox-tar.sh) if missing
#   engine_pids DAEMON_PID [CID]  the daemon, its descendants and the processes whose command line
#                               names the container CID (a conmon or a containerd shim); not the
#                               container's own processes
#   sum_pss_kib PID...          sum of Pss from /proc/<pid>/smaps_rollup, in KiB
#   stop_engines                what the EXIT trap runs: stop by PID what was started here, then
#                               remove the private bridge and its iptables chains
# WHARFD=<path of a wharfd launcher> runs another build (default ./bin/wharfd of this checkout);
# NO_BUILD=1 skips the build.
DSOCK=/var/run/docker.sock
WPID=""
STARTED_DOCKERD=""
CREATED_DOCKER0=""
WBRIDGE=""

engines_init() {
  [ -n "${NO_BUILD:-}" ] || ./scripts/setup.sh >/dev/null 2>&1 || echo "note: the build reported errors (another change in progress?); using dist/ as built" >&2
  WORK=$(mktemp -d "/tmp/$1.XXXXXX")
  RUNDIR=$(mktemp -d "/run/$1.XXXXXX")
  trap stop_engines EXIT
  trap 'exit 130' INT TERM
}

start_wharfd() {
  WBRIDGE=$1
  WSOCK=$WORK/w.sock
  "${WHARFD:-./bin/wharfd}" -H "unix://$WSOCK" --data-root "$WORK/data" --exec-root "$RUNDIR" -p "$WORK/w.pid" -b "$WBRIDGE" >"$WORK/wharfd.log" 2>&1 &
  WPID=$!
  local _
  for _ in $(seq 1 150); do
    if DOCKER_HOST=unix://$WSOCK docker version >/dev/null 2>&1; then return 0; fi
    kill -0 "$WPID" 2>/dev/null || break
    sleep 0.1
  done
  echo "wharfd did not start; its log:" >&2
  cat "$WORK/wharfd.log" >&2
  return 1
}

start_dockerd_if_needed() {
  if DOCKER_HOST=unix://$DSOCK docker version >/dev/null 2>&1; then return 0; fi
  command -v dockerd >/dev/null || return 1
  ip link show docker0 >/dev/null 2>&1 || CREATED_DOCKER0=1
  # A /16 no route uses yet (Docker's own choice can land on a bridge that is down but routed).
  local bip=${DOCKER_BIP:-}
  if [ -z "$bip" ]; then
    local n
    for n in $(seq 31 -1 24); do
      ip -4 route | grep -q "^172\.$n\." || { bip=172.$n.0.1/16; break; }
    done
  fi
  dockerd ${bip:+--bip "$bip"} >"$WORK/dockerd.log" 2>&1 &
  STARTED_DOCKERD=$!
  local _
  for _ in $(seq 1 300); do
    if DOCKER_HOST=unix://$DSOCK docker version >/dev/null 2>&1; then return 0; fi
    kill -0 "$STARTED_DOCKERD" 2>/dev/null || break
    sleep 0.1
  done
  echo "dockerd did not start; the end of its log:" >&2
  tail -20 "$WORK/dockerd.log" >&2
  return 1
}

# PID of the dockerd answering on DSOCK (the one we started, or the one in its pid file).
dockerd_pid() {
  if [ -n "$STARTED_DOCKERD" ]; then echo "$STARTED_DOCKERD"; return; fi
  cat /var/run/docker.pid 2>/dev/null || pgrep -xo dockerd
}

ensure_busybox() {
  DOCKER_HOST=$1 docker image inspect busybox:latest >/dev/null 2>&1 && return 0
  ./scripts/make-busybox-tar.sh | DOCKER_HOST=$1 docker import - busybox:latest >/dev/null
}

engine_pids() {
  local root=$1 cid=${2:-}
  ps -eo pid=,ppid= | awk -v root="$root" '
    { parent[$1] = $2 }
    END {
      for (p in parent) {
        q = p
        for (i = 0; i < 64 && q != "" && q > 1; i++) { if (q == root) { print p; break } q = parent[q] }
      }
    }'
  if [ -n "$cid" ]; then
    local f
    for f in /proc/[0-9]*/cmdline; do
      if tr '\0' ' ' 2>/dev/null <"$f" | grep -q -- "$cid"; then f=${f#/proc/}; echo "${f%/cmdline}"; fi
    done
  fi
}

sum_pss_kib() {
  local total=0 pid kib
  for pid in "$@"; do
    kib=$(awk '/^Pss:/ { print $2 }' "/proc/$pid/smaps_rollup" 2>/dev/null || true)
    total=$((total + ${kib:-0}))
  done
  echo "$total"
}

# remove_bridge_chains BRIDGE: drops the iptables chains a stopped wharfd left for BRIDGE
# (<BRIDGE>-INPUT, -FORWARD, -DNAT, -POSTROUTING, upper case) and the jumps to them.
remove_bridge_chains() {
  local up table rule chain
  up=$(echo "$1" | tr '[:lower:]' '[:upper:]')
  for table in filter nat; do
    iptables-save -t "$table" 2>/dev/null | grep -E "^-A [A-Z]+ .*-j $up-[A-Z]+\$" | grep -v "^-A $up-" |
      while read -r rule; do
        # shellcheck disable=SC2086
        iptables -t "$table" -D ${rule#-A } 2>/dev/null || true
      done
    for chain in $(iptables-save -t "$table" 2>/dev/null | sed -n "s/^:\($up-[A-Z]*\) .*/\1/p"); do
      iptables -t "$table" -F "$chain" 2>/dev/null || true
      iptables -t "$table" -X "$chain" 2>/dev/null || true
    done
  done
}

stop_engines() {
  local _
  if [ -n "$WPID" ]; then
    kill "$WPID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$WPID" 2>/dev/null || break; sleep 0.1; done
  fi
  if [ -n "$STARTED_DOCKERD" ]; then
    kill "$STARTED_DOCKERD" 2>/dev/null || true
    for _ in $(seq 1 300); do kill -0 "$STARTED_DOCKERD" 2>/dev/null || break; sleep 0.1; done
  fi
  if [ -n "$WBRIDGE" ]; then
    ip link del "$WBRIDGE" 2>/dev/null || true
    remove_bridge_chains "$WBRIDGE"
  fi
  [ -n "$CREATED_DOCKER0" ] && ip link del docker0 2>/dev/null || true
  [ -n "${WORK:-}" ] && rm -rf "$WORK"
  if [ -n "${RUNDIR:-}" ]; then
    mountpoint -q "$RUNDIR" && { umount "$RUNDIR" || umount -l "$RUNDIR"; }
    rm -rf "$RUNDIR"
  fi
  return 0
}
