"""Shared helpers for the oracle scripts: find Keras and load the project's framework-calls module.

Nothing here re-implements Keras, and nothing here duplicates the harness:

* Keras is found exactly as the pythonnet bridge finds it, by the bridge's own code
  (src/WeightInit.Python/bridge.py): HARNESS_KERAS_PATH (a Keras source checkout, then folders with its
  missing dependencies; numpy backend unless KERAS_BACKEND names another), else the keras installed in this
  Python (`pip install keras`);
* the recorded-calls -> derived-parameters mapping and the provenance come from
  src/WeightInit.Conformance/Regeneration/framework_calls.py, the file `harness regenerate` embeds.
"""
import datetime
import importlib.util
import os
import subprocess
import sys

REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BRIDGE_FILE = os.path.join(REPO_ROOT, "src", "WeightInit.Python", "bridge.py")
CALLS_FILE = os.path.join(REPO_ROOT, "src", "WeightInit.Conformance", "Regeneration", "framework_calls.py")

# the names the embedded interpreter gives them (PythonHost.cs, RegenerationPython.cs)
BRIDGE_MODULE = "weightinit_bridge"
CALLS_MODULE = "weightinit_framework_calls"


def _load(name, path):
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def framework_calls():
    """src/WeightInit.Conformance/Regeneration/framework_calls.py, loaded from the source tree."""
    return _load(CALLS_MODULE, CALLS_FILE)


def import_keras():
    """Imports Keras the way the bridge does; exits with the bridge's reason and hint when it does not import."""
    bridge = _load(BRIDGE_MODULE, BRIDGE_FILE)
    try:
        return bridge._import_keras()
    except bridge.FrameworkMissing as e:
        sys.exit(f"keras does not import: {e.error}. {e.hint}")


def provenance(command):
    """What a user needs to reproduce a generated file (no machine paths): Keras version, backend, numpy and Python
    versions, source tag and commit when known, how Keras was found, the generator command and commit."""
    p = __import__("json").loads(framework_calls().provenance("keras"))
    how = ("unmodified source checkout through HARNESS_KERAS_PATH" if p["found_through"] == "HARNESS_KERAS_PATH"
           else "installed keras package")
    return {
        "framework": "keras",
        "keras_version": p["framework_version"],
        "backend": p["backend"],
        "backend_version": p["backend_version"],
        "numpy_version": p["numpy_version"],
        "python_version": p["python_version"],
        "keras_tag": p["source_tag"],
        "keras_commit": p["source_commit"],
        "keras_source": f"{p['source_repository']} ({how}, {p['backend']} backend)",
        "dependencies": p["dependencies"],
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
