#!/usr/bin/env bash
# IKE CPU per SA of two gateway builds, alternated in the same run (old, new, old, new, ...):
# bench/scripts/ike-gateway-cpu.sh run once per build, group and round, with the same initiator
# (NEW_DLL's `pgate client bench`) against each, so only the gateway differs. A machine shared
# with other work drifts by more than the difference sought, so the two builds take turns and
# the load average is printed beside every round.
#
#   bench/scripts/ike-cpu-compare.sh OLD_DLL NEW_DLL [COUNT] [ROUNDS] [GROUPS...]   default 1500 2 14 19 31
#
# OLD_DLL, NEW_DLL: pgate.dll of each build, e.g. built in Release in a worktree of the old commit:
#   git worktree add --detach /tmp/floor-old 1aa5545 && (cd /tmp/floor-old && dotnet build -c Release src/PostureGate.Cli)
# PG_BENCH_WARMUP (default 2000) as in ike-gateway-cpu.sh.
#
# Prints one line per build, group and round, then per round and over all rounds the CPU per SA
# summed over the groups and new ÷ old, with and without the runtime's background JIT thread (tier-1
# re-compiles that a 2,000-SA warm-up on a loaded machine leaves inside the measured run: a one-time
# cost, larger for the build with more methods on the path).
set -euo pipefail
cd "$(dirname "$0")/../.."
[[ $# -ge 2 ]] || { echo "usage: $0 OLD_DLL NEW_DLL [COUNT] [ROUNDS] [GROUPS...]" >&2; exit 2; }
OLD=$(realpath "$1"); NEW=$(realpath "$2"); COUNT=${3:-1500}; ROUNDS=${4:-2}
shift $(( $# > 4 ? 4 : $# ))
GROUPS_LIST=("$@"); [[ ${#GROUPS_LIST[@]} -eq 0 ]] && GROUPS_LIST=(14 19 31)
for d in "$OLD" "$NEW"; do [[ -f $d ]] || { echo "ike-cpu-compare.sh: no $d" >&2; exit 2; }; done
# A port of this run's own, so a second bench on the machine does not collide with it.
export PG_BENCH_PORT=$(( 20000 + ($$ % 5000) * 2 )) PG_BENCH_CLIENT="$NEW"
results=$(mktemp); trap 'rm -f "$results"' EXIT

for r in $(seq "$ROUNDS"); do
  for g in "${GROUPS_LIST[@]}"; do
    for which in old new; do
      dll=$OLD; [[ $which == new ]] && dll=$NEW
      load=$(cut -d' ' -f1 /proc/loadavg)
      out=$(PG_BENCH_GATEWAY="$dll" bench/scripts/ike-gateway-cpu.sh "$COUNT" 8 "$g")
      ms=$(sed -nE 's/.*gateway CPU ([0-9]+) ms for ([0-9]+) SAs.*/\1 \2/p' <<<"$out")
      jit=$(sed -nE 's/.*of which JIT tiering .* ([0-9]+) ms;.*/\1/p' <<<"$out")
      read -r cpu est <<<"${ms:-0 0}"
      [[ $est -gt 0 ]] || { echo "round $r group $g $which: no SA established" >&2; exit 1; }
      echo "$r $g $which $cpu $est ${jit:-0}" >> "$results"
      printf 'round %d group %-2s %s: %5d ms for %d SAs = %.2f ms/SA; JIT tiering %d ms, without it %.2f ms/SA (load %s)\n' \
        "$r" "$g" "$which" "$cpu" "$est" "$(awk -v c="$cpu" -v n="$est" 'BEGIN { print c / n }')" "${jit:-0}" \
        "$(awk -v c="$cpu" -v j="${jit:-0}" -v n="$est" 'BEGIN { print (c - j) / n }')" "$load"
    done
  done
done

# Per round: the three groups' ms/SA summed, per build; the ratio; then over all rounds.
awk '
  { per[$1, $3] += $4 / $5; nj[$1, $3] += ($4 - $6) / $5; cpu[$3] += $4; n[$3] += $5; sum[$3] += $4 / $5; sumnj[$3] += ($4 - $6) / $5
    if ($1 > rounds) rounds = $1 }
  END {
    for (r = 1; r <= rounds; r++)
      printf "round %d: summed over the groups old %.2f, new %.2f ms/SA, new / old %.2f; without JIT tiering old %.2f, new %.2f, new / old %.2f\n",
        r, per[r, "old"], per[r, "new"], per[r, "new"] / per[r, "old"], nj[r, "old"], nj[r, "new"], nj[r, "new"] / nj[r, "old"]
    printf "all rounds: old %d ms for %d SAs, new %d ms for %d SAs; summed ms/SA old %.2f, new %.2f, new / old %.2f; without JIT tiering old %.2f, new %.2f, new / old %.2f\n",
      cpu["old"], n["old"], cpu["new"], n["new"], sum["old"], sum["new"], sum["new"] / sum["old"], sumnj["old"], sumnj["new"], sumnj["new"] / sumnj["old"]
  }' "$results"
