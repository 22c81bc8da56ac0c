#!/usr/bin/env bash
# Installs the pinned TensorFlow.js packages the Node bridge (src/WeightInit.Node) loads:
# @tensorflow/tfjs-core, @tensorflow/tfjs-layers and @tensorflow/tfjs-backend-cpu, exactly 4.22.0, with `npm ci`
# from the committed src/WeightInit.Node/js/package.json and package-lock.json. Pure JavaScript: never
# @tensorflow/tfjs-node (it downloads a native binary). Idempotent and fast when already installed: a stamp
# holds the sha256 of the lock file that was installed, and the three package versions are checked, without
# running npm. It never fails the caller (CI keeps going; the TF.js tests then report "skipped" with the reason).
#
#   HARNESS_NODE        node executable to use (default: node on PATH); npm is taken from the same folder first
#   SETUP_NODE_FORCE=1  reinstall even when the stamp matches
set -uo pipefail
cd "$(dirname "$0")/../src/WeightInit.Node/js" || { echo "setup-node: src/WeightInit.Node/js not found" >&2; exit 0; }
PINNED=4.22.0
PACKAGES="tfjs-core tfjs-layers tfjs-backend-cpu"
STAMP=node_modules/.weightinit-lock.sha256

NODE=${HARNESS_NODE:-$(command -v node || true)}
NPM=""
if [ -n "$NODE" ] && [ -x "$(dirname "$NODE")/npm" ]; then NPM="$(dirname "$NODE")/npm"; else NPM=$(command -v npm || true); fi

if { [ -z "$NODE" ] || [ -z "$NPM" ]; } && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "setup-node: node/npm missing; installing Debian's nodejs and npm" >&2
  { apt-get install -y -q nodejs npm >/dev/null 2>&1 || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q nodejs npm >/dev/null 2>&1; }; } || true
  NODE=${HARNESS_NODE:-$(command -v node || true)}
  NPM=$(command -v npm || true)
fi
if [ -z "$NODE" ] || ! "$NODE" --version >/dev/null 2>&1; then
  echo "setup-node: no usable node (HARNESS_NODE or PATH); the TF.js tests will be skipped. Install Node.js >= 18." >&2
  exit 0
fi

versions_ok() {
  for p in $PACKAGES; do
    v=$("$NODE" -e "process.stdout.write(require('./node_modules/@tensorflow/$p/package.json').version)" 2>/dev/null) || return 1
    [ "$v" = "$PINNED" ] || return 1
  done
  [ ! -e node_modules/@tensorflow/tfjs-node ]
}

want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ "${SETUP_NODE_FORCE:-0}" != 1 ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want" ] && versions_ok; then
  echo "setup-node: TF.js $PINNED already installed in src/WeightInit.Node/js/node_modules (node $("$NODE" --version))"
  exit 0
fi
if [ -z "$NPM" ]; then
  echo "setup-node: npm not found; cannot install TF.js (the TF.js tests will be skipped). Install npm." >&2
  exit 0
fi
echo "setup-node: npm ci (TF.js $PINNED: $PACKAGES) ..."
start=$(date +%s)
# --ignore-scripts: the three packages are plain JavaScript and need no install step.
if ! "$NPM" ci --no-audit --no-fund --ignore-scripts --loglevel=error; then
  echo "setup-node: npm ci failed; the TF.js tests will be skipped" >&2
  exit 0
fi
if ! versions_ok; then
  echo "setup-node: installed, but the package versions are not $PINNED (or tfjs-node is present)" >&2
  exit 0
fi
tmp="$STAMP.$$"
echo "$want" > "$tmp" && mv -f "$tmp" "$STAMP"
echo "setup-node: TF.js $PINNED installed in $(( $(date +%s) - start )) s (node $("$NODE" --version))"
