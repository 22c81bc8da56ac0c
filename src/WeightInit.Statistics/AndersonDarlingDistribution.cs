using MathNet.Numerics;

namespace WeightInit.Statistics;

/// <summary>
/// Limit law A∞ = Σⱼ χ²₁/(j(j+1)) of the Anderson–Darling statistic under a fully specified null.
/// <para>
/// Upper tail (z ≥ 3.5): the exact asymptote P(A∞ &gt; z) ≈ √3·erfc(√z)·(1 + 11/(36z)); √3 = Πⱼ≥₂(1-2λⱼ/λ₁)^{-1/2},
/// 11/18 = Σ 1/((j-1)(j+2)). Relative error ≤ 1e-3 for z ≥ 3.5 (peak ~0.1 % near z = 6, 4.3e-4 at the α=1e-6 critical
/// value 12.516, ~1e-5 at z = 100), valid down to p ≈ 1e-300.
/// Below 3.5: 1 - ADinf(z), Marsaglia &amp; Marsaglia (2004) short approximation of the CDF, |error| &lt; 2e-6.
/// (The short ADinf must never be used in the tail: it gives 1.4e-10 where the truth is 6.7e-7 at z = 12.9.)
/// </para>
/// </summary>
public static class AndersonDarlingDistribution
{
    /// <summary>The z from which the tail formula is used.</summary>
    public const double TailCutover = 3.5;

    /// <summary>P(A∞ &gt; z) (see the class remarks); +∞ gives 0.</summary>
    public static double Sf(double z)
    {
        if (double.IsNaN(z)) return double.NaN;
        if (z <= 0) return 1.0;
        if (double.IsPositiveInfinity(z)) return 0.0;
        if (z >= TailCutover) return TailSf(z);
        return Math.Clamp(1.0 - MarsagliaAdInf(z), 0.0, 1.0);
    }

    /// <summary>P(A∞ ≤ z) = 1 - Sf(z).</summary>
    public static double Cdf(double z) => z < TailCutover ? Math.Clamp(MarsagliaAdInf(Math.Max(z, 0)), 0, 1) : 1.0 - TailSf(z);

    /// <summary>
    /// The critical value: the z with <see cref="Sf"/>(z) = p, for p in (0, 1), by bisection on Sf (decreasing in z) to
    /// relative width 1e-15. Lets reports state a threshold such as "A² &lt; 12.52 at p = 1e-6" derived from the level
    /// rather than written out. Bad p throws <see cref="ArgumentOutOfRangeException"/> naming it.
    /// </summary>
    public static double Isf(double p)
    {
        if (!(p > 0 && p < 1)) throw new ArgumentOutOfRangeException(nameof(p), $"p must be in (0, 1), got {Guard.R(p)}.");
        double lo = 0, hi = 1;
        while (Sf(hi) > p) { lo = hi; hi *= 2; }   // Sf(2^k) reaches ~1e-300 by z ≈ 700, so this ends
        for (int i = 0; i < 200 && hi - lo > 1e-15 * hi; i++)
        {
            double mid = 0.5 * (lo + hi);
            if (Sf(mid) > p) lo = mid; else hi = mid;
        }
        return 0.5 * (lo + hi);
    }

    /// <summary>√3·erfc(√z)·(1 + 11/(36z)).</summary>
    public static double TailSf(double z) => Math.Min(1.0, Math.Sqrt(3.0) * SpecialFunctions.Erfc(Math.Sqrt(z)) * (1 + 11.0 / (36.0 * z)));

    /// <summary>Marsaglia &amp; Marsaglia (2004) short ADinf(z) ≈ P(A∞ ≤ z) (|error| &lt; 2e-6; inaccurate in relative terms in the tail).</summary>
    public static double MarsagliaAdInf(double z)
    {
        if (z <= 0) return 0.0;
        if (z < 2.0)
            return Math.Exp(-1.2337141 / z) / Math.Sqrt(z) * (2.00012 + (.247105 - (.0649821 - (.0347962 - (.011672 - .00168691 * z) * z) * z) * z) * z);
        return Math.Exp(-Math.Exp(1.0776 - (2.30695 - (.43424 - (.082433 - (.008056 - .0003146 * z) * z) * z) * z) * z));
    }
}

/// <summary>
/// Distribution of the Cramér–von Mises W² as scipy 1.10 (<c>_cdf_cvm</c>): Csörgő &amp; Faraway (1996) eq. 1.8,
/// cdf∞(x)(1 + 1/(12n)) + ψ₁(x)/n, series in K_{1/4}, K_{3/4}, K_{5/4} stopped at |term| &lt; 1e-7. Inaccurate for x &gt; 2.
/// </summary>
public static class CramerVonMisesDistribution
{
    private static double Kv(double v, double x) => SpecialFunctions.BesselK(v, x);

    /// <summary>Limit cdf (eq. 1.2).</summary>
    public static double CdfInfinite(double x)
    {
        double tot = 0;
        for (int k = 0; k < 1000; k++)
        {
            double u = Math.Exp(SpecialFunctions.GammaLn(k + 0.5) - SpecialFunctions.GammaLn(k + 1)) / (Math.Pow(Math.PI, 1.5) * Math.Sqrt(x));
            double y = 4 * k + 1;
            double q = y * y / (16 * x);
            double b = Kv(0.25, q);
            double z = u * Math.Sqrt(y) * Math.Exp(-q) * b;
            if (double.IsNaN(z)) z = 0;
            tot += z;
            if (!(Math.Abs(z) >= 1e-7)) break;
        }
        return tot;
    }

    private static double Ed2(double y)
    {
        double z = y * y / 4;
        double b = Kv(0.25, z) + Kv(0.75, z);
        return Math.Exp(-z) * Math.Pow(y / 2, 1.5) * b / Math.Sqrt(Math.PI);
    }

    private static double Ed3(double y)
    {
        double z = y * y / 4;
        double c = Math.Exp(-z) / Math.Sqrt(Math.PI);
        return c * Math.Pow(y / 2, 2.5) * (2 * Kv(0.25, z) + 3 * Kv(0.75, z) - Kv(1.25, z));
    }

    private static double Ak(int k, double x)
    {
        double m = 2 * k + 1;
        double sx = 2 * Math.Sqrt(x);
        double y1 = Math.Pow(x, 0.75), y2 = Math.Pow(x, 1.25);
        double gk = SpecialFunctions.Gamma(k + 0.5), gk3 = SpecialFunctions.Gamma(k + 1.5);
        double e1 = m * gk * Ed2((4 * k + 3) / sx) / (9 * y1);
        double e2 = gk * Ed3((4 * k + 1) / sx) / (72 * y2);
        double e3 = 2 * (m + 2) * gk3 * Ed3((4 * k + 5) / sx) / (12 * y2);
        double e4 = 7 * m * gk * Ed2((4 * k + 1) / sx) / (144 * y1);
        double e5 = 7 * m * gk * Ed2((4 * k + 5) / sx) / (144 * y1);
        return e1 + e2 + e3 + e4 + e5;
    }

    private static double Psi1Mod(double x)
    {
        double tot = 0;
        for (int k = 0; k < 1000; k++)
        {
            double z = -Ak(k, x) / (Math.PI * SpecialFunctions.Gamma(k + 1));
            if (double.IsNaN(z)) z = 0;
            tot += z;
            if (!(Math.Abs(z) >= 1e-7)) break;
        }
        return tot;
    }

    /// <summary>P(W² ≤ x) for sample size n (0 below 1/(12n), 1 from n/3).</summary>
    public static double Cdf(double x, int n)
    {
        if (!(x > 1.0 / (12 * n))) return 0.0;
        if (x >= n / 3.0) return 1.0;
        return CdfInfinite(x) * (1 + 1.0 / (12 * n)) + Psi1Mod(x) / n;
    }
}
