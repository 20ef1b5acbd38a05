#!/usr/bin/env bash
# Writes a busybox rootfs tar made from Debian's busybox-static to $1 (default: stdout):
# bin/busybox plus one symlink per applet, and empty etc proc sys dev tmp root var/log. This is
# the reference busybox:latest the conformance suite expects (no Env, no Cmd).
set -euo pipefail
out=${1:--}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root="$work/rootfs"
mkdir -p "$root/bin" "$root/etc" "$root/proc" "$root/sys" "$root/dev" "$root/tmp" "$root/root" "$root/var/log"
chmod 1777 "$root/tmp"
cp /bin/busybox "$root/bin/busybox"
for applet in $("$root/bin/busybox" --list); do
  [ "$applet" = busybox ] || ln -s busybox "$root/bin/$applet"
done
tar -C "$root" --numeric-owner -cf "$out" .
