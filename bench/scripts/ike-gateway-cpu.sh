#!/usr/bin/env bash
# IKE setups over loopback UDP: `pgate client bench` (the project's initiator) against a
# `pgate gateway` process (control plane only), one DH group at a time. Prints setups/s,
# client-side latency, and the gateway's CPU per established SA (utime+stime of the gateway
# process from /proc, before and after), and its RSS after the run.
#
#   bench/scripts/ike-gateway-cpu.sh [COUNT] [CONCURRENCY] [GROUPS...]     default 300 8 14 19 31
#
#   PG_BENCH_WARMUP=N  SAs set up (and deleted) before measuring; default 2000. A fresh .NET
#                      process spends its first ~1500 SAs re-compiling hot code (tiered JIT:
#                      about half of its CPU then), so a short warm-up measures the JIT, not the
#                      gateway. The warm-up's own CPU per SA is printed as the cold-start figure.
#   PG_BENCH_HOLD=N    then set up N SAs and keep them: gateway RSS per held SA (from /proc).
#   PG_BENCH_GATEWAY=DLL  run this pgate.dll as the gateway instead of building the tree's
#                      (bench/scripts/ike-cpu-compare.sh uses it to put two builds side by side);
#   PG_BENCH_CLIENT=DLL   and this one as the initiator. Either set: nothing is built.
#   PG_BENCH_PORT=N    the gateway's IKE port on 127.0.0.1 (NAT-T on N+1); default 15500.
#
# Baseline for the ratio: strongSwan 5.9.8's gateway measured on this machine kind
# (EAP + virtual IP + CHILD_SA): 2.7 ms CPU per SA with modp2048, 2.3-2.5 ms with ecp384, 0.8-1.0 ms with x25519
# (interop-lab results/ike-bench-series.txt). Run this when the machine is otherwise idle.
set -euo pipefail
cd "$(dirname "$0")/../.."
COUNT=${1:-300}; CONC=${2:-8}; shift $(( $# > 2 ? 2 : $# )) || true
GROUPS_LIST=("${@:-14 19 31}"); [[ $# -eq 0 ]] && GROUPS_LIST=(14 19 31)
TREE_DLL=src/PostureGate.Cli/bin/Release/net10.0/pgate.dll
[[ -n ${PG_BENCH_GATEWAY:-}${PG_BENCH_CLIENT:-} ]] || dotnet build -c Release src/PostureGate.Cli -v q -nologo >/dev/null
GATEWAY="dotnet ${PG_BENCH_GATEWAY:-$TREE_DLL}"
PGATE="dotnet ${PG_BENCH_CLIENT:-$TREE_DLL}"
work=$(mktemp -d); pids=(); trap 'kill $gw "${pids[@]}" 2>/dev/null || true; rm -rf "$work"' EXIT
echo "bench-psk" > "$work/psk"; echo "bench-password" > "$work/pw"
hz=$(getconf CLK_TCK)
WARMUP=${PG_BENCH_WARMUP:-2000}; HOLD=${PG_BENCH_HOLD:-0}
PORT=${PG_BENCH_PORT:-15500}; NATT=$(( PORT + 1 ))
cpu_of() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# The runtime's background JIT thread (tier-1 re-compiles): a one-time cost that a short warm-up on a
# loaded machine leaves inside the measured run, printed apart from the per-SA work.
jit_of() {
  local t v s=0
  for t in /proc/"$1"/task/*; do
    [[ $(cat "$t/comm" 2>/dev/null) == ".NET Tiered Com"* ]] || continue
    v=$(sed 's/.*) //' "$t/stat" 2>/dev/null | awk '{print $12 + $13}') || true
    s=$(( s + ${v:-0} ))
  done
  echo "$s"
}
rss_of() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
bench() { $PGATE client bench --gateway 127.0.0.1:$PORT --natt-port $NATT --psk-file "$work/psk" --user bench --password-file "$work/pw" "$@"; }
for g in "${GROUPS_LIST[@]}"; do
  case $g in 14) prop=aes128-sha256;; 19) prop=aes128gcm-prfsha256;; 31) prop=chacha20poly1305-prfsha256;; *) prop=aes256gcm-prfsha384;; esac
  cat > "$work/gw.conf" <<CONF
config system settings
    set ike-port $PORT
    set ike-natt-port $NATT
end
config vpn ipsec phase1-interface
    edit "dialup"
        set type dynamic
        set interface "lo"
        set ike-version 2
        set mode-cfg enable
        set proposal $prop
        set dhgrp $g
        set eap enable
        set eap-identity send-request
        set authusrgrp "bench-users"
        set ipv4-start-ip 10.99.0.1
        set ipv4-end-ip 10.99.255.254
        set psksecret "bench-psk"
    next
end
config system interface
    edit "lo"
        set ip 127.0.0.1 255.0.0.0
    next
end
CONF
  cat bench/scripts/bench-eap-users.conf >> "$work/gw.conf"   # the user, its group, the phase2
  $GATEWAY gateway --config "$work/gw.conf" --control "$work/gw.sock" --data-plane off > "$work/gw.log" 2>&1 &
  gw=$!
  for _ in $(seq 100); do ss -Huln "sport = :$PORT" | grep -q . && break; sleep 0.2; done
  # warm-up (past the JIT's tiering; its CPU is the cold-start cost), then the measured run
  c0=$(cpu_of $gw)
  wout=$(bench -n "$WARMUP" -C "$CONC" 2>/dev/null || true)
  c1=$(cpu_of $gw); j1=$(jit_of $gw)
  west=$(sed -nE 's/.*established: ([0-9]+).*/\1/p' <<<"$wout")
  out=$(bench -n "$COUNT" -C "$CONC" 2>/dev/null || true)
  c2=$(cpu_of $gw); j2=$(jit_of $gw)
  est=$(sed -nE 's/.*established: ([0-9]+).*/\1/p' <<<"$out")
  rss=$(rss_of $gw)
  cpu_ms=$(( (c2 - c1) * 1000 / hz ))
  per=$(awk -v c="$cpu_ms" -v n="${est:-0}" 'BEGIN { if (n > 0) printf "%.2f", c / n; else print "n/a" }')
  jit_ms=$(( (j2 - j1) * 1000 / hz ))
  per_nojit=$(awk -v c="$(( cpu_ms - jit_ms ))" -v n="${est:-0}" 'BEGIN { if (n > 0) printf "%.2f", c / n; else print "n/a" }')
  base=$(case $g in 14) echo 2.7;; 20) echo 2.4;; 31) echo 0.9;; *) echo n/a;; esac)
  ratio=$(awk -v p="$per" -v b="$base" 'BEGIN { if (p == "n/a" || b == "n/a") print "n/a"; else printf "%.2f", p / b }')
  echo "group $g ($prop): $(grep -E '^rate|^latency' <<<"$out" | tr '\n' ' ')"
  echo "group $g: warm-up (cold process, JIT tiering) $(( (c1 - c0) * 1000 / hz )) ms for ${west:-0} SAs = $(awk -v c=$(( (c1 - c0) * 1000 / hz )) -v n="${west:-0}" 'BEGIN { if (n > 0) printf "%.2f", c / n; else print "n/a" }') ms/SA"
  echo "group $g: gateway CPU ${cpu_ms} ms for ${est:-0} SAs = ${per} ms/SA; strongSwan ${base} ms/SA; ratio ${ratio}; gateway RSS ${rss} kB"
  echo "group $g: of which JIT tiering (the runtime's background compiler) ${jit_ms} ms; without it ${per_nojit} ms/SA"
  if (( HOLD > 0 )); then
    # Each client session has two sockets: several client processes keep under the fd limit.
    procs=$(( (HOLD + 4999) / 5000 )); pids=()
    for i in $(seq "$procs"); do
      n=$(( HOLD / procs + (i <= HOLD % procs ? 1 : 0) ))
      $PGATE client bench --gateway 127.0.0.1:$PORT --natt-port $NATT --psk-file "$work/psk" --user bench --password-file "$work/pw" \
        -n "$n" -C "$CONC" --hold 3600 > "$work/hold$i.out" 2>/dev/null & pids+=($!)
    done
    for i in $(seq "$procs"); do
      until grep -q '^holding' "$work/hold$i.out" 2>/dev/null || ! kill -0 "${pids[$((i - 1))]}" 2>/dev/null; do sleep 0.5; done
    done
    held=$(cat "$work"/hold*.out | sed -nE 's/^holding ([0-9]+) SAs.*/\1/p' | awk '{ s += $1 } END { print s + 0 }')
    rss_held=$(rss_of $gw)
    echo "group $g: ${held} SAs held: gateway RSS ${rss_held} kB, $(awk -v a="$rss" -v b="$rss_held" -v n="$held" 'BEGIN { if (n > 0) printf "%.1f", (b - a) / n; else print "n/a" }') kB per held SA (from ${rss} kB after the measured run)"
    kill "${pids[@]}" 2>/dev/null || true; wait "${pids[@]}" 2>/dev/null || true; pids=()
  fi
  kill $gw; wait $gw 2>/dev/null || true
done
