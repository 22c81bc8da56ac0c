using System.Globalization;
using System.Text;

namespace WeightInit.Statistics;

/// <summary>
/// Analytic power of each check for one case of size n at the gate's level (two-sided p &lt; 1e-6) and power 0.999:
/// the smallest relative stddev error (wider / narrower: the whole law scaled by 1±ε, bounds included) and the
/// smallest rate of out-of-bound leaks it detects. Derived from the tests' laws:
/// variance — normal approximation of S/σ² with the null kurtosis κ, sd √((κ-1)/n);
/// KS — a lower bound on power from the single point t* of largest |F₁-F₀|: D ≥ |Fₙ(t*) - F₀(t*)|, critical value from the
/// Kolmogorov limit law (conservative: the true MDE is somewhat smaller);
/// chi-square(100) — non-central χ²₉₉(λ), λ = n·Σ(p₁ᵢ-p₀ᵢ)²/p₀ᵢ over the 100 equiprobable bins, normal approximation;
/// max|x| — the exact law of the maximum, (F(t)-F(-t))ⁿ; support — any value beyond the bound fails (AD is +∞ then too).
/// The rows are labelled with the caller's names for the checks (<see cref="CheckNames"/>), so the table reads in the
/// gate's own vocabulary without this library knowing the gate.
/// </summary>
public static class PowerTable
{
    /// <summary>The detection level (two-sided p below it; the conformance gate's failure threshold) and the power required.</summary>
    public const double Alpha = 1e-6, Power = 0.999;

    /// <summary>The sample sizes tabulated: 2^14 … 2^22 in steps of 4 (each step halves the detectable stddev error).</summary>
    public static readonly long[] Sizes = [1L << 14, 1L << 16, 1L << 18, 1L << 20, 1L << 22];

    /// <summary>The labels given to the rows of each check.</summary>
    public sealed record CheckNames(string Variance, string Ks, string ChiSquare, string MaxAbs, string Support, string AndersonDarling);

    /// <summary>
    /// One row: the smallest stddev error detected (percent; wider = law scaled by 1+ε, narrower = 1-ε; null where the
    /// check does not apply, NaN where power 0.999 is not reached for ε ≤ 50 %) and the smallest detected rate of values
    /// beyond the bound (null where not applicable).
    /// </summary>
    public sealed record Row(string Family, string Check, long N, double? WiderPercent, double? NarrowerPercent, double? LeakRate);

    private static readonly double ZAlpha = StandardNormal.InvSf(Alpha / 2), ZPower = StandardNormal.InvCdf(Power);

    /// <summary>The table for the normal, the ±2σ truncated normal and the uniform at every size in <see cref="Sizes"/>.</summary>
    public static IReadOnlyList<Row> Compute(CheckNames names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var families = new (string Name, IUnivariateDistribution Dist, Func<double, IUnivariateDistribution> Scaled)[]
        {
            ("normal", new NormalDistribution(0, 1), f => new NormalDistribution(0, f)),
            ("truncnorm(±2)", new TruncatedNormalDistribution(0, 1), f => new TruncatedNormalDistribution(0, f)),
            ("uniform", new UniformDistribution(-1, 1), f => new UniformDistribution(-f, f)),
        };
        var rows = new List<Row>();
        foreach (var (name, d0, scaled) in families)
            foreach (var n in Sizes)
            {
                bool bounded = double.IsFinite(d0.UpperBound);
                double leakSupport = -StandardNormal.ExpMinusOne(Math.Log(1 - Power) / n);   // 1-(1-q)^n = 0.999
                rows.Add(new(name, names.Variance, n, 100 * Solve(e => VariancePower(d0, n, 1 + e)), 100 * Solve(e => VariancePower(d0, n, 1 - e)), null));
                rows.Add(new(name, names.Ks, n, 100 * Solve(e => KsPower(d0, scaled(1 + e), n)), 100 * Solve(e => KsPower(d0, scaled(1 - e), n)),
                    SolveLeak(q => KsLeakPower(q, n))));
                rows.Add(new(name, names.ChiSquare, n, 100 * Solve(e => ChiSquarePower(d0, scaled(1 + e), n)), 100 * Solve(e => ChiSquarePower(d0, scaled(1 - e), n)), null));
                rows.Add(new(name, names.MaxAbs, n, 100 * Solve(e => MaxWiderPower(d0, scaled(1 + e), n)), 100 * Solve(e => MaxNarrowerPower(d0, scaled(1 - e), n)),
                    bounded ? leakSupport : null));
                if (bounded)
                {
                    rows.Add(new(name, names.Support, n, 100 * Solve(e => BeyondSupportPower(d0, scaled(1 + e), n)), null, leakSupport));
                    rows.Add(new(name, names.AndersonDarling, n, null, null, leakSupport));
                }
            }
        return rows;
    }

    /// <summary>Smallest ε in (0, 0.5] with power(ε) ≥ 0.999 (power is increasing in ε), or NaN.</summary>
    private static double Solve(Func<double, double> power)
    {
        double lo = 0, hi = 0.5;
        if (power(hi) < Power) return double.NaN;
        for (int i = 0; i < 60; i++)
        {
            double mid = 0.5 * (lo + hi);
            if (power(mid) >= Power) hi = mid; else lo = mid;
        }
        return hi;
    }

    private static double? SolveLeak(Func<double, double> power)
    {
        double lo = 0, hi = 0.5;
        if (power(hi) < Power) return null;
        for (int i = 0; i < 80; i++)
        {
            double mid = Math.Sqrt(Math.Max(lo, 1e-12) * hi);
            if (power(mid) >= Power) hi = mid; else lo = mid;
        }
        return hi;
    }

    private static double VariancePower(IUnivariateDistribution d0, long n, double factor)
    {
        double s = Math.Sqrt((d0.Kurtosis - 1) / n), mean = factor * factor;
        return StandardNormal.Cdf((mean - 1 - ZAlpha * s) / (mean * s)) + StandardNormal.Cdf((1 - ZAlpha * s - mean) / (mean * s));
    }

    private static double KsPower(IUnivariateDistribution d0, IUnivariateDistribution d1, long n)
    {
        double crit = Kolmogorov.KolmogorovInverse(Alpha) / Math.Sqrt(n);
        // the point of largest |F1 - F0| on a fine grid of the wider support
        double hi = double.IsFinite(Math.Max(d0.UpperBound, d1.UpperBound)) ? Math.Max(d0.UpperBound, d1.UpperBound) : 6 * Math.Max(d0.StdDev, d1.StdDev);
        double best = 0, f1 = 0.5;
        for (int i = 0; i <= 4000; i++)
        {
            double t = -hi + 2 * hi * i / 4000;
            double diff = Math.Abs(d1.Cdf(t) - d0.Cdf(t));
            if (diff > best) { best = diff; f1 = d1.Cdf(t); }
        }
        double sd = Math.Sqrt(Math.Max(f1 * (1 - f1), 1e-300) / n);
        return StandardNormal.Cdf((best - crit) / sd);
    }

    private static double KsLeakPower(double q, long n)
    {
        // mass q moved beyond the bounds (half each side): |F1 - F0| = q/2 at the bounds, plus the binomial noise there
        double crit = Kolmogorov.KolmogorovInverse(Alpha) / Math.Sqrt(n);
        double f1 = q / 2, sd = Math.Sqrt(f1 * (1 - f1) / n);
        return StandardNormal.Cdf((f1 - crit) / sd);
    }

    private static readonly Lazy<double> ChiCritical = new(() =>
    {
        double lo = 99, hi = 400;
        for (int i = 0; i < 100; i++) { double mid = 0.5 * (lo + hi); if (StatisticalTests.ChiSquareSf(mid, 99) > Alpha) lo = mid; else hi = mid; }
        return hi;
    });

    private static double ChiSquarePower(IUnivariateDistribution d0, IUnivariateDistribution d1, long n)
    {
        const int k = 100;
        double lambda = 0, prev = 0;
        for (int i = 1; i <= k; i++)
        {
            double edge = i == k ? double.PositiveInfinity : d0.InvCdf((double)i / k);
            double c = i == k ? 1 : d1.Cdf(edge);
            double p1 = c - prev;
            prev = c;
            lambda += (p1 - 1.0 / k) * (p1 - 1.0 / k) * k;
        }
        lambda *= n;
        double mean = k - 1 + lambda, sd = Math.Sqrt(2 * (k - 1 + 2 * lambda));
        return StandardNormal.Cdf((mean - ChiCritical.Value) / sd);
    }

    /// <summary>P(p_upper &lt; α/2) under d1: M beyond the null's critical max m* where 1-(1-q₀(m*))ⁿ = α/2.</summary>
    private static double MaxWiderPower(IUnivariateDistribution d0, IUnivariateDistribution d1, long n)
    {
        double q0 = -StandardNormal.ExpMinusOne(StandardNormal.LogOnePlus(-Alpha / 2) / n);
        double mStar = Threshold(d0, q0);
        double q1 = d1.Sf(mStar) + d1.Cdf(-mStar);
        return -StandardNormal.ExpMinusOne(n * StandardNormal.LogOnePlus(-q1));
    }

    /// <summary>P(p_lower &lt; α/2) under d1: M below m* where (1-q₀(m*))ⁿ = α/2.</summary>
    private static double MaxNarrowerPower(IUnivariateDistribution d0, IUnivariateDistribution d1, long n)
    {
        double q0 = -StandardNormal.ExpMinusOne(Math.Log(Alpha / 2) / n);
        double mStar = Threshold(d0, q0);
        double q1 = d1.Sf(mStar) + d1.Cdf(-mStar);
        return Math.Exp(n * StandardNormal.LogOnePlus(-q1));
    }

    private static double BeyondSupportPower(IUnivariateDistribution d0, IUnivariateDistribution d1, long n)
    {
        double q1 = d1.Sf(d0.UpperBound) + d1.Cdf(d0.LowerBound);
        return -StandardNormal.ExpMinusOne(n * StandardNormal.LogOnePlus(-q1));
    }

    /// <summary>The t with P₀(|X| &gt; t) = q (symmetric laws about 0).</summary>
    private static double Threshold(IUnivariateDistribution d0, double q) => d0.InvCdf(1 - q / 2) is var t && double.IsFinite(t) ? t : -d0.InvCdf(q / 2);

    /// <summary>The table as fixed-width text (percentages with two decimals, or two significant digits below 0.01 %).</summary>
    public static string Render(IReadOnlyList<Row> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        static string P(double? v) => v is double x && double.IsFinite(x) ? (x < 0.01 ? x.ToString("G2", CultureInfo.InvariantCulture) : x.ToString("0.00", CultureInfo.InvariantCulture)) + " %" : "—";
        static string L(double? v) => v is double x && double.IsFinite(x) ? x.ToString("G2", CultureInfo.InvariantCulture) : "—";
        var sb = new StringBuilder();
        sb.AppendLine($"power table (analytic, one check on one case of n values; detect = two-sided p < {Alpha.ToString("0.##e0", CultureInfo.InvariantCulture)} with probability {Power.ToString(CultureInfo.InvariantCulture)}):");
        sb.AppendLine("  stddev error: smallest ε with the law scaled by 1+ε (wider) / 1-ε (narrower); leak: smallest fraction of values beyond the bound");
        sb.AppendLine($"{"law",-14} {"check",-16} {"n",9} {"wider",10} {"narrower",10} {"leak rate",10}");
        foreach (var r in rows)
            sb.AppendLine($"{r.Family,-14} {r.Check,-16} {"2^" + Math.Log2(r.N),9} {P(r.WiderPercent),10} {P(r.NarrowerPercent),10} {L(r.LeakRate),10}");
        return sb.ToString();
    }
}
