#!/usr/bin/python3
"""Writes conformance/golden/keras-numpy-3.15.1.json: the frameworks' own values that the gate's
"bit-exact vs Keras" check compares the keras-numpy and numpy-legacy streams with.

* keras_reference: per Keras reference case, the sha256 of the committed values (taken from
  reference-data/keras/3.15.1, which real Keras produced) and the first 8 values, for a quick look;
* orthogonal_normal_matrices: for each Orthogonal case, the normal matrix Keras factorizes,
  keras.random.normal((max(r, c), min(r, c)), seed=<first seed>, dtype="float32") from a live Keras run;
* numpy_article: np.random.seed(s); np.random.randn(rows, cols) * np.sqrt(1 / rows) (Xavier) or
  * np.sqrt(2 / (rows + cols)) (Glorot), from a live numpy run (legacy RandomState);
* numpy_article_cases: the same for every NumpyArticle case of conformance/cases/variants.json, over all of the
  case's seeds (first, first+1, ...), each tensor flattened, concatenated, first n values, cast to the case dtype.

Usage (Keras 3.15.1 source on its numpy backend, e.g. the keras-oracle checkout):
  HARNESS_KERAS_PATH=<keras source root> /usr/bin/python3 scripts/oracle/golden_keras_numpy.py
The output is written to a temporary name and renamed.
"""
import hashlib
import json
import math
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "numpy")
ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
REF = os.path.join(ROOT, "reference-data", "keras", "3.15.1")
OUT = os.path.join(ROOT, "conformance", "golden", "keras-numpy-3.15.1.json")
ARTICLE = [("NumpyArticleXavier", [64, 32], 3), ("NumpyArticleXavier", [1, 1], 0), ("NumpyArticleXavier", [5, 300], 4294967295),
           ("NumpyArticleGlorot", [10, 20], 1), ("NumpyArticleGlorot", [128, 64], 20261201), ("NumpyArticleGlorot", [3, 0], 7)]


def sha(a, dt):
    import numpy as np
    return hashlib.sha256(np.ascontiguousarray(a, dtype=dt).tobytes()).hexdigest()


def main():
    keras_path = os.environ.get("HARNESS_KERAS_PATH")
    if not keras_path:
        sys.exit("set HARNESS_KERAS_PATH to the Keras source root (the folder holding keras/)")
    sys.path.insert(0, keras_path)
    shims = os.path.join(os.path.dirname(keras_path.rstrip("/")), "shims")
    if os.path.isdir(shims):
        sys.path.insert(0, shims)
    import numpy as np
    import keras
    if keras.__version__ != "3.15.1" or keras.backend.backend() != "numpy":
        sys.exit(f"need Keras 3.15.1 on the numpy backend, got {keras.__version__} on {keras.backend.backend()}")
    manifest = json.load(open(os.path.join(REF, "manifest.json")))
    out = {
        "schema": "weightinit-golden-frameworks/1",
        "description": "Keras' and numpy's own values for the bit-exact checks (conformance/WeightInit.Conformance.Gate/BitExactKerasTests.cs).",
        "provenance": {
            "keras_version": keras.__version__, "keras_backend": keras.backend.backend(), "numpy_version": np.__version__,
            "python_version": sys.version.split()[0], "reference_data": "reference-data/keras/3.15.1 (source_commit %s)" % manifest["source_commit"],
            "command": "/usr/bin/python3 scripts/oracle/golden_keras_numpy.py",
        },
        "keras_reference": {}, "orthogonal_normal_matrices": {}, "numpy_article": [],
    }
    for i, c in enumerate(manifest["cases"]):
        print(f"[{i + 1}/{len(manifest['cases'])}] {c['id']}", file=sys.stderr)
        a = np.load(os.path.join(REF, c["file"]))
        out["keras_reference"][c["id"]] = {"file": c["file"], "dtype": str(a.dtype), "values": int(a.size),
                                           "sha256_le": sha(a, a.dtype.newbyteorder("<")), "head": [repr(float(v)) for v in a[:8]]}
        if c["initializer"] == "Orthogonal" and c["values"] > 0:
            shape = c["shape"]
            rows = math.prod(shape[:-1]); cols = shape[-1]
            flat = (max(rows, cols), min(rows, cols))
            seed = c["seeds"]["first"]
            m = np.asarray(keras.random.normal(flat, seed=seed, dtype="float32"))
            out["orthogonal_normal_matrices"][c["id"]] = {
                "call": f"keras.random.normal({flat}, seed={seed}, dtype='float32')", "seed": seed, "rows": flat[0], "cols": flat[1],
                "sha256_float32_le": sha(m, "<f4"), "float32_le_hex_head": np.ascontiguousarray(m.ravel()[:16], "<f4").tobytes().hex().upper()}
    for name, shape, seed in ARTICLE:
        np.random.seed(seed)
        r, c = shape
        w = np.random.randn(r, c) * (np.sqrt(1 / r) if name == "NumpyArticleXavier" else np.sqrt(2 / (r + c)))
        out["numpy_article"].append({"class_name": name, "shape": shape, "seed": seed,
                                     "call": f"np.random.seed({seed}); np.random.randn({r}, {c}) * " + ("np.sqrt(1 / rows)" if name == "NumpyArticleXavier" else "np.sqrt(2 / (rows + cols))"),
                                     "sha256_float64_le": sha(w, "<f8"), "head": [repr(float(v)) for v in w.ravel()[:8]]})
    variants = json.load(open(os.path.join(ROOT, "conformance", "cases", "variants.json")))
    out["numpy_article_cases"] = {}
    for c in (variants["cases"] if isinstance(variants, dict) else variants):
        if c["initializer"] not in ("NumpyArticleXavier", "NumpyArticleGlorot"):
            continue
        r, k = c["shape"]
        parts, total = [], 0
        for seed in range(c["seeds"]["first"], c["seeds"]["first"] + c["seeds"]["count"]):
            if total >= c["n"]:
                break
            np.random.seed(seed)
            w = np.random.randn(r, k) * (np.sqrt(1 / r) if c["initializer"] == "NumpyArticleXavier" else np.sqrt(2 / (r + k)))
            parts.append(w.ravel()); total += w.size
        v = np.concatenate(parts)[:c["n"]].astype(c["dtype"])
        le = "<f4" if c["dtype"] == "float32" else "<f8"
        out["numpy_article_cases"][c["id"]] = {"class_name": c["initializer"], "shape": c["shape"], "dtype": c["dtype"], "seeds": c["seeds"],
                                               "values": int(v.size), "sha256_le": sha(v, le), "head": [repr(float(x)) for x in v[:8]]}
        print(f"numpy article case {c['id']}: {v.size} values", file=sys.stderr)
    tmp = OUT + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
        json.dump(out, fh, indent=1)
        fh.write("\n")
    os.replace(tmp, OUT)
    print(f"wrote {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
