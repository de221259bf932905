#!/usr/bin/env bash
# Issue 16 "One gateway, measured at scale": a login storm. N clients (EAP-MSCHAPv2 + virtual IP +
# CHILD_SA, gateway authenticated by PSK) arrive at a steady rate, `pgate client bench --rate`, and
# stay connected; first against `pgate gateway`, then against strongSwan's charon with the same
# PSK, user, pool size and proposals (aes128gcm-prfsha256 / x25519 / ESP aes128gcm), in the same
# run. Prints, per gateway, setup latency p50/p99 as the clients saw it, failures by reason, the
# gateway's CPU over the storm and its RSS with every client held.
#
#   sudo bench/scripts/login-storm.sh [N] [SECONDS]     default 10000 60 (N/SECONDS logins per second)
#
# Needs root: two network namespaces of its own (pgsg-<pid> with the gateway at 198.51.100.1,
# pgsc-<pid> with the clients, joined by a veth pair; nothing leaves them), and strongSwan's charon
# (see ike-cert-cpu.sh: kernel-libipsec, logging off, DoS thresholds off, its own strongswan.conf).
# Each client process holds at most 9,000 sessions (two sockets each, 20,000 files a process),
# spread over its own share of 240 source addresses (--source FIRST-LAST). Before the storm each
# gateway sets up and deletes
# PG_BENCH_WARMUP SAs (default 1500: a fresh .NET process spends its first ~1500 SAs re-compiling hot
# code; a gateway in service is warm). PG_BENCH_DLL=path/pgate.dll skips the build; PG_BENCH_KEEP=1
# keeps the work directory.
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/scripts/bench-lib.sh
N=${1:-10000}; SECS=${2:-60}; WARMUP=${PG_BENCH_WARMUP:-1500}
CHARON=${PG_BENCH_CHARON:-/usr/lib/ipsec/charon}
[[ $(id -u) -eq 0 ]] || { echo "login-storm.sh: needs root (network namespaces)" >&2; exit 2; }
[[ -x $CHARON ]] || { echo "login-storm.sh: no strongSwan charon at $CHARON" >&2; exit 2; }
command -v swanctl >/dev/null || { echo "login-storm.sh: no swanctl" >&2; exit 2; }
if [[ -z ${PG_BENCH_DLL:-} ]]; then
  dotnet build -c Release src/PostureGate.Cli -v q -nologo >/dev/null
  PG_BENCH_DLL=$PWD/src/PostureGate.Cli/bin/Release/net10.0/pgate.dll
fi
PGATE="dotnet $PG_BENCH_DLL"
work=$(mktemp -d); gns=pgsg-$$; cns=pgsc-$$; gw=; sw=; pids=()
stop_clients() { if (( ${#pids[@]} )); then kill "${pids[@]}" 2>/dev/null || true; wait "${pids[@]}" 2>/dev/null || true; fi; pids=(); }
cleanup() {
  stop_clients
  [[ -n $gw ]] && kill "$gw" 2>/dev/null && wait "$gw" 2>/dev/null || true
  [[ -n $sw ]] && kill "$sw" 2>/dev/null && wait "$sw" 2>/dev/null || true
  ip netns del "$gns" 2>/dev/null || true
  ip netns del "$cns" 2>/dev/null || true
  if [[ -n ${PG_BENCH_KEEP:-} ]]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
GW=198.51.100.1
PER_PROC=9000; procs=$(( (N + PER_PROC - 1) / PER_PROC ))
ip netns add "$gns"; ip netns add "$cns"
ip -n "$gns" link add pgs0 type veth peer name pgs1 netns "$cns"
ip -n "$gns" addr add $GW/24 dev pgs0
# 240 client addresses (198.51.100.10-249), a share of them per client process: a gateway caps
# half-open SAs per source address (pgate: 64), as a storm from one address would be a flood.
for a in $(seq 10 249); do ip -n "$cns" addr add "198.51.100.$a/24" dev pgs1; done
per_addr=$(( 240 / procs ))
for n in "$gns" "$cns"; do ip -n "$n" link set lo up; done
ip -n "$gns" link set pgs0 up; ip -n "$cns" link set pgs1 up
hz=$(getconf CLK_TCK)
cpu_of() { awk '{print $14 + $15}' "/proc/$1/stat"; }
rss_of() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
wait_udp() { for _ in $(seq 150); do ip netns exec "$gns" ss -Huln "sport = :$1" | grep -q . && return 0; sleep 0.2; done; echo "nothing listens on UDP $1" >&2; return 1; }
echo "bench-psk" > "$work/psk"; echo "bench-password" > "$work/pw"

# storm PID LABEL: N clients at N/SECS per second, split over the client processes; they stay connected.
storm() {
  local pid=$1 label=$2 c0 c1 i n t0 t1
  ip netns exec "$cns" $PGATE client bench --gateway $GW --psk-file "$work/psk" --user bench --password-file "$work/pw" \
    -n "$WARMUP" -C 8 2>/dev/null | sed -n "s/^rate/  $label warm-up: rate/p" || true
  c0=$(cpu_of "$pid"); t0=$(date +%s)
  for i in $(seq "$procs"); do
    n=$(( N / procs + (i <= N % procs ? 1 : 0) ))
    ip netns exec "$cns" $PGATE client bench --gateway $GW --source "198.51.100.$(( 10 + (i - 1) * per_addr ))-198.51.100.$(( 9 + i * per_addr ))" --psk-file "$work/psk" --user bench \
      --password-file "$work/pw" -n "$n" -C 2000 --rate "$(awk -v n="$n" -v s="$SECS" 'BEGIN { printf "%.1f", n / s }')/s" \
      --hold 86400 > "$work/$label-$i.out" 2>/dev/null & pids+=($!)
  done
  for i in $(seq "$procs"); do
    until grep -q '^holding' "$work/$label-$i.out" 2>/dev/null || ! kill -0 "${pids[$((i - 1))]}" 2>/dev/null; do sleep 1; done
  done
  t1=$(date +%s); c1=$(cpu_of "$pid")
  echo "$label: $N clients at $(( N / SECS ))/s: storm over in $(( t1 - t0 )) s, gateway CPU $(( (c1 - c0) * 1000 / hz )) ms, RSS $(rss_of "$pid") kB with all held"
  for i in $(seq "$procs"); do sed "s/^/  $label client process $i: /" "$work/$label-$i.out" | grep -v holding; done
  stop_clients
}

{ printf 'config system interface\n    edit "pgs0"\n        set ip %s 255.255.255.0\n    next\nend\n' $GW; bench_dialup pgs0 31; } > "$work/gw.conf"
ip netns exec "$gns" $PGATE gateway --config "$work/gw.conf" --control "$work/gw.sock" --data-plane on > "$work/pgate.log" 2>&1 &
gw=$!
wait_udp 500
storm "$gw" pgate
kill "$gw"; wait "$gw" 2>/dev/null || true; gw=

s="$work/sw"; mkdir -p "$s/swanctl"
cat > "$s/swanctl/swanctl.conf" <<CONF
connections {
    bench {
        version = 2
        local_addrs = $GW
        proposals = aes128gcm16-prfsha256-x25519
        unique = never
        pools = benchpool
        local { auth = psk
                id = $GW }
        remote { auth = eap-mschapv2
                 eap_id = %any }
        children { lan { local_ts = 0.0.0.0/0
                         esp_proposals = aes128gcm16 } }
    }
}
pools { benchpool { addrs = 10.64.0.0/10 } }
secrets {
    ike-bench { secret = "bench-psk" }
    eap-bench { id = bench
                secret = "bench-password" }
}
CONF
charon_gateway "$gns" "$s" "random nonce openssl pem pkcs1 pkcs8 x509 pubkey gcm aes sha1 sha2 md5 hmac kdf curve25519 attr eap-identity eap-mschapv2 kernel-libipsec kernel-netlink socket-default vici" \
  "    init_limit_half_open = 100000
    ikesa_table_size = 65536
    ikesa_table_segments = 16"
wait_udp 500
storm "$sw" strongswan
kill "$sw"; wait "$sw_launcher" 2>/dev/null || true; sw=
