#!/usr/bin/python3
"""Regenerate reference-data/keras/<version>/ from REAL Keras (numpy backend).

    /usr/bin/python3 scripts/oracle/regenerate_keras.py [--filter SUBSTRING] [--allow-mixed] [--dry-run]

For every case of conformance/cases/*.json whose "reference" lists "keras", the script asks Keras
(through the keras-oracle runner's `batch` sub-command, sample.py in --oracle-dir / $KERAS_ORACLE_RUNNER_DIR) for the
tensors of seeds first, first+1, ... of the case, keeps a prefix of the concatenated values (see
VALUES_PER_CASE) and writes them as a 1-D .npy file, together with manifest.json (provenance,
per-case config, shape, dtype, seeds, the parameters Keras derived, file name and sha256).

The tree is rewritten atomically: everything is written to a temporary sibling folder that is
renamed into place at the end, so an interrupted run leaves the old data intact. The script refuses
to write into a folder produced by another Keras version, backend or source commit unless
--allow-mixed is given, and prints what changed against the previous data.

Manifest format: reference-data/README.md.
"""
import argparse
import glob
import hashlib
import json
import math
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _oracle  # noqa: E402

SCHEMA = "weightinit-reference-manifest/1"
VALUES_PER_CASE = 2 ** 15        # values stored per random case (two-sample KS at ~3e4 per side)
VALUES_PER_TINY_CASE = 2 ** 13   # cases with fewer than 16 elements per tensor (one Keras call per tensor)
TINY = 16
VS_CLASSES = {"GlorotNormal", "GlorotUniform", "HeNormal", "HeUniform", "LecunNormal", "LecunUniform", "VarianceScaling"}


def load_catalog(root):
    cases = []
    for path in sorted(glob.glob(os.path.join(root, "conformance", "cases", "*.json"))):
        with open(path) as f:
            doc = json.load(f)
        for c in doc["cases"]:
            c = dict(c)
            c["_file"] = os.path.relpath(path, root)
            cases.append(c)
    ids = [c["id"] for c in cases]
    dup = {i for i in ids if ids.count(i) > 1}
    if dup:
        sys.exit(f"duplicate case ids in the catalog: {sorted(dup)}")
    return cases


def plan(case):
    """How many tensors to draw and how many values to keep."""
    size = math.prod(case["shape"])
    if case["seeds"] is None:                       # deterministic: one tensor, no seed
        return None, 1, min(size, VALUES_PER_CASE)
    if size == 0:
        return case["seeds"]["first"], 1, 0
    target = VALUES_PER_CASE if size >= TINY else VALUES_PER_TINY_CASE
    count = math.ceil(target / size)
    return case["seeds"]["first"], count, target


def derive(runner, keras_mod, case, result, values):
    """The parameters Keras used, from the calls it made into its backend (recorded by the runner)."""
    out = result["outputs"][0]
    calls = out.get("backend_calls", [])
    cls = result["class_name"]
    d = {"class_name": cls}
    if cls in VS_CLASSES:
        cfg = result["get_config"]
        fi, fo = runner._compute_fans_fn()(tuple(case["shape"]), input_axes=cfg.get("input_axes"),
                                           output_axes=cfg.get("output_axes"))
        d["fan_in"], d["fan_out"] = fi, fo
    if cls == "Orthogonal":
        d["distribution"] = "orthogonal"
        d["gain"] = result["get_config"]["gain"]
        d["rows"] = math.prod(case["shape"][:-1])
        d["cols"] = case["shape"][-1]
        d["qr_matrix_shape"] = calls[0]["shape"] if calls else None
    elif calls:
        c = calls[0]
        d["distribution"] = c["fn"]
        if c["fn"] in ("normal", "truncated_normal"):
            d["mean"] = c.get("mean", 0.0)
            d["stddev"] = c.get("stddev", 1.0)
            if c["fn"] == "truncated_normal":   # numpy backend bounds, keras/src/backend/numpy/random.py:50-51
                d["lower"] = d["mean"] - 2 * d["stddev"]
                d["upper"] = d["mean"] + 2 * d["stddev"]
        else:
            d["minval"] = c.get("minval", 0.0)
            d["maxval"] = c.get("maxval", 1.0)
            if d["minval"] == -d["maxval"]:
                d["limit"] = d["maxval"]
    elif cls == "Identity":
        d["distribution"] = "identity"
        d["rows"], d["cols"] = case["shape"]
        d["gain"] = float(values[0]) if len(values) else None   # output[0, 0]
    else:
        d["distribution"] = "constant"
        d["value"] = float(values[0]) if len(values) else None
    return d


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def generate_case(runner, np, keras_mod, case, workdir):
    first, count, keep = plan(case)
    batch = []
    for j in range(count):
        b = {"id": f"t{j:06d}", "init": case["initializer"], "config": case["config"],
             "shape": case["shape"], "dtype": case["dtype"]}
        if first is not None:
            b["seed"] = first + j
        batch.append(b)
    tdir = tempfile.mkdtemp(prefix="batch-", dir=workdir)
    cases_json = os.path.join(tdir, "cases.json")
    with open(cases_json, "w") as f:
        json.dump(batch, f)
    outdir = os.path.join(tdir, "out")
    summary = runner.cmd_batch(argparse.Namespace(cases=cases_json, outdir=outdir, raw_too=False))
    with open(summary["manifest"]) as f:
        bm = json.load(f)
    if summary["n_errors"]:
        bad = next(r for r in bm["results"] if "construct_error" in r or any("error" in o for o in r.get("outputs", [])))
        raise SystemExit(f"Keras failed on case {case['id']}: {json.dumps(bad)[:800]}")
    parts, out_shapes, out_dtypes = [], set(), set()
    for r in bm["results"]:
        o = r["outputs"][0]
        arr = np.load(o["files"]["npy"])
        out_dtypes.add(arr.dtype.name)
        out_shapes.add(tuple(arr.shape))
        parts.append(arr.reshape(-1))
    if len(out_dtypes) != 1:
        raise SystemExit(f"case {case['id']}: Keras returned mixed dtypes {sorted(out_dtypes)}")
    # Stored in the dtype Keras actually returned. It differs from the requested one for Orthogonal:
    # keras.ops.qr computes in float32 on the numpy backend, so Orthogonal(dtype="float64") gives float32.
    keras_dtype = out_dtypes.pop()
    values = np.ascontiguousarray(np.concatenate(parts)[:keep])
    first_result = bm["results"][0]
    entry = {
        "id": case["id"],
        "catalog_file": case["_file"],
        "initializer": case["initializer"],
        "config": case["config"],
        "shape": case["shape"],
        "dtype": case["dtype"],
        "keras_output_dtype": keras_dtype,
        "seeds": None if first is None else {"first": first, "count": count},
        "values": int(values.size),
        "keras_output_shape": list(next(iter(out_shapes))),
        "keras_serialized": json.dumps(first_result["serialized"]),
        "derived": derive(runner, keras_mod, case, first_result, values),
    }
    shutil.rmtree(tdir, ignore_errors=True)
    return entry, values


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--filter", help="regenerate only cases whose id contains this text (others are kept)")
    ap.add_argument("--allow-mixed", action="store_true",
                    help="write over data produced by another Keras version/backend/commit")
    ap.add_argument("--dry-run", action="store_true", help="generate into a temp folder, report, keep the old data")
    ap.add_argument("--oracle-dir", default=None, help="folder holding sample.py (default ../shared/keras-oracle)")
    ap.add_argument("--root", default=_oracle.REPO_ROOT)
    args = ap.parse_args()

    cases = [c for c in load_catalog(args.root) if "keras" in c.get("reference", [])]
    runner = _oracle.import_runner(args.oracle_dir)
    import numpy as np
    import keras

    command = "/usr/bin/python3 scripts/oracle/regenerate_keras.py" + "".join(
        f" {a}" for a in sys.argv[1:])
    prov = _oracle.provenance(runner, command)
    target = os.path.join(args.root, "reference-data", "keras", prov["keras_version"])
    old_manifest = None
    if os.path.exists(os.path.join(target, "manifest.json")):
        with open(os.path.join(target, "manifest.json")) as f:
            old_manifest = json.load(f)
        mine = (prov["keras_version"], prov["backend"], prov["keras_commit"], prov["numpy_version"])
        theirs = (old_manifest.get("framework_version"), old_manifest.get("backend"),
                  old_manifest.get("source_commit"), old_manifest.get("numpy_version"))
        if mine != theirs and not args.allow_mixed:
            sys.exit(f"{target} holds data from keras {theirs[0]} / {theirs[1]} / commit {theirs[2]} / numpy {theirs[3]}; "
                     f"this oracle is {mine[0]} / {mine[1]} / {mine[2]} / numpy {mine[3]}. Use --allow-mixed to overwrite.")

    parent = os.path.dirname(target)
    os.makedirs(parent, exist_ok=True)
    # a sibling of the target, so the final rename is atomic (same file system); dry runs write to /tmp
    tmp = tempfile.mkdtemp(prefix=f".{os.path.basename(target)}.tmp-", dir=None if args.dry_run else parent)
    work = tempfile.mkdtemp(prefix="keras-regen-")
    old_by_id = {c["id"]: c for c in (old_manifest or {}).get("cases", [])}
    entries = []
    try:
        for case in cases:
            if args.filter and args.filter not in case["id"]:
                if case["id"] in old_by_id:        # keep the previous data for this case
                    e = old_by_id[case["id"]]
                    shutil.copy2(os.path.join(target, e["file"]), os.path.join(tmp, e["file"]))
                    entries.append(e)
                continue
            entry, values = generate_case(runner, np, keras, case, work)
            fname = case["id"] + ".npy"
            path = os.path.join(tmp, fname)
            np.save(path, values)
            entry["file"] = fname
            entry["bytes"] = os.path.getsize(path)
            entry["sha256"] = sha256(path)
            entries.append(entry)
            print(f"  {case['id']}: {entry['values']} values, {entry['bytes']} bytes", file=sys.stderr)

        manifest = {
            "schema": SCHEMA,
            "framework": "keras",
            "framework_version": prov["keras_version"],
            "backend": prov["backend"],
            "backend_version": prov["backend_version"],
            "numpy_version": prov["numpy_version"],
            "python_version": prov["python_version"],
            "source_repository": "https://github.com/keras-team/keras",
            "source_tag": prov["keras_tag"],
            "source_commit": prov["keras_commit"],
            "generated_utc": prov["generated_utc"],
            "command": command,
            "generator": "scripts/oracle/regenerate_keras.py (runs ../shared/keras-oracle/sample.py batch)",
            "generator_git_commit": prov["generator_git_commit"],
            "sample_policy": {
                "values_per_case": VALUES_PER_CASE,
                "values_per_tiny_case": VALUES_PER_TINY_CASE,
                "tiny_below_elements": TINY,
                "layout": "1-D .npy in the case dtype: the tensors for int seeds first, first+1, ..., first+count-1, "
                          "each flattened in C order, concatenated, first `values` kept. Deterministic cases: "
                          "one unseeded tensor. Zero-size cases: one empty tensor, 0 values.",
            },
            "cases": entries,
        }
        with open(os.path.join(tmp, "manifest.json"), "w") as f:
            json.dump(manifest, f, indent=1)
            f.write("\n")
        report_changes(old_manifest, manifest)
        if args.dry_run:
            print(f"dry run: new data left in {tmp}", file=sys.stderr)
            return
        backup = None
        if os.path.exists(target):
            backup = tempfile.mkdtemp(prefix=f".{os.path.basename(target)}.old-", dir=parent)
            os.rmdir(backup)
            os.rename(target, backup)
        os.rename(tmp, target)
        tmp = None
        if backup:
            shutil.rmtree(backup)
        total = sum(os.path.getsize(os.path.join(target, f)) for f in os.listdir(target))
        print(f"wrote {target}: {len(entries)} cases, {total / 1e6:.2f} MB", file=sys.stderr)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if tmp and not args.dry_run:
            shutil.rmtree(tmp, ignore_errors=True)


def report_changes(old, new):
    old_cases = {c["id"]: c for c in (old or {}).get("cases", [])}
    new_cases = {c["id"]: c for c in new["cases"]}
    added = sorted(set(new_cases) - set(old_cases))
    removed = sorted(set(old_cases) - set(new_cases))
    changed, same = [], 0
    for i in sorted(set(new_cases) & set(old_cases)):
        a, b = old_cases[i], new_cases[i]
        diffs = [k for k in ("sha256", "derived", "config", "shape", "dtype", "seeds", "values") if a.get(k) != b.get(k)]
        if diffs:
            changed.append(f"{i} ({', '.join(diffs)})")
        else:
            same += 1
    print(f"changes against the previous data: {len(added)} added, {len(removed)} removed, "
          f"{len(changed)} changed, {same} unchanged", file=sys.stderr)
    for label, items in (("added", added), ("removed", removed), ("changed", changed)):
        for x in items:
            print(f"  {label}: {x}", file=sys.stderr)


if __name__ == "__main__":
    main()
