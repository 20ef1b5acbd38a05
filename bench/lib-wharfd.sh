# Sourced by the bench scripts: starts a private wharfd (own socket, roots and bridge under a
# fresh /tmp directory) and stops it, its bridge and its files on exit.
#   start_private_wharfd PREFIX BRIDGE   -> sets WORK and WSOCK; the daemon answers when it returns
start_private_wharfd() {
  WORK=$(mktemp -d "/tmp/$1.XXXXXX")
  WSOCK=$WORK/w.sock
  WBRIDGE=$2
  trap stop_private_wharfd EXIT
  ./bin/wharfd -H "unix://$WSOCK" --data-root "$WORK/data" --exec-root "$WORK/run" -p "$WORK/w.pid" -b "$WBRIDGE" >"$WORK/log" 2>&1 &
  for _ in $(seq 1 100); do DOCKER_HOST=unix://$WSOCK docker version >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "wharfd did not start; its log:" >&2
  cat "$WORK/log" >&2
  return 1
}

stop_private_wharfd() {
  [ -f "$WORK/w.pid" ] && kill "$(cat "$WORK/w.pid")" 2>/dev/null || true
  sleep 1
  ip link del "$WBRIDGE" 2>/dev/null || true
  rm -rf "$WORK"
}
