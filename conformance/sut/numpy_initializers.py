"""Keras 3 weight initializers in plain numpy, written from the formulas (not from Keras' code).

A system under test for the conformance harness:

    scripts/harness check --sut python:conformance/sut/numpy_initializers.py:sample

The harness calls sample(class_name, config, shape, seed, dtype) with Keras' class name and config dict and
expects a numpy array of that shape and dtype. Values are drawn in float64 from numpy's PCG64 generator seeded
with `seed` and rounded to the dtype, so the same seed gives the same values and different seeds different ones.

Formulas (Keras 3):
  fans:   rank 0 -> (1, 1); rank 1 -> (n, n); rank 2 -> (in, out); rank >= 3 -> receptive field = prod(shape[:-2]),
          fan_in = shape[-2] * rf, fan_out = shape[-1] * rf; explicit input_axes/output_axes -> products over them.
  VarianceScaling(scale, mode, distribution): s = scale / max(1, fan[mode]) with fan_avg = (fan_in + fan_out) / 2;
          truncated_normal ("normal" is its alias): N(0, sqrt(s)/0.87962566103423978) resampled into +-2 stddev;
          untruncated_normal: N(0, sqrt(s)); uniform: U(-sqrt(3 s), sqrt(3 s)).
  presets: Glorot = (1, fan_avg), He = (2, fan_in), Lecun = (1, fan_in), *Normal truncated, *Uniform uniform.
  RandomNormal(mean=0, stddev=0.05), RandomUniform(minval=-0.05, maxval=0.05),
  TruncatedNormal(mean=0, stddev=0.05) resampled into mean +- 2 stddev.
  Orthogonal(gain=1): QR of a (max(r, c), min(r, c)) standard normal matrix, r = prod(shape[:-1]), c = shape[-1];
          Q times sign(diag(R)) (Haar measure), transposed when r < c, times gain.
  Identity(gain=1): gain * eye (rank 2 only); Constant(value=0); Zeros; Ones.
"""
import math

import numpy as np

# Standard deviation of the standard normal truncated to (-2, 2).
TRUNCATED_STDDEV = 0.87962566103423978

_PRESETS = {
    "GlorotNormal": (1.0, "fan_avg", "truncated_normal"),
    "GlorotUniform": (1.0, "fan_avg", "uniform"),
    "HeNormal": (2.0, "fan_in", "truncated_normal"),
    "HeUniform": (2.0, "fan_in", "uniform"),
    "LecunNormal": (1.0, "fan_in", "truncated_normal"),
    "LecunUniform": (1.0, "fan_in", "uniform"),
}


def compute_fans(shape, input_axes=None, output_axes=None):
    shape = tuple(int(d) for d in shape)
    if input_axes is not None and output_axes is not None:
        return (float(np.prod([shape[a] for a in input_axes], dtype=np.float64)),
                float(np.prod([shape[a] for a in output_axes], dtype=np.float64)))
    if len(shape) == 0:
        return 1.0, 1.0
    if len(shape) == 1:
        return float(shape[0]), float(shape[0])
    if len(shape) == 2:
        return float(shape[0]), float(shape[1])
    receptive = float(np.prod(shape[:-2], dtype=np.float64))
    return shape[-2] * receptive, shape[-1] * receptive


def _truncated_normal(rng, shape, mean, stddev):
    """N(mean, stddev) restricted to [mean - 2 stddev, mean + 2 stddev] by resampling the values outside."""
    z = rng.standard_normal(shape)
    bad = np.abs(z) > 2.0
    while bad.any():
        z[bad] = rng.standard_normal(int(bad.sum()))
        bad = np.abs(z) > 2.0
    return mean + stddev * z


def _variance_scaling(rng, shape, scale=1.0, mode="fan_in", distribution="truncated_normal",
                      input_axes=None, output_axes=None):
    fan_in, fan_out = compute_fans(shape, input_axes, output_axes)
    mode = mode.lower()
    fan = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2.0}[mode]
    s = scale / max(1.0, fan)
    distribution = distribution.lower()
    if distribution in ("truncated_normal", "normal"):
        return _truncated_normal(rng, shape, 0.0, math.sqrt(s) / TRUNCATED_STDDEV)
    if distribution == "untruncated_normal":
        return rng.normal(0.0, math.sqrt(s), shape)
    if distribution == "uniform":
        limit = math.sqrt(3.0 * s)
        return rng.uniform(-limit, limit, shape)
    raise ValueError(f"unknown distribution {distribution!r}")


def _orthogonal(rng, shape, gain=1.0):
    if len(shape) < 2:
        raise ValueError(f"Orthogonal needs a shape of rank >= 2, got {shape}")
    rows = int(np.prod(shape[:-1], dtype=np.int64))
    cols = int(shape[-1])
    a = rng.standard_normal((max(rows, cols), min(rows, cols)))
    q, r = np.linalg.qr(a)
    d = np.sign(np.diag(r))
    d[d == 0] = 1.0
    q = q * d
    if rows < cols:
        q = q.T
    return gain * q.reshape(shape)


def _identity(shape, gain=1.0):
    if len(shape) != 2:
        raise ValueError(f"Identity needs a 2-D shape, got {shape}")
    return gain * np.eye(shape[0], shape[1])


def sample(class_name, config, shape, seed, dtype):
    """Draws one tensor of `shape` for Keras initializer `class_name` with `config`, from `seed`, as `dtype`."""
    config = {k: v for k, v in (config or {}).items() if k != "seed"}
    shape = tuple(int(d) for d in shape)
    rng = np.random.default_rng(seed)
    if class_name in _PRESETS:
        scale, mode, distribution = _PRESETS[class_name]
        values = _variance_scaling(rng, shape, scale, mode, distribution)
    elif class_name == "VarianceScaling":
        values = _variance_scaling(rng, shape, **config)
    elif class_name == "RandomNormal":
        values = rng.normal(config.get("mean", 0.0), config.get("stddev", 0.05), shape)
    elif class_name == "RandomUniform":
        values = rng.uniform(config.get("minval", -0.05), config.get("maxval", 0.05), shape)
    elif class_name == "TruncatedNormal":
        values = _truncated_normal(rng, shape, config.get("mean", 0.0), config.get("stddev", 0.05))
    elif class_name == "Orthogonal":
        values = _orthogonal(rng, shape, config.get("gain", 1.0))
    elif class_name == "Identity":
        values = _identity(shape, config.get("gain", 1.0))
    elif class_name == "Constant":
        values = np.full(shape, config.get("value", 0.0), dtype=np.float64)
    elif class_name == "Zeros":
        values = np.zeros(shape)
    elif class_name == "Ones":
        values = np.ones(shape)
    else:
        raise NotImplementedError(f"numpy_initializers does not implement {class_name}")
    return np.asarray(values, dtype=np.float64).reshape(shape).astype(dtype)
