namespace WeightInit.Conformance.Regeneration;

/// <summary>
/// The Python side of <see cref="ReferenceRegenerator"/>: a small module loaded into the interpreter embedded by the
/// bridge (<c>WeightInit.Python</c>). It never produces the reference values itself (those come from
/// <c>FrameworkSampler.Sample</c>); it reports what the framework <em>derived</em> for a case, by recording the calls
/// the initializer makes into its random backend (Keras: the initializer module's <c>random</c>; torch:
/// <c>Tensor.normal_</c>/<c>uniform_</c>) and asking the framework's own fan function, plus the provenance of the
/// framework (versions, source commit). Our own code; no framework code is copied.
/// </summary>
internal static class RegenerationPython
{
    public const string ModuleName = "weightinit_regeneration";

    public const string Source = """
import inspect
import json
import math
import os
import sys

VS_CLASSES = {"GlorotNormal", "GlorotUniform", "HeNormal", "HeUniform", "LecunNormal", "LecunUniform", "VarianceScaling"}


def _jsonable(x):
    import numpy as np
    if isinstance(x, dict):
        return {str(k): _jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_jsonable(v) for v in x]
    if isinstance(x, np.ndarray):
        return x.tolist()
    if isinstance(x, np.generic):
        return x.item()
    if isinstance(x, (str, int, float, bool)) or x is None:
        return x
    return repr(x)


# ------------------------------------------------------------------------------------------------ provenance

def provenance(framework):
    import numpy as np
    info = {"numpy_version": np.__version__, "python_version": "%d.%d.%d" % tuple(sys.version_info[:3])}
    if framework == "keras":
        import keras
        info["framework"] = "keras"
        info["framework_version"] = keras.__version__
        backend = keras.backend.backend()
        info["backend"] = backend
        mod = sys.modules.get(backend) if backend != "numpy" else np
        info["backend_version"] = getattr(mod, "__version__", None) or "unknown"
        root = os.path.dirname(os.path.dirname(os.path.abspath(keras.__file__)))
        info["source_location"] = root
        commit_file = os.path.join(root, ".keras-oracle-commit")
        if os.path.isfile(commit_file):
            with open(commit_file) as f:
                parts = f.read().split()
            info["source_tag"] = parts[0] if len(parts) == 2 else None
            info["source_commit"] = parts[-1] if parts else None
        info["source_repository"] = "https://github.com/keras-team/keras"
    elif framework == "torch":
        import torch
        info["framework"] = "pytorch"
        info["framework_version"] = torch.__version__
        info["backend"] = "cpu"
        info["backend_version"] = torch.__version__
        git = getattr(getattr(torch, "version", None), "git_version", None)
        info["source_commit"] = None if git in (None, "", "Unknown") else git
        info["source_tag"] = "v" + torch.__version__.split("+")[0].split("a")[0]
        info["source_repository"] = "https://github.com/pytorch/pytorch"
        info["source_location"] = os.path.dirname(os.path.abspath(torch.__file__))
        info["seeding"] = ("generator" if "generator" in inspect.signature(torch.nn.init.normal_).parameters
                           else "fork_rng+manual_seed")
    else:
        raise ValueError("unknown framework %r" % framework)
    return json.dumps(info)


# ------------------------------------------------------------------------------------------------ keras

class _KerasRecorder:
    NAMES = ("normal", "uniform", "truncated_normal")

    def __init__(self, real):
        self._real = real
        self.calls = []

    def __getattr__(self, name):
        attr = getattr(self._real, name)
        if name not in self.NAMES:
            return attr

        def wrapped(*args, **kwargs):
            rec = {"fn": name}
            if args:
                rec["shape"] = list(args[0])
            if "shape" in kwargs:
                rec["shape"] = list(kwargs["shape"])
            for k in ("mean", "stddev", "minval", "maxval"):
                if k in kwargs:
                    rec[k] = kwargs[k]
            self.calls.append(rec)
            return attr(*args, **kwargs)

        return wrapped


def _keras_compute_fans():
    for name in ("keras.src.initializers.random_initializers", "keras.initializers.random_initializers"):
        try:
            return __import__(name, fromlist=["compute_fans"]).compute_fans
        except (ImportError, AttributeError):
            continue
    raise RuntimeError("could not locate keras compute_fans")


def keras_case(name, config_json, shape, dtype, seed):
    # What Keras derives for one case: the first tensor's initializer is built exactly as the bridge builds it
    # (keras.initializers.get({"class_name", "config"}), seed in the config when the class takes one), called once
    # with its module's `random` replaced by a recorder.
    import keras
    import numpy as np
    shape = tuple(int(d) for d in shape)
    config = json.loads(config_json) if config_json else {}
    if seed is not None:
        probe = keras.initializers.get(name)
        if "seed" in inspect.signature(type(probe).__init__).parameters:
            config["seed"] = int(seed)
    init = keras.initializers.get({"class_name": name, "config": config})
    mod = sys.modules[type(init).__module__]
    real = getattr(mod, "random", None)
    rec = _KerasRecorder(real if real is not None else object())
    if real is not None:
        mod.random = rec
    try:
        value = init(shape, dtype=dtype)
    finally:
        if real is not None:
            mod.random = real
    arr = np.asarray(keras.ops.convert_to_numpy(value))
    cls = type(init).__name__
    cfg = _jsonable(init.get_config())
    calls = _jsonable(rec.calls)
    flat = arr.reshape(-1)
    d = {"class_name": cls}
    if cls in VS_CLASSES:
        fi, fo = _keras_compute_fans()(shape, input_axes=cfg.get("input_axes"), output_axes=cfg.get("output_axes"))
        d["fan_in"], d["fan_out"] = fi, fo
    if cls == "Orthogonal":
        d["distribution"] = "orthogonal"
        d["gain"] = cfg["gain"]
        d["rows"] = math.prod(shape[:-1])
        d["cols"] = shape[-1]
        d["qr_matrix_shape"] = calls[0]["shape"] if calls else None
    elif calls:
        c = calls[0]
        d["distribution"] = c["fn"]
        if c["fn"] in ("normal", "truncated_normal"):
            d["mean"] = c.get("mean", 0.0)
            d["stddev"] = c.get("stddev", 1.0)
            if c["fn"] == "truncated_normal":   # the numpy backend's bounds: mean -+ 2 stddev
                d["lower"] = d["mean"] - 2 * d["stddev"]
                d["upper"] = d["mean"] + 2 * d["stddev"]
        else:
            d["minval"] = c.get("minval", 0.0)
            d["maxval"] = c.get("maxval", 1.0)
            if d["minval"] == -d["maxval"]:
                d["limit"] = d["maxval"]
    elif cls == "Identity":
        d["distribution"] = "identity"
        d["rows"], d["cols"] = shape
        d["gain"] = float(flat[0]) if flat.size else None
    else:
        d["distribution"] = "constant"
        d["value"] = float(flat[0]) if flat.size else None
    return json.dumps({
        "derived": d,
        "serialized": json.dumps(_jsonable(keras.initializers.serialize(init))),
        "output_dtype": arr.dtype.name,
        "output_shape": list(arr.shape),
    })


# ------------------------------------------------------------------------------------------------ torch

_FAN_FUNCTIONS = ("xavier_uniform_", "xavier_normal_", "kaiming_uniform_", "kaiming_normal_")


def _torch_call_text(fn_name, bound):
    args = ", ".join("%s=%r" % (k, v) for k, v in bound.items())
    return "torch.nn.init.%s(tensor%s)" % (fn_name, (", " + args) if args else "")


def torch_case(fn_name, config_json, shape, dtype, seed, catalog_name):
    # What torch derives for one case: torch.nn.init.FN is called once (seeded like the bridge) with
    # Tensor.normal_/uniform_ wrapped to record the arguments torch hands its generator; fans come from
    # torch.nn.init._calculate_fan_in_and_fan_out. catalog_name 'default_linear_' also checks that nn.Linear /
    # nn.ConvNd's own reset_parameters gives the same weight for the same seed.
    import numpy as np
    import torch
    shape = tuple(int(d) for d in shape)
    kwargs = json.loads(config_json) if config_json else {}
    fn = getattr(torch.nn.init, fn_name)
    sig = inspect.signature(fn)
    bound = sig.bind(None, **kwargs)
    bound.apply_defaults()
    params = {k: v for k, v in bound.arguments.items() if k not in ("tensor", "generator")}
    calls = []
    patched = {}
    for m in ("normal_", "uniform_"):
        original = getattr(torch.Tensor, m)

        def make(original, m):
            def wrapped(self, *a, **k):
                calls.append({"fn": m, "shape": list(self.shape), "args": [float(x) for x in a],
                              "kwargs": {kk: float(vv) for kk, vv in k.items() if isinstance(vv, (int, float))}})
                return original(self, *a, **k)
            return wrapped

        patched[m] = (m in torch.Tensor.__dict__, torch.Tensor.__dict__.get(m))
        setattr(torch.Tensor, m, make(original, m))
    tensor = torch.empty(shape, dtype=getattr(torch, dtype))
    try:
        with torch.no_grad(), torch.random.fork_rng(devices=[]):
            torch.manual_seed(0 if seed is None else int(seed))
            fn(tensor, **kwargs)
    finally:
        for m, (own, value) in patched.items():
            if own:
                setattr(torch.Tensor, m, value)
            else:
                delattr(torch.Tensor, m)
    arr = tensor.detach().cpu().numpy()
    flat = arr.reshape(-1)
    d = {"class_name": catalog_name}
    if fn_name in _FAN_FUNCTIONS:
        fi, fo = torch.nn.init._calculate_fan_in_and_fan_out(tensor)
        d["fan_in"], d["fan_out"] = int(fi), int(fo)

    def arg(call, i, key, default):
        if len(call["args"]) > i:
            return call["args"][i]
        return call["kwargs"].get(key, default)

    if fn_name == "trunc_normal_":
        d["distribution"] = "truncated_normal"
        d["mean"] = float(params["mean"])
        d["stddev"] = float(params["std"])
        d["lower"] = float(params["a"])
        d["upper"] = float(params["b"])
    elif fn_name == "orthogonal_":
        d["distribution"] = "orthogonal"
        d["gain"] = float(params["gain"])
        d["rows"] = shape[0]
        d["cols"] = math.prod(shape) // shape[0] if shape[0] else 0
        d["qr_matrix_shape"] = calls[0]["shape"] if calls else None
    elif fn_name == "eye_":
        d["distribution"] = "identity"
        d["rows"], d["cols"] = shape
        d["gain"] = float(flat[0]) if flat.size else None
    elif fn_name == "dirac_":
        d["distribution"] = "dirac"
    elif fn_name in ("constant_", "ones_", "zeros_"):
        d["distribution"] = "constant"
        d["value"] = float(flat[0]) if flat.size else None
    elif calls:
        c = calls[0]
        if c["fn"] == "normal_":
            d["distribution"] = "normal"
            d["mean"] = arg(c, 0, "mean", 0.0)
            d["stddev"] = arg(c, 1, "std", 1.0)
        else:
            d["distribution"] = "uniform"
            d["minval"] = arg(c, 0, "from", 0.0)
            d["maxval"] = arg(c, 1, "to", 1.0)
            if d["minval"] == -d["maxval"]:
                d["limit"] = d["maxval"]
    else:
        raise RuntimeError("torch.nn.init.%s made no call into the generator" % fn_name)
    serialized = _torch_call_text(fn_name, params)
    if catalog_name == "default_linear_":
        serialized = "nn.Linear/nn.ConvNd reset_parameters: " + serialized
        nd = len(shape)
        with torch.no_grad(), torch.random.fork_rng(devices=[]):
            torch.manual_seed(0 if seed is None else int(seed))
            if nd == 2:
                module = torch.nn.Linear(shape[1], shape[0], bias=False, dtype=getattr(torch, dtype))
            elif nd in (3, 4, 5):
                conv = {3: torch.nn.Conv1d, 4: torch.nn.Conv2d, 5: torch.nn.Conv3d}[nd]
                module = conv(shape[1], shape[0], tuple(shape[2:]), bias=False, dtype=getattr(torch, dtype))
            else:
                raise ValueError("default_linear_ needs a 2-5-D shape")
        if not np.array_equal(module.weight.detach().numpy(), arr):
            raise RuntimeError("%s weight differs from %s for seed %s" % (type(module).__name__, serialized, seed))
        serialized += " (checked equal to %s(...).weight for the first seed)" % type(module).__name__
    return json.dumps({
        "derived": d,
        "serialized": serialized,
        "output_dtype": arr.dtype.name,
        "output_shape": list(arr.shape),
    })
""";
}
