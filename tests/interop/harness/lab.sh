#!/usr/bin/env bash
# lab.sh - PostureGate's own interop lab: three network namespaces per run, strongSwan
# charon instances and pgate inside them.  Used by the C# fixture (InteropLab.cs) and by hand.
#
#   pgi-<run>-c   client  pgc0 198.51.100.2/24  -- strongSwan client (initiator)
#   pgi-<run>-g   gateway pgg0 198.51.100.1/24, pgg1 203.0.113.1/24, ip_forward=1
#                         -- pgate gateway, or the strongSwan gateway (harness self-test)
#   pgi-<run>-l   LAN     pgl0 203.0.113.10/24, 192.0.2.0/24 via 203.0.113.1 (the VIP pool)
#   pgi-<run>-b   second gateway (gw2-up only, the redirect tests): pgb0 198.51.100.3/24 to the
#                 client's pgc1 (a /32 route there), pgb1 203.0.113.2/24 to the LAN's pgl1; the LAN
#                 reaches its pool 192.0.2.128/26 via 203.0.113.2
#
# Only RFC 5737 documentation prefixes, no default route, IPv6 off, veths created directly
# inside the namespaces: nothing leaves them.  <run> is 8 hex digits, unique per run, so
# several runs coexist.  /run/pgi/<run>.owner holds "pid starttime" of the process that owns
# the run (written before the namespaces exist; sweep removes runs whose owner is gone; kept
# in /run like the namespaces themselves, whatever PGI_BASE each run uses).
# State lives in $PGI_BASE/<run>/:
#   client/ gw/          each charon's /run (bind-mounted over /run in its mount namespace):
#                        charon.pid, charon.vici, charon.log; gw/ also pgate.{pid,log,sock}
#   conf/<inst>/         strongswan.conf + swanctl.conf rendered from conf/*.in
#
# Usage (RUN = 8 hex digits):
#   lab.sh new-id                         print a fresh run id
#   lab.sh up RUN                         sweep stale runs, create the namespaces
#   lab.sh down RUN                       kill everything inside, delete the namespaces and
#                                         the state dir (idempotent, also after a crash)
#   lab.sh sweep                          down every pgi-* run whose owner process is gone
#   lab.sh status RUN | list
#   lab.sh charon-start RUN client|gw     render the configs, start charon, load swanctl.conf
#   lab.sh charon-stop RUN client|gw
#   lab.sh swanctl RUN client|gw ARGS...  swanctl against that instance's vici socket
#   lab.sh exec RUN c|g|l CMD...          run CMD inside a namespace
#   lab.sh pgate-start RUN CONFIG [DLL [ARGS...]]
#                                         pgate gateway in the gateway ns (ARGS appended, e.g.
#                                         --verbose); waits until it has bound UDP 500
#   lab.sh pgate-stop RUN
#   lab.sh gw2-up RUN                     add the second gateway namespace (after up)
#   lab.sh pgate-start-b RUN CONFIG DLL [ARGS...]
#                                         pgate gateway in the second gateway ns (state in gwb/)
#   lab.sh log RUN client|gw|pgate [N]    last N lines of a log
#   lab.sh tcp-sink RUN PORT OUT          LAN host: accept one TCP connection, store it in OUT
#   lab.sh tcp-send RUN SRC PORT FILE [SPLIT GATE]
#                                         client: send FILE from SRC; with SPLIT, pause after
#                                         SPLIT bytes (creates GATE.half) until GATE exists
#
# Environment: PGI_BASE (default ${TMPDIR:-/tmp}/pgi; must not lie under /run),
#   PGI_OWNER_PID (default: the caller, $PPID), PGI_TIMEOUT (seconds per wait, default 20),
#   charon-start client: PGI_EAP_ID PGI_EAP_PASSWORD PGI_GW_ID PGI_PSK PGI_FRAGMENT_SIZE PGI_RETRANSMIT_TRIES PGI_REUSE_IKESA
#   PGI_FOLLOW_REDIRECTS (yes, strongSwan's default, or no: no REDIRECT_SUPPORTED)
#   PGI_WRONG_ID PGI_WRONG_PASSWORD (see conf/client.swanctl.conf.in), PGI_EXTRA_CONF (a
#   swanctl.conf fragment with more conns/secrets, included by the rendered file);
#   tcp-send: PGI_CONNECT_TIMEOUT (nc -w, default 10); pgate-start: PGI_DOTNET (default dotnet).
set -euo pipefail

HARNESS="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CHARON=/usr/lib/ipsec/charon
PGI_BASE="${PGI_BASE:-${TMPDIR:-/tmp}/pgi}"
PGI_TIMEOUT="${PGI_TIMEOUT:-20}"

die() { echo "lab.sh: $*" >&2; exit 1; }

case "$PGI_BASE" in
    /run|/run/*) die "PGI_BASE=$PGI_BASE lies under /run, which each charon replaces with its own dir" ;;
    *[[:space:]\"\#\{\}\\]*) die "PGI_BASE=$PGI_BASE contains whitespace or one of \" # { } \\ (strongswan.conf syntax)" ;;
esac

check_run() { [[ ${1:-} =~ ^[0-9a-f]{8}$ ]] || die "run id must be 8 lowercase hex digits, got '${1:-}'"; }
ns() { echo "pgi-$1-$2"; }                      # run, c|g|l|b
ns_of_inst() { case "$2" in client) ns "$1" c ;; gw) ns "$1" g ;; *) die "instance must be client or gw, got '$2'" ;; esac; }
state() { echo "$PGI_BASE/$1"; }
OWNERS=/run/pgi
owner_file() { echo "$OWNERS/$1.owner"; }
ns_exists() { [[ -e /run/netns/$1 ]]; }
# Bounded wait: poll CMD every 0.1 s for at most PGI_TIMEOUT seconds.
# (Odd local names: bash scoping is dynamic, and the polled functions read their caller's locals.)
wait_for() {
    local _wf_i _wf_n=$((PGI_TIMEOUT * 10))
    for ((_wf_i = 0; _wf_i < _wf_n; _wf_i++)); do "$@" && return 0; sleep 0.1; done
    return 1
}

# "pid starttime" identifies a process across pid reuse.
proc_id() { local st; st="$(cut -d' ' -f22 "/proc/$1/stat" 2>/dev/null)" || return 1; echo "$1 $st"; }
owner_alive() {   # run: owner file names a live process
    local f; f="$(owner_file "$1")"
    [[ -s $f ]] || return 1
    local pid start now
    read -r pid start <"$f"
    now="$(proc_id "$pid")" || return 1
    [[ $now == "$pid $start" ]]
}

# ---------------------------------------------------------------- topology
up() {
    local run="$1" s c g l
    check_run "$run"
    sweep
    s="$(state "$run")"; c="$(ns "$run" c)"; g="$(ns "$run" g)"; l="$(ns "$run" l)"
    mkdir -p "$s" "$OWNERS"
    # Owner first: a namespace without a live owner is swept, so never create one before this.
    proc_id "${PGI_OWNER_PID:-$PPID}" >"$(owner_file "$run")" || die "owner pid ${PGI_OWNER_PID:-$PPID} not found"
    local n
    for n in "$c" "$g" "$l"; do
        ns_exists "$n" || ip netns add "$n"
        ip -n "$n" link set lo up
        ip netns exec "$n" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
    done
    # Both veth ends are created inside their namespaces: nothing appears in the host's.
    ip -n "$c" link show pgc0 >/dev/null 2>&1 || ip link add pgc0 netns "$c" type veth peer name pgg0 netns "$g"
    ip -n "$g" link show pgg1 >/dev/null 2>&1 || ip link add pgg1 netns "$g" type veth peer name pgl0 netns "$l"
    ip -n "$c" addr replace 198.51.100.2/24 dev pgc0
    ip -n "$g" addr replace 198.51.100.1/24 dev pgg0
    ip -n "$g" addr replace 203.0.113.1/24 dev pgg1
    ip -n "$l" addr replace 203.0.113.10/24 dev pgl0
    ip -n "$c" link set pgc0 up
    ip -n "$g" link set pgg0 up
    ip -n "$g" link set pgg1 up
    ip -n "$l" link set pgl0 up
    ip netns exec "$g" sysctl -qw net.ipv4.ip_forward=1
    # The LAN host answers the VPN pool through the gateway; no default route anywhere.
    ip -n "$l" route replace 192.0.2.0/24 via 203.0.113.1 dev pgl0
    echo "run $run up: $c $g $l (state $s)"
}

gw2_up() {   # the second gateway for the redirect tests (RFC 5685): reachable from client and LAN
    local run="$1" c b l
    check_run "$run"
    c="$(ns "$run" c)"; b="$(ns "$run" b)"; l="$(ns "$run" l)"
    ns_exists "$c" && ns_exists "$l" || die "namespaces of $run missing: lab.sh up $run"
    ns_exists "$b" || ip netns add "$b"
    ip -n "$b" link set lo up
    ip netns exec "$b" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
    ip -n "$c" link show pgc1 >/dev/null 2>&1 || ip link add pgc1 netns "$c" type veth peer name pgb0 netns "$b"
    ip -n "$b" link show pgb1 >/dev/null 2>&1 || ip link add pgb1 netns "$b" type veth peer name pgl1 netns "$l"
    ip -n "$b" addr replace 198.51.100.3/24 dev pgb0
    ip -n "$b" addr replace 203.0.113.2/24 dev pgb1
    ip -n "$c" link set pgc1 up
    ip -n "$b" link set pgb0 up
    ip -n "$b" link set pgb1 up
    ip -n "$l" link set pgl1 up
    # The client and the LAN keep their addresses on their first links: host routes lead to B.
    ip -n "$c" route replace 198.51.100.3/32 dev pgc1
    ip -n "$l" route replace 203.0.113.2/32 dev pgl1
    ip -n "$l" route replace 192.0.2.128/26 via 203.0.113.2 dev pgl1
    ip netns exec "$b" sysctl -qw net.ipv4.ip_forward=1
    echo "run $run: second gateway $b"
}

kill_ns_procs() {   # namespace: TERM, bounded wait, KILL everything inside it
    local n="$1" pids p i
    ns_exists "$n" || return 0
    pids="$(ip netns pids "$n" 2>/dev/null || true)"
    [[ -n $pids ]] || return 0
    for p in $pids; do kill -TERM "$p" 2>/dev/null || true; done
    for ((i = 0; i < 30; i++)); do
        pids="$(ip netns pids "$n" 2>/dev/null || true)"
        [[ -n $pids ]] || return 0
        sleep 0.1
    done
    for p in $pids; do kill -KILL "$p" 2>/dev/null || true; done
    for ((i = 0; i < 30; i++)); do
        [[ -z "$(ip netns pids "$n" 2>/dev/null || true)" ]] && return 0
        sleep 0.1
    done
}

down() {
    local run="$1" x n
    check_run "$run"
    # pgate may run outside any namespace's process list only if started by hand elsewhere;
    # its pid file is ours, so stop it first.
    stop_pidfile "$(state "$run")/gw/pgate.pid"
    stop_pidfile "$(state "$run")/gwb/pgate.pid"
    for x in c g l b; do kill_ns_procs "$(ns "$run" "$x")"; done
    for x in c g l b; do
        n="$(ns "$run" "$x")"
        if ns_exists "$n"; then ip netns del "$n"; fi
    done
    rm -rf "$(state "$run")"
    rm -f "$(owner_file "$run")"
}

sweep() {
    local n run
    # Namespaces first (a run may have lost its state dir), then orphaned state dirs.
    for n in /run/netns/pgi-*; do
        [[ -e $n ]] || continue
        n="${n##*/}"
        [[ $n =~ ^pgi-([0-9a-f]{8})-[cglb]$ ]] || continue
        run="${BASH_REMATCH[1]}"
        owner_alive "$run" && continue
        echo "sweep: run $run (owner gone)"; down "$run"
    done
    for n in "$PGI_BASE"/*; do
        [[ -d $n ]] || continue
        run="${n##*/}"
        [[ $run =~ ^[0-9a-f]{8}$ ]] || continue
        owner_alive "$run" && continue
        # A run being created right now has its dir a moment before its owner file.
        [[ ! -e $(owner_file "$run") && -n $(find "$n" -maxdepth 0 -newermt '-60 seconds') ]] && continue
        echo "sweep: state of run $run (owner gone)"; down "$run"
    done
    for n in "$OWNERS"/*.owner; do
        [[ -e $n ]] || continue
        run="${n##*/}"; run="${run%.owner}"
        [[ $run =~ ^[0-9a-f]{8}$ ]] || continue
        owner_alive "$run" || down "$run"
    done
}

status() {
    local run="$1" x n
    check_run "$run"
    echo "owner: $(cat "$(owner_file "$run")" 2>/dev/null || echo none) alive: $(owner_alive "$run" && echo yes || echo no)"
    for x in c g l; do
        n="$(ns "$run" "$x")"
        if ns_exists "$n"; then
            echo "== $n (pids: $(ip netns pids "$n" | tr '\n' ' '))"; ip -n "$n" -br addr; ip -n "$n" route
        else
            echo "== $n (absent)"
        fi
    done
}

list() {
    local n
    for n in /run/netns/pgi-*-g; do [[ -e $n ]] && { n="${n##*/pgi-}"; echo "${n%-g}"; }; done
    return 0
}

# ---------------------------------------------------------------- templates
# render TEMPLATE OUT KEY=VALUE...: replace every @KEY@; any placeholder left is an error.
render() {
    local tpl="$1" out="$2" text kv
    shift 2
    text="$(<"$tpl")"
    for kv in "$@"; do text="${text//@${kv%%=*}@/${kv#*=}}"; done
    if [[ $text =~ @[A-Z_]+@ ]]; then die "$tpl: placeholder ${BASH_REMATCH[0]} has no value"; fi
    printf '%s\n' "$text" >"$out.new"
    mv -f "$out.new" "$out"
}

render_instance() {   # run inst
    local run="$1" inst="$2" s cd plugins
    s="$(state "$run")"; cd="$s/conf/$inst"
    mkdir -p "$cd/extra.d" "$s/$inst"
    plugins="random nonce openssl pem pkcs1 pkcs8 x509 pubkey revocation constraints curve25519 chapoly gcm aes sha1 sha2 md5 hmac kdf attr eap-identity eap-mschapv2 eap-tls kernel-libipsec kernel-netlink socket-default vici"
    [[ $inst == client ]] && plugins+=" resolve"
    local frag="${PGI_FRAGMENT_SIZE:-0}"
    [[ $frag =~ ^[0-9]+$ ]] || die "PGI_FRAGMENT_SIZE must be a number"
    local tries="${PGI_RETRANSMIT_TRIES:-3}"
    [[ $tries =~ ^[0-9]+$ ]] || die "PGI_RETRANSMIT_TRIES must be a number"
    local reuse="${PGI_REUSE_IKESA:-yes}"
    [[ $reuse == yes || $reuse == no ]] || die "PGI_REUSE_IKESA must be yes or no"
    local follow="${PGI_FOLLOW_REDIRECTS:-yes}"
    [[ $follow == yes || $follow == no ]] || die "PGI_FOLLOW_REDIRECTS must be yes or no"
    render "$HARNESS/conf/strongswan.conf.in" "$cd/strongswan.conf" \
        "INSTANCE=$inst" "RUNDIR=$s/$inst" "PLUGINS=$plugins" "FRAGMENT_SIZE=$frag" "RETRANSMIT_TRIES=$tries" "REUSE_IKESA=$reuse" "FOLLOW_REDIRECTS=$follow"
    # The include glob must match something; tests drop more conns next to this file.
    echo "# conns and secrets added by a test go next to this file" >"$cd/extra.d/00-keep.conf"
    if [[ -n ${PGI_EXTRA_CONF:-} ]]; then cp -f "$PGI_EXTRA_CONF" "$cd/extra.d/50-extra.conf"; fi
    local pw="${PGI_EAP_PASSWORD:-alice-lab-password}" wpw="${PGI_WRONG_PASSWORD:-not-bobs-password}" psk="${PGI_PSK:-lab-psk-not-a-secret}"
    case "$pw$wpw$psk" in *\"*|*\\*) die "passwords and PSK must not contain \" or \\" ;; esac
    render "$HARNESS/conf/$inst.swanctl.conf.in" "$cd/swanctl.conf" \
        "EAP_ID=${PGI_EAP_ID:-alice}" "EAP_PASSWORD=$pw" \
        "WRONG_ID=${PGI_WRONG_ID:-bob}" "WRONG_PASSWORD=$wpw" \
        "GW_ID=${PGI_GW_ID:-gw.pg.example}" "PSK=$psk" "EXTRA_DIR=$cd/extra.d"
}

# ---------------------------------------------------------------- charon
sw() {   # run inst args...
    local run="$1" inst="$2"; shift 2
    STRONGSWAN_CONF="$HARNESS/conf/swanctl-cli.conf" swanctl "$@" --uri "unix://$(state "$run")/$inst/charon.vici"
}

charon_pid() {   # run inst: prints the pid if that instance's charon is alive
    local f p conf
    f="$(state "$1")/$2/charon.pid"; conf="$(state "$1")/conf/$2/strongswan.conf"
    [[ -s $f ]] || return 1
    p="$(<"$f")"
    [[ -r /proc/$p/environ ]] && tr '\0' '\n' <"/proc/$p/environ" | grep -qxF "STRONGSWAN_CONF=$conf" && echo "$p"
}

charon_start() {
    local run="$1" inst="$2" n s rd launcher
    check_run "$run"; n="$(ns_of_inst "$run" "$inst")"; s="$(state "$run")"; rd="$s/$inst"
    ns_exists "$n" || die "namespace $n missing: lab.sh up $run"
    if charon_pid "$run" "$inst" >/dev/null; then die "$inst charon already running"; fi
    render_instance "$run" "$inst"
    rm -f "$rd/charon.pid" "$rd/charon.vici"
    # charon's pid file path is compiled in (/run/charon.pid): give it its own /run.  ip netns
    # exec runs the command in a fresh mount namespace, so the bind mount stays private.
    setsid ip netns exec "$n" sh -c 'mount --bind "$1" /run && exec env STRONGSWAN_CONF="$2" "$3"' \
        sh "$rd" "$s/conf/$inst/strongswan.conf" "$CHARON" >"$rd/charon.stdout" 2>&1 </dev/null &
    launcher=$!
    vici_up() { [[ -S $rd/charon.vici ]] || { kill -0 "$launcher" 2>/dev/null || return 0; return 1; }; }
    wait_for vici_up || die "$inst charon: no vici socket after ${PGI_TIMEOUT}s; $(tail -5 "$rd/charon.stdout" "$rd/charon.log" 2>/dev/null)"
    [[ -S $rd/charon.vici ]] || die "$inst charon exited: $(tail -20 "$rd/charon.stdout" "$rd/charon.log" 2>/dev/null)"
    # swanctl --file also scans x509/, private/ ... next to the file: harmless noise.
    sw "$run" "$inst" --load-all --noprompt --file "$s/conf/$inst/swanctl.conf" 2>&1 | grep -v '^opening directory' || true
    local loaded
    loaded="$(sw "$run" "$inst" --list-conns 2>/dev/null | grep -c '^[^ ].*: IKEv2' || true)"
    ((loaded > 0)) || die "$inst charon: no connection loaded from $s/conf/$inst/swanctl.conf"
    echo "$inst charon pid $(<"$rd/charon.pid") in $n, $loaded conns"
}

stop_pidfile() {   # pidfile: TERM, bounded wait, KILL
    local f="$1" p i
    [[ -s $f ]] || return 0
    p="$(<"$f")"
    if kill -0 "$p" 2>/dev/null; then
        kill -TERM "$p" 2>/dev/null || true
        for ((i = 0; i < 50; i++)); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$p" 2>/dev/null || true
    fi
    rm -f "$f"
}

charon_stop() {
    local run="$1" inst="$2" p rd
    check_run "$run"; ns_of_inst "$run" "$inst" >/dev/null; rd="$(state "$run")/$inst"
    if p="$(charon_pid "$run" "$inst")"; then stop_pidfile "$rd/charon.pid"; echo "$inst charon $p stopped"; fi
    rm -f "$rd/charon.pid" "$rd/charon.vici"
}

# ---------------------------------------------------------------- pgate
pgate_start() { pgate_start_in g gw "$@"; }
pgate_start_b() { pgate_start_in b gwb "$@"; }

pgate_start_in() {   # ns-letter state-subdir run config [dll [args...]]
    local x="$1" sub="$2" run="${3:-}" config="${4:-}" dll="${5:-}" n rd
    shift 5 || shift $#
    check_run "$run"; n="$(ns "$run" "$x")"; rd="$(state "$run")/$sub"
    ns_exists "$n" || die "namespace $n missing: lab.sh up $run"
    [[ -r $config ]] || die "config $config not readable"
    if [[ -z $dll ]]; then
        for dll in "$HARNESS/../pgate.dll" ""; do [[ -z $dll || -e $dll ]] && break; done
        [[ -n $dll ]] || die "pgate.dll not found next to the harness; pass it as 3rd argument"
    fi
    mkdir -p "$rd"
    stop_pidfile "$rd/pgate.pid"
    rm -f "$rd/pgate.sock"
    setsid ip netns exec "$n" "${PGI_DOTNET:-dotnet}" "$dll" gateway --config "$config" --control "$rd/pgate.sock" "$@" \
        >"$rd/pgate.log" 2>&1 </dev/null &
    echo $! >"$rd/pgate.pid"   # ip netns exec execs dotnet: same pid
    local pid; pid="$(<"$rd/pgate.pid")"
    bound() { ip netns exec "$n" ss -Hulnp 'sport = :500' | grep -q . || { kill -0 "$pid" 2>/dev/null || return 0; return 1; }; }
    wait_for bound || die "pgate: UDP 500 not bound after ${PGI_TIMEOUT}s; $(tail -20 "$rd/pgate.log")"
    kill -0 "$pid" 2>/dev/null || die "pgate exited: $(tail -30 "$rd/pgate.log")"
    echo "pgate pid $pid in $n, control $rd/pgate.sock"
}

# ---------------------------------------------------------------- TCP transfer
# The LAN host 203.0.113.10 accepts one connection on PORT and stores what arrives in OUT;
# the caller compares length and SHA-256 with what it sent.  Bounded by PGI_TIMEOUT * 3.
tcp_sink() {
    local run="$1" port="$2" out="$3"
    check_run "$run"; [[ $port =~ ^[0-9]+$ ]] || die "tcp-sink: port"
    timeout $((PGI_TIMEOUT * 3)) ip netns exec "$(ns "$run" l)" nc -l 203.0.113.10 "$port" >"$out"
}

# Sends FILE from the client (source SRC, normally the virtual IP) to 203.0.113.10:PORT.
# With SPLIT and GATE: sends SPLIT bytes, creates GATE.half, waits (bounded) until GATE
# exists, then sends the rest - the connection stays open across whatever the caller does
# in between (a CHILD_SA rekey).
tcp_send() {
    local run="$1" src="$2" port="$3" file="$4" split="${5:-}" gate="${6:-}" wait="${PGI_CONNECT_TIMEOUT:-10}"
    check_run "$run"; [[ -r $file ]] || die "tcp-send: $file not readable"
    if [[ -z $split ]]; then
        timeout $((PGI_TIMEOUT * 3)) ip netns exec "$(ns "$run" c)" nc -N -w "$wait" -s "$src" 203.0.113.10 "$port" <"$file"
        return
    fi
    [[ $split =~ ^[0-9]+$ && -n $gate ]] || die "tcp-send: SPLIT must be a byte count and GATE a path"
    {
        dd if="$file" bs=64k count="$split" iflag=count_bytes status=none
        touch "$gate.half"
        gate_open() { [[ -e $gate ]]; }
        wait_for gate_open || { echo "lab.sh: tcp-send: gate $gate not opened" >&2; exit 1; }
        dd if="$file" bs=64k skip="$split" iflag=skip_bytes status=none
    } | timeout $((PGI_TIMEOUT * 3)) ip netns exec "$(ns "$run" c)" nc -N -w "$wait" -s "$src" 203.0.113.10 "$port"
}

# ---------------------------------------------------------------- main
cmd="${1:-}"; shift || true
case "$cmd" in
    new-id) od -An -N4 -tx1 /dev/urandom | tr -d ' \n'; echo ;;
    up) up "${1:-}" ;;
    down) down "${1:-}" ;;
    sweep) sweep ;;
    status) status "${1:-}" ;;
    list) list ;;
    charon-start) charon_start "${1:-}" "${2:-}" ;;
    charon-stop) charon_stop "${1:-}" "${2:-}" ;;
    swanctl) check_run "${1:-}"; ns_of_inst "$1" "${2:-}" >/dev/null; sw "$@" ;;
    exec)
        check_run "${1:-}"; [[ ${2:-} =~ ^[cglb]$ ]] || die "exec: namespace must be c, g, l or b"
        n="$(ns "$1" "$2")"; shift 2; ns_exists "$n" || die "namespace $n missing"
        exec ip netns exec "$n" "$@" ;;
    pgate-start) pgate_start "$@" ;;
    pgate-start-b) pgate_start_b "$@" ;;
    gw2-up) gw2_up "${1:-}" ;;
    tcp-sink) tcp_sink "${1:-}" "${2:-}" "${3:-}" ;;
    tcp-send) tcp_send "${1:-}" "${2:-}" "${3:-}" "${4:-}" "${5:-}" "${6:-}" ;;
    pgate-stop) check_run "${1:-}"; stop_pidfile "$(state "$1")/gw/pgate.pid" ;;
    log)
        check_run "${1:-}"
        case "${2:-}" in
            client|gw) f="$(state "$1")/$2/charon.log" ;;
            pgate) f="$(state "$1")/gw/pgate.log" ;;
            *) die "log: client, gw or pgate" ;;
        esac
        [[ -e $f ]] && tail -n "${3:-50}" "$f" ;;
    *) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//' >&2; exit 2 ;;
esac
