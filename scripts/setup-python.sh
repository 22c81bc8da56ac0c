#!/usr/bin/env bash
# Installs the Python stack the bridge and the live tests use: Debian's python3, libpython3.11,
# numpy, scipy and PyTorch. Idempotent: does nothing when everything already imports.
# Without apt or root it only says what to install.
set -uo pipefail
PY=${HARNESS_PYTHON:-/usr/bin/python3}
[ -d "$PY" ] && PY="$PY/bin/python"

have_all() {
  [ -x "$PY" ] && "$PY" -c 'import numpy, scipy, torch' >/dev/null 2>&1 \
    && ls /usr/lib/x86_64-linux-gnu/libpython3*.so.1.0 >/dev/null 2>&1
}

if have_all; then
  echo "setup-python: python stack present ($("$PY" -c 'import sys,numpy,scipy,torch; print(sys.version.split()[0], "numpy", numpy.__version__, "scipy", scipy.__version__, "torch", torch.__version__)'))"
  exit 0
fi

if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "setup-python: installing Debian python3, libpython3.11, python3-numpy, python3-scipy, python3-torch..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null 2>&1 || true
  if ! apt-get install -y -qq python3 libpython3.11 python3-numpy python3-scipy python3-torch >/tmp/setup-python-apt.log 2>&1; then
    echo "setup-python: apt-get install failed (see /tmp/setup-python-apt.log); Python tests will be skipped." >&2
    exit 0
  fi
  if have_all; then echo "setup-python: done"; else echo "setup-python: installed, but not every module imports; Python tests may skip." >&2; fi
  exit 0
fi

cat >&2 <<'MSG'
setup-python: cannot install system packages here (needs apt-get and root).
Install a Python 3 with its shared library, then:   pip install numpy scipy torch keras
and point the harness at it:   export HARNESS_PYTHON=/path/to/python-or-venv
MSG
exit 0
