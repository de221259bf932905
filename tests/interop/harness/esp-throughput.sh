#!/usr/bin/env bash
# esp-throughput.sh - TCP through one tunnel of the interop lab (lab.sh), with the CPU it costs:
# Mbit/s and gateway CPU per Mbit/s, the figures issue 4's speed goals are stated in.
#
# Modes (one lab run each: lab.sh new-id/up, lab.sh down on exit, also on ^C or an error):
#   strongswan-client (default)  the strongSwan client initiates CONN, first to the strongSwan
#       gateway (charon + kernel-libipsec), then to `pgate gateway` (conf/pgate-lab.conf); the
#       client and the LAN host are the same for both, only the process in pgi-<run>-g changes.
#       Prints each gateway's figures and pgate / strongSwan (goal: cpu_per_mbit ratio <= 0.20).
#   metrics  the strongSwan client to `pgate gateway` in one lab run, ROUNDS times alternated:
#       without --metrics (labels pgate_rN), and with --metrics 203.0.113.1:9464 and a scrape
#       every SCRAPE_EVERY seconds during the measurement (labels pgate_metrics_rN; 1 s is 15 times
#       Prometheus's default rate). Odd rounds measure without first, even rounds with first, so
#       a drift in the machine's other load falls on both. Before measuring, PREWARM_SCRAPES
#       back-to-back scrapes (their CPU reported as prewarm_cpu_ms per scrape): the exporter's
#       first few hundred scrapes run code the JIT has not optimised yet, a one-time cost of a
#       fresh process that would otherwise land in a 10 s measurement. Prints each round's ratios
#       and the medians' ratios of Mbit/s and of CPU per Mbit/s: what the metrics cost the ESP
#       path. Then, in the last round with the tunnel still up, the gateway's CPU time over
#       SCRAPE_COST_S seconds idle and over as many seconds of back-to-back scrapes: scrape_cpu_ms
#       (CPU per scrape, from /proc ticks; the machine's other load moves it far less than Mbit/s).
#   pgate-client  `pgate client connect --tun` (the project's own initiator) in pgi-<run>-c to
#       `pgate gateway` with pgate-lab.conf whose phase2 proposal is narrowed to CONN (the client
#       offers all its ESP proposals).  Goal: >= 2000 Mbit/s through the one tunnel.
#
# Per gateway run: iperf3 -s on 203.0.113.10 (pgi-<run>-l); WARMUP seconds of iperf3 from the
# virtual IP, not measured (JIT, ARP); then iperf3 -c -f k from the virtual IP for SECONDS.
# Around that one measured iperf3 client, from /proc (CLK_TCK ticks, wall clock from date):
#   *_gateway_cpu_pct   utime+stime of the gateway process (all threads, exited ones too)
#                       / wall / CLK_TCK, in % of one core; the pid comes from the lab's
#                       gw/charon.pid or gw/pgate.pid and is checked: its executable is charon
#                       resp. the dotnet host running "pgate.dll gateway", in pgi-<run>-g
#   *_gateway_busiest_thread_pct/_thread   the one thread that used most (and its comm name)
#   *_client_cpu_pct    the same for the initiator (client charon, or the pgate client's dotnet)
#   *_machine_busy_pct  /proc/stat: non-idle share of all CPUs (iperf3, forwarding, everything)
#   *_gateway_udp_rcvbuf_errors, *_client_udp_rcvbuf_errors   Udp RcvbufErrors delta in that
#                       namespace: ESP-in-UDP the process did not read in time (SndbufErrors too)
#   *_netdev_drops      rx/tx_dropped deltas of the client's and gateway's interfaces (TUN too)
#   *_tcp_retransmits   iperf3 sender retransmits; *_mbit_s iperf3 receiver side
#   *_cpu_per_mbit      *_gateway_cpu_pct / *_mbit_s (% of one core per Mbit/s)
#   *_sa_bytes          bytes the CHILD_SA counted in the iperf3 direction during the run
#                       (client SA via swanctl; pgate client: the gateway's diagnose counters);
#                       less than 90 % of iperf3's payload bytes = the traffic took another
#                       path: FAIL.  *_esp the negotiated transform, checked against CONN.
#
# Usage: esp-throughput.sh [MODE] [SECONDS] [CONN] [PGATE_DLL]
#   MODE     strongswan-client | pgate-client | metrics (or env ESP_MODE; default strongswan-client)
#   SECONDS  1..60 (default 5)
#   CONN     aes256gcm (default) | aes128-sha256 | chacha20poly1305 (conns of
#            conf/client.swanctl.conf.in, FortiOS phase2 names for pgate)
#   PGATE_DLL (or env PGATE_DLL) default: pgate.dll next to the harness when run from the test
#            output (tests/interop/bin/<cfg>/net10.0/harness), else tests/interop/bin/Release,
#            then .../Debug.  Measure a Release build: `dotnet build -c Release
#            src/PostureGate.Cli` -> src/PostureGate.Cli/bin/Release/net10.0/pgate.dll
# Env: STREAMS iperf3 -P (1..16, default 1); REVERSE=1 iperf3 -R (the LAN host sends);
#      WARMUP 0..30 seconds (default 1); PGI_DOTNET dotnet host; PGI_BASE, PGI_TIMEOUT (lab.sh)
#      metrics mode: ROUNDS 1..10 (default 3); SCRAPE_EVERY seconds between scrapes, 0.1..15
#      (default 1); PREWARM_SCRAPES 0..2000 (default 400); SCRAPE_COST_S 0..60 (default 10; 0
#      skips the per-scrape CPU figure)
# Output: key=value lines on stdout (values without spaces); rc 0 only when everything asked
# for was measured.  Figures are machine-bound: compare lines of one run, not runs on different
# machines; on a shared machine repeat and look at the spread.  Needs root and install-deps.sh.
set -euo pipefail
HARNESS="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

die() { echo "esp-throughput.sh: $*" >&2; exit 1; }
usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }

MODE="${ESP_MODE:-strongswan-client}"
case "${1:-}" in
    strongswan-client|pgate-client|metrics) MODE="$1"; shift ;;
    -h|--help) usage ;;
esac
[[ $MODE == strongswan-client || $MODE == pgate-client || $MODE == metrics ]] || die "mode must be strongswan-client, pgate-client or metrics, got '$MODE'"
DUR="${1:-5}"; CONN="${2:-aes256gcm}"; DLL="${3:-${PGATE_DLL:-}}"
STREAMS="${STREAMS:-1}"; REVERSE="${REVERSE:-}"; WARMUP="${WARMUP:-1}"
[[ $DUR =~ ^[0-9]+$ ]] && ((DUR >= 1 && DUR <= 60)) || die "SECONDS must be 1..60"
[[ $STREAMS =~ ^[0-9]+$ ]] && ((STREAMS >= 1 && STREAMS <= 16)) || die "STREAMS must be 1..16"
[[ $WARMUP =~ ^[0-9]+$ ]] && ((WARMUP <= 30)) || die "WARMUP must be 0..30"
[[ $REVERSE == "" || $REVERSE == 0 || $REVERSE == 1 ]] || die "REVERSE must be 1 (or empty/0)"
[[ $REVERSE == 0 ]] && REVERSE=
ROUNDS="${ROUNDS:-3}"; SCRAPE_EVERY="${SCRAPE_EVERY:-1}"; SCRAPE_COST_S="${SCRAPE_COST_S:-10}"; PREWARM_SCRAPES="${PREWARM_SCRAPES:-400}"
[[ $PREWARM_SCRAPES =~ ^[0-9]+$ ]] && ((PREWARM_SCRAPES <= 2000)) || die "PREWARM_SCRAPES must be 0..2000"
[[ $ROUNDS =~ ^[0-9]+$ ]] && ((ROUNDS >= 1 && ROUNDS <= 10)) || die "ROUNDS must be 1..10"
[[ $SCRAPE_EVERY =~ ^[0-9]+(\.[0-9]+)?$ ]] && awk -v s="$SCRAPE_EVERY" 'BEGIN { exit !(s >= 0.1 && s <= 15) }' ||
    die "SCRAPE_EVERY must be 0.1..15 seconds"
[[ $SCRAPE_COST_S =~ ^[0-9]+$ ]] && ((SCRAPE_COST_S <= 60)) || die "SCRAPE_COST_S must be 0..60"
# CONN -> the ESP transform swanctl must list, and what pgate's diagnose prints (esp= ah=).
case "$CONN" in
    aes256gcm)        WANT_SW='ESP:AES_GCM_16-256';               WANT_PG='aes-gcm/null' ;;
    aes128-sha256)    WANT_SW='ESP:AES_CBC-128/HMAC_SHA2_256_128'; WANT_PG='aes/sha256' ;;
    chacha20poly1305) WANT_SW='ESP:CHACHA20_POLY1305';            WANT_PG='chacha20poly1305/null' ;;
    *) die "CONN must be aes256gcm, aes128-sha256 or chacha20poly1305, got '$CONN'" ;;
esac
if [[ -z $DLL ]]; then
    for DLL in "$HARNESS/../pgate.dll" "$HARNESS/../bin/Release/net10.0/pgate.dll" "$HARNESS/../bin/Debug/net10.0/pgate.dll" ""; do
        [[ -z $DLL || -e $DLL ]] && break
    done
    [[ -n $DLL ]] || die "no pgate.dll found; build one (dotnet build -c Release src/PostureGate.Cli) and pass PGATE_DLL"
fi
[[ -e $DLL ]] || die "pgate.dll not found at $DLL"
DLL="$(realpath "$DLL")"
case "$DLL" in
    */Release/*) DLL_CFG=Release ;;
    */Debug/*) DLL_CFG=Debug; echo "esp-throughput.sh: warning: $DLL is a Debug build (JIT optimisations off); its figures say little" >&2 ;;
    *) DLL_CFG=unknown ;;
esac
((EUID == 0)) || die "needs root (network namespaces)"
for c in iperf3 ip ss swanctl; do command -v "$c" >/dev/null || die "$c missing (install-deps.sh)"; done
DOTNET="${PGI_DOTNET:-dotnet}"; PGI_TIMEOUT_S="${PGI_TIMEOUT:-20}"
command -v "$DOTNET" >/dev/null || die "dotnet host '$DOTNET' not found (PGI_DOTNET)"

# Same default as lab.sh: the pid files are read from the run's state dir.
export PGI_BASE="${PGI_BASE:-${TMPDIR:-/tmp}/pgi}"
export PGI_OWNER_PID=$$ PGI_DOTNET="$DOTNET"
lab() { bash "$HARNESS/lab.sh" "$@"; }
nsx() { local n="pgi-$RUN-$1"; shift; ip netns exec "$n" "$@"; }   # c|g|l CMD...

RUN="$(lab new-id)"
STATE="$PGI_BASE/$RUN"
W="$STATE/esp"                     # this script's files; lab.sh down removes the state dir
SRV_PID=; CLIENT_PID=; FG_PID=
stop_pid() {   # pid: TERM, up to 5 s, KILL
    local p="$1" i
    kill -TERM "$p" 2>/dev/null || return 0
    for ((i = 0; i < 50; i++)); do kill -0 "$p" 2>/dev/null || return 0; sleep 0.1; done
    kill -KILL "$p" 2>/dev/null || true
}
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    if [[ -n $FG_PID ]]; then stop_pid "$FG_PID"; fi
    if [[ -n $SRV_PID ]]; then stop_pid "$SRV_PID"; fi
    # The pgate client before lab.sh down, while the gateway can still take its DELETE.
    if [[ -n $CLIENT_PID ]]; then stop_pid "$CLIENT_PID"; fi
    lab down "$RUN" >/dev/null 2>&1 || echo "esp-throughput.sh: lab.sh down $RUN failed (the next lab.sh up sweeps it)" >&2
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
lab up "$RUN" >/dev/null
mkdir -p "$W"
HZ="$(getconf CLK_TCK)"

# ---------------------------------------------------------------- /proc sampling
# proc_ticks PID: utime+stime of the whole process (includes threads that have exited).
proc_ticks() {
    local line f
    read -r line <"/proc/$1/stat" || return 1
    read -ra f <<<"${line##*) }"       # after the comm: f[0] = state, f[11] utime, f[12] stime
    echo $((f[11] + f[12]))
}
# thread_ticks PID: "tid ticks comm" per thread (comm with spaces as _).
thread_ticks() {
    local t line f name
    for t in /proc/"$1"/task/[0-9]*; do
        { read -r line <"$t/stat"; } 2>/dev/null || continue   # exited meanwhile
        name="${line#*(}"; name="${name%)*}"
        read -ra f <<<"${line##*) }"
        echo "${t##*/} $((f[11] + f[12])) ${name// /_}"
    done
}
# cpu_ticks: "busy total" over all CPUs (guest time is already inside user).
cpu_ticks() { awk '$1 == "cpu" { t = $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9; print t - $5 - $6, t; exit }' /proc/stat; }
# udp_errors NS: "RcvbufErrors SndbufErrors" of that namespace's UDP.
udp_errors() {
    nsx "$1" awk '$1 == "Udp:" { if (!h) { for (i = 2; i <= NF; i++) c[$i] = i; h = 1 } else { print $c["RcvbufErrors"], $c["SndbufErrors"]; exit } }' /proc/net/snmp
}
# netdev_drops NS: "NS:iface rx_dropped tx_dropped" per interface of that namespace.
netdev_drops() {
    nsx "$1" awk -v n="$1" 'NR > 2 { sub(/:/, " "); split($0, a); print n ":" a[1], a[5], a[13] }' /proc/net/dev
}
# sample TAG: everything the report compares, written to $W/TAG.*
sample() {
    local tag="$1"
    date +%s%N >"$W/$tag.time"
    { proc_ticks "$GW_PID"; proc_ticks "$CL_PID"; cpu_ticks; udp_errors g; udp_errors c; } >"$W/$tag.ticks"
    thread_ticks "$GW_PID" >"$W/$tag.gw-threads"
    thread_ticks "$CL_PID" >"$W/$tag.cl-threads"
    { netdev_drops c; netdev_drops g; } >"$W/$tag.netdev"
}
# drops_delta FILE0 FILE1: "c:pgclient0:tx=12,g:pgg0:rx=3" for every counter that moved, or none.
drops_delta() {
    awk 'NR == FNR { r[$1] = $2; t[$1] = $3; next }
         { if ($2 - r[$1] > 0) o = o "," $1 ":rx=" $2 - r[$1]; if ($3 - t[$1] > 0) o = o "," $1 ":tx=" $3 - t[$1] }
         END { print (o == "") ? "none" : substr(o, 2) }' "$1" "$2"
}
# busiest FILE0 FILE1: "ticks comm" of the thread with the largest delta (a thread born
# after FILE0 counts from zero).
busiest() {
    awk 'NR == FNR { a[$1] = $2; next } { d = $2 - (($1 in a) ? a[$1] : 0); if (d > m) { m = d; n = $3 } } END { print m + 0, (n == "" ? "-" : n) }' "$1" "$2"
}
emit() { echo "$*" | tee -a "$W/results"; }   # a result line: stdout and $W/results
# val KEY: the value of KEY= from the result lines so far.
val() { awk -v k="$1=" '{ for (i = 1; i <= NF; i++) if (index($i, k) == 1) v = substr($i, length(k) + 1) } END { print v }' "$W/results"; }
pct() { awk -v d="$1" -v hz="$HZ" -v ns="$2" 'BEGIN { printf "%.1f", 100 * d / hz / (ns / 1e9) }'; }   # ticks wall_ns

# check_proc PID NS EXE [CMDLINE-PART]: PID is a live EXE process inside pgi-<run>-NS (not a
# wrapper shell) whose command line contains CMDLINE-PART.
check_proc() {
    local i why
    # A process just started may not have exec'd yet (setsid -> ip netns exec -> EXE).
    for ((i = 0; i < 50; i++)); do why="$(proc_is "$@")" && return 0; sleep 0.1; done
    die "$why"
}
proc_is() {
    local pid="$1" want="pgi-$RUN-$2" exe cmd
    [[ $pid =~ ^[0-9]+$ && -r /proc/$pid/stat ]] || { echo "pid '$pid' is not a live process"; return 1; }
    exe="$(readlink "/proc/$pid/exe")"
    [[ ${exe##*/} == "$3" ]] || { echo "pid $pid runs $exe, not $3"; return 1; }
    ip netns identify "$pid" | grep -qx "$want" || { echo "pid $pid is not in $want"; return 1; }
    cmd="$(tr '\0' ' ' <"/proc/$pid/cmdline")"
    [[ -z ${4:-} || $cmd == *"$4"* ]] || { echo "pid $pid runs '$cmd', not '$4'"; return 1; }
}

# ---------------------------------------------------------------- the tunnel's counters
# sw_sa: "ESP bytes" of the strongSwan client's CHILD_SA: the transform and the bytes of the
# iperf3 direction (out = client -> LAN; in with REVERSE).
sw_sa() {
    lab swanctl "$RUN" client --list-sas --ike "$CONN" | awk -v dir="$([[ -n $REVERSE ]] && echo in || echo out)" '
        match($0, /ESP:[^ ,]+/) && !esp { esp = substr($0, RSTART, RLENGTH) }
        $1 == dir && /bytes,/ && !seen { for (i = 1; i <= NF; i++) if ($i ~ /^bytes,?$/) b = $(i - 1); seen = 1 }
        END { printf "%s %.0f\n", (esp == "" ? "-" : esp), b + 0 }'
}
# pg_sa: "esp/ah bytes" from pgate gateway's `diagnose vpn tunnel list`: the gateway decrypts
# what the client sends (dec), encrypts what the LAN host sends (enc, REVERSE).
pg_sa() {
    "$DOTNET" "$DLL" diagnose vpn tunnel list --control "$STATE/gw/pgate.sock" 2>/dev/null | awk -v rev="${REVERSE:-0}" '
        $1 == "dec:" && $2 ~ /^spi=/ && !esp { for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }; esp = v["esp"] "/" v["ah"] }
        /dec:pkts\/bytes=/ && !seen { gsub(/[,=]/, " "); split($0, f, " ")
            # "dec:pkts/bytes N/B enc:pkts/bytes N/B"
            split(f[2], d, "/"); split(f[4], e, "/"); b = (rev == 1) ? e[2] : d[2]; seen = 1 }
        END { printf "%s %.0f\n", (esp == "" ? "-" : esp), b + 0 }'
}

# waited LOG CMD...: CMD in the client namespace, in the background and waited for: a
# signal to this script runs its trap at once (behind a foreground child it would wait for the
# child; timeout puts iperf3 in its own process group, out of reach of ^C).
waited() {
    local log="$1" rc=0; shift
    ip netns exec "pgi-$RUN-c" "$@" >"$log" 2>&1 &
    FG_PID=$!
    wait "$FG_PID" || rc=$?
    FG_PID=
    return "$rc"
}

# iperf_summary LOG: "receiver_Mbit/s sender_Mbit/s retransmits sender_bytes" from iperf3's
# text output with -f k (the last sender/receiver lines: [SUM] when -P > 1).  Text, not -J:
# nothing beyond install-deps.sh is needed; Transfer has 3 significant digits, enough for the
# 90 % check.
iperf_summary() {
    awk 'function bytes(v, u) { return v * (u == "KBytes" ? 1024 : u == "MBytes" ? 1048576 : u == "GBytes" ? 1073741824 : u == "TBytes" ? 1099511627776 : 1) }
        $NF == "sender" || $NF == "receiver" {
            b = 0; r = 0; n = 0
            for (i = 1; i <= NF; i++) {
                if ($i ~ /^[KMGT]?Bytes$/) b = bytes($(i - 1), $i)
                if ($i == "Kbits/sec") { r = $(i - 1); if (i + 1 < NF) n = $(i + 1) }
            }
            if ($NF == "sender") { sb = b; sr = r; rt = n } else rr = r
        }
        END { printf "%.1f %.1f %d %.0f\n", rr / 1000, sr / 1000, rt, sb }' "$1"
}

# ---------------------------------------------------------------- one measurement
# measure LABEL VIP SA_FN: iperf3 from VIP through the tunnel that is up (GW_PID and CL_PID
# set, SA_FN prints "transform bytes"); emits the LABEL_* key=value lines.
measure() {
    local label="$1" vip="$2" safn="$3" args esp b0 b1 rc=0
    # Directly, not through nsx: $! must be the process (timeout passes TERM on to iperf3).
    ip netns exec "pgi-$RUN-l" timeout $((DUR + WARMUP + 60)) iperf3 -s -B 203.0.113.10 >"$W/$label.server.log" 2>&1 &
    SRV_PID=$!
    server_up() { nsx l ss -Hltn 'sport = :5201' | grep -q .; }
    local i; for ((i = 0; i < 100; i++)); do server_up && break; sleep 0.1; done
    server_up || die "$label: iperf3 server did not listen: $(cat "$W/$label.server.log")"
    args=(-c 203.0.113.10 -B "$vip" -P "$STREAMS" --connect-timeout 5000)
    [[ -n $REVERSE ]] && args+=(-R)
    if ((WARMUP > 0)); then
        waited "$W/$label.warmup.log" timeout $((WARMUP + 30)) iperf3 "${args[@]}" -t "$WARMUP" ||
            die "$label: warm-up iperf3 failed: $(tail -3 "$W/$label.warmup.log")"
    fi
    read -r esp b0 < <("$safn")
    sample "$label.0"
    waited "$W/$label.iperf3.log" timeout $((DUR + 30)) iperf3 "${args[@]}" -t "$DUR" -f k || rc=$?
    sample "$label.1"
    read -r esp b1 < <("$safn")
    stop_pid "$SRV_PID"; wait "$SRV_PID" 2>/dev/null || true; SRV_PID=
    ((rc == 0)) || die "$label: iperf3 rc $rc: $(tail -5 "$W/$label.iperf3.log")"

    local rx tx retr sent wall g0 g1 c0 c1 sb0 st0 sb1 st1 gr0 gs0 gr1 gs1 cr0 cs0 cr1 cs1
    read -r rx tx retr sent < <(iperf_summary "$W/$label.iperf3.log")
    [[ $rx != 0.0 && $sent != 0 ]] || die "$label: no iperf3 summary in $(tail -5 "$W/$label.iperf3.log")"
    wall=$(($(<"$W/$label.1.time") - $(<"$W/$label.0.time")))
    { read -r g0; read -r c0; read -r sb0 st0; read -r gr0 gs0; read -r cr0 cs0; } <"$W/$label.0.ticks"
    { read -r g1; read -r c1; read -r sb1 st1; read -r gr1 gs1; read -r cr1 cs1; } <"$W/$label.1.ticks"
    # The tunnel carried the bytes (ESP counts inner packets, headers included: >= payload).
    ((b1 - b0 >= sent * 9 / 10)) || die "$label: the CHILD_SA counted $((b1 - b0)) bytes, iperf3 moved $sent: not through the tunnel?"
    local gwt clt gw_pct
    gwt="$(busiest "$W/$label.0.gw-threads" "$W/$label.1.gw-threads")"
    clt="$(busiest "$W/$label.0.cl-threads" "$W/$label.1.cl-threads")"
    gw_pct="$(pct $((g1 - g0)) "$wall")"
    local p="$label"
    emit "${p}_esp=$esp"
    emit "${p}_gateway_pid=$GW_PID ${p}_client_pid=$CL_PID ${p}_vip=$vip"
    emit "${p}_mbit_s=$rx ${p}_sender_mbit_s=$tx ${p}_tcp_retransmits=$retr ${p}_wall_s=$(awk -v n="$wall" 'BEGIN { printf "%.2f", n / 1e9 }')"
    emit "${p}_gateway_cpu_pct=$gw_pct ${p}_gateway_busiest_thread_pct=$(pct "${gwt% *}" "$wall") ${p}_gateway_busiest_thread=${gwt#* }"
    emit "${p}_client_cpu_pct=$(pct $((c1 - c0)) "$wall") ${p}_client_busiest_thread_pct=$(pct "${clt% *}" "$wall") ${p}_client_busiest_thread=${clt#* }"
    emit "${p}_machine_busy_pct=$(awk -v b=$((sb1 - sb0)) -v t=$((st1 - st0)) 'BEGIN { printf "%.1f", t ? 100 * b / t : 0 }')"
    emit "${p}_gateway_udp_rcvbuf_errors=$((gr1 - gr0)) ${p}_gateway_udp_sndbuf_errors=$((gs1 - gs0)) ${p}_client_udp_rcvbuf_errors=$((cr1 - cr0)) ${p}_client_udp_sndbuf_errors=$((cs1 - cs0))"
    emit "${p}_netdev_drops=$(drops_delta "$W/$label.0.netdev" "$W/$label.1.netdev")"
    emit "${p}_sa_bytes=$((b1 - b0)) ${p}_iperf3_bytes=$sent"
    emit "${p}_cpu_per_mbit=$(awk -v c="$gw_pct" -v m="$rx" 'BEGIN { printf "%.4f", (m > 0) ? c / m : 0 }')"
    if [[ $label == pgate* ]]; then
        # How well the gateway amortised packet I/O (diagnose vpn ipsec status, whole run incl. warm-up).
        "$DOTNET" "$DLL" diagnose vpn ipsec status --control "$STATE/gw/pgate.sock" 2>/dev/null >"$W/$label.ipsec-status" || true
        emit "${p}_tun_write=$(awk '/tun write:/ { for (i = 3; i <= NF; i++) printf "%s%s", $i, (i < NF ? "," : "") }' "$W/$label.ipsec-status")"
        emit "${p}_tun_read=$(awk '/tun read:/ { for (i = 3; i <= NF; i++) printf "%s%s", $i, (i < NF ? "," : "") }' "$W/$label.ipsec-status")"
    fi
}

# ---------------------------------------------------------------- gateways and clients
start_gateway() {   # strongswan | pgate [CONFIG]
    if [[ $1 == strongswan ]]; then
        lab charon-start "$RUN" gw >/dev/null
        GW_PID="$(<"$STATE/gw/charon.pid")"; check_proc "$GW_PID" g charon
    else
        # shellcheck disable=SC2086 # PGATE_EXTRA_ARGS: words for pgate gateway (metrics mode)
        lab pgate-start "$RUN" "${2:-$HARNESS/conf/pgate-lab.conf}" "$DLL" ${PGATE_EXTRA_ARGS:-} >/dev/null
        GW_PID="$(<"$STATE/gw/pgate.pid")"; check_proc "$GW_PID" g dotnet "pgate.dll gateway"
    fi
}
stop_gateway() {
    if [[ $1 == strongswan ]]; then lab charon-stop "$RUN" gw >/dev/null; else lab pgate-stop "$RUN"; fi
}

run_strongswan_client() {   # gateway label
    local gw="$1" sas vip esp
    start_gateway "$gw"
    lab charon-start "$RUN" client >/dev/null
    CL_PID="$(<"$STATE/client/charon.pid")"; check_proc "$CL_PID" c charon
    lab swanctl "$RUN" client --initiate --ike "$CONN" --child lan --timeout 30 >"$W/$gw.initiate.log" 2>&1 ||
        die "$gw: initiate $CONN failed: $(tail -5 "$W/$gw.initiate.log"); $(lab log "$RUN" client 20)"
    sas="$(lab swanctl "$RUN" client --list-sas --ike "$CONN")"
    vip="$(sed -nE 's/^ +local .*\] \[([0-9.]+)\]$/\1/p' <<<"$sas" | head -1)"
    [[ -n $vip ]] || die "$gw: no virtual IP in: $sas"
    read -r esp _ < <(sw_sa)
    [[ $esp == "$WANT_SW" ]] || die "$gw: negotiated '$esp', wanted $WANT_SW"
    local scraper=
    if [[ $gw == pgate_metrics* ]]; then
        # Scrapes all through the measurement; each must succeed, or the figures mean nothing.
        nsx g curl -sf -o /dev/null "http://$METRICS_LISTEN/metrics" || die "$gw: no metrics at http://$METRICS_LISTEN/metrics"
        prewarm "$gw"
        ( while :; do
            nsx g curl -sf -o /dev/null "http://$METRICS_LISTEN/metrics" && echo ok >>"$W/$gw.scrapes" || echo miss >>"$W/$gw.scrape-misses"
            sleep "$SCRAPE_EVERY"
        done ) &
        scraper=$!
    fi
    measure "$gw" "$vip" sw_sa
    if [[ -n $scraper ]]; then
        kill "$scraper" 2>/dev/null; wait "$scraper" 2>/dev/null || true
        emit "${gw}_scrapes=$(count "$W/$gw.scrapes") ${gw}_scrape_misses=$(count "$W/$gw.scrape-misses")"
        ((${2:-0} > 0)) && scrape_cost "$gw" "$2"
    fi
    lab charon-stop "$RUN" client >/dev/null; CL_PID=
    stop_gateway "$gw"
}

count() { if [[ -e $1 ]]; then wc -l <"$1"; else echo 0; fi; }

# scrape_cost LABEL SECONDS: the gateway's CPU ticks over SECONDS with nothing asked of it, then
# over SECONDS of scrapes one after the other; the difference per scrape, in ms of CPU.
scrape_cost() {
    local label="$1" s="$2" t0 t1 t2 n=0 end
    t0="$(proc_ticks "$GW_PID")"; sleep "$s"; t1="$(proc_ticks "$GW_PID")"
    end=$((SECONDS + s))
    while ((SECONDS < end)); do
        nsx g curl -sf -o /dev/null "http://$METRICS_LISTEN/metrics" || die "$label: a scrape failed during the cost measurement"
        n=$((n + 1))
    done
    t2="$(proc_ticks "$GW_PID")"
    emit "${label}_idle_cpu_ticks=$((t1 - t0)) ${label}_scraping_cpu_ticks=$((t2 - t1)) ${label}_cost_scrapes=$n ${label}_cost_seconds=$s clk_tck=$HZ"
    emit "scrape_cpu_ms=$(awk -v a=$((t1 - t0)) -v b=$((t2 - t1)) -v n="$n" -v hz="$HZ" 'BEGIN { printf "%.2f", n ? 1000 * (b - a) / hz / n : 0 }')"
}

# prewarm LABEL: PREWARM_SCRAPES scrapes one after the other, and the gateway CPU they took.
prewarm() {
    local label="$1" t0 i
    ((PREWARM_SCRAPES > 0)) || return 0
    t0="$(proc_ticks "$GW_PID")"
    for ((i = 0; i < PREWARM_SCRAPES; i++)); do
        nsx g curl -sf -o /dev/null "http://$METRICS_LISTEN/metrics" || die "$label: a scrape failed while warming up"
    done
    emit "${label}_prewarm_scrapes=$PREWARM_SCRAPES ${label}_prewarm_cpu_ms=$(awk -v t=$(($(proc_ticks "$GW_PID") - t0)) -v n="$PREWARM_SCRAPES" -v hz="$HZ" 'BEGIN { printf "%.2f", 1000 * t / hz / n }')"
}

# median KEY...: the median of the values of the given result keys.
median() {
    local k
    for k in "$@"; do val "$k"; done | sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "n/a"; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.4f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.3f", a / b; else print "n/a" }'; }

run_pgate_client() {
    local d="$STATE/pgate-client" conf="$W/pgate-$CONN.conf" user pw psk gwid vip esp i
    # pgate-lab.conf with the phase2 proposal narrowed to CONN (phase1 as it is).
    awk -v p="$CONN" '/^config vpn ipsec phase2-interface/ { in2 = 1 } /^end/ { in2 = 0 }
        in2 && $1 == "set" && $2 == "proposal" { sub(/proposal .*/, "proposal " p) } { print }' \
        "$HARNESS/conf/pgate-lab.conf" >"$conf"
    grep -qx "        set proposal $CONN" "$conf" || die "could not narrow the phase2 proposal in $conf"
    # The identities the lab config holds: first local user, the phase1's PSK and localid.
    user="$(awk '/^config user local/ { u = 1 } u && $1 == "edit" { gsub(/"/, "", $2); print $2; exit }' "$conf")"
    pw="$(awk -v u="\"$user\"" '$1 == "edit" { cur = $2 } cur == u && $1 == "set" && $2 == "passwd" { gsub(/"/, "", $3); print $3; exit }' "$conf")"
    psk="$(sed -nE 's/^ +set psksecret "(.*)"$/\1/p' "$conf" | head -1)"
    gwid="$(sed -nE 's/^ +set localid "(.*)"$/\1/p' "$conf" | head -1)"
    [[ -n $user && -n $pw && -n $psk && -n $gwid ]] || die "user/password/psk/localid not found in $conf"
    start_gateway pgate "$conf"
    mkdir -p "$d"
    (umask 077; printf '%s' "$psk" >"$d/psk"; printf '%s' "$pw" >"$d/password")
    # setsid without a fork (this shell has no job control) and ip netns exec execs: $! is the
    # dotnet host itself, checked below.
    setsid ip netns exec "pgi-$RUN-c" "$DOTNET" "$DLL" client connect --gateway 198.51.100.1 --gateway-id "$gwid" \
        --user "$user" --psk-file "$d/psk" --password-file "$d/password" --status-file "$d/status.json" --tun \
        >"$d/client.log" 2>&1 </dev/null &
    CLIENT_PID=$!; CL_PID=$CLIENT_PID
    check_proc "$CL_PID" c dotnet "pgate.dll client connect"
    vip=
    for ((i = 0; i < PGI_TIMEOUT_S * 10; i++)); do
        kill -0 "$CL_PID" 2>/dev/null || die "pgate client exited: $(tail -20 "$d/client.log")"
        vip=
        grep -q '"State": "connected"' "$d/status.json" 2>/dev/null &&
            vip="$(sed -nE 's/^ *"VirtualIp": "([0-9.]+)".*/\1/p' "$d/status.json")"
        [[ -n $vip ]] && nsx c ip -4 -o addr show dev pgclient0 2>/dev/null | grep -qF "inet $vip/32" &&
            nsx c ip route show 203.0.113.0/24 | grep -q 'dev pgclient0' && break
        vip=; sleep 0.1
    done
    [[ -n $vip ]] || die "pgate client: no TUN address/route after ${PGI_TIMEOUT_S}s: $(tail -20 "$d/client.log")"
    read -r esp _ < <(pg_sa)
    [[ $esp == "$WANT_PG" ]] || die "pgate: negotiated '$esp', wanted $WANT_PG"
    measure pgate "$vip" pg_sa
    stop_pid "$CLIENT_PID"; CLIENT_PID=; CL_PID=
    stop_gateway pgate
}

# ---------------------------------------------------------------- main
echo "mode=$MODE conn=$CONN seconds=$DUR warmup=$WARMUP streams=$STREAMS direction=$([[ -n $REVERSE ]] && echo lan-to-client || echo client-to-lan) run=$RUN"
echo "cpus=$(nproc) kernel=$(uname -r) strongswan=$(dpkg-query -W -f='${Version}' strongswan-charon 2>/dev/null || echo '?') iperf3=$(iperf3 --version | awk 'NR == 1 { print $2 }') dotnet_sdk=$("$DOTNET" --version 2>/dev/null || echo '?') pgate_dll=$DLL pgate_dll_config=$DLL_CFG"
if [[ $MODE == strongswan-client ]]; then
    run_strongswan_client strongswan
    run_strongswan_client pgate
    sw_m="$(val strongswan_mbit_s)"; pg_m="$(val pgate_mbit_s)"
    sw_c="$(val strongswan_cpu_per_mbit)"; pg_c="$(val pgate_cpu_per_mbit)"
    ratio="$(awk -v a="$pg_c" -v b="$sw_c" 'BEGIN { if (b > 0) printf "%.3f", a / b; else print "n/a" }')"
    echo "pgate_over_strongswan_mbit_s=$(awk -v a="$pg_m" -v b="$sw_m" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }')"
    echo "pgate_over_strongswan_cpu_per_mbit=$ratio goal=0.20 goal_met=$(awk -v r="$ratio" 'BEGIN { print (r != "n/a" && r <= 0.20) ? "yes" : "no" }')"
elif [[ $MODE == metrics ]]; then
    METRICS_LISTEN=203.0.113.1:9464
    echo "rounds=$ROUNDS scrape_every_s=$SCRAPE_EVERY prewarm_scrapes=$PREWARM_SCRAPES load_average_before=$(cut -d' ' -f1-3 /proc/loadavg | tr ' ' ,)"
    without=(); with=()
    for ((r = 1; r <= ROUNDS; r++)); do
        cost=0; ((r == ROUNDS)) && cost=$SCRAPE_COST_S
        if ((r % 2)); then
            run_strongswan_client "pgate_r$r"
            PGATE_EXTRA_ARGS="--metrics $METRICS_LISTEN" run_strongswan_client "pgate_metrics_r$r" "$cost"
        else
            PGATE_EXTRA_ARGS="--metrics $METRICS_LISTEN" run_strongswan_client "pgate_metrics_r$r" "$cost"
            run_strongswan_client "pgate_r$r"
        fi
        emit "round_${r}_metrics_over_none_mbit_s=$(ratio "$(val "pgate_metrics_r${r}_mbit_s")" "$(val "pgate_r${r}_mbit_s")")" \
            "round_${r}_metrics_over_none_cpu_per_mbit=$(ratio "$(val "pgate_metrics_r${r}_cpu_per_mbit")" "$(val "pgate_r${r}_cpu_per_mbit")")"
        without+=("pgate_r$r"); with+=("pgate_metrics_r$r")
    done
    m_none="$(median "${without[@]/%/_mbit_s}")"; m_with="$(median "${with[@]/%/_mbit_s}")"
    c_none="$(median "${without[@]/%/_cpu_per_mbit}")"; c_with="$(median "${with[@]/%/_cpu_per_mbit}")"
    echo "median_none_mbit_s=$m_none median_metrics_mbit_s=$m_with median_none_cpu_per_mbit=$c_none median_metrics_cpu_per_mbit=$c_with"
    echo "metrics_over_none_mbit_s=$(ratio "$m_with" "$m_none")"
    echo "metrics_over_none_cpu_per_mbit=$(ratio "$c_with" "$c_none")"
    echo "load_average_after=$(cut -d' ' -f1-3 /proc/loadavg | tr ' ' ,)"
else
    run_pgate_client
    echo "pgate_client_goal_mbit_s=2000 goal_met=$(awk -v m="$(val pgate_mbit_s)" 'BEGIN { print (m >= 2000) ? "yes" : "no" }')"
fi
