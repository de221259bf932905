#!/usr/bin/env bash
# The EMS at scale, SQLite and PostgreSQL in the same run (issue 16 "Figures"): N endpoints
# registered through the store (one committed transaction each, WRITERS at once), the gateway
# snapshot's time and size, and change-to-gateway latency p50/p99 over CHANGES admin tag changes
# (on PostgreSQL made on a second node, so LISTEN/NOTIFY is on the path).
#
#   bench/scripts/ems-scale.sh [N] [WRITERS] [CHANGES] [SECONDS]
#       default 2000 8 200 (the short CI run); the long run is N=1000000. SECONDS (default: none)
#       stops registering when it runs out and measures the rest at the count reached.
#   ENGINES=sqlite|postgresql (default both) runs one engine only, so two can run side by side.
#
# PostgreSQL: a private throwaway cluster (initdb + pg_ctl from /usr/lib/postgresql/*/bin, Debian
# package postgresql) in a temporary directory, listening on a Unix socket there only, with the
# server's default durability (fsync on, synchronous_commit on) — SQLite runs with WAL and
# synchronous=FULL, so both fsync every commit. As root the server runs as the `postgres` user.
# Everything is removed on exit.
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${1:-2000}; WRITERS=${2:-8}; CHANGES=${3:-200}; SECONDS_BUDGET=${4:-0}; ENGINES=${ENGINES:-both}
case $ENGINES in both|sqlite|postgresql) ;; *) echo "ems-scale: ENGINES must be both, sqlite or postgresql" >&2; exit 2;; esac
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[[ -x $bin/initdb ]] || { echo "ems-scale: PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 1; }
as_pg=(); [[ $(id -u) -eq 0 ]] && as_pg=(runuser -u postgres --)
work=$(mktemp -d /tmp/pgate-ems-scale.XXXXXX); pg="$work/pg"
cleanup() { [[ -d $pg/data ]] && "${as_pg[@]}" "$bin/pg_ctl" -D "$pg/data" -m fast -w stop >/dev/null 2>&1; rm -rf "$work"; }
trap cleanup EXIT
chmod 0755 "$work"; mkdir -m 0700 "$pg"; [[ $(id -u) -eq 0 ]] && chown postgres: "$pg"
"${as_pg[@]}" "$bin/initdb" -D "$pg/data" -U pgate --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
"${as_pg[@]}" "$bin/pg_ctl" -D "$pg/data" -l "$pg/server.log" -w \
    -o "-c listen_addresses='' -c unix_socket_directories='$pg' -c max_connections=200" start >/dev/null
"${as_pg[@]}" "$bin/psql" -h "$pg" -U pgate -d postgres -qc "CREATE DATABASE ems;"
dotnet build -c Release bench/PostureGate.Bench -v q -nologo >/dev/null
run() { dotnet bench/PostureGate.Bench/bin/Release/net10.0/PostureGate.Bench.dll ems-scale "$@"; }
echo "ems-scale: N=$N WRITERS=$WRITERS CHANGES=$CHANGES, $(nproc) cores, $("$bin/postgres" --version)"
[[ $ENGINES == postgresql ]] || run sqlite "$N" "$WRITERS" "$CHANGES" "$SECONDS_BUDGET"
[[ $ENGINES == sqlite ]] || run "Host=$pg;Username=pgate;Database=ems;Maximum Pool Size=$((WRITERS * 2 + 10))" "$N" "$WRITERS" "$CHANGES" "$SECONDS_BUDGET"
