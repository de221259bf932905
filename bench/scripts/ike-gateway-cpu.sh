#!/usr/bin/env bash
# IKE setups over loopback UDP: `pgate client bench` (the project's initiator) against a
# `pgate gateway` process (control plane only), one DH group at a time. Prints setups/s,
# client-side latency, and the gateway's CPU per established SA (utime+stime of the gateway
# process from /proc, before and after), and its RSS with N SAs held (a second run that
# connects and does not disconnect is not possible with bench; RSS after the run is printed).
#
#   bench/scripts/ike-gateway-cpu.sh [COUNT] [CONCURRENCY] [GROUPS...]     default 300 8 14 19 31
#
# Baseline for the ratio: strongSwan 5.9.8's gateway measured on this machine kind
# (EAP + virtual IP + CHILD_SA): 2.7 ms CPU per SA with modp2048, 2.3-2.5 ms with ecp384, 0.8-1.0 ms with x25519
# (interop-lab results/ike-bench-series.txt). Run this when the machine is otherwise idle.
set -euo pipefail
cd "$(dirname "$0")/../.."
COUNT=${1:-300}; CONC=${2:-8}; shift $(( $# > 2 ? 2 : $# )) || true
GROUPS_LIST=("${@:-14 19 31}"); [[ $# -eq 0 ]] && GROUPS_LIST=(14 19 31)
dotnet build -c Release src/PostureGate.Cli -v q -nologo >/dev/null
PGATE="dotnet src/PostureGate.Cli/bin/Release/net10.0/pgate.dll"
work=$(mktemp -d); trap 'kill $gw 2>/dev/null || true; rm -rf "$work"' EXIT
echo "bench-psk" > "$work/psk"; echo "bench-password" > "$work/pw"
hz=$(getconf CLK_TCK)
for g in "${GROUPS_LIST[@]}"; do
  case $g in 14) prop=aes128-sha256;; 19) prop=aes128gcm-prfsha256;; 31) prop=chacha20poly1305-prfsha256;; *) prop=aes256gcm-prfsha384;; esac
  cat > "$work/gw.conf" <<CONF
config system settings
    set ike-port 15500
    set ike-natt-port 15501
end
config user local
    edit "bench"
        set type password
        set passwd "bench-password"
    next
end
config user group
    edit "bench-users"
        set member "bench"
    next
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
config vpn ipsec phase2-interface
    edit "dialup"
        set phase1name "dialup"
        set proposal aes128gcm
    next
end
config system interface
    edit "lo"
        set ip 127.0.0.1 255.0.0.0
    next
end
CONF
  $PGATE gateway --config "$work/gw.conf" --control "$work/gw.sock" --data-plane off > "$work/gw.log" 2>&1 &
  gw=$!
  for _ in $(seq 100); do ss -Huln 'sport = :15500' | grep -q . && break; sleep 0.2; done
  # warm-up, then the measured run
  $PGATE client bench --gateway 127.0.0.1:15500 --natt-port 15501 --psk-file "$work/psk" --user bench --password-file "$work/pw" -n 20 -C 4 >/dev/null 2>&1 || true
  read -r u0 s0 < <(awk '{print $14, $15}' /proc/$gw/stat)
  out=$($PGATE client bench --gateway 127.0.0.1:15500 --natt-port 15501 --psk-file "$work/psk" --user bench --password-file "$work/pw" -n "$COUNT" -C "$CONC" 2>/dev/null || true)
  read -r u1 s1 < <(awk '{print $14, $15}' /proc/$gw/stat)
  est=$(sed -nE 's/.*established: ([0-9]+).*/\1/p' <<<"$out")
  rss=$(awk '/VmRSS/ {print $2}' /proc/$gw/status)
  cpu_ms=$(( (u1 + s1 - u0 - s0) * 1000 / hz ))
  per=$(awk -v c="$cpu_ms" -v n="${est:-0}" 'BEGIN { if (n > 0) printf "%.2f", c / n; else print "n/a" }')
  base=$(case $g in 14) echo 2.7;; 20) echo 2.4;; 31) echo 0.9;; *) echo n/a;; esac)
  ratio=$(awk -v p="$per" -v b="$base" 'BEGIN { if (p == "n/a" || b == "n/a") print "n/a"; else printf "%.2f", p / b }')
  echo "group $g ($prop): $(grep -E '^rate|^latency' <<<"$out" | tr '\n' ' ')"
  echo "group $g: gateway CPU ${cpu_ms} ms for ${est:-0} SAs = ${per} ms/SA; strongSwan ${base} ms/SA; ratio ${ratio}; gateway RSS ${rss} kB"
  kill $gw; wait $gw 2>/dev/null || true
done
