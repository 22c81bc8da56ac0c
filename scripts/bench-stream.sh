#!/usr/bin/env bash
# Benchmark: the keras-numpy stream (C#) vs numpy's own Generator.normal / Generator.uniform on 2^24 float64 values,
# side by side in one run, both pinned to the same single core (taskset, when present), same seed pair [SEED, 0] as
# Keras' draw_seed. Prints both timings, the ratio numpy_seconds / csharp_seconds (> 1: C# faster) and whether the
# two outputs are bit-identical (sha256 of the little-endian bytes).
# Usage: scripts/bench-stream.sh [N=16777216] [SEED=42] [REPEAT=5] [CORE=0]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
N="${1:-16777216}"
SEED="${2:-42}"
REPEAT="${3:-5}"
CORE="${4:-0}"
PY="${PYTHON:-/usr/bin/python3}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
PIN=()
if command -v taskset >/dev/null 2>&1; then PIN=(taskset -c "$CORE"); fi

echo "building benchmark (Release)..." >&2
dotnet build "$ROOT/benchmarks/Stream.Benchmarks/Stream.Benchmarks.csproj" -c Release --nologo -v quiet -clp:ErrorsOnly >&2
echo "C# keras-numpy stream, $N values, best of $REPEAT ..." >&2
CS_OUT="$("${PIN[@]}" dotnet "$ROOT/benchmarks/Stream.Benchmarks/bin/Release/net10.0/Stream.Benchmarks.dll" "$N" "$SEED" "$REPEAT")"

echo "numpy Generator, $N values, best of $REPEAT ..." >&2
PY_OUT="$("${PIN[@]}" "$PY" - "$N" "$SEED" "$REPEAT" <<'PY'
import hashlib, json, sys, time
import numpy as np
n, seed, rep = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
words = np.array([seed, 0], dtype=np.uint32)          # Keras' draw_seed(seed) on the numpy backend
def best(f):
    f()
    ts = []
    for _ in range(rep):
        t0 = time.perf_counter()
        x = f()
        ts.append(time.perf_counter() - t0)
    return min(ts), x
for law, f in [("normal", lambda: np.random.default_rng(words).normal(0.0, 1.0, size=n)),
               ("uniform", lambda: np.random.default_rng(words).uniform(-1.0, 1.0, size=n))]:
    t, x = best(f)
    print(json.dumps({"impl": "numpy " + np.__version__, "law": law, "n": n, "seconds": t,
                      "sha256": hashlib.sha256(np.ascontiguousarray(x, dtype="<f8").tobytes()).hexdigest()}))
PY
)"

echo "$CS_OUT"
echo "$PY_OUT"
"$PY" - "$CS_OUT" "$PY_OUT" <<'PY'
import json, sys
cs = {d["law"]: d for d in map(json.loads, sys.argv[1].splitlines())}
py = {d["law"]: d for d in map(json.loads, sys.argv[2].splitlines())}
for law in ("normal", "uniform"):
    c, p = cs[law], py[law]
    print(f"{law}: C# {c['seconds']:.4f} s ({c['seconds'] / c['n'] * 1e9:.2f} ns/value), numpy {p['seconds']:.4f} s "
          f"({p['seconds'] / p['n'] * 1e9:.2f} ns/value), ratio numpy/C# = {p['seconds'] / c['seconds']:.2f}x, "
          f"bit-identical: {c['sha256'] == p['sha256']}")
PY
