#!/usr/bin/env bash
# Installs everything Wharf needs on a fresh Debian 12 machine (as root) and builds it:
# the host tools (runc, conmon, iptables, iproute2, busybox-static, ...), the npm dependencies,
# and the TypeScript build. Safe to run again: it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(runc conmon iptables iproute2 busybox-static tar procps socat tmux docker-compose skopeo docker-registry apache2-utils gcc libc6-dev)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The pull tests start their own docker-registry (distribution) with their own config; the
# package's own service (port 5000, where systemd runs it) is not wanted.
if command -v systemctl >/dev/null && systemctl is-enabled docker-registry >/dev/null 2>&1; then
  systemctl disable --now docker-registry >/dev/null 2>&1 || true
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: installing npm dependencies"
  # npm ci refuses this lock file (it omits the other platforms' optional binaries of
  # node-unix-socket); npm install keeps to the locked versions all the same.
  npm install --no-audit --no-fund --loglevel=error
fi

echo "setup: building"
# A clean output: a compiled file whose source was moved or deleted must not linger (the test
# runner would still find a stale *.test.js).
rm -rf dist/src dist/test
npx tsc -p tsconfig.json
# The host helper: one small static process per daemon that spawns runc, conmon and ip and does
# the mount syscalls, so the daemon's own (large) process never forks on the start path.
mkdir -p dist/native
if [ ! -x dist/native/wharf-host-helper ] || [ -n "$(find native -newer dist/native/wharf-host-helper)" ]; then
  gcc -O2 -Wall -Wextra -Werror -static -pthread -o dist/native/wharf-host-helper.tmp native/*.c
  mv dist/native/wharf-host-helper.tmp dist/native/wharf-host-helper
fi
echo "setup: done"
