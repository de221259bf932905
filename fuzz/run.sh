#!/usr/bin/env bash
# Runs one fuzz target of fuzz/PostureGate.Fuzz (or fuzz/PostureGate.Ike.Fuzz: ike-outer, ike-inner, ike-session)
# under AFL++ for SECONDS, instrumented with SharpFuzz, then prints executions, edges and findings.
#   fuzz/run.sh TARGET SECONDS
# Needs AFL++ (apt-get install afl++) and SharpFuzz.CommandLine (dotnet tool install -g); both are
# installed here when missing (AFL++ only when run as root).
# Findings (crashes, hangs) stay in $OUT/findings; replay one with
#   dotnet /tmp/pgfuzz-bin/PostureGate.Fuzz/PostureGate.Fuzz.dll replay TARGET DIR
set -euo pipefail
target=${1:?usage: fuzz/run.sh TARGET SECONDS}
seconds=${2:?usage: fuzz/run.sh TARGET SECONDS}
root=$(cd "$(dirname "$0")/.." && pwd)
out=${PG_FUZZ_OUT:-/tmp/pgfuzz-$target}
export PATH="$PATH:$HOME/.dotnet/tools"
# The tools are installed when missing: AFL++ from Debian (needs root), SharpFuzz as a .NET tool (per user).
if ! command -v afl-fuzz >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    apt-get install -y afl++ >/dev/null || { echo "could not install afl++ (apt-get install afl++)" >&2; exit 2; }
  else
    echo "afl-fuzz missing: run as root once, or sudo apt-get install afl++" >&2; exit 2
  fi
fi
command -v sharpfuzz >/dev/null || dotnet tool install -g SharpFuzz.CommandLine >/dev/null \
  || { echo "could not install sharpfuzz (dotnet tool install -g SharpFuzz.CommandLine)" >&2; exit 2; }

case "$target" in
  ike-outer|ike-inner|ike-session)
    project=$root/fuzz/PostureGate.Ike.Fuzz; dll=PostureGate.Ike.Fuzz.dll; arg=${target#ike-}
    corpus=$project/corpus/$arg; assemblies=(PostureGate.Ike.dll) ;;
  *)
    project=$root/fuzz/PostureGate.Fuzz; dll=PostureGate.Fuzz.dll; arg=$target
    corpus=$project/corpus/$target
    assemblies=(PostureGate.Config.dll PostureGate.Ems.dll PostureGate.Posture.dll PostureGate.Ike.dll PostureGate.Esp.dll PostureGate.Foundation.dll) ;;
esac
[ -d "$corpus" ] || { echo "unknown target $target (no $corpus)" >&2; exit 2; }

rm -rf "$out"; mkdir -p "$out"
# One instrumented build per fuzz project, shared by its targets; PG_FUZZ_NO_BUILD=1 reuses it.
bin=${PG_FUZZ_BIN:-/tmp/pgfuzz-bin}/$(basename "$project")
if [ "${PG_FUZZ_NO_BUILD:-0}" != 1 ] || [ ! -f "$bin/$dll" ]; then
  rm -rf "$bin"
  dotnet publish -c Release -o "$bin" "$project" >/dev/null
  # Instrument only PostureGate's own assemblies: coverage of the BCL would drown the signal.
  for a in "${assemblies[@]}"; do sharpfuzz "$bin/$a" >/dev/null; done
fi

export AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 AFL_SKIP_BIN_CHECK=1
export AFL_NO_AFFINITY=1
# The .NET runtime needs far more than AFL's default memory limit; 10 s per input covers a cold JIT.
timeout -s INT "$((seconds + 30))" afl-fuzz -V "$seconds" -i "$corpus" -o "$out/findings" -t 10000 -m none \
  -- dotnet "$bin/$dll" afl "$arg" > "$out/afl.log" 2>&1 || true

stats=$out/findings/default/fuzzer_stats
[ -f "$stats" ] || { echo "no fuzzer_stats; see $out/afl.log" >&2; tail -20 "$out/afl.log" >&2; exit 1; }
get() { awk -F' *: *' -v k="$1" '$1==k {print $2}' "$stats"; }
crashes=$(find "$out/findings/default/crashes" -type f -name 'id:*' | wc -l)
hangs=$(find "$out/findings/default/hangs" -type f -name 'id:*' | wc -l)
echo "target=$target seconds=$(get run_time) executions=$(get execs_done) edges=$(get edges_found) crashes=$crashes hangs=$hangs"
