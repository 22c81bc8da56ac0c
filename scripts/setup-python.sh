#!/usr/bin/env bash
# Installs the Python stack the bridge (src/WeightInit.Python) and its live tests use: Debian's python3,
# libpython3.11, numpy, scipy and PyTorch. Idempotent and fast when everything is present (one find_spec check,
# no imports). Where apt-get is available and the user is root it installs the Debian packages; elsewhere it only
# says what to install. It never fails the caller (CI keeps going; the Python tests then report "skipped").
#
#   HARNESS_PYTHON   python executable or venv folder to check (default /usr/bin/python3)
#   SETUP_PYTHON_FULL_CHECK=1   import the modules instead of only locating them (slower, catches broken installs)
set -uo pipefail
PY=${HARNESS_PYTHON:-/usr/bin/python3}
if [ -d "$PY" ]; then
  for c in "$PY/bin/python3" "$PY/bin/python"; do [ -x "$c" ] && { PY=$c; break; }; done
fi
MODULES="numpy scipy torch"

check() {
  [ -x "$PY" ] || return 1
  "$PY" - "$MODULES" "${SETUP_PYTHON_FULL_CHECK:-0}" <<'PYCODE' >/dev/null 2>&1
import sys, os, sysconfig, importlib, importlib.util
mods = sys.argv[1].split()
if sys.argv[2] == "1":
    for m in mods: importlib.import_module(m)
elif not all(importlib.util.find_spec(m) for m in mods):
    sys.exit(1)
libdir, so = sysconfig.get_config_var("LIBDIR") or "", sysconfig.get_config_var("INSTSONAME") or ""
multi = sysconfig.get_config_var("MULTIARCH") or ""
sys.exit(0 if any(os.path.isfile(os.path.join(d, so)) for d in (libdir, os.path.join(libdir, multi))) else 1)
PYCODE
}

versions() {
  "$PY" -c 'import sys, importlib.metadata as m
def v(p):
    try: return m.version(p)
    except Exception: return "?"
print(sys.version.split()[0], "numpy", v("numpy"), "scipy", v("scipy"), "torch", v("torch"))' 2>/dev/null
}

# The bridge follows HARNESS_PYTHON, then python3 on PATH, then the Debian default: say so when PATH would win
# with an interpreter that lacks numpy.
path_hint() {
  [ -n "${HARNESS_PYTHON:-}" ] && return 0
  local onpath
  onpath=$(command -v python3 2>/dev/null) || return 0
  if ! "$onpath" -c 'import numpy' >/dev/null 2>&1; then
    echo "setup-python: note: python3 on PATH ($onpath) cannot import numpy and the bridge would pick it first;"
    echo "setup-python:       export HARNESS_PYTHON=$PY   (the tests do this by themselves; see 'scripts/harness doctor')"
  fi
}

if check; then
  echo "setup-python: python stack present ($PY: $(versions))"
  path_hint
  exit 0
fi

if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && [ "$PY" = /usr/bin/python3 ]; then
  echo "setup-python: installing Debian python3, libpython3.11, python3-numpy, python3-scipy, python3-torch..."
  export DEBIAN_FRONTEND=noninteractive
  LOG="$(mktemp -t setup-python-apt.XXXXXX.log)"   # in $TMPDIR, like any temporary file
  # Waits for another apt/dpkg run to finish instead of failing on its lock.
  apt-get -o DPkg::Lock::Timeout=900 update -qq >"$LOG" 2>&1 || true
  if ! apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends \
        python3 libpython3.11 python3-numpy python3-scipy python3-torch >>"$LOG" 2>&1; then
    echo "setup-python: apt-get install failed (see $LOG); the Python tests will be skipped." >&2
    exit 0
  fi
  if SETUP_PYTHON_FULL_CHECK=1 check; then
    echo "setup-python: done ($PY: $(versions))"
    path_hint
  else
    echo "setup-python: installed, but not every module imports; the Python tests may be skipped (run scripts/harness doctor)." >&2
  fi
  exit 0
fi

cat >&2 <<MSG
setup-python: $PY lacks numpy/scipy/torch or a shared libpython, and this script installs only Debian packages
(needs apt-get and root). Install a Python 3 built with its shared library (--enable-shared), then:
    pip install numpy scipy torch keras
and point the harness at it:
    export HARNESS_PYTHON=/path/to/python-or-venv
'scripts/harness doctor' shows what the bridge finds.
MSG
exit 0
