#!/usr/bin/env bash
# IKE SA setup CPU per SA with certificate authentication (issue 10 "Speed"): the gateway signs
# with its certificate (ECDSA P-256, then RSA-2048; RFC 7296 §2.15, RFC 7427), the clients do
# EAP-MSCHAPv2 with a virtual IP and a CHILD_SA — the Windows / strongSwan-app shape. The same
# initiator (`pgate client bench`, which checks the gateway's certificate against the CA and the
# name it dials) drives `pgate gateway` and then strongSwan's charon, with the same certificates,
# proposals (aes128gcm-prfsha256, ecp384, ESP aes128gcm) and user, in the same run. The figure is
# each gateway's CPU (utime+stime from /proc) per established SA over the measured run.
#
#   sudo bench/scripts/ike-cert-cpu.sh [COUNT] [CONCURRENCY] [KEYS...]     default 1000 8 ec rsa
#
#   PG_BENCH_WARMUP=N  SAs set up (and deleted) on each gateway before measuring; default 2000
#                      (a fresh .NET process spends its first ~1500 SAs re-compiling hot code).
#
# Needs root (two network namespaces of its own, pgcg-<pid> with the gateway at 198.51.100.1 and
# pgcc-<pid> with the clients at 198.51.100.2, joined by a veth pair: nothing leaves them; IKE on
# ports 500/4500, since charon reads any other IKE port as a NAT-T one), openssl, and strongSwan's charon (apt-get install charon-systemd or strongswan-charon,
# strongswan-swanctl, libstrongswan-extra-plugins for kernel-libipsec). charon runs with its
# own strongswan.conf (no system config read), its /run bind-mounted to the work directory
# (its pid file is compiled in), kernel-libipsec (userspace ESP: the kernel's XFRM is not
# touched) and logging off. Everything it made is removed on exit.
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/scripts/bench-lib.sh
COUNT=${1:-1000}; CONC=${2:-8}; shift $(( $# > 2 ? 2 : $# )) || true
KEYS=("$@"); [[ ${#KEYS[@]} -eq 0 ]] && KEYS=(ec rsa)
WARMUP=${PG_BENCH_WARMUP:-2000}
CHARON=${PG_BENCH_CHARON:-/usr/lib/ipsec/charon}
[[ $(id -u) -eq 0 ]] || { echo "ike-cert-cpu.sh: needs root (network namespace)" >&2; exit 2; }
[[ -x $CHARON ]] || { echo "ike-cert-cpu.sh: no strongSwan charon at $CHARON" >&2; exit 2; }
command -v swanctl >/dev/null || { echo "ike-cert-cpu.sh: no swanctl" >&2; exit 2; }

dotnet build -c Release src/PostureGate.Cli -v q -nologo >/dev/null
PGATE="dotnet $PWD/src/PostureGate.Cli/bin/Release/net10.0/pgate.dll"
work=$(mktemp -d); gns=pgcg-$$; cns=pgcc-$$; gw=; sw=
# PG_BENCH_KEEP=1 keeps the work directory (logs; charon's with PG_BENCH_SWLOG=1)
cleanup() {
  [[ -n $gw ]] && kill "$gw" 2>/dev/null && wait "$gw" 2>/dev/null
  [[ -n $sw ]] && kill "$sw" 2>/dev/null && wait "$sw" 2>/dev/null
  ip netns del "$gns" 2>/dev/null || true
  ip netns del "$cns" 2>/dev/null || true
  if [[ -n ${PG_BENCH_KEEP:-} ]]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
GW=198.51.100.1; CL=198.51.100.2
ip netns add "$gns"; ip netns add "$cns"
ip -n "$gns" link add pgb0 type veth peer name pgb1 netns "$cns"
ip -n "$gns" addr add $GW/24 dev pgb0; ip -n "$cns" addr add $CL/24 dev pgb1
for n in "$gns" "$cns"; do ip -n "$n" link set lo up; done
ip -n "$gns" link set pgb0 up; ip -n "$cns" link set pgb1 up
hz=$(getconf CLK_TCK)
cpu_of() { awk '{print $14 + $15}' "/proc/$1/stat"; }
wait_udp() { for _ in $(seq 150); do ip netns exec "$gns" ss -Huln "sport = :$1" | grep -q . && return 0; sleep 0.2; done; echo "nothing listens on UDP $1" >&2; return 1; }

# --- the certificates: one CA, a gateway certificate per key type (SAN: the name and the address dialled, serverAuth as Windows wants)
NAME=gw.bench.example
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$work/ca.key" -out "$work/ca.pem" \
  -subj "/CN=PG Bench CA" -days 30 -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
for k in "${KEYS[@]}"; do
  case $k in
    ec) keyopt=(-newkey ec -pkeyopt ec_paramgen_curve:P-256);;
    rsa) keyopt=(-newkey rsa:2048);;
    *) echo "unknown key type $k (ec or rsa)" >&2; exit 2;;
  esac
  openssl req "${keyopt[@]}" -nodes -keyout "$work/gw-$k.key" -out "$work/gw-$k.csr" -subj "/CN=$NAME" 2>/dev/null
  openssl x509 -req -in "$work/gw-$k.csr" -CA "$work/ca.pem" -CAkey "$work/ca.key" -CAcreateserial -days 30 -out "$work/gw-$k.pem" \
    -extfile <(printf 'subjectAltName=DNS:%s,IP:%s\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature\n' "$NAME" "$GW") 2>/dev/null
  # FortiOS keeps the key as PKCS#8 PEM in `set private-key`
  openssl pkcs8 -topk8 -nocrypt -in "$work/gw-$k.key" -out "$work/gw-$k.p8" 2>/dev/null
done
echo "bench-password" > "$work/pw"

# bench COUNT: pgate's initiator, in the clients' namespace, against the gateway
bench() {
  ip netns exec "$cns" $PGATE client bench --gateway "$GW" --gateway-ca "$work/ca.pem" \
    --user bench --password-file "$work/pw" -n "$1" -C "$CONC" 2>/dev/null || true
}
# measure PID LABEL: warm-up, then the measured run; prints its lines, sets $per
measure() {
  local pid=$1 label=$2 c0 c1 c2 wout out west est cpu_ms
  c0=$(cpu_of "$pid"); wout=$(bench "$WARMUP"); c1=$(cpu_of "$pid")
  out=$(bench "$COUNT"); c2=$(cpu_of "$pid")
  west=$(sed -nE 's/.*established: ([0-9]+).*/\1/p' <<<"$wout"); est=$(sed -nE 's/.*established: ([0-9]+).*/\1/p' <<<"$out")
  cpu_ms=$(( (c2 - c1) * 1000 / hz ))
  per=$(awk -v c="$cpu_ms" -v n="${est:-0}" 'BEGIN { if (n > 0) printf "%.3f", c / n; else print "n/a" }')
  echo "$label: $(grep -E '^rate|^latency' <<<"$out" | tr '\n' ' ')"
  echo "$label: warm-up ${west:-0} SAs, then CPU ${cpu_ms} ms for ${est:-0}/$COUNT SAs = ${per} ms/SA"
  grep -E '×' <<<"$out" | head -3 || true
}

for k in "${KEYS[@]}"; do
  cat > "$work/gw.conf" <<CONF
config system interface
    edit "pgb0"
        set ip $GW 255.255.255.0
    next
end
config vpn certificate local
    edit "gw"
        set certificate "$(cat "$work/gw-$k.pem")"
        set private-key "$(cat "$work/gw-$k.p8")"
    next
end
config vpn ipsec phase1-interface
    edit "dialup"
        set type dynamic
        set interface "pgb0"
        set ike-version 2
        set peertype any
        set authmethod signature
        set certificate "gw"
        set mode-cfg enable
        set proposal aes128gcm-prfsha256
        set dhgrp 20
        set eap enable
        set eap-identity send-request
        set authusrgrp "bench-users"
        set ipv4-start-ip 10.99.0.1
        set ipv4-end-ip 10.99.255.254
    next
end
CONF
  cat bench/scripts/bench-eap-users.conf >> "$work/gw.conf"   # the user, its group, the phase2
  # ip execs dotnet: $! is the gateway process itself.
  ip netns exec "$gns" $PGATE gateway --config "$work/gw.conf" --control "$work/gw.sock" --data-plane off > "$work/gw-$k.log" 2>&1 &
  gw=$!
  wait_udp 500
  measure "$gw" "pgate gateway, $k certificate"; pg=$per
  kill "$gw"; wait "$gw" 2>/dev/null || true; gw=

  # strongSwan's gateway: same certificate, same proposals, same user
  s="$work/sw-$k"; mkdir -p "$s/swanctl/x509" "$s/swanctl/x509ca" "$s/swanctl/private"
  cp "$work/gw-$k.pem" "$s/swanctl/x509/gw.pem"; cp "$work/ca.pem" "$s/swanctl/x509ca/ca.pem"; cp "$work/gw-$k.p8" "$s/swanctl/private/gw.pem"
  cat > "$s/swanctl/swanctl.conf" <<CONF
connections {
    bench {
        version = 2
        local_addrs = $GW
        proposals = aes128gcm16-prfsha256-ecp384
        send_certreq = no
        unique = never
        pools = benchpool
        local { auth = pubkey
                certs = gw.pem
                id = $NAME }
        remote { auth = eap-mschapv2
                 eap_id = %any }
        children { lan { local_ts = 0.0.0.0/0
                         esp_proposals = aes128gcm16 } }
    }
}
pools { benchpool { addrs = 10.99.0.0/16 } }
secrets { eap-bench { id = bench
                      secret = "bench-password" } }
CONF
  charon_gateway "$gns" "$s" "random nonce openssl pem pkcs1 pkcs8 x509 pubkey constraints gcm aes sha1 sha2 md5 hmac kdf attr eap-identity eap-mschapv2 kernel-libipsec kernel-netlink socket-default vici" \
    "    ikesa_table_size = 1024
    ikesa_table_segments = 16" || exit 1
  wait_udp 500
  measure "$sw" "strongSwan charon gateway, $k certificate"; ss_per=$per
  kill "$sw"; wait "$sw_launcher" 2>/dev/null || true; sw=
  echo "$k certificate: pgate ${pg} ms/SA, strongSwan ${ss_per} ms/SA, ratio $(awk -v a="$pg" -v b="$ss_per" 'BEGIN { if (a == "n/a" || b == "n/a" || b == 0) print "n/a"; else printf "%.2f", a / b }') (goal: at most 0.50)"
done
