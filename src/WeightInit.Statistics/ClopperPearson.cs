using MathNet.Numerics;

namespace WeightInit.Statistics;

/// <summary>
/// Exact (Clopper–Pearson) binomial confidence intervals (Clopper &amp; Pearson 1934, Biometrika 26:404): for x successes
/// in n trials the two-sided 1-α interval is [B(α/2; x, n-x+1), B(1-α/2; x+1, n-x)] with B(q; a, b) the Beta(a, b)
/// quantile, and [0, ·] / [·, 1] at x = 0 / x = n. Used for false-alarm rates, where the counts are small (often 0) and
/// the normal approximation is useless; the interval is conservative (coverage ≥ 1-α for every true rate).
/// </summary>
public static class ClopperPearson
{
    /// <summary>Two-sided (1-alpha) interval for x successes in n trials; (0, 1) when n ≤ 0 (no information).</summary>
    public static (double Low, double High) Interval(long x, long n, double alpha = 0.05)
    {
        if (n <= 0) return (0, 1);
        double lo = x == 0 ? 0 : BetaQuantile(x, n - x + 1, alpha / 2);
        double hi = x == n ? 1 : BetaQuantile(x + 1, n - x, 1 - alpha / 2);
        return (lo, hi);
    }

    /// <summary>
    /// Quantile of Beta(a, b) by bisection on the regularized incomplete beta I_t(a, b) (MathNet
    /// <c>BetaRegularized</c>): slower than Newton but robust in the far tails, where rates near 0 live.
    /// </summary>
    public static double BetaQuantile(double a, double b, double p)
    {
        double lo = 0, hi = 1;
        for (int i = 0; i < 200 && hi - lo > 1e-15 * Math.Max(hi, 1e-300); i++)
        {
            double mid = 0.5 * (lo + hi);
            if (SpecialFunctions.BetaRegularized(a, b, mid) < p) lo = mid; else hi = mid;
        }
        return 0.5 * (lo + hi);
    }
}
