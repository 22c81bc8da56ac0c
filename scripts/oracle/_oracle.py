"""Shared helpers for the oracle scripts: locate the keras-oracle runner and a Keras checkout.

Nothing here re-implements Keras. The scripts import the keras-oracle runner
(`sample.py` in $KERAS_ORACLE_RUNNER_DIR, which puts the shims and the Keras source
checkout on sys.path and imports real Keras with the numpy backend) and then
call real Keras functions.
"""
import datetime
import os
import subprocess
import sys

REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DEFAULT_ORACLE_DIR = os.environ.get(
    "KERAS_ORACLE_RUNNER_DIR",
    os.path.abspath(os.path.join(REPO_ROOT, "..", "shared", "keras-oracle")))


def import_runner(oracle_dir=None):
    """Import sample.py from the keras-oracle folder (it bootstraps Keras on import)."""
    os.environ.setdefault("KERAS_BACKEND", "numpy")
    d = oracle_dir or DEFAULT_ORACLE_DIR
    if not os.path.exists(os.path.join(d, "sample.py")):
        sys.exit(f"keras-oracle runner not found in {d} (set KERAS_ORACLE_RUNNER_DIR)")
    if d not in sys.path:
        sys.path.insert(0, d)
    saved = sys.argv
    sys.argv = [saved[0]]  # sample.py reads --keras/--shims from argv; use its env defaults
    try:
        import sample  # noqa: WPS433
    finally:
        sys.argv = saved
    return sample


def provenance(runner, command):
    """Versions and origin of the oracle, as recorded in every generated file."""
    v = runner._versions()
    commit = v.get("keras_commit", "")  # "<tag> <sha>" written by setup.sh
    parts = commit.split()
    return {
        "framework": "keras",
        "keras_version": v["keras_version"],
        "backend": v["backend"],
        "backend_version": v["numpy_version"],
        "numpy_version": v["numpy_version"],
        "python_version": v["python"],
        "keras_tag": parts[0] if len(parts) == 2 else None,
        "keras_commit": parts[-1] if parts else None,
        "keras_source": "https://github.com/keras-team/keras (unmodified source checkout, numpy backend)",
        "shims": sorted(v.get("loaded_shims_or_deps", {}).keys()),
        "runner": "../shared/keras-oracle/sample.py",
        "generated_utc": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "command": command,
        "generator_git_commit": _git_head(),
    }


def _git_head():
    try:
        return subprocess.run(["git", "-C", REPO_ROOT, "rev-parse", "HEAD"], capture_output=True,
                              text=True, check=True).stdout.strip()
    except Exception:  # noqa: BLE001
        return None
