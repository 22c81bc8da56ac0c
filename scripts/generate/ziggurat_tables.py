#!/usr/bin/python3
"""Generates src/WeightInit/Random/ZigguratTables.g.cs: the 256-level ziggurat tables for standard
normal doubles that numpy's Generator.standard_normal uses (ki, wi, fi), computed here from their
defining equations, never copied.

Marsaglia & Tsang (2000), "The Ziggurat Method for Generating Random Variables", J. Stat. Softw. 5(8):
cover f(x) = exp(-x^2/2), x >= 0, with 256 strips of equal area v: a base strip [0, r] x [0, f(r)]
plus the tail beyond r, and 255 rectangles [0, x_i] x [f(x_i), f(x_{i-1})] stacked on it, so that
    v = r f(r) + integral_r^inf f(x) dx,
    x_{i-1} = f^-1(v / x_i + f(x_i)),      and the top strip closes: x_1 (1 - f(x_1)) = v.
Step 1 solves these two equations for (r, v) with mpmath (80 digits) and reports the solution.

numpy's construction (the generator it took from randomgen) then builds the tables in float64:
    x[255] = r, x[i-1] = sqrt(-2 log(exp(-0.5 x[i] x[i]) + v / x[i])) for i = 255..2, x[0] = 0,
    wi[i] = x[i] / 2^52 (wi[0] = v / f(r) / 2^52, the base strip's pseudo-width),
    ki[i] = round(x[i-1] / x[i] * 2^52) (ki[0] = round(r f(r) / v * 2^52)), fi[i] = exp(-0.5 x[i]^2),
with r = 3.6541528853610087963519472518 (our solution rounds to the same double) and
v = 0.0049286732339746519 (3 ulp below our exact area; numpy fixed it at 20 digits).
Every +, *, /, sqrt is IEEE (Python floats). exp and log are the transcendental steps: the recursion
amplifies an ulp of error by ~10^2 by the top strip, so the tables record how the libm that made them
rounded. We evaluate exp and log exactly (mpmath) and round to nearest, except that a result whose
exact value lies within NEAR_TIE ulp of a rounding midpoint may be rounded to the other neighbour, as a
libm with a 0.5 + NEAR_TIE ulp error bound may do: the recursion meets three such near-ties, and the
reference libm took one of them the other way (OTHER_WAY below, found by measurement). The tables then
reproduce numpy's draws bit for bit
(tests/WeightInit.Tests/KerasNumpyStreamTests.cs, conformance/WeightInit.Conformance.Gate/BitExactKerasTests.cs);
with correct rounding everywhere, strips 1..36 differ in their last bits.

Why the draws prove all 768 entries: every wi[i] scales every fast-path draw of strip i (99.3% of draws,
each strip ~1/256 of them), so one wrong bit in any wi shows in the bit-exact tests. x[i] = wi[i]·2^52 exactly,
ki[i] is the same float64 division and round-half-even of those x as numpy's construction, and fi[i] is the
same exp evaluation as the recursion step that used x[i] (verified through wi), except fi[1] and f(r) (ki[0],
wi[0]): wi[0] is pinned by the draws, and fi[1] and ki[0] were checked against numpy's published values.

Usage: /usr/bin/python3 scripts/generate/ziggurat_tables.py [--out src/WeightInit/Random/ZigguratTables.g.cs]
Needs python3-mpmath (Debian). The output is written to a temporary name and renamed.
"""
import argparse
import os
import sys

import mpmath as mp

mp.mp.dps = 80
LEVELS = 256
R_NUMPY = 3.6541528853610087963519472518
V_NUMPY = 0.0049286732339746519
NEAR_TIE = 0.0025
# The near-ties (exact exp within NEAR_TIE ulp of a midpoint) whose result the libm that made numpy's
# tables rounded the other way, by the x[i] whose step evaluates them. The recursion meets three near-ties,
# all about +0.498 ulp: in the steps to x[118], x[74] and x[37]. Correct rounding everywhere leaves strips
# 1..36 wrong in their last bits (numpy's draws disagree); flipping the near-tie at x[37] makes them agree
# (2^20 + 2^18 normals, 2^24 in scripts/bench-stream.sh, all of reference-data/keras); flipping x[74] as well
# breaks wi[73] and wi[74] (draws disagree); flipping x[118] would change fi[119] only (its x[118] step is
# absorbed by the rounding of sqrt), which draws cannot resolve: numpy's source (ziggurat_constants.h, read, not
# copied) has the correctly rounded fi[119]. So exactly one evaluation is taken the other way. A libm's choice at
# a near-tie is not derivable from the equations, so it is recorded here.
OTHER_WAY = {37}


def solve_defining_equations():
    """(r, v) of Marsaglia & Tsang for 256 strips, as mpmath numbers."""
    f = lambda x: mp.exp(-x * x / 2)
    finv = lambda y: mp.sqrt(-2 * mp.log(y))
    area = lambda r: r * f(r) + mp.sqrt(mp.pi / 2) * mp.erfc(r / mp.sqrt(2))

    def top_residual(r):
        v = area(r)
        x = r
        for _ in range(LEVELS - 2):          # x_255 = r down to x_1
            x = finv(v / x + f(x))
        return x * (1 - f(x)) - v

    r = mp.findroot(top_residual, (mp.mpf("3.654"), mp.mpf("3.655")), solver="illinois")
    return r, area(r)


def ulp(d):
    return float(mp.mpf(2) ** (mp.floor(mp.log(abs(d), 2)) - 52)) if d != 0 else 5e-324


def rounded(exact, flips, where, x_index):
    """exact -> nearest double, or the other neighbour at a near-tie (within NEAR_TIE ulp of a midpoint)
    that the reference libm rounded the other way (OTHER_WAY, keyed by the x[i] whose step evaluates it)."""
    d = float(exact)
    u = ulp(d)
    frac = float((exact - mp.mpf(d)) / mp.mpf(u))      # in [-0.5, 0.5]: offset of exact from d
    if abs(frac) > 0.5 - NEAR_TIE and x_index in OTHER_WAY:
        d = float(mp.mpf(d) + (u if frac > 0 else -u))
        flips.append((where, frac))
    return d


def build():
    flips = []
    # the exp in the step to x[i-1] and the exp of fi[i] are the same evaluation, exp(-0.5 x[i]^2): key both by i-1
    xexp = lambda a, w, k: rounded(mp.exp(mp.mpf(a)), flips, ("exp",) + w, k)
    xlog = lambda a, w, k: rounded(mp.log(mp.mpf(a)), flips, ("log",) + w, None)
    r, v = R_NUMPY, V_NUMPY
    x = [0.0] * LEVELS
    x[LEVELS - 1] = r
    for i in range(LEVELS - 1, 1, -1):
        e = xexp(-0.5 * x[i] * x[i], (i - 1,), i - 1)
        x[i - 1] = (-2 * xlog(e + v / x[i], (i - 1,), None)) ** 0.5     # ** 0.5 on floats is IEEE sqrt
    two52 = 4503599627370496.0
    fr = xexp(-0.5 * r * r, ("fr",), None)
    ki = [0] * LEVELS
    ki[0] = round(r * fr / v * two52)                 # Python round: half to even, as numpy's np.round
    for i in range(1, LEVELS):
        ki[i] = round(x[i - 1] / x[i] * two52)
    wi = [xi / two52 for xi in x]
    wi[0] = v / fr / two52
    fi = [1.0] + [xexp(-0.5 * xi * xi, ("fi", i), i - 1) for i, xi in enumerate(x) if i > 0]
    return ki, wi, fi, flips


def emit(ki, wi, fi, rs, vs, flips):
    def rows(items, per):
        return "\n".join("        " + " ".join(items[i:i + per]) for i in range(0, len(items), per))

    lines = [
        "// <auto-generated>",
        "// Generated by scripts/generate/ziggurat_tables.py from the ziggurat's defining equations",
        "// (Marsaglia & Tsang 2000) and numpy's float64 construction; do not edit, re-run the script.",
        f"// Solved r = {mp.nstr(rs, 25)}, v = {mp.nstr(vs, 25)}; construction r = {R_NUMPY!r}, v = {V_NUMPY!r}.",
        f"// Near-tie roundings taken the other way (NEAR_TIE = {NEAR_TIE}): "
        + ", ".join(f"{w[0]}({'f(x[%d])' % w[2] if w[1] == 'fi' else 'step to x[%d]' % w[1]}) {fr:+.5f} ulp" for w, fr in flips) + ".",
        "// </auto-generated>",
        "namespace WeightInit.Random;",
        "",
        "/// <summary>numpy's 256-level ziggurat for float64 standard normals: see scripts/generate/ziggurat_tables.py.</summary>",
        "internal static class ZigguratTables",
        "{",
        f"    /// <summary>Right edge of the base strip; the tail starts here.</summary>",
        f"    public const double R = {R_NUMPY!r};",
        f"    /// <summary>1 / R, as numpy's construction states it.</summary>",
        f"    public const double InvR = 0.27366123732975827203338247596;",
        "",
        "    /// <summary>ki[i] = round(2^52 · x[i-1] / x[i]): below it a draw in strip i is inside the next strip up (fast accept).</summary>",
        "    public static readonly ulong[] Ki =",
        "    [",
        rows([f"0x{k:016X}UL," for k in ki], 4),
        "    ];",
        "",
        "    /// <summary>wi[i] = x[i] / 2^52 (wi[0] = v / f(r) / 2^52): scales the 52-bit draw to strip i's width.</summary>",
        "    public static readonly double[] Wi =",
        "    [",
        rows([f"{w!r}," for w in wi], 4),
        "    ];",
        "",
        "    /// <summary>fi[i] = exp(-x[i]^2 / 2): the density at strip i's right edge (wedge test).</summary>",
        "    public static readonly double[] Fi =",
        "    [",
        rows([f"{f!r}," for f in fi], 4),
        "    ];",
        "}",
        "",
    ]
    return "\n".join(lines)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    default_out = os.path.normpath(os.path.join(here, "..", "..", "src", "WeightInit", "Random", "ZigguratTables.g.cs"))
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", default=default_out)
    a = p.parse_args()
    print("solving the defining equations (mpmath, 80 digits) ...", file=sys.stderr)
    rs, vs = solve_defining_equations()
    print(f"  r = {mp.nstr(rs, 30)}  (as double {float(rs)!r}; construction {R_NUMPY!r})", file=sys.stderr)
    print(f"  v = {mp.nstr(vs, 30)}  (as double {float(vs)!r}; construction {V_NUMPY!r})", file=sys.stderr)
    if float(rs) != R_NUMPY:
        sys.exit("the solved r does not round to the construction's r")
    if abs(float(vs) - V_NUMPY) > 1e-17:
        sys.exit("the solved v is not within 1e-17 of the construction's v")
    print("building the tables (float64 recursion, exact exp/log) ...", file=sys.stderr)
    ki, wi, fi, flips = build()
    for w, fr in flips:
        print(f"  near tie: {w} exact at {fr:+.5f} ulp, rounded the other way", file=sys.stderr)
    text = emit(ki, wi, fi, rs, vs, flips)
    tmp = a.out + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)
    os.replace(tmp, a.out)
    print(f"wrote {a.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
