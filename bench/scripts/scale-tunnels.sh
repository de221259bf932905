#!/usr/bin/env bash
# Issue 16 "One gateway, measured at scale": N IKE SAs, each with its CHILD_SA installed in the
# gateway's userspace ESP data plane (--data-plane on: the SAD, not the in-memory stand-in of
# "control plane only"), held on one `pgate gateway`. Reports the gateway's RSS, its CPU while the
# tunnels sit idle (DPD and lifetime timers only), and how long `diagnose vpn tunnel list` and
# `diagnose vpn ike gateway list` take to answer, and how much they print.
#
#   sudo bench/scripts/scale-tunnels.sh [N] [CONCURRENCY] [IDLE_SECONDS]     default 10000 32 60
#
# Needs root: one network namespace of its own (pgst-<pid>; the gateway and the clients talk over
# its loopback, nothing leaves it) and a TUN device in it. The clients are `pgate client bench
# --hold` processes: each session has two UDP sockets, a process may open 20,000 files here and
# one source address has ~28,000 ephemeral ports, so every 9,000 sessions get their own process
# and their own source address (127.0.1.K, --source). PG_BENCH_KEEP=1 keeps the work directory.
# Run it niced on a shared machine: setting up 100,000 SAs takes the gateway several minutes.
# PG_BENCH_DLL=path/pgate.dll runs that build instead of building this tree (a baseline).
# PG_BENCH_TRACE=FILE.nettrace: at the end, 20 s of the idle gateway's CPU samples (dotnet-trace;
# read them with `dotnet-trace report FILE topN`).
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/scripts/bench-lib.sh
N=${1:-10000}; CONC=${2:-32}; IDLE=${3:-60}
PER_PROC=9000
[[ $(id -u) -eq 0 ]] || { echo "scale-tunnels.sh: needs root (network namespace, TUN)" >&2; exit 2; }
if [[ -z ${PG_BENCH_DLL:-} ]]; then
  dotnet build -c Release src/PostureGate.Cli -v q -nologo >/dev/null
  PG_BENCH_DLL=$PWD/src/PostureGate.Cli/bin/Release/net10.0/pgate.dll
fi
PGATE="dotnet $PG_BENCH_DLL"
work=$(mktemp -d); ns=pgst-$$; gw=; pids=()
cleanup() {
  # The clients delete their SAs on SIGTERM (a few seconds per 10,000), then the gateway stops.
  if (( ${#pids[@]} )); then kill "${pids[@]}" 2>/dev/null || true; wait "${pids[@]}" 2>/dev/null || true; fi
  [[ -n $gw ]] && kill "$gw" 2>/dev/null && wait "$gw" 2>/dev/null || true
  ip netns del "$ns" 2>/dev/null || true
  if [[ -n ${PG_BENCH_KEEP:-} ]]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
ip netns add "$ns"; ip -n "$ns" link set lo up
in_ns() { ip netns exec "$ns" "$@"; }
hz=$(getconf CLK_TCK)
cpu_of() { awk '{print $14 + $15}' "/proc/$1/stat"; }
rss_of() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
echo "bench-psk" > "$work/psk"; echo "bench-password" > "$work/pw"
# The pool holds 4 million addresses (10.64.0.0/10).
{ printf 'config system interface\n    edit "lo"\n        set ip 127.0.0.1 255.0.0.0\n    next\nend\n'; bench_dialup lo 19; } > "$work/gw.conf"
# ip execs dotnet: $! is the gateway process itself.
ip netns exec "$ns" $PGATE gateway --config "$work/gw.conf" --control "$work/gw.sock" --data-plane on > "$work/gw.log" 2>&1 &
gw=$!
for _ in $(seq 150); do in_ns ss -Huln 'sport = :500' | grep -q . && break; sleep 0.2; done
for _ in $(seq 150); do grep -q 'data plane: TUN' "$work/gw.log" && break; sleep 0.2; done
grep -q 'data plane: TUN' "$work/gw.log" || { echo "the gateway's data plane is not active:" >&2; cat "$work/gw.log" >&2; exit 1; }
rss0=$(rss_of $gw)

# Diagnose timing: wall time of one `pgate diagnose` call and the lines and bytes it printed.
diag() {
  local t0 t1 out
  t0=$(date +%s%N)
  in_ns $PGATE diagnose --control "$work/gw.sock" "$@" > "$work/diag.out" 2>&1 || true
  t1=$(date +%s%N)
  echo "diagnose $*: $(( (t1 - t0) / 1000000 )) ms, $(wc -l < "$work/diag.out") lines, $(wc -c < "$work/diag.out") bytes"
}
e0=$(cpu_of $gw); sleep "$IDLE"; e1=$(cpu_of $gw); empty_ms=$(( (e1 - e0) * 1000 / hz ))
echo "empty gateway: RSS ${rss0} kB, idle ${IDLE} s: CPU ${empty_ms} ms"
diag vpn tunnel list

procs=$(( (N + PER_PROC - 1) / PER_PROC )); c0=$(cpu_of $gw); t0=$(date +%s)
for i in $(seq "$procs"); do
  n=$(( N / procs + (i <= N % procs ? 1 : 0) ))
  ip netns exec "$ns" $PGATE client bench --gateway 127.0.0.1 --source "127.0.1.$i" --psk-file "$work/psk" --user bench --password-file "$work/pw" \
    -n "$n" -C "$(( (CONC + procs - 1) / procs ))" --hold 86400 > "$work/hold$i.out" 2>/dev/null & pids+=($!)
done
for i in $(seq "$procs"); do
  until grep -q '^holding' "$work/hold$i.out" 2>/dev/null || ! kill -0 "${pids[$((i - 1))]}" 2>/dev/null; do sleep 1; done
done
t1=$(date +%s); c1=$(cpu_of $gw)
held=$(cat "$work"/hold*.out | sed -nE 's/^holding ([0-9]+) SAs.*/\1/p' | awk '{ s += $1 } END { print s + 0 }')
echo "set up: ${held}/${N} SAs held by ${procs} client processes in $(( t1 - t0 )) s, gateway CPU $(( (c1 - c0) * 1000 / hz )) ms"
grep -h '×' "$work"/hold*.out | sort | uniq -c | head -5 || true
sleep 10   # let the last answers and installs settle
rss=$(rss_of $gw)
echo "held: gateway RSS ${rss} kB, $(awk -v a="$rss0" -v b="$rss" -v n="$held" 'BEGIN { if (n > 0) printf "%.2f", (b - a) / n; else print "n/a" }') kB per SA above the empty gateway"
c2=$(cpu_of $gw); sleep "$IDLE"; c3=$(cpu_of $gw)
idle_ms=$(( (c3 - c2) * 1000 / hz ))
echo "idle ${IDLE} s: gateway CPU ${idle_ms} ms = $(awk -v c="$idle_ms" -v s="$IDLE" 'BEGIN { printf "%.2f", c / s / 10 }') % of one core; above the empty gateway's ${empty_ms} ms: $(awk -v c="$idle_ms" -v e="$empty_ms" -v s="$IDLE" -v n="$held" 'BEGIN { if (n > 0) printf "%.2f", (c - e) * 1000 / s / n; else print "n/a" }') µs per SA per second"
diag vpn tunnel list
diag vpn ike gateway list
diag vpn ipsec status
echo "gateway RSS after diagnose: $(rss_of $gw) kB; still running: $(kill -0 $gw 2>/dev/null && echo yes || echo no)"
if [[ -n ${PG_BENCH_TRACE:-} ]]; then
  dotnet-trace collect -p "$gw" --profile dotnet-sampled-thread-time,gc-collect --duration 00:00:00:20 -o "$PG_BENCH_TRACE" > /dev/null 2>&1 \
    && echo "idle CPU samples: $PG_BENCH_TRACE" || echo "dotnet-trace failed" >&2
fi
