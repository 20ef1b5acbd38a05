#!/usr/bin/env bash
# One command for a newcomer: set up, start wharfd with its defaults (socket /run/wharf.sock,
# data in /var/lib/wharf, bridge wharf0), create busybox:latest from Debian's busybox-static,
# and walk through a short demo with the wharf CLI. wharfd keeps running afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh

SOCK=/run/wharf.sock
export WHARF_HOST=unix://$SOCK
wharf() { ./bin/wharf "$@"; }

if ! wharf version >/dev/null 2>&1; then
  echo "run: starting wharfd (log: /var/log/wharfd.log)"
  nohup ./bin/wharfd >>/var/log/wharfd.log 2>&1 &
  for _ in $(seq 1 100); do wharf version >/dev/null 2>&1 && break; sleep 0.1; done
fi
if ! wharf image inspect busybox:latest >/dev/null 2>&1; then
  echo "run: creating busybox:latest from Debian's busybox-static"
  ./scripts/make-busybox-tar.sh | wharf import - busybox:latest >/dev/null
fi
wharf image inspect wharf/ambassador:latest >/dev/null 2>&1 || ./scripts/build-ambassador.sh

say() { printf '\n\033[1m$'; printf ' %q' "$@"; printf '\033[0m\n'; }
demo() { say wharf "$@"; wharf "$@"; }

wharf rm -f demo-db demo-web demo-redis demo-amb-srv demo-amb-cli >/dev/null 2>&1 || true
demo version
demo images
demo run -d --name demo-db --expose 5432 -e PG_VERSION=9.3 busybox:latest sleep 600
demo run --rm --name demo-web --link demo-db:db busybox:latest sh -c 'env | grep ^DB_ | sort; grep -w db /etc/hosts'
demo ps
demo inspect -f '{{.Name}} {{.NetworkSettings.IPAddress}} {{.State.Status}}' demo-db
demo exec demo-db sh -c 'echo hello from $(hostname)'
demo rm -f demo-db

# The ambassador pattern of the guides, on one engine: client -> client-side ambassador ->
# server-side ambassador -> server, the client side configured only by an environment variable.
demo run -d --name demo-redis --expose 6379 busybox:latest sh -c 'printf "while read l; do echo +PONG; done\n" > /pong.sh; nc -ll -p 6379 -e /bin/sh /pong.sh'
demo run -d --name demo-amb-srv --link demo-redis:redis wharf/ambassador
srv=$(wharf inspect -f '{{.NetworkSettings.IPAddress}}' demo-amb-srv)
demo run -d --name demo-amb-cli --expose 6379 -e "REDIS_PORT_6379_TCP=tcp://$srv:6379" wharf/ambassador
demo run --rm --link demo-amb-cli:redis busybox:latest sh -c 'echo PING | timeout 3 nc redis 6379'
demo rm -f demo-redis demo-amb-srv demo-amb-cli
printf '\nwharfd is still running on %s; try: WHARF_HOST=unix://%s ./bin/wharf ps -a\n' "$SOCK" "$SOCK"
