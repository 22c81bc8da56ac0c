#!/usr/bin/env bash
# Proves the packages as a user gets them: packs Harness.sln into a folder feed, runs the sample consumer
# samples/MyInitializers.Gate (PackageReferences only) twice, once passing and once with a deliberately wrong
# initializer that must fail with the variance diagnosis, and installs the dotnet tool from the feed and runs
# `harness check` in a folder outside the repository. Ends with "check-packages: N passed, N failed"; exit 1 on a failure.
#
# The NuGet cache (~/.nuget/packages) keeps a package by id and version, so a fresh pack of an already cached version
# would be shadowed by the cached one: every run packs a unique prerelease version (the one version of
# Directory.Build.props plus -local.<time>.<pid>) and removes exactly those versions from the cache at the end.
#
# Usage: scripts/check-packages.sh [WORKDIR]      (default: a new temporary folder, removed at the end)
set -uo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

base=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props | head -n1)
if [ -z "$base" ]; then echo "check-packages: no <Version> in Directory.Build.props" >&2; exit 2; fi
version="$base-local.$(date -u +%Y%m%d%H%M%S).$$"
if [ $# -ge 1 ]; then work=$(mkdir -p "$1" && cd "$1" && pwd); keep=1; else work=$(mktemp -d); keep=0; fi
feed="$work/feed"
nuget_cache="${NUGET_PACKAGES:-$HOME/.nuget/packages}"
packages=(WeightInit WeightInit.Statistics WeightInit.Conformance WeightInit.Conformance.NUnit WeightInit.Harness)
passed=0 failed=0

cleanup() {
  for p in "${packages[@]}"; do rm -rf "$nuget_cache/${p,,}/${version,,}"; done
  if [ "$keep" -eq 0 ]; then rm -rf "$work"; fi
}
trap cleanup EXIT

ok()   { passed=$((passed + 1)); echo "check-packages: PASS $1"; }
fail() { failed=$((failed + 1)); echo "check-packages: FAIL $1"; }

echo "check-packages: version $version, work folder $work"

# 1. Pack the solution: the five packages, each with its symbol package.
if dotnet pack Harness.sln -c Release -o "$feed" -p:Version="$version" >"$work/pack.log" 2>&1; then
  missing=""
  for p in "${packages[@]}"; do
    [ -f "$feed/$p.$version.nupkg" ] && [ -f "$feed/$p.$version.snupkg" ] || missing="$missing $p"
  done
  count=$(find "$feed" -name '*.nupkg' | wc -l)
  if [ -z "$missing" ] && [ "$count" -eq 5 ]; then
    ok "dotnet pack produced the five packages:"
    for p in "${packages[@]}"; do printf '  %-45s %10d bytes\n' "$p.$version.nupkg" "$(stat -c %s "$feed/$p.$version.nupkg")"; done
  else
    fail "dotnet pack: expected exactly the five packages with symbols; missing:${missing:- none}, nupkg count $count"
  fi
else
  fail "dotnet pack failed (see below)"; tail -n 30 "$work/pack.log"
  echo "check-packages: $passed passed, $failed failed"; exit 1
fi

# 2. The sample consumer, copied outside the repository with the feed beside it (its nuget.config names ./local-feed),
#    so that nothing can come from the clone: the data it checks against must come from the package.
sample="$work/sample"
mkdir -p "$sample"
cp samples/MyInitializers.Gate/*.cs samples/MyInitializers.Gate/*.csproj samples/MyInitializers.Gate/*.props samples/MyInitializers.Gate/nuget.config "$sample/"
ln -s "$feed" "$sample/local-feed"
if grep -q '<ProjectReference' "$sample"/*.csproj; then fail "the sample must reference packages only"; fi

run_sample() {   # $1 = log file; the rest: environment assignments
  local log=$1; shift
  (cd "$sample" && env "$@" dotnet test -p:WeightInitVersion="$version" >"$log" 2>&1)
}

run_sample "$work/sample-pass.log" MYINIT_BUG=
rc=$?
summary=$(grep -E '^\s*(Passed|Failed)!\s+-\s+Failed:' "$work/sample-pass.log" | tail -n1)
if [ "$rc" -eq 0 ] && echo "$summary" | grep -Eq 'Failed:\s+0,' && echo "$summary" | grep -Eq 'Passed:\s+[1-9]'; then
  ok "the sample's gate passes with the correct initializer: $(echo "$summary" | sed -E 's/^ *(Passed|Failed)! +- +//')"
else
  fail "the sample's gate should pass (exit $rc): ${summary:-no test summary}"; tail -n 40 "$work/sample-pass.log"
fi

run_sample "$work/sample-fail.log" MYINIT_BUG=uncorrected-truncation
rc=$?
summary=$(grep -E '^\s*(Passed|Failed)!\s+-\s+Failed:' "$work/sample-fail.log" | tail -n1)
# The right diagnosis: the HeNormal variance tests fail, named as in the gate, and the message carries the check's
# verdict with its statistic, p-value and n; the GlorotUniform tests (not affected by the bug) still pass.
if [ "$rc" -ne 0 ] \
   && grep -Eq 'Failed he_normal-[^ ]+ · HeNormal [0-9x]+: variance' "$work/sample-fail.log" \
   && grep -Eq 'variance: Fail — .*\(statistic=[^,]+, p=[^,]+, n=[0-9]+;' "$work/sample-fail.log" \
   && ! grep -Eq 'Failed glorot_uniform-' "$work/sample-fail.log"; then
  ok "the wrong initializer fails with the variance diagnosis: $(echo "$summary" | sed -E 's/^ *(Passed|Failed)! +- +//')"
  grep -Em1 'variance: Fail — ' "$work/sample-fail.log" | sed 's/^ */  /'
else
  fail "the wrong initializer should fail its HeNormal variance tests with the diagnosis (exit $rc): ${summary:-no test summary}"
  grep -E 'Failed |Fail — ' "$work/sample-fail.log" | head -n 20
fi

# 3. The dotnet tool, installed from the folder feed, running harness check in a folder outside the repository.
outside="$work/outside"
mkdir -p "$outside"
if dotnet tool install WeightInit.Harness --version "$version" --tool-path "$work/tool" --add-source "$feed" >"$work/tool-install.log" 2>&1; then
  (cd "$outside" && CI=true "$work/tool/harness" check --filter glorot_uniform --out "$outside/report" >"$work/tool-check.log" 2>&1)
  rc=$?
  if [ "$rc" -eq 0 ] && [ -f "$outside/report/report.json" ] && grep -q '^PASSED' "$work/tool-check.log" \
     && ! grep -q "\"folder\": \"$repo" "$outside/report/report.json"; then
    ok "the tool installs from the feed and harness check passes outside the repository: $(grep '^PASSED' "$work/tool-check.log")"
  else
    fail "harness check from the installed tool (exit $rc)"; tail -n 20 "$work/tool-check.log"
  fi
else
  fail "dotnet tool install from the feed"; tail -n 20 "$work/tool-install.log"
fi

echo "check-packages: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
