#!/usr/bin/env bash
# Builds wharf/ambassador:latest on the daemon at $WHARF_HOST (default unix:///run/wharf.sock):
# compiles images/ambassador/ambassador.c statically and builds FROM busybox:latest with the
# wharf CLI. Idempotent (the builder's cache makes a second run cheap).
set -euo pipefail
cd "$(dirname "$0")/.."
export WHARF_HOST=${WHARF_HOST:-${DOCKER_HOST:-unix:///run/wharf.sock}}
ctx=$(mktemp -d)
trap 'rm -rf "$ctx"' EXIT
cp images/ambassador/Dockerfile "$ctx/"
gcc -static -O2 -o "$ctx/ambassador" images/ambassador/ambassador.c
./bin/wharf build -q -t wharf/ambassador:latest "$ctx" >/dev/null
echo "built wharf/ambassador:latest"
