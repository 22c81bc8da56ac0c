#!/usr/bin/env bash
# Fill benchmark, side by side in one run: this library's float32 fills (benchmarks/WeightInit.Benchmarks in its `ratio`
# mode), PyTorch (normal_, uniform_, trunc_normal_, kaiming_normal_, one intra-op thread) and numpy (Generator and the
# legacy RandomState), best of REPEAT runs each, on N float32 values (default 2^24; the thread scaling also at 2^22).
# Prints the ratios as a table and then as one JSON document (stdout); progress goes to stderr.
# Usage: scripts/bench-fill.sh [N] [REPEAT]      Python: $PYTHON (default /usr/bin/python3, needs numpy and torch)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
N="${1:-16777216}"
REPEAT="${2:-5}"
PY="${PYTHON:-/usr/bin/python3}"
SMALL=$(( N / 4 ))
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

if ! "$PY" -c 'import numpy, torch' 2>/dev/null; then
  echo "bench-fill: $PY cannot import numpy and torch (run scripts/setup-python.sh or set PYTHON)" >&2
  exit 2
fi

echo "building benchmarks/WeightInit.Benchmarks (Release)..." >&2
dotnet build "$ROOT/benchmarks/WeightInit.Benchmarks/WeightInit.Benchmarks.csproj" -c Release --nologo -v quiet -clp:ErrorsOnly >&2
echo "timing this library (n = $SMALL and $N, 1 and 2 threads, best of $REPEAT)..." >&2
dotnet "$ROOT/benchmarks/WeightInit.Benchmarks/bin/Release/net10.0/WeightInit.Benchmarks.dll" ratio \
  --n "$SMALL,$N" --threads 1,2 --repeat "$REPEAT" > "$WORK/csharp.jsonl"

echo "timing torch and numpy (n = $N, one thread, best of $REPEAT)..." >&2
OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 "$PY" - "$N" "$REPEAT" > "$WORK/python.jsonl" <<'PY'
import json, sys, time
import numpy as np, torch
n, rep = int(sys.argv[1]), int(sys.argv[2])
torch.set_num_threads(1)
side = 1 << ((n.bit_length() - 1) // 2)          # a 2-D weight of n values for kaiming_normal_ (fan_in = side)
x = torch.empty(n, dtype=torch.float32)
w = torch.empty(n // side, side, dtype=torch.float32)
buf = np.empty(n, dtype=np.float32)
gen = np.random.default_rng(1)
legacy = np.random.RandomState(1)
def best(f):
    f()
    ts, cs = [], []
    for _ in range(rep):
        c0 = time.process_time(); t0 = time.perf_counter(); f(); ts.append(time.perf_counter() - t0); cs.append(time.process_time() - c0)
    return min(ts), min(cs)
cases = [
    ("torch", "normal_", lambda: x.normal_(0, 0.05)),
    ("torch", "uniform_", lambda: x.uniform_(-0.05, 0.05)),
    ("torch", "trunc_normal_", lambda: torch.nn.init.trunc_normal_(x, 0.0, 0.05, -0.1, 0.1)),
    ("torch", "kaiming_normal_", lambda: torch.nn.init.kaiming_normal_(w)),
    ("numpy", "Generator.standard_normal(float32)", lambda: gen.standard_normal(dtype=np.float32, out=buf)),
    ("numpy", "Generator.random(float32)", lambda: gen.random(dtype=np.float32, out=buf)),
    ("numpy", "RandomState.standard_normal (float64) + astype(float32)", lambda: legacy.standard_normal(n).astype(np.float32)),
    ("numpy", "RandomState.uniform (float64) + astype(float32)", lambda: legacy.uniform(-0.05, 0.05, n).astype(np.float32)),
]
for impl, name, f in cases:
    t, c = best(f)
    print(json.dumps({"impl": impl, "version": torch.__version__ if impl == "torch" else np.__version__, "fill": name,
                      "threads": 1, "n": n, "seconds": t, "mvalues_per_s": n / t / 1e6, "cpu_seconds": c, "mvalues_per_cpu_s": n / c / 1e6}))
PY

"$PY" - "$WORK/csharp.jsonl" "$WORK/python.jsonl" "$N" "$SMALL" <<'PY'
import json, platform, sys
allcs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
cs = [r for r in allcs if r["impl"] == "weightinit"]
platform = [r for r in allcs if r["impl"] == "platform"]
ceilings = {(r["fill"], r["n"]): r["ceiling"] for r in platform}
py = [json.loads(l) for l in open(sys.argv[2]) if l.strip()]
n, small = int(sys.argv[3]), int(sys.argv[4])
def cpu():
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"): return line.split(":", 1)[1].strip()
    except OSError: pass
    return platform.processor() or "unknown"
def lib(fill, threads, size=n): return next(r for r in cs if r["fill"] == fill and r["threads"] == threads and r["n"] == size)
def other(name): return next(r for r in py if r["fill"] == name)
rows = []
def row(label, mine, theirs, target=None):
    ratio = mine["mvalues_per_s"] / theirs["mvalues_per_s"]
    cpu_ratio = mine["mvalues_per_cpu_s"] / theirs["mvalues_per_cpu_s"]
    rows.append({"fill": label, "weightinit_mvalues_per_s": mine["mvalues_per_s"], "other": f'{theirs["impl"]} {theirs["fill"]}',
                 "other_mvalues_per_s": theirs["mvalues_per_s"], "ratio": ratio,
                 "weightinit_mvalues_per_cpu_s": mine["mvalues_per_cpu_s"], "other_mvalues_per_cpu_s": theirs["mvalues_per_cpu_s"],
                 "cpu_ratio": cpu_ratio, "target": target, "met": None if target is None else ratio >= target,
                 "met_cpu": None if target is None else cpu_ratio >= target})
row("normal (RandomNormal)", lib("normal", 1), other("normal_"), 2.0)
row("uniform (RandomUniform)", lib("uniform", 1), other("uniform_"), 2.0)
row("truncated normal (he_normal)", lib("he_normal", 1), other("trunc_normal_"), 10.0)
row("he_normal vs kaiming_normal_ (untruncated)", lib("he_normal", 1), other("kaiming_normal_"))
row("normal vs numpy Generator", lib("normal", 1), other("Generator.standard_normal(float32)"))
row("uniform vs numpy Generator", lib("uniform", 1), other("Generator.random(float32)"))
row("normal vs numpy legacy", lib("normal", 1), other("RandomState.standard_normal (float64) + astype(float32)"))
row("uniform vs numpy legacy", lib("uniform", 1), other("RandomState.uniform (float64) + astype(float32)"))
scaling = []
for size in (small, n):
    for fill in ("normal", "uniform", "he_normal"):
        one, two = lib(fill, 1, size), lib(fill, 2, size)
        s = two["mvalues_per_s"] / one["mvalues_per_s"]
        # CPU work of the 2-thread fill relative to the 1-thread fill: 1.0 means no parallel overhead at all.
        work = two["cpu_seconds"] / one["cpu_seconds"]
        # What two independent threads running the same kernel get on this machine (benchmarks/.../Ratio.cs).
        ceiling = ceilings.get((fill, size))
        cold = one["cold_seconds"] / two["cold_seconds"]   # each the first fill after the other thread count's turn
        scaling.append({"fill": fill, "n": size, "speedup_2_threads": s, "cold_speedup_2_threads": cold, "cpu_work_ratio": work, "platform_ceiling": ceiling,
                        "of_ceiling": None if ceiling is None else s / ceiling, "target": 1.8, "met": s >= 1.8})
def loadavg():
    try: return open("/proc/loadavg").read().split()[0]
    except OSError: return "unknown"
def mark(ok): return "met" if ok else "NOT met"
print(f"CPU: {cpu()}, {cs[0]['isa']}; stream {cs[0]['stream']}; float32, n = {n}, one thread, best of the runs; load average {loadavg()}")
print("wall = best wall-clock time; cpu = best process CPU time (what the fill costs when it has to share the cores)")
print()
print("| fill | this library wall / cpu | other wall / cpu | ratio wall | ratio cpu | target |")
print("|---|---:|---|---:|---:|---|")
for r in rows:
    t = "" if r["target"] is None else f'≥ {r["target"]:g}×: wall {mark(r["met"])}, cpu {mark(r["met_cpu"])}'
    print(f'| {r["fill"]} | {r["weightinit_mvalues_per_s"]:.0f} / {r["weightinit_mvalues_per_cpu_s"]:.0f} M/s | {r["other"]} '
          f'{r["other_mvalues_per_s"]:.0f} / {r["other_mvalues_per_cpu_s"]:.0f} M/s | {r["ratio"]:.2f}× | {r["cpu_ratio"]:.2f}× | {t} |')
print()
print("| 2 threads / 1 thread | n | wall speed-up | cold | CPU work 2T/1T | platform ceiling | of ceiling | target |")
print("|---|---:|---:|---:|---:|---:|---:|---|")
for s in scaling:
    c = "—" if s["platform_ceiling"] is None else f'{s["platform_ceiling"]:.2f}×'
    o = "—" if s["of_ceiling"] is None else f'{100 * s["of_ceiling"]:.0f} %'
    print(f'| {s["fill"]} | {s["n"]} | {s["speedup_2_threads"]:.2f}× | {s["cold_speedup_2_threads"]:.2f}× | {s["cpu_work_ratio"]:.2f} | {c} | {o} | ≥ 1.8× {mark(s["met"])} |')
print("wall speed-up = the second of two fills in a row (pool thread awake, as when layers are filled one after another);")
print("cold = the first 2-thread fill after a 1-thread one, which also pays for waking the pool thread")
print("platform ceiling = two dedicated threads, each filling its own buffer of n/2 values one-threaded (nothing shared),")
print("against one thread: what this machine gives two threads running the same kernel")
alloc = max(r["allocated_bytes"] for r in cs)
print()
print(f"largest allocation in one timed fill: {alloc} bytes (the {n * 4}-byte output is preallocated)")
print()
print(json.dumps({"cpu": cpu(), "load_average": loadavg(), "isa": cs[0]["isa"], "stream": cs[0]["stream"], "n": n, "ratios": rows, "scaling": scaling,
                  "max_allocated_bytes": alloc, "weightinit": cs, "platform_ceilings": platform, "others": py}, indent=1))
PY
