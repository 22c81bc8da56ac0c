#!/usr/bin/env bash
# Benchmark of the TF.js Node bridge (not a test): transfer rate of 2^22 float32/float64 values through the framed
# protocol (target >= 200 MB/s for float32), end-to-end heNormal on 2^22 values, and the speed-up of one batched
# request over one request per tensor. Needs node and scripts/setup-node.sh. Usage: scripts/bench-node.sh [RUNS]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
bash "$ROOT/scripts/setup-node.sh" >/dev/null
dotnet run -c Release --project "$ROOT/benchmarks/Node.Benchmarks/Node.Benchmarks.csproj" -- "${1:-10}"
