#!/usr/bin/env bash
# Benchmark of the Python bridge (not a test): measures the Python-to-.NET bulk transfer of 10^7 float32 (and
# float64) through the buffer protocol, plus one end-to-end 10^7-element numpy sample, via `harness doctor --bench`.
# Uses HARNESS_PYTHON when set; otherwise, like the tests, falls back to /usr/bin/python3 when python3 on PATH
# has no numpy.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ -z "${HARNESS_PYTHON:-}" ] && [ -z "${PYTHONNET_PYDLL:-}" ] && ! python3 -c 'import numpy' >/dev/null 2>&1 \
   && [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import numpy' >/dev/null 2>&1; then
  export HARNESS_PYTHON=/usr/bin/python3
fi
"$ROOT/scripts/harness" doctor --bench | sed -n '/^Benchmark:/,$p'
