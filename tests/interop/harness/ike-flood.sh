#!/usr/bin/env bash
# IKE_SA_INIT flood against pgate gateway and, in the same run with the same flood, strongSwan's
# gateway (issue 12 "Floods"), in the interop lab's namespaces (tests/interop/harness/lab.sh; only
# RFC 5737 prefixes, nothing leaves them). While a flooder sends spoofed IKE_SA_INIT requests from
# 192.0.2.0/25 (routed back to the client namespace, so the answers can leave and are counted),
# LEGIT real logins (EAP-MSCHAPv2, virtual IP, CHILD_SA) run from 198.51.100.2: half by `pgate client
# bench`, half by a strongSwan client (charon's default 5 retransmissions, a new IKE SA per login,
# 4 at a time, each terminated once up; PG_FLOOD_SWAN sets how many, 0 for none).
#
#   tests/interop/harness/ike-flood.sh [RATE|max] [SECONDS] [LEGIT] [PGATE_DLL]     default max 30 200
#
# The flooder: harness/flood/IkeFlood.cs (.NET, one thread: what one core sends; `dotnet run`
# compiles it on first use) for RATE max or above 30000/s, else ike-flood.py; PG_FLOOD_SENDER=dotnet|
# python picks one. Prints key=value lines per gateway (prefix pgate_ / strongswan_): legit_established,
# legit_total, legit_success_pct, and per client kind (legit_pgate_*, legit_strongswan_*), flood_sent,
# flood_pps, flood_answers_cookie (RFC 7296 §2.6 COOKIE: no state), flood_answers_sa (full responses:
# state and a DH each), gateway_cpu_pct (% of one core over the flood), gateway_rss_idle_kb (after
# the warm-up, before the flood), gateway_rss_max_kb, gateway_rss_growth_kb, gateway_udp_rcvbuf_errors
# (requests the kernel dropped: receive queue full); then the ratios pgate/strongSwan. RATE 0 = no
# flood (the baseline). PG_FLOOD_GATEWAYS="pgate strongswan" picks the gateways. Needs root,
# strongSwan, python3, the .NET SDK.
# PG_FLOOD_MODE picks the flood (IkeFlood.cs's modes; auth and esp always use it):
#   init  spoofed IKE_SA_INIT (the default);
#   auth  the expensive path: COOKIEs echoed, and each IKE_SA_INIT answer followed by an IKE_AUTH
#         whose SK payload is random (the gateway does the DH and the ICV check for each);
#         adds flood_cookies_echoed, flood_auth_sent, flood_auth_answers;
#   esp   ESP-in-UDP to port 4500 with unknown SPIs (pgate runs with its data plane for it);
#         flood_answers_other counts any answer (INVALID_SPI or other).
set -euo pipefail
H=$(cd "$(dirname "$0")" && pwd)
RATE=${1:-max}; SECONDS_=${2:-30}; LEGIT=${3:-200}; DLL=${4:-${PGATE_DLL:-}}
[[ $RATE == max || $RATE =~ ^[0-9]+$ ]] || { echo "RATE must be a number or max" >&2; exit 2; }
SWAN=${PG_FLOOD_SWAN:-$((LEGIT / 2))}; PGL=$((LEGIT - SWAN))
(( SWAN >= 0 && PGL >= 0 )) || { echo "PG_FLOOD_SWAN must lie between 0 and LEGIT" >&2; exit 2; }
MODE=${PG_FLOOD_MODE:-init}
[[ $MODE == init || $MODE == auth || $MODE == esp ]] || { echo "PG_FLOOD_MODE must be init, auth or esp" >&2; exit 2; }
SENDER=${PG_FLOOD_SENDER:-}
[[ $MODE == init ]] || SENDER=dotnet
if [[ -z $SENDER ]]; then if [[ $RATE == max ]] || (( RATE > 30000 )); then SENDER=dotnet; else SENDER=python; fi; fi
GATEWAYS=${PG_FLOOD_GATEWAYS:-pgate strongswan}
# Without a DLL: the one next to the harness copy in the interop tests' output, else a Release build.
if [[ -z $DLL && -e $H/../pgate.dll ]]; then DLL=$H/../pgate.dll; fi
if [[ -z $DLL ]]; then
  root=$(cd "$H/../../.." && pwd)
  dotnet build -c Release "$root/src/PostureGate.Cli" -v q -nologo >/dev/null
  DLL=$root/src/PostureGate.Cli/bin/Release/net10.0/pgate.dll
fi
[[ -e $DLL ]] || { echo "pgate.dll not found: $DLL" >&2; exit 2; }
export PGI_OWNER_PID=$$
run=$("$H/lab.sh" new-id)
work=$(mktemp -d)
cleanup() { "$H/lab.sh" down "$run" >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT INT TERM
"$H/lab.sh" up "$run" >/dev/null
c=pgi-$run-c; g=pgi-$run-g
state=${PGI_BASE:-${TMPDIR:-/tmp}/pgi}/$run
# The spoofed prefix: routed from the gateway to the client namespace, local there (AnyIP).
spoof=192.0.2.0/25
ip -n "$g" route replace "$spoof" via 198.51.100.2 dev pgg0
ip -n "$c" route replace local "$spoof" dev lo
ip netns exec "$g" sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.pgg0.rp_filter=0
echo "lab-psk-not-a-secret" > "$work/psk"; echo "alice-lab-password" > "$work/pw"
case $SENDER in
  dotnet) # Compiled once, before anything is measured.
          dotnet build -c Release "$H/flood/IkeFlood.cs" -v q -nologo >/dev/null
          flooder=(dotnet run -c Release --no-build "$H/flood/IkeFlood.cs" --) ;;
  python) flooder=(python3 "$H/ike-flood.py") ;;
  *) echo "PG_FLOOD_SENDER must be dotnet or python" >&2; exit 2 ;;
esac
echo "flood_sender=$SENDER"
echo "flood_mode=$MODE"
# The data plane only for the ESP flood: the others measure the IKE path alone.
pgate_plane=(--data-plane off); [[ $MODE == esp ]] && pgate_plane=()
# strongSwan logins: N of them, 4 at a time, each a new IKE SA (reuse_ikesa = no) terminated once up
# (the pool has 55 addresses). Prints the number established.
swan_logins() {
  local n=$1 w
  for ((w = 0; w < 4; w++)); do
    ( ok=0
      for ((i = w; i < n; i += 4)); do
        out=$("$H/lab.sh" swanctl "$run" client --initiate --ike dialup --child lan --timeout 120 2>&1) || continue
        id=$(sed -nE 's/.*IKE_SA dialup\[([0-9]+)\] established.*/\1/p' <<<"$out" | head -1)
        [[ -n $id ]] || continue
        ok=$((ok + 1))
        "$H/lab.sh" swanctl "$run" client --terminate --ike-id "$id" --timeout 30 >/dev/null 2>&1 || true
      done
      echo "$ok" ) > "$work/swan-$w" &
  done
  wait
  cat "$work"/swan-[0-3] | awk '{ s += $1 } END { print s + 0 }'
}

hz=$(getconf CLK_TCK)
cpu_of() { awk '{print $14 + $15}' "/proc/$1/stat"; }
rss_of() { awk '/VmRSS/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
# UDP datagrams the gateway namespace dropped because the socket's receive queue was full.
rcvbuf_errors() { ip netns exec "$g" awk '/^Udp:/ { if (!h) { for (i = 1; i <= NF; i++) if ($i == "RcvbufErrors") f = i; h = 1 } else print $f }' /proc/net/snmp; }
declare -A result

for gw in $GATEWAYS; do
  case $gw in
    pgate) "$H/lab.sh" pgate-start "$run" "$H/conf/pgate-lab.conf" "$DLL" "${pgate_plane[@]}" >/dev/null
           pid=$(<"$state/gw/pgate.pid") ;;
    strongswan) "$H/lab.sh" charon-start "$run" gw >/dev/null
           pid=$(<"$state/gw/charon.pid") ;;
    *) echo "unknown gateway $gw" >&2; exit 2 ;;
  esac
  # Warm the gateway (JIT, pools) with a few real setups first.
  ip netns exec "$c" dotnet "$DLL" client bench --gateway 198.51.100.1 --psk-file "$work/psk" --user alice \
    --password-file "$work/pw" --gateway-id gw.pg.example -n 20 -C 4 >/dev/null 2>&1 || true
  if (( SWAN > 0 )); then
    PGI_REUSE_IKESA=no PGI_RETRANSMIT_TRIES=5 "$H/lab.sh" charon-start "$run" client >/dev/null
  fi
  rss_idle=$(rss_of "$pid")
  rss_max=0
  ( while kill -0 "$pid" 2>/dev/null; do rss_of "$pid"; sleep 0.5; done ) > "$work/rss-$gw" &
  sampler=$!
  c0=$(cpu_of "$pid"); t0=$(date +%s.%N); e0=$(rcvbuf_errors)
  if [[ $RATE != 0 ]]; then
    if [[ $SENDER == dotnet ]]; then mode_arg=("$MODE"); else mode_arg=(); fi
    ip netns exec "$c" "${flooder[@]}" 198.51.100.1 "$spoof" "$RATE" "$SECONDS_" "${mode_arg[@]}" > "$work/flood-$gw" &
    flood=$!
    sleep 3   # the flood fills the half-open table first
  fi
  swan_logins "$SWAN" > "$work/swan-est-$gw" &
  swan=$!
  if (( PGL > 0 )); then
    ip netns exec "$c" dotnet "$DLL" client bench --gateway 198.51.100.1 --psk-file "$work/psk" --user alice \
      --password-file "$work/pw" --gateway-id gw.pg.example -n "$PGL" -C 8 > "$work/legit-$gw" 2>/dev/null || true
  fi
  wait "$swan" || true
  if [[ $RATE != 0 ]]; then wait "$flood" || true; fi
  c1=$(cpu_of "$pid"); t1=$(date +%s.%N); e1=$(rcvbuf_errors)
  kill "$sampler" 2>/dev/null || true; wait "$sampler" 2>/dev/null || true
  rss_max=$(sort -n "$work/rss-$gw" | tail -1)
  pest=$(sed -nE 's/.*established: ([0-9]+).*/\1/p' "$work/legit-$gw" 2>/dev/null); pest=${pest:-0}
  sest=$(<"$work/swan-est-$gw"); sest=${sest:-0}
  est=$((pest + sest))
  echo "${gw}_legit_pgate_established=$pest"
  echo "${gw}_legit_pgate_total=$PGL"
  echo "${gw}_legit_strongswan_established=$sest"
  echo "${gw}_legit_strongswan_total=$SWAN"
  echo "${gw}_legit_established=$est"
  echo "${gw}_legit_total=$LEGIT"
  echo "${gw}_legit_success_pct=$(awk -v e="$est" -v n="$LEGIT" 'BEGIN { printf "%.1f", 100 * e / n }')"
  [[ -e $work/legit-$gw ]] && sed -n 's/^\(  [0-9]* × .*\)/'"${gw}"'_legit_failure=\1/p' "$work/legit-$gw"
  [[ -s $work/flood-$gw ]] && sed "s/^/${gw}_/" "$work/flood-$gw"
  echo "${gw}_gateway_cpu_pct=$(awk -v c=$((c1 - c0)) -v hz="$hz" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", 100 * c / hz / (b - a) }')"
  echo "${gw}_gateway_rss_idle_kb=${rss_idle:-0}"
  echo "${gw}_gateway_rss_max_kb=${rss_max:-0}"
  echo "${gw}_gateway_rss_growth_kb=$(( ${rss_max:-0} - ${rss_idle:-0} ))"
  echo "${gw}_gateway_udp_rcvbuf_errors=$((e1 - e0))"
  result[$gw]="$est ${rss_max:-0}"
  (( SWAN > 0 )) && "$H/lab.sh" charon-stop "$run" client >/dev/null
  case $gw in
    pgate) "$H/lab.sh" pgate-stop "$run" >/dev/null ;;
    strongswan) "$H/lab.sh" charon-stop "$run" gw >/dev/null ;;
  esac
done
if [[ -n ${result[pgate]:-} && -n ${result[strongswan]:-} ]]; then
  read -r pe pr <<<"${result[pgate]}"; read -r se sr <<<"${result[strongswan]}"
  echo "ratio_legit_success_pgate_over_strongswan=$(awk -v a="$pe" -v b="$se" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "inf" }')"
  echo "ratio_rss_pgate_over_strongswan=$(awk -v a="$pr" -v b="$sr" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }')"
fi
