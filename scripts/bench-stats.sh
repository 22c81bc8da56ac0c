#!/usr/bin/env bash
# Benchmark: one-sample KS and Anderson–Darling on 10^7 float32 N(0, 0.05) values, C# (WeightInit.Statistics)
# side by side with scipy 1.10 (/usr/bin/python3) on the SAME .npy file. Prints both timings and the ratio
# scipy_seconds / csharp_seconds (> 1 means C# is faster). Usage: scripts/bench-stats.sh [N] [REPEAT]
# Note: on float32 input scipy standardises (x-loc)/scale in float32 (numpy 1.24 value-based casting), so its D and A²
# differ from the float64 evaluation by ~3e-5 relative; on x.astype(float64) scipy agrees with C# to ~1e-12.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
N="${1:-10000000}"
REPEAT="${2:-3}"
PY="${PYTHON:-/usr/bin/python3}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
SAMPLE="$WORK/sample.npy"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

"$PY" - "$SAMPLE" "$N" <<'PY'
import sys, numpy as np
path, n = sys.argv[1], int(sys.argv[2])
x = (np.random.default_rng(20261129).standard_normal(n) * 0.05).astype(np.float32)
np.save(path, x)
PY

echo "building benchmark (Release)..." >&2
dotnet build "$ROOT/benchmarks/Statistics.Benchmarks/Statistics.Benchmarks.csproj" -c Release --nologo -v quiet -clp:ErrorsOnly >&2
CS_OUT="$(dotnet "$ROOT/benchmarks/Statistics.Benchmarks/bin/Release/net10.0/Statistics.Benchmarks.dll" "$SAMPLE" 0.05 "$REPEAT")"

PY_OUT="$("$PY" - "$SAMPLE" "$REPEAT" <<'PY'
import sys, time, json, numpy as np, scipy, scipy.stats as st
from scipy.stats._fit import _anderson_darling
path, rep = sys.argv[1], int(sys.argv[2])
x = np.load(path)
law = st.norm(loc=0, scale=0.05)
def best(f):
    r = f()  # warm-up
    ts = []
    for _ in range(rep):
        t0 = time.perf_counter()
        r = f()
        ts.append(time.perf_counter() - t0)
    return min(ts), r
t, r = best(lambda: st.kstest(x, law.cdf))
print(json.dumps({"impl": "scipy " + scipy.__version__, "test": "ks", "n": len(x), "seconds": t, "statistic": float(r.statistic), "p_value": float(r.pvalue)}))
t, a2 = best(lambda: _anderson_darling(law, x))
print(json.dumps({"impl": "scipy " + scipy.__version__, "test": "ad", "n": len(x), "seconds": t, "statistic": float(a2), "p_value": None}))
PY
)"

echo "$CS_OUT"
echo "$PY_OUT"
"$PY" - "$CS_OUT" "$PY_OUT" <<'PY'
import sys, json
cs = {d["test"]: d for d in map(json.loads, sys.argv[1].splitlines())}
py = {d["test"]: d for d in map(json.loads, sys.argv[2].splitlines())}
for t in ("ks", "ad"):
    c, p = cs[t], py[t]
    rel = abs(c["statistic"] - p["statistic"]) / abs(p["statistic"])
    print(f"{t}: C# {c['seconds']:.3f} s, scipy {p['seconds']:.3f} s, ratio scipy/C# = {p['seconds']/c['seconds']:.2f}x, statistic rel diff {rel:.2e}")
PY
