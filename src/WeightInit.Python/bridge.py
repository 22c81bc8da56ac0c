"""WeightInit.Python bridge: runs inside the interpreter embedded by pythonnet.

Every entry point returns plain Python values or a C-contiguous numpy array of the requested dtype; the C#
side copies arrays in bulk through the buffer protocol. A framework that does not import raises
FrameworkMissing (framework, error, hint), which C# turns into FrameworkImportException.
"""
import importlib
import inspect
import json
import os
import sys

HINTS = {
    "numpy": "Install it: Debian `apt-get install python3-numpy` (or scripts/setup-python.sh); elsewhere `pip install numpy`.",
    "scipy": "Install it: Debian `apt-get install python3-scipy` (or scripts/setup-python.sh); elsewhere `pip install scipy`.",
    "torch": "Install it: Debian `apt-get install python3-torch` (or scripts/setup-python.sh); elsewhere `pip install torch`.",
    "keras": ("Install it in the selected Python (`pip install keras` plus a backend such as jax, tensorflow or torch; "
              "set KERAS_BACKEND), or point HARNESS_KERAS_PATH at a Keras source checkout, followed (`%s`-separated) "
              "by folders that provide its missing dependencies; a checkout runs on the numpy backend unless "
              "KERAS_BACKEND names another." % os.pathsep),
}


class FrameworkMissing(Exception):
    def __init__(self, framework, error):
        self.framework = framework
        self.error = error
        self.hint = HINTS.get(framework, "pip install " + framework)
        super().__init__("%s does not import: %s. %s" % (framework, error, self.hint))


def _describe(e):
    return "%s: %s" % (type(e).__name__, e)


def _import(name):
    try:
        return importlib.import_module(name)
    except Exception as e:  # ImportError, but also a broken install raising anything at import time
        raise FrameworkMissing(name.split(".")[0], _describe(e)) from e


# ---------------------------------------------------------------------------------------------------- keras

_keras = None
_keras_source = None
_keras_found = None
_keras_error = None


def _split_paths(var):
    return [os.path.abspath(p) for p in os.environ.get(var, "").split(os.pathsep) if p]


def _import_keras():
    """Imports Keras once, found in one of two ways:

    * HARNESS_KERAS_PATH (a source checkout, then folders with its missing dependencies, `os.pathsep`-separated):
      prepended to sys.path; KERAS_BACKEND defaults to numpy, the one backend a checkout runs on with numpy alone;
    * otherwise the keras the interpreter finds on its own sys.path (`pip install keras`), with the user's
      KERAS_BACKEND."""
    global _keras, _keras_source, _keras_found, _keras_error
    if _keras is not None:
        return _keras
    if _keras_error is not None:
        raise FrameworkMissing("keras", _keras_error)
    import importlib.util
    extra = _split_paths("HARNESS_KERAS_PATH")
    if extra:
        if not any(os.path.isfile(os.path.join(p, "keras", "__init__.py")) for p in extra):
            _keras_error = ("HARNESS_KERAS_PATH=%s: none of its folders holds a keras package (keras/__init__.py); "
                            "it must name the root of a Keras source checkout" % os.environ.get("HARNESS_KERAS_PATH"))
            raise FrameworkMissing("keras", _keras_error)
        for p in reversed(extra):
            if p not in sys.path:
                sys.path.insert(0, p)
        os.environ.setdefault("KERAS_BACKEND", "numpy")
    elif "keras" not in sys.modules and importlib.util.find_spec("keras") is None:
        _keras_error = ("ModuleNotFoundError: No module named 'keras' (HARNESS_KERAS_PATH is unset and the Python's "
                        "sys.path has no keras)")
        raise FrameworkMissing("keras", _keras_error)
    try:
        import keras
    except Exception as e:
        _keras_error = _describe(e)
        if "KERAS_BACKEND" not in os.environ and "tensorflow" in _keras_error:
            _keras_error += " (KERAS_BACKEND is unset, so Keras tried its default backend, tensorflow; set KERAS_BACKEND=jax, torch or numpy)"
        if extra and isinstance(e, ImportError):
            _keras_error += " (a source checkout needs Keras' dependencies: add folders providing them to HARNESS_KERAS_PATH)"
        raise FrameworkMissing("keras", _keras_error) from e
    _keras = keras
    root = os.path.dirname(os.path.dirname(os.path.abspath(keras.__file__)))
    in_path = any(root == p or os.path.realpath(root) == os.path.realpath(p) for p in extra)
    _keras_found = "HARNESS_KERAS_PATH" if in_path else "installed"
    _keras_source = root + (" (source checkout through HARNESS_KERAS_PATH)" if in_path else " (installed in the Python)")
    return keras


_BACKEND_MODULES = {"numpy": "numpy", "tensorflow": "tensorflow", "jax": "jax", "torch": "torch", "openvino": "openvino"}


def _keras_backend(keras):
    name = keras.backend.backend()
    version = None
    mod = _BACKEND_MODULES.get(name)
    if mod:
        try:
            version = getattr(sys.modules.get(mod) or importlib.import_module(mod), "__version__", None)
        except Exception:
            version = None
    return name, version


def sample_keras(name, config_json, shape, seed, dtype):
    """keras.initializers.get({"class_name": NAME, "config": CONFIG (+ seed)})(shape, dtype=dtype).

    NAME is any Keras identifier (he_normal, HeNormal, VarianceScaling, ...). An integer seed becomes the
    config's `seed` for initializers that take one (Zeros, Ones, Constant, Identity take none and ignore it).
    seed None leaves Keras unseeded."""
    keras = _import_keras()
    np = _import("numpy")
    config = json.loads(config_json) if config_json else {}
    if not isinstance(config, dict):
        raise ValueError("Invalid --config %r: expected a JSON object of Keras initializer arguments." % config_json)
    # Build from the config first: get(NAME) alone instantiates with no arguments, which Keras 3.15.1's
    # Constant rejects (KeyError 'value'). Then add the seed if the class takes one.
    initializer = keras.initializers.get({"class_name": name, "config": dict(config)})
    if seed is not None and "seed" in inspect.signature(type(initializer).__init__).parameters:
        config["seed"] = int(seed)
        initializer = keras.initializers.get({"class_name": name, "config": config})
    values = initializer(tuple(shape), dtype=dtype)
    return np.asarray(keras.ops.convert_to_numpy(values), dtype=dtype, order="C")


# ---------------------------------------------------------------------------------------------------- torch

def torch_functions():
    torch = _import("torch")
    init = torch.nn.init
    return sorted(n for n in dir(init) if n.endswith("_") and not n.startswith("_") and callable(getattr(init, n)))


def torch_seeding():
    """'generator' when torch.nn.init functions take generator= (torch >= 2.3), else 'fork_rng+manual_seed'."""
    torch = _import("torch")
    return "generator" if "generator" in inspect.signature(torch.nn.init.normal_).parameters else "fork_rng+manual_seed"


def sample_torch(name, config_json, shape, seed, dtype):
    """torch.nn.init.NAME(torch.empty(shape, dtype=dtype), **CONFIG), seeded with torch.Generator().manual_seed(seed)
    passed as generator= where the function takes it; otherwise (torch < 2.3, e.g. Debian's 1.13) the global CPU
    generator is seeded with torch.manual_seed(seed) inside torch.random.fork_rng(devices=[]), so the caller's
    global RNG state is restored afterwards. Both ways give identical values (same mt19937 CPU generator)."""
    torch = _import("torch")
    np = _import("numpy")
    fn_name = name if name.endswith("_") else name + "_"
    known = torch_functions()
    if fn_name not in known:
        raise ValueError("Unknown torch.nn.init function %r. Known: %s." % (name, ", ".join(known)))
    fn = getattr(torch.nn.init, fn_name)
    kwargs = json.loads(config_json) if config_json else {}
    if not isinstance(kwargs, dict):
        raise ValueError("Invalid --config %r: expected a JSON object of keyword arguments for torch.nn.init.%s." % (config_json, fn_name))
    tensor = torch.empty(tuple(shape), dtype=getattr(torch, dtype))
    with torch.no_grad():
        if seed is None:
            fn(tensor, **kwargs)
        elif "generator" in inspect.signature(fn).parameters:
            g = torch.Generator()
            g.manual_seed(int(seed))
            fn(tensor, generator=g, **kwargs)
        else:
            with torch.random.fork_rng(devices=[]):
                torch.manual_seed(int(seed))
                fn(tensor, **kwargs)
    return np.asarray(tensor.detach().cpu().numpy(), dtype=dtype, order="C")


# ---------------------------------------------------------------------------------------------------- numpy

NUMPY_NAMES = {
    # name: (kind, method, allowed config keys with defaults)
    "generator.standard_normal": ("generator", "standard_normal", {}),
    "generator.random": ("generator", "random", {}),
    "generator.normal": ("generator", "normal", {"loc": 0.0, "scale": 1.0}),
    "generator.uniform": ("generator", "uniform", {"low": 0.0, "high": 1.0}),
    "legacy.randn": ("legacy", "randn", {"scale": 1.0}),
    "legacy.rand": ("legacy", "rand", {"scale": 1.0}),
    "legacy.normal": ("legacy", "normal", {"loc": 0.0, "scale": 1.0}),
    "legacy.uniform": ("legacy", "uniform", {"low": 0.0, "high": 1.0}),
    "article.randn_sqrt_1_over_rows": ("article", "xavier", {}),
    "article.randn_sqrt_2_over_sum": ("article", "glorot", {}),
}
NUMPY_ALIASES = {
    "standard_normal": "generator.standard_normal", "random": "generator.random",
    "normal": "generator.normal", "uniform": "generator.uniform",
    "randn": "legacy.randn", "rand": "legacy.rand",
    "article.xavier": "article.randn_sqrt_1_over_rows", "article.glorot": "article.randn_sqrt_2_over_sum",
}


def numpy_names():
    return sorted(NUMPY_NAMES) + sorted(NUMPY_ALIASES)


def sample_numpy(name, config_json, shape, seed, dtype):
    """See FrameworkSampler's documentation for the names. Generator names use np.random.default_rng(seed);
    legacy/article names use np.random.RandomState(seed), which is exactly the stream np.random.seed(seed)
    gives the global functions (np.random.randn etc.), without touching the process-wide global state."""
    np = _import("numpy")
    key = NUMPY_ALIASES.get(name, name)
    if key not in NUMPY_NAMES:
        raise ValueError("Unknown numpy sampler %r. Known: %s." % (name, ", ".join(numpy_names())))
    kind, method, defaults = NUMPY_NAMES[key]
    config = json.loads(config_json) if config_json else {}
    if not isinstance(config, dict):
        raise ValueError("Invalid --config %r: expected a JSON object." % config_json)
    unknown = sorted(set(config) - set(defaults))
    if unknown:
        raise ValueError("numpy sampler %r does not take %s (it takes: %s)." % (key, ", ".join(unknown), ", ".join(defaults) or "no arguments"))
    args = dict(defaults)
    args.update(config)
    shape = tuple(int(d) for d in shape)
    if kind == "generator":
        rng = np.random.default_rng(None if seed is None else int(seed))
        if method == "standard_normal":
            out = rng.standard_normal(shape, dtype=np.dtype(dtype))
        elif method == "random":
            out = rng.random(shape, dtype=np.dtype(dtype))
        elif method == "normal":
            out = rng.normal(args["loc"], args["scale"], size=shape)
        else:
            out = rng.uniform(args["low"], args["high"], size=shape)
    else:
        rs = np.random.RandomState(None if seed is None else int(seed))
        if kind == "article":
            if len(shape) != 2:
                raise ValueError("%s needs a 2-D shape (layer_size[l], layer_size[l-1]); got %r." % (key, shape))
            w = rs.randn(*shape)
            if method == "xavier":   # w = np.random.randn(l, l-1) * np.sqrt(1/l)
                out = w * np.sqrt(1 / shape[0])
            else:                    # w = np.random.randn(l, l-1) * np.sqrt(2/(l + l-1))
                out = w * np.sqrt(2 / (shape[0] + shape[1]))
        elif method == "randn":
            out = rs.randn(*shape) * args["scale"]
        elif method == "rand":
            out = rs.rand(*shape) * args["scale"]
        elif method == "normal":
            out = rs.normal(args["loc"], args["scale"], size=shape)
        else:
            out = rs.uniform(args["low"], args["high"], size=shape)
    return np.asarray(np.asarray(out).reshape(shape), dtype=dtype, order="C")


# ---------------------------------------------------------------------------------------------------- dispatch

def sample(framework, name, config_json, shape, seed, dtype):
    if dtype not in ("float32", "float64"):
        raise ValueError("Invalid dtype %r: expected float32 or float64." % dtype)
    if framework == "keras":
        return sample_keras(name, config_json, shape, seed, dtype)
    if framework == "torch":
        return sample_torch(name, config_json, shape, seed, dtype)
    if framework == "numpy":
        return sample_numpy(name, config_json, shape, seed, dtype)
    raise ValueError("Unknown framework %r: expected keras, torch or numpy." % framework)


def sample_batch(framework, name, config_json, shape, first_seed, count, dtype):
    """count tensors with the int seeds first_seed .. first_seed+count-1, stacked: one crossing of the bridge per batch,
    so a 1x1 case of 2^18 tensors does not pay 2^18 calls from C#. Each tensor is exactly what sample() returns."""
    import numpy as np
    shape = tuple(int(d) for d in shape)
    out = np.empty((int(count),) + shape, dtype=dtype)
    for k in range(int(count)):
        out[k] = sample(framework, name, config_json, shape, int(first_seed) + k, dtype)
    return out


def probe(framework):
    """Never raises for a framework that does not import: {'available': False, 'error':..., 'hint':...}."""
    info = {"framework": framework, "available": False}
    try:
        if framework == "keras":
            keras = _import_keras()
            info["version"] = keras.__version__
            info["backend"], info["backend_version"] = _keras_backend(keras)
            info["location"] = _keras_source
            info["found_through"] = _keras_found
        elif framework == "python":
            info["version"] = "%d.%d.%d" % tuple(sys.version_info[:3])
            info["location"] = sys.executable
            info["sys_path"] = list(sys.path)
        else:
            if framework not in ("numpy", "scipy", "torch"):
                raise ValueError("Unknown framework %r: expected python, numpy, scipy, torch or keras." % framework)
            mod = _import(framework)
            info["version"] = getattr(mod, "__version__", None)
            info["location"] = os.path.dirname(getattr(mod, "__file__", "") or "")
            if framework == "torch":
                info["seeding"] = torch_seeding()
        info["available"] = True
    except FrameworkMissing as e:
        info["error"] = e.error
        info["hint"] = e.hint
    return json.dumps(info)


# ---------------------------------------------------------------------------------------------------- scipy

def _dist(spec):
    """Parses 'norm(0, 0.5)' / 'uniform(loc=-1, scale=2)' / 'truncnorm(-2, 2, scale=0.1)' into a frozen
    scipy.stats distribution, accepting only a name and numeric literals (no eval)."""
    import ast
    stats = _import("scipy.stats")
    try:
        node = ast.parse(spec.strip(), mode="eval").body
    except SyntaxError as e:
        raise ValueError("Invalid distribution %r: %s" % (spec, e)) from e
    if isinstance(node, ast.Name):
        node = ast.Call(func=node, args=[], keywords=[])
    if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
        raise ValueError("Invalid distribution %r: expected NAME(args), e.g. norm(0, 0.5)." % spec)
    dist = getattr(stats, node.func.id, None)
    if dist is None or not hasattr(dist, "cdf"):
        raise ValueError("Unknown scipy.stats distribution %r." % node.func.id)
    args = [float(ast.literal_eval(a)) for a in node.args]
    kwargs = {k.arg: float(ast.literal_eval(k.value)) for k in node.keywords}
    return dist(*args, **kwargs)


def kstest(sample, spec):
    stats = _import("scipy.stats")
    r = stats.kstest(sample, _dist(spec).cdf)
    return (float(r.statistic), float(r.pvalue))


def ks_2samp(a, b):
    stats = _import("scipy.stats")
    r = stats.ks_2samp(a, b)
    return (float(r.statistic), float(r.pvalue))


def chisquare(observed, expected, ddof):
    stats = _import("scipy.stats")
    r = stats.chisquare(observed, expected, ddof=int(ddof))
    return (float(r.statistic), float(r.pvalue))


def dist_cdf(spec, x):
    return float(_dist(spec).cdf(x))


def new_float64(n):
    np = _import("numpy")
    return np.empty(int(n), dtype=np.float64)


def bench_array(n, dtype):
    np = _import("numpy")
    return np.arange(int(n), dtype=dtype)
