#!/usr/bin/env bash
# esp-throughput.sh - TCP throughput through the tunnel, strongSwan gateway vs pgate gateway,
# measured in the same run on the same machine (the strongSwan client and the LAN host are
# the same for both; only the gateway in pgi-<run>-g changes).
#
#   1. lab.sh up (own run id; torn down on exit, whatever happens)
#   2. for each gateway: start it, start the strongSwan client, initiate CONN, iperf3 -c from
#      the virtual IP to 203.0.113.10 for SECONDS, stop client and gateway
#   3. print both receiver-side figures and pgate / strongSwan
#
# Usage: esp-throughput.sh [SECONDS] [CONN] [PGATE_DLL]
#   SECONDS 1..60 (default 5); CONN a client conn (default aes256gcm; aes128-sha256,
#   chacha20poly1305 …); PGATE_DLL default: pgate.dll next to this harness (test output).
# Output: key=value lines; rc 0 only if both were measured.  A machine-bound figure: compare
# the two lines of one run, not runs on different machines.
set -euo pipefail
HARNESS="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SECONDS_RUN="${1:-5}"; CONN="${2:-aes256gcm}"; DLL="${3:-$HARNESS/../pgate.dll}"
[[ $SECONDS_RUN =~ ^[0-9]+$ ]] && ((SECONDS_RUN >= 1 && SECONDS_RUN <= 60)) || { echo "SECONDS must be 1..60" >&2; exit 2; }
command -v iperf3 >/dev/null || { echo "iperf3 missing (install-deps.sh)" >&2; exit 1; }
[[ -e $DLL ]] || { echo "pgate.dll not found at $DLL" >&2; exit 1; }
lab() { bash "$HARNESS/lab.sh" "$@"; }
export PGI_OWNER_PID=$$
RUN="$(lab new-id)"
trap 'lab down "$RUN" >/dev/null 2>&1 || true' EXIT
lab up "$RUN" >/dev/null

measure() {   # gateway label: prints Mbit/s (receiver side)
    local gw="$1" out vip
    if [[ $gw == strongswan ]]; then lab charon-start "$RUN" gw >/dev/null; else lab pgate-start "$RUN" "$HARNESS/conf/pgate-lab.conf" "$DLL" >/dev/null; fi
    lab charon-start "$RUN" client >/dev/null
    lab swanctl "$RUN" client --initiate --ike "$CONN" --child lan --timeout 30 >/dev/null ||
        { echo "$gw: initiate $CONN failed; $(lab log "$RUN" client 20)" >&2; return 1; }
    vip="$(lab swanctl "$RUN" client --list-sas --ike "$CONN" | sed -nE 's/^ +local .*\[[^]]+\] \[([0-9.]+)\].*/\1/p' | head -1)"
    [[ -n $vip ]] || vip=192.0.2.200
    lab exec "$RUN" l timeout $((SECONDS_RUN + 30)) iperf3 -s -1 -B 203.0.113.10 >/dev/null 2>&1 &
    local srv=$!
    for _ in $(seq 50); do lab exec "$RUN" l ss -Hltn 'sport = :5201' | grep -q . && break; sleep 0.1; done
    out="$(lab exec "$RUN" c timeout $((SECONDS_RUN + 30)) iperf3 -c 203.0.113.10 -B "$vip" -t "$SECONDS_RUN" -f m --connect-timeout 5000)" ||
        { echo "$gw: iperf3 failed: $out" >&2; kill "$srv" 2>/dev/null; return 1; }
    wait "$srv" 2>/dev/null || true
    lab charon-stop "$RUN" client >/dev/null
    if [[ $gw == strongswan ]]; then lab charon-stop "$RUN" gw >/dev/null; else lab pgate-stop "$RUN"; fi
    awk '/receiver/ {for (i = 1; i <= NF; i++) if ($i == "Mbits/sec") print $(i - 1)}' <<<"$out" | tail -1
}

sw="$(measure strongswan)"
pg="$(measure pgate)"
echo "conn=$CONN seconds=$SECONDS_RUN cpus=$(nproc) strongswan=$(dpkg-query -W -f='${Version}' strongswan-charon 2>/dev/null || echo ?)"
echo "strongswan_gateway_mbit_s=$sw"
echo "pgate_gateway_mbit_s=$pg"
echo "pgate_over_strongswan=$(awk -v a="$pg" -v b="$sw" 'BEGIN {printf "%.2f\n", (b > 0) ? a / b : 0}')"
