#!/usr/bin/env bash
# Published ports and links on wharfd beside dockerd, in one run (issue 3, section 5).
#
#   1. the shared `port-throughput` against each engine: loopback, `-p 127.0.0.1:P:80`, the
#      container's IP, container to linked container (1 GiB per transfer, median of REPS);
#   2. wharfd only: 1 GiB through `-p HOSTPORT:80` (all addresses) to the bridge's gateway
#      address (a host address that is not 127.0.0.1), interleaved with the container-IP path;
#   3. `docker run -d -p 20000-20999:20000-20999`: wall time, extra PSS of the engine's processes
#      (daemon, its descendants, the container's conmon or shim; median of 5 readings before and
#      after), extra processes; then `rm -f`;
#   4. `run --rm` with one `--link` / one `-p`: cited from the engine-latency results in
#      bench/results/ (bench/compare.sh engine-latency), not rerun.
#
#   bench/ports.sh        MB=1024 REPS=3 HOSTPORT=39310 BENCH=<shared harness> SKIP_DOCKER=1
# Starts a private wharfd (bridge wharfpb0, roots and socket under /tmp) and, if none answers on
# /var/run/docker.sock, Debian's dockerd; stops by PID what it started. Figures go to stdout as
# `name value unit` lines and a last `summary:` line; progress to stderr.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)
BENCH=${BENCH:-$REPO/../shared/bench}
MB=${MB:-1024}
REPS=${REPS:-3}
HOSTPORT=${HOSTPORT:-39310}
BLOCKS=$((MB * 16))
source bench/lib-engines.sh
log() { printf '[ports %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
emit() { printf '%s %s %s\n' "$1" "$2" "$3"; eval "FIG_$1=\$2"; }
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0) print "nan"; else printf "%.2f", a / b }'; }
# pss_median PID... -> median of 5 readings of the summed PSS, 1 s apart (a Node heap breathes)
pss_median() { local _; for _ in 1 2 3 4 5; do sum_pss_kib "$@"; sleep 1; done | median; }
now_ms() { echo $(( ${EPOCHREALTIME/./} / 1000 )); }

engines_init wharf-ports
start_wharfd wharfpb0
ensure_busybox "unix://$WSOCK"
ENGINES=("wharf unix://$WSOCK $WPID")
if [ -z "${SKIP_DOCKER:-}" ] && start_dockerd_if_needed; then
  ensure_busybox "unix://$DSOCK"
  ENGINES+=("docker unix://$DSOCK $(dockerd_pid)")
else
  log "no dockerd to compare with: wharfd figures only"
fi

# --- 1. the shared port-throughput, each engine --------------------------------------------
for e in "${ENGINES[@]}"; do
  read -r label host _ <<<"$e"
  log "$label: shared port-throughput"
  DOCKER_HOST=$host MB=$MB REPS=$REPS "$BENCH/port-throughput" >"$WORK/pt.$label" || log "$label: port-throughput failed"
  while read -r n v u; do emit "${label}_$n" "$v" "$u"; done < <(awk 'NF == 3 && $1 != "failed_commands"' "$WORK/pt.$label")
  grep '^summary:' "$WORK/pt.$label" | sed "s/^summary:/note: $label/" >&2 || true
done

# --- 2. wharfd: published port on the bridge gateway address vs the container's IP -------------
RECV='adjtimex 2>&1 | grep tv_ >&2; dd bs=64k iflag=fullblock of=/dev/null; adjtimex 2>&1 | grep tv_ >&2'
# rate LOGFILE -> MB/s from the receiver's two clock readings, or fail(...) if blocks are missing
rate() {
  awk -v blocks="$BLOCKS" -v bytes="$((MB * 1048576))" '
    /time.tv_sec:/ { s[++ns] = $2 } /time.tv_usec:/ { u[++nu] = $2 } /records in/ && !r { r = $1 }
    END {
      if (ns < 2 || nu < 2) { print "fail(no-clock)"; exit }
      if (r != blocks "+0") { print "fail(received " r ")"; exit }
      printf "%.1f", bytes / ((s[ns] - s[1]) * 1e6 + u[nu] - u[1])
    }' "$1"
}
# transfer NAME TARGET_KIND [run args...] -> MB/s; TARGET_KIND is gateway or container_ip
transfer() {
  local name=$1 kind=$2 pid addr i; shift 2
  docker run -d --name "$name" "$@" busybox:latest nc -l -p 80 -e sh -c "$RECV" >/dev/null
  pid=$(docker inspect -f '{{.State.Pid}}' "$name")
  for i in $(seq 1 200); do cat "/proc/$pid/net/tcp" "/proc/$pid/net/tcp6" 2>/dev/null | grep -Eq ':0050 0+:0000 0A' && break; sleep 0.025; done
  if [ "$kind" = gateway ]; then addr=$GATEWAY; else
    addr=$(docker inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' "$name"); fi
  [ "$kind" = gateway ] && log "  listener on :$HOSTPORT: $(ss -ltnpH "sport = :$HOSTPORT" | grep -o 'users:(("[^"]*"' | cut -d'"' -f2 | head -1)"
  busybox nc "$addr" "${PORT_OF_KIND:-80}" -e busybox dd if=/dev/zero bs=64k count="$BLOCKS" 2>/dev/null
  for i in $(seq 1 200); do [ "$(docker inspect -f '{{.State.Running}}' "$name")" = true ] || break; sleep 0.05; done
  docker logs "$name" >"$WORK/$name.log" 2>&1
  docker rm -f "$name" >/dev/null
  rate "$WORK/$name.log"
}
export DOCKER_HOST=unix://$WSOCK
docker rm -f benchpb_gw benchpb_cip >/dev/null 2>&1 || true
GATEWAY=$(docker network inspect bridge -f '{{range .IPAM.Config}}{{.Gateway}}{{end}}' 2>/dev/null || true)
[ -n "$GATEWAY" ] || GATEWAY=$(ip -4 -o addr show dev wharfpb0 | awk '{ split($4, a, "/"); print a[1] }')
log "wharf: host address path via gateway $GATEWAY:$HOSTPORT"
gw=(); cip=()
for r in $(seq 1 "$REPS"); do
  v=$(PORT_OF_KIND=$HOSTPORT transfer benchpb_gw gateway -p "$HOSTPORT:80"); gw+=("$v"); log "  rep $r host_address $v MB/s"
  v=$(transfer benchpb_cip container_ip); cip+=("$v"); log "  rep $r container_ip $v MB/s"
done
emit wharf_host_address_published "$(printf '%s\n' "${gw[@]}" | grep -v fail | median)" MB/s
emit wharf_host_address_container_ip "$(printf '%s\n' "${cip[@]}" | grep -v fail | median)" MB/s
emit wharf_host_address_ratio "$(ratio "$FIG_wharf_host_address_published" "$FIG_wharf_host_address_container_ip")" x_container_ip

# --- 3. publishing 1000 ports -----------------------------------------------------------
for e in "${ENGINES[@]}"; do
  read -r label host dpid <<<"$e"
  export DOCKER_HOST=$host
  docker rm -f benchpb_range >/dev/null 2>&1 || true
  sleep 2
  mapfile -t before < <(engine_pids "$dpid")
  p0=$(pss_median "${before[@]}")
  log "$label: run -d -p 20000-20999:20000-20999 (engine: ${#before[@]} processes, $((p0 / 1024)) MiB PSS)"
  t0=$(now_ms)
  cid=$(docker run -d --name benchpb_range -p 20000-20999:20000-20999 busybox:latest sleep 600)
  t1=$(now_ms)
  sleep 3
  mapfile -t after < <(engine_pids "$dpid" "$cid" | sort -u)
  p1=$(pss_median "${after[@]}")
  t2=$(now_ms)
  docker rm -f benchpb_range >/dev/null
  t3=$(now_ms)
  emit "${label}_publish_1000_run_d" "$(awk -v t=$((t1 - t0)) 'BEGIN { printf "%.2f", t / 1000 }')" s
  emit "${label}_publish_1000_extra_pss" "$(awk -v a="$p1" -v b="$p0" 'BEGIN { printf "%.1f", (a - b) / 1024 }')" MiB
  emit "${label}_publish_1000_extra_procs" "$((${#after[@]} - ${#before[@]}))" procs
  emit "${label}_publish_1000_rm_f" "$(awk -v t=$((t3 - t2)) 'BEGIN { printf "%.2f", t / 1000 }')" s
done

# --- 4. run --rm with --link / -p: cited, not rerun -------------------------------------
for label in docker wharf; do
  f=$(ls -d bench/results/*-"$label" 2>/dev/null | sort | tail -1)
  [ -n "$f" ] || continue
  for k in link_run_rm_median port_run_rm_median; do
    v=$(awk -v k="$k" '$1 == k { print $2 }' "$f"/engine-latency.*.out | median)
    [ -n "$v" ] && emit "cited_${label}_$k" "$v" ms
  done
  log "cited from $f/engine-latency.*.out"
done

g() { eval "echo \${FIG_$1:--}"; }
echo "summary: ports MB=$MB REPS=$REPS wharf: published=$(g wharf_published) container_ip=$(g wharf_container_ip)" \
  "link=$(g wharf_link) host_address=$(g wharf_host_address_published)($(g wharf_host_address_ratio)x_cip) MB/s," \
  "1000 ports $(g wharf_publish_1000_run_d)s +$(g wharf_publish_1000_extra_pss)MiB +$(g wharf_publish_1000_extra_procs)procs;" \
  "docker: published=$(g docker_published) container_ip=$(g docker_container_ip) link=$(g docker_link) MB/s," \
  "1000 ports $(g docker_publish_1000_run_d)s +$(g docker_publish_1000_extra_pss)MiB +$(g docker_publish_1000_extra_procs)procs"
