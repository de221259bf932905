#!/usr/bin/env bash
# A TCP transfer through an impaired link (issue 12 "Loss and faults"): `pgate gateway` in the lab's
# gateway namespace behind harness/udp-impair.py (userspace: this kernel has no sch_netem), first
# the strongSwan client (charon's default 5 retransmissions, RFC 7296 §2.1), then `pgate client
# connect --tun`, each connecting through the relay and sending BYTES from its virtual IP to the LAN
# host, checked by length and SHA-256. Only RFC 5737 prefixes; nothing leaves the namespaces.
#
#   tests/interop/harness/loss-transfer.sh [BYTES] [LOSS] [DELAY_MS] [REORDER] [DUP] [PGATE_DLL]
#       default 20971520 0.2 100 0.1 0.05 (the issue's impairment, 20 MB)
#
# Prints key=value lines per client (strongswan_ / pgate_client_): sa_up_s (start to tunnel up),
# transfer_s, transfer_kib_s, intact (yes/no), and the relay's counts. Exit 1 when a transfer is
# not intact. PG_LOSS_CLIENTS="strongswan pgate_client" picks the clients. Needs root, strongSwan.
set -euo pipefail
H=$(cd "$(dirname "$0")" && pwd)
BYTES=${1:-20971520}; LOSS=${2:-0.2}; DELAY=${3:-100}; REORDER=${4:-0.1}; DUP=${5:-0.05}; DLL=${6:-${PGATE_DLL:-}}
CLIENTS=${PG_LOSS_CLIENTS:-strongswan pgate_client}
[[ $BYTES =~ ^[0-9]+$ ]] || { echo "BYTES must be a number" >&2; exit 2; }
if [[ -z $DLL && -e $H/../pgate.dll ]]; then DLL=$H/../pgate.dll; fi
if [[ -z $DLL ]]; then
  root=$(cd "$H/../../.." && pwd)
  dotnet build -c Release "$root/src/PostureGate.Cli" -v q -nologo >/dev/null
  DLL=$root/src/PostureGate.Cli/bin/Release/net10.0/pgate.dll
fi
[[ -e $DLL ]] || { echo "pgate.dll not found: $DLL" >&2; exit 2; }
export PGI_OWNER_PID=$$
# A lossy TCP transfer of megabytes takes minutes: lab.sh's tcp-sink/tcp-send waits are 3 × this.
export PGI_TIMEOUT=${PGI_TIMEOUT:-600} PGI_CONNECT_TIMEOUT=120
run=$("$H/lab.sh" new-id)
work=$(mktemp -d)
relay=; client=
cleanup() {
  [[ -n $client ]] && kill "$client" 2>/dev/null || true
  [[ -n $relay ]] && kill "$relay" 2>/dev/null || true
  "$H/lab.sh" down "$run" >/dev/null 2>&1 || true; rm -rf "$work"
}
trap cleanup EXIT INT TERM
"$H/lab.sh" up "$run" >/dev/null
c=pgi-$run-c; g=pgi-$run-g
state=${PGI_BASE:-${TMPDIR:-/tmp}/pgi}/$run
RELAY=198.51.100.3
ip -n "$g" addr add $RELAY/32 dev pgg0
PGI_TIMEOUT=20 "$H/lab.sh" pgate-start "$run" "$H/conf/pgate-lab.conf" "$DLL" >/dev/null
ip netns exec "$g" python3 "$H/udp-impair.py" $RELAY 198.51.100.1 --loss "$LOSS" --dup "$DUP" --reorder "$REORDER" --delay-ms "$DELAY" \
  > "$work/relay.out" 2>&1 &
relay=$!
head -c "$BYTES" /dev/urandom > "$work/payload"
want=$(sha256sum "$work/payload" | cut -d' ' -f1)
echo "bytes=$BYTES loss=$LOSS delay_ms=$DELAY reorder=$REORDER dup=$DUP"
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
fail=0

# transfer PREFIX VIP PORT: BYTES from VIP to the LAN host, timed and checked.
transfer() {
  local p=$1 vip=$2 port=$3 t0 t1 got
  "$H/lab.sh" tcp-sink "$run" "$port" "$work/received-$p" &
  local sink=$!
  for _ in $(seq 100); do ip netns exec "pgi-$run-l" ss -Hltn "sport = :$port" | grep -q . && break; sleep 0.1; done
  t0=$(now)
  "$H/lab.sh" tcp-send "$run" "$vip" "$port" "$work/payload" || true
  wait "$sink" || true
  t1=$(now)
  got=$(sha256sum "$work/received-$p" | cut -d' ' -f1)
  echo "${p}_transfer_s=$(secs "$t0" "$t1")"
  echo "${p}_transfer_kib_s=$(awk -v n="$BYTES" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", n / 1024 / (b - a) }')"
  echo "${p}_received_bytes=$(stat -c %s "$work/received-$p")"
  if [[ $got == "$want" ]]; then echo "${p}_intact=yes"; else echo "${p}_intact=no"; fail=1; fi
}

for cl in $CLIENTS; do
  case $cl in
    strongswan)
      printf 'connections {\n  relay : connections.dialup {\n    remote_addrs = %s\n  }\n}\n' $RELAY > "$work/relay.conf"
      PGI_TIMEOUT=20 PGI_EXTRA_CONF=$work/relay.conf PGI_RETRANSMIT_TRIES=5 "$H/lab.sh" charon-start "$run" client >/dev/null
      t0=$(now)
      if ! "$H/lab.sh" swanctl "$run" client --initiate --ike relay --child lan --timeout 300 > "$work/initiate.log" 2>&1; then
        echo "strongswan_sa_up=no"; tail -5 "$work/initiate.log" >&2; fail=1; continue
      fi
      echo "strongswan_sa_up_s=$(secs "$t0" "$(now)")"
      vip=$("$H/lab.sh" swanctl "$run" client --list-sas --ike relay | sed -nE 's/.*local .* \[([0-9.]+)\].*/\1/p; s/^ *vip[^0-9]*([0-9.]+).*/\1/p' | grep -m1 '^192\.0\.2\.')
      [[ -n $vip ]] || vip=$(ip -n "$c" -4 -o addr show | awk '$4 ~ /^192\.0\.2\./ { sub(/\/.*/, "", $4); print $4; exit }')
      transfer strongswan "$vip" 5001
      "$H/lab.sh" swanctl "$run" client --terminate --ike relay --timeout 30 >/dev/null 2>&1 || true
      "$H/lab.sh" charon-stop "$run" client >/dev/null ;;
    pgate_client)
      d=$state/pgate-client; mkdir -p "$d"
      (umask 077; printf 'lab-psk-not-a-secret' > "$d/psk"; printf 'alice-lab-password' > "$d/password")
      t0=$(now)
      setsid ip netns exec "$c" dotnet "$DLL" client connect --gateway $RELAY --gateway-id gw.pg.example --user alice \
        --psk-file "$d/psk" --password-file "$d/password" --status-file "$d/status.json" --tun > "$d/client.log" 2>&1 </dev/null &
      client=$!
      vip=
      for _ in $(seq 3000); do
        kill -0 "$client" 2>/dev/null || break
        grep -q '"State": "connected"' "$d/status.json" 2>/dev/null &&
          vip=$(sed -nE 's/^ *"VirtualIp": "([0-9.]+)".*/\1/p' "$d/status.json")
        [[ -n $vip ]] && ip -n "$c" route show 203.0.113.0/24 | grep -q 'dev pgclient0' && break
        vip=; sleep 0.1
      done
      if [[ -z $vip ]]; then echo "pgate_client_sa_up=no"; tail -5 "$d/client.log" >&2; fail=1; continue; fi
      echo "pgate_client_sa_up_s=$(secs "$t0" "$(now)")"
      transfer pgate_client "$vip" 5002
      kill "$client" 2>/dev/null || true; wait "$client" 2>/dev/null || true; client= ;;
    *) echo "unknown client $cl" >&2; exit 2 ;;
  esac
done
kill "$relay"; wait "$relay" 2>/dev/null || true; relay=
echo "relay_$(tail -1 "$work/relay.out" | sed 's/ / relay_/g')"
exit $fail
