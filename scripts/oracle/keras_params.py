#!/usr/bin/python3
"""Derived parameters, serialize() JSON and error messages of REAL Keras, as a test fixture.

Usage (a Python with numpy; Keras found as the harness finds it, see src/WeightInit.Python/README.md):

    export HARNESS_KERAS_PATH=/path/to/keras-checkout[:/path/to/its/deps]   # or: pip install keras
    PYTHONHASHSEED=0 python3 scripts/oracle/keras_params.py \
        --out conformance/reference/keras-3.15.1-params.json

Every number in the output is observed from Keras, nothing is re-derived here:

* stddev / mean / minval / maxval are the arguments Keras passes to its backend random
  functions, recorded while the initializer module's `random` is swapped for a recorder;
* fan_in / fan_out come from Keras' own `compute_fans(shape, input_axes, output_axes)`;
* lower / upper of a truncated normal are the bounds the numpy backend uses
  (`mean - 2 * stddev`, `mean + 2 * stddev`, keras/src/backend/numpy/random.py:50-51),
  evaluated on the recorded mean and stddev;
* constant / identity values are read from the tensor Keras returns (float64);
* `serialized_json` is `json.dumps(keras.initializers.serialize(init))` (default separators);
* errors are the type and str() of the exception Keras raises.

The recording and the mapping from recorded calls to parameters are
src/WeightInit.Conformance/Regeneration/framework_calls.py, the module `harness regenerate` embeds;
this script only chooses the grid and writes the fixture.
"""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _oracle  # noqa: E402

FORMAT = "weightinit-keras-params/1"

# shapes for the grid: ranks 0-5, conv1d/2d/3d kernels, tiny and zero-size, non-integer fan_avg
GRID_SHAPES = [
    [], [7], [1, 1], [3, 4], [5, 3], [0, 5], [4, 0], [64, 32],
    [3, 4, 5], [3, 64, 128], [3, 3, 64, 128], [2, 3, 4, 5], [5, 5, 5, 8, 16], [2, 2, 3, 4, 5],
]
SMALL_SHAPES = [[], [7], [1, 1], [3, 4], [0, 5], [4, 0], [3, 4, 5], [3, 3, 64, 128], [5, 5, 5, 8, 16]]

SEED = 1234

# (keras name, config without seed, shapes, why). Seeds are added for random initializers.
BUILTINS = [
    ("GlorotNormal", {}), ("GlorotUniform", {}), ("HeNormal", {}), ("HeUniform", {}),
    ("LecunNormal", {}), ("LecunUniform", {}), ("VarianceScaling", {}),
    ("RandomNormal", {}), ("RandomUniform", {}), ("TruncatedNormal", {}),
    ("Orthogonal", {}), ("Identity", {}), ("Zeros", {}), ("Ones", {}),
    # Keras 3.15.1's Constant.from_config reads config["value"] unconditionally, so get("constant")
    # and get({"class_name": "Constant", "config": {}}) raise KeyError; the default is spelled out.
    ("Constant", {"value": 0.0}),
]

VS_CUSTOM = [
    # every mode x distribution, several scales (ints kept as ints: Keras serializes them as written)
    {"scale": 0.1, "mode": "fan_in", "distribution": "truncated_normal"},
    {"scale": 0.3, "mode": "fan_out", "distribution": "truncated_normal"},
    {"scale": 2, "mode": "fan_avg", "distribution": "truncated_normal"},
    {"scale": 7.5, "mode": "fan_in", "distribution": "untruncated_normal"},
    {"scale": 0.1, "mode": "fan_out", "distribution": "untruncated_normal"},
    {"scale": 0.3, "mode": "fan_avg", "distribution": "untruncated_normal"},
    {"scale": 2.0, "mode": "fan_in", "distribution": "uniform"},
    {"scale": 7.5, "mode": "fan_out", "distribution": "uniform"},
    {"scale": 0.1, "mode": "fan_avg", "distribution": "uniform"},
    # "normal" means truncated_normal; distribution is case-insensitive
    {"scale": 0.3, "mode": "fan_in", "distribution": "normal"},
    {"scale": 2.0, "mode": "fan_out", "distribution": "Normal"},
    {"scale": 7.5, "mode": "fan_avg", "distribution": "NORMAL"},
    {"scale": 1.0, "mode": "fan_in", "distribution": "Uniform"},
    {"scale": 2.5, "mode": "fan_out", "distribution": "UNTRUNCATED_NORMAL"},
    {"scale": 0.5, "mode": "fan_avg", "distribution": "Truncated_Normal"},
    # float formatting of the config (repr exponent forms) and an int scale with uniform
    {"scale": 1e-05, "mode": "fan_in", "distribution": "uniform"},
    {"scale": 3, "mode": "fan_avg", "distribution": "uniform"},
    {"scale": 12345.678, "mode": "fan_out", "distribution": "untruncated_normal"},
]

AXES_SHAPES = [[32, 4, 16], [3, 4, 5], [2, 3, 4, 5], [5, 5, 5, 8, 16]]
AXES_CUSTOM = [
    ("VarianceScaling", {"scale": 2.0, "mode": "fan_in", "distribution": "truncated_normal",
                         "input_axes": [0], "output_axes": [1, 2]}),
    ("VarianceScaling", {"scale": 1.0, "mode": "fan_avg", "distribution": "uniform",
                         "input_axes": [0, 1], "output_axes": [-1]}),
    ("VarianceScaling", {"scale": 0.5, "mode": "fan_out", "distribution": "untruncated_normal",
                         "input_axes": [-3], "output_axes": [-2, -1]}),
    # only one list given: Keras ignores the axes and uses the rank rules
    ("VarianceScaling", {"scale": 1.0, "mode": "fan_in", "distribution": "truncated_normal",
                         "input_axes": [0], "output_axes": None}),
    ("HeNormal", {"input_axes": [0], "output_axes": [1, 2]}),
    ("GlorotUniform", {"input_axes": [0, 1], "output_axes": [2]}),
    ("LecunUniform", {"input_axes": [], "output_axes": [0]}),
    ("GlorotNormal", {"input_axes": None, "output_axes": [2]}),
]

NON_DEFAULT = [
    ("RandomNormal", {"mean": 0.5, "stddev": 2.0}),
    ("RandomNormal", {"mean": -3, "stddev": 0.25}),
    ("TruncatedNormal", {"mean": 1.5, "stddev": 0.1}),
    ("TruncatedNormal", {"mean": -0.25, "stddev": 3.0}),
    ("RandomUniform", {"minval": -0.1, "maxval": 0.3}),
    ("RandomUniform", {"minval": 0.0, "maxval": 1.0}),
    ("RandomUniform", {"minval": 2.5, "maxval": 7.25}),
    ("RandomUniform", {"minval": -1, "maxval": 1}),
    ("Orthogonal", {"gain": 2.0}),
    ("Orthogonal", {"gain": 0.5}),
    ("Orthogonal", {"gain": 3}),
    ("Identity", {"gain": 2.0}),
    ("Identity", {"gain": 0.5}),
    ("Constant", {"value": 0.5}),
    ("Constant", {"value": -3.25}),
    ("Constant", {"value": 3}),
    ("Constant", {"value": 0.001}),
    # seeds: unseeded (serializes as null) and a seed beyond int32
    ("HeUniform", {"seed": None}),
    ("GlorotNormal", {"seed": 2147483651}),
    ("RandomNormal", {"seed": 0}),
]

# snake_case names and aliases used as the lookup name (the class is the same)
NAME_FORMS = [
    ("he_normal", {}), ("glorot_uniform", {}), ("lecun_normal", {}), ("variance_scaling", {}),
    ("normal", {}), ("uniform", {}), ("truncated_normal", {}), ("random_normal", {}),
    ("random_uniform", {}), ("orthogonal", {}), ("OrthogonalInitializer", {}),
    ("identity", {}), ("IdentityInitializer", {}), ("zeros", {}), ("zero", {}),
    ("ones", {}), ("one", {}), ("constant", {"value": 0.0}),
]

# bad inputs: (id, name, config, shape or None, expected C# exception type, why)
ERRORS = [
    ("scale-zero-int", "VarianceScaling", {"scale": 0}, None, "InvalidArgumentValueException", "scale <= 0 (int 0)"),
    ("scale-zero-float", "VarianceScaling", {"scale": 0.0}, None, "InvalidArgumentValueException", "scale <= 0"),
    ("scale-negative", "VarianceScaling", {"scale": -0.5}, None, "InvalidArgumentValueException", "scale < 0"),
    ("scale-negative-int", "VarianceScaling", {"scale": -1}, None, "InvalidArgumentValueException", "scale < 0 (int)"),
    ("mode-uppercase", "VarianceScaling", {"mode": "FAN_IN"}, None, "InvalidArgumentValueException", "mode is case-sensitive"),
    ("mode-mixedcase", "VarianceScaling", {"mode": "Fan_Avg"}, None, "InvalidArgumentValueException", "mode is case-sensitive"),
    ("mode-unknown", "VarianceScaling", {"mode": "fan_sum"}, None, "InvalidArgumentValueException", "unknown mode"),
    ("distribution-unknown", "VarianceScaling", {"distribution": "gaussian"}, None, "InvalidArgumentValueException", "unknown distribution"),
    ("distribution-unknown-mixedcase", "VarianceScaling", {"distribution": "Gaussian"}, None, "InvalidArgumentValueException", "Keras lower-cases the distribution before it reports it"),
    ("distribution-truncated", "VarianceScaling", {"distribution": "truncated"}, None, "InvalidArgumentValueException", "unknown distribution"),
    ("identity-rank0", "Identity", {}, [], "UnsupportedShapeException", "Identity needs rank 2"),
    ("identity-rank1", "Identity", {}, [7], "UnsupportedShapeException", "Identity needs rank 2"),
    ("identity-rank3", "Identity", {"gain": 2.0}, [3, 4, 5], "UnsupportedShapeException", "Identity needs rank 2"),
    ("identity-rank4", "Identity", {}, [3, 3, 64, 128], "UnsupportedShapeException", "Identity needs rank 2"),
    ("identity-rank5", "Identity", {}, [5, 5, 5, 8, 16], "UnsupportedShapeException", "Identity needs rank 2"),
    ("orthogonal-rank0", "Orthogonal", {}, [], "UnsupportedShapeException", "Orthogonal needs rank >= 2"),
    ("orthogonal-rank1", "Orthogonal", {"gain": 2.0}, [7], "UnsupportedShapeException", "Orthogonal needs rank >= 2"),
    ("axes-out-of-range", "VarianceScaling", {"input_axes": [0], "output_axes": [3]}, [3, 4, 5], "InvalidArgumentValueException",
     "axis beyond the rank: Keras fails with a Python IndexError (no Keras message to match)"),
]

# Keras builds parts of some messages from Python sets, whose order depends on the string hash
# seed; the stable part is everything before these markers.
UNSTABLE_MARKERS = ["Please use one of"]

RANDOM_CLASSES = {"GlorotNormal", "GlorotUniform", "HeNormal", "HeUniform", "LecunNormal", "LecunUniform",
                  "VarianceScaling", "RandomNormal", "RandomUniform", "TruncatedNormal", "Orthogonal"}

# The fixture's layout of an Orthogonal row: qr_matrix_shape before rows/cols (keras_derive, shared with
# `harness regenerate`, lists it last); kept so that the committed file stays byte-identical.
ORTHOGONAL_KEYS = ["distribution", "gain", "qr_matrix_shape", "rows", "cols"]


def label(class_name, config):
    parts = []
    for k, v in config.items():
        if (k == "seed" and v == SEED) or (v is None and k != "seed"):
            continue
        if k in ("mode", "distribution"):
            parts.append(str(v))
        else:
            parts.append(f"{k}={json.dumps(v).replace(' ', '')}")
    return class_name + (f"({', '.join(parts)})" if parts else "")


def stable_message(msg):
    for m in UNSTABLE_MARKERS:
        i = msg.find(m)
        if i >= 0:
            return msg[:i].rstrip()
    return msg


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()

    keras = _oracle.import_keras()
    calls_mod = _oracle.framework_calls()
    # unseeded initializers pick random.randint(1, 10**9) at construction; fix Python's RNG so the
    # fixture is byte-for-byte reproducible (the picked seed appears in backend_calls only)
    keras.utils.set_random_seed(0)

    entries = []   # one per (lookup name, config)
    groups = [(n, c, GRID_SHAPES, "built-in, default config") for n, c in BUILTINS]
    groups += [("VarianceScaling", c, GRID_SHAPES, "custom VarianceScaling") for c in VS_CUSTOM]
    groups += [(n, c, AXES_SHAPES, "explicit input_axes/output_axes (Keras >= 3.15)") for n, c in AXES_CUSTOM]
    groups += [(n, c, SMALL_SHAPES, "non-default config") for n, c in NON_DEFAULT]
    groups += [(n, c, [[3, 4]], "lookup by snake_case name or alias") for n, c in NAME_FORMS]

    for name, cfg, shapes, why in groups:
        # Three constructions per config, in this order (an unseeded one draws its seed from Python's RNG each time,
        # and the seed the recorded one drew is part of backend_calls): the class, the recorded instance, the
        # serialized instance.
        cls = type(keras.initializers.get({"class_name": name, "config": dict(cfg)})).__name__
        cfg = dict(cfg)
        if cls in RANDOM_CLASSES:
            cfg.setdefault("seed", SEED)
            cfg = {"seed": cfg.pop("seed"), **cfg}
        try:
            recorded = keras.initializers.get({"class_name": name, "config": dict(cfg)})
        except Exception as e:  # noqa: BLE001
            raise SystemExit(f"{name} {cfg}: Keras refused the config: {type(e).__name__}: {e}")
        init = keras.initializers.get({"class_name": name, "config": dict(cfg)})
        ser = keras.initializers.serialize(init)
        entry = {
            "id": f"{name}:{json.dumps(cfg, sort_keys=True)}",
            "label": label(cls, {k: v for k, v in cfg.items()}),
            "name": name,
            "config": cfg,
            "config_json": json.dumps(cfg),
            "class_name": cls,
            "why": why,
            "serialized_json": json.dumps(ser),
            "params": [],
        }
        for shape in shapes:
            out, calls, error = calls_mod.keras_call(recorded, shape, "float64")
            if error is not None:
                entry["params"].append({"shape": shape, "error": {"type": type(error).__name__, "message": str(error)}})
                continue
            derived = calls_mod.keras_derive(init, shape, calls, out, annotate=True)
            if derived["distribution"] == "orthogonal":
                assert sorted(derived) == sorted(ORTHOGONAL_KEYS), derived
                derived = {k: derived[k] for k in ORTHOGONAL_KEYS}
            entry["params"].append({"shape": shape, "backend_calls": calls, **derived})
        entries.append(entry)

    errors = []
    for eid, name, cfg, shape, cs_type, why in ERRORS:
        rec = {"id": eid, "name": name, "config": cfg, "config_json": json.dumps(cfg), "shape": shape,
               "csharp_exception": cs_type, "why": why}
        try:
            init = keras.initializers.get({"class_name": name, "config": dict(cfg)})
            rec["phase"] = "call"
            init(tuple(shape), dtype="float32")
            rec["keras_error"] = None
        except Exception as e:  # noqa: BLE001
            rec.setdefault("phase", "construct")
            rec["keras_error"] = {"type": type(e).__name__, "message": str(e)}
            rec["keras_message_stable"] = stable_message(str(e))
            rec["keras_message_is_keras_text"] = type(e).__name__ == "ValueError"
        errors.append(rec)

    all_names = calls_mod.keras_initializer_names()
    aliases = []
    for n in all_names:
        a = {"name": n}
        try:
            a["class_name"] = type(keras.initializers.get(n)).__name__
        except Exception as e:  # noqa: BLE001  (e.g. get("constant"): KeyError 'value' in 3.15.1)
            a["keras_get_error"] = {"type": type(e).__name__, "message": str(e)}
            from keras.src.initializers import ALL_OBJECTS_DICT
            a["class_name"] = ALL_OBJECTS_DICT[n].__name__
        aliases.append(a)

    prov = _oracle.provenance("PYTHONHASHSEED=0 python3 scripts/oracle/keras_params.py --out " + args.out)
    prov["pythonhashseed"] = os.environ.get("PYTHONHASHSEED")
    doc = {
        "format": FORMAT,
        "provenance": prov,
        "description": __doc__.strip().splitlines()[0],
        "not_in_library": {
            "Initializer": "abstract base class, not a scheme",
            "STFT": "Keras' STFT kernel initializer (signal-processing windows) is outside this library's catalogue (issue 2)",
        },
        "aliases": aliases,
        "initializers": entries,
        "errors": errors,
    }
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    tmp = args.out + ".tmp"
    with open(tmp, "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    os.replace(tmp, args.out)
    n_rows = sum(len(e["params"]) for e in entries)
    print(f"wrote {args.out}: {len(entries)} initializer configs, {n_rows} shape rows, {len(errors)} error cases, "
          f"{len(aliases)} names", file=sys.stderr)


if __name__ == "__main__":
    main()
