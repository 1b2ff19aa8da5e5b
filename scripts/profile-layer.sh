#!/usr/bin/env bash
# Load-independent profile of one layer of ConvRef's vectorized engine: instructions per call, per
# method, from valgrind's callgrind (simulated, so other work on the machine does not change them).
#
#   scripts/profile-layer.sh SHAPE DTYPE PASS [THREADS]     e.g. scripts/profile-layer.sh mv2.pw32-16 f32 fwd
#
# SHAPE is any name `bench --shapes` takes, DTYPE f32 or f64, PASS fwd, bwd or fwdbwd, THREADS the
# engine's thread limit (default 1; valgrind runs threads one at a time, so instructions, not time).
# It runs `convcompare bench --profile PASS` twice under callgrind, with 1 and with 3 counted calls
# after the driver's warm-up calls, and prints the difference halved: one call's instructions, in all
# and per method (JIT-compiled methods named from the runtime's perf map). CACHE=1 adds callgrind's
# cache simulation (first-level and last-level misses per method; about twice as slow).
# Notes: valgrind reports no AVX-512 to the program, so the counts are those of the 256-bit kernels;
# tiered compilation is off, so every method runs fully optimized from its first call.
# Build first: dotnet build -c Release src/ConvCompare (or set EXE to another build's convcompare). Output files go to ${OUT:-/tmp/convref-profile}.
set -euo pipefail
shape=${1:?shape}; dtype=${2:?dtype}; pass=${3:?pass}; threads=${4:-1}
root=$(cd "$(dirname "$0")/.." && pwd)
exe=${EXE:-"$root/src/ConvCompare/bin/Release/net10.0/linux-x64/convcompare"}
[ -x "$exe" ] || { echo "profile-layer.sh: $exe not found; run: dotnet build -c Release src/ConvCompare" >&2; exit 2; }
out=${OUT:-/tmp/convref-profile}; mkdir -p "$out"
cache=(); [ "${CACHE:-0}" = 1 ] && cache=(--cache-sim=yes)
tag="$shape.$dtype.$pass.t$threads"
for calls in 1 3; do
  DOTNET_TieredCompilation=0 DOTNET_PerfMapEnabled=3 nice -n 19 valgrind --tool=callgrind "${cache[@]}" \
    --dump-instr=yes --dump-line=no --callgrind-out-file="$out/$tag.$calls.%p.cg" \
    "$exe" bench --profile "$pass" --shapes "$shape" --dtype "$dtype" --repeat "$calls" --profile-threads "$threads" \
    2> "$out/$tag.$calls.log" >/dev/null
  file=$(ls -t "$out/$tag.$calls".*.cg | head -1)
  pid=${file%.cg}; pid=${pid##*.}
  python3 "$root/scripts/callgrind_methods.py" "$file" "/tmp/perf-$pid.map" > "$out/$tag.$calls.methods"
  mv "/tmp/perf-$pid.map" "$out/$tag.$calls.map"; rm -f "/tmp/perfinfo-$pid.map"
done
python3 - "$out/$tag.1.methods" "$out/$tag.3.methods" "$tag" <<'PY'
import collections, sys
def read(path):
    d = collections.defaultdict(int)
    for line in open(path):
        event, cost, name = line.rstrip("\n").split("\t", 2)
        d[(event, name)] += int(cost)
    return d
low, high = read(sys.argv[1]), read(sys.argv[2])
per_call = {k: (high.get(k, 0) - low.get(k, 0)) / 2 for k in set(low) | set(high)}
events = sorted({e for e, _ in per_call}, key=lambda e: (e != "Ir", e))
total = {e: sum(v for (ev, _), v in per_call.items() if ev == e) for e in events}
print(f"{sys.argv[3]}: one call, " + ", ".join(f"{e} {total[e] / 1e6:.2f} M" for e in events))
rows = sorted(((v, n) for (e, n), v in per_call.items() if e == "Ir"), reverse=True)
for v, n in rows:
    if v < 0.005 * total["Ir"]:
        break
    extra = "".join(f"  {e} {per_call.get((e, n), 0) / 1e6:.3f} M" for e in events if e != "Ir")
    print(f"  {100 * v / total['Ir']:5.1f}%  {v / 1e6:9.2f} M Ir{extra}  {n}")
PY
