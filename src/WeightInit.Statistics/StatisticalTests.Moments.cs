using MathNet.Numerics;

namespace WeightInit.Statistics;

// Tests on sample summaries rather than on the order statistics: the mean (z), the variance about the known mean and
// the largest |x - mean| (exact law of the maximum).
public static partial class StatisticalTests
{
    /// <summary>
    /// Two-sided z-test of the mean with the null's known σ: z = (x̄ - μ)/(σ/√n), p = erfc(|z|/√2).
    /// Fields: <see cref="MeanResult"/>.
    /// </summary>
    public static MeanResult MeanZ(ReadOnlySpan<double> sample, IUnivariateDistribution dist) { Validate(sample, nameof(sample)); CheckDist(dist); return MeanCore(sample, dist); }
    /// <inheritdoc cref="MeanZ(ReadOnlySpan{double}, IUnivariateDistribution)"/>
    public static MeanResult MeanZ(ReadOnlySpan<float> sample, IUnivariateDistribution dist) { Validate(sample, nameof(sample)); CheckDist(dist); return MeanCore(sample, dist); }

    private static MeanResult MeanCore<T>(ReadOnlySpan<T> x, IUnivariateDistribution dist) where T : unmanaged
    {
        var s = new KahanSum();
        foreach (var v in x) s.Add(D(v));
        double n = x.Length, mean = s.Value / n;
        double z = (mean - dist.Mean) / (dist.StdDev / Math.Sqrt(n));
        double p = SpecialFunctions.Erfc(Math.Abs(z) / Math.Sqrt(2));
        return new MeanResult(z, Math.Clamp(p, 0, 1), x.Length, "z", mean, dist.Mean, z);
    }

    // ------------------------------------------------------------------ variance

    /// <summary>
    /// Two-sided test of the variance about the KNOWN null mean μ: S = mean((x-μ)²).
    /// Normal null: T = nS/σ² ~ χ²ₙ exactly, p = 2·min(P(χ²ₙ ≤ T), P(χ²ₙ ≥ T)).
    /// Other laws: z = (S/σ² - 1)·√(n/(κ-1)) with the null kurtosis κ, Cornish–Fisher-corrected for the skewness γ of
    /// (x-μ)² (γ = (μ₆ - 3μ₄σ² + 2σ⁶)/(μ₄ - σ⁴)^{3/2}; 1.488 truncnorm(±2), 0.639 uniform): the corrected normal deviate
    /// z' solves z = z' + γ(z'²-1)/(6√n) (monotone root), p = 2·min(Φ(z'), 1-Φ(z')).
    /// Statistic: ratio = S/σ². Fields: <see cref="VarianceResult"/>.
    /// </summary>
    public static VarianceResult Variance(ReadOnlySpan<double> sample, IUnivariateDistribution dist) => Variance(sample, dist, true);
    /// <inheritdoc cref="Variance(ReadOnlySpan{double}, IUnivariateDistribution)"/>
    public static VarianceResult Variance(ReadOnlySpan<float> sample, IUnivariateDistribution dist) => Variance(sample, dist, true);

    /// <summary>As <see cref="Variance(ReadOnlySpan{double}, IUnivariateDistribution)"/>; <paramref name="smallSampleCorrection"/>=false gives the plain normal-approximation z for non-normal laws.</summary>
    public static VarianceResult Variance(ReadOnlySpan<double> sample, IUnivariateDistribution dist, bool smallSampleCorrection)
    { Validate(sample, nameof(sample)); CheckDist(dist); return VarCore(sample, dist, smallSampleCorrection); }
    /// <inheritdoc cref="Variance(ReadOnlySpan{double}, IUnivariateDistribution, bool)"/>
    public static VarianceResult Variance(ReadOnlySpan<float> sample, IUnivariateDistribution dist, bool smallSampleCorrection)
    { Validate(sample, nameof(sample)); CheckDist(dist); return VarCore(sample, dist, smallSampleCorrection); }

    /// <summary>Skewness of (X-μ)² for the known laws (NaN if unknown).</summary>
    internal static double SkewOfSquare(IUnivariateDistribution dist)
    {
        double m6 = dist switch
        {
            NormalDistribution nd => nd.SixthStandardizedMoment,
            UniformDistribution u => u.SixthStandardizedMoment,
            TruncatedNormalDistribution t => t.SixthStandardizedMoment,
            _ => double.NaN,
        };
        double k = dist.Kurtosis;
        return (m6 - 3 * k + 2) / Math.Pow(k - 1, 1.5);
    }

    private static VarianceResult VarCore<T>(ReadOnlySpan<T> x, IUnivariateDistribution dist, bool correction) where T : unmanaged
    {
        double mu = dist.Mean, v0 = dist.Variance;
        var s = new KahanSum();
        foreach (var t in x) { double d = D(t) - mu; s.Add(d * d); }
        double n = x.Length, S = s.Value / n, ratio = S / v0;
        if (dist is NormalDistribution)
        {
            double chi = s.Value / v0;
            double lower = ChiSquareCdf(chi, n), upper = ChiSquareSf(chi, n);
            double p = Math.Min(1.0, 2 * Math.Min(lower, upper));
            return new VarianceResult(ratio, p, x.Length, "chi2", ratio, S, v0, (ratio - 1) * Math.Sqrt(n / 2.0), lower, upper, Chi2: chi, Df: n);
        }
        else
        {
            double k = dist.Kurtosis;
            double z = (ratio - 1) * Math.Sqrt(n / (k - 1));
            double zc = z;
            double gamma = SkewOfSquare(dist);
            string method = "z";
            if (correction && double.IsFinite(gamma) && gamma != 0)
            {
                double c = gamma / (6 * Math.Sqrt(n));
                // z = zc + c(zc² - 1)  →  zc = (-1 + √(1 + 4c(z + c)))/(2c), the branch through zc = z at c → 0
                double disc = 1 + 4 * c * (z + c);
                zc = disc <= 0 ? -1 / (2 * c) : (-1 + Math.Sqrt(disc)) / (2 * c);
                method = "z-cornish-fisher";
            }
            double lower = StandardNormal.Cdf(zc), upper = StandardNormal.Cdf(-zc);
            double p = Math.Min(1.0, 2 * Math.Min(lower, upper));
            return new VarianceResult(ratio, p, x.Length, method, ratio, S, v0, z, lower, upper, SkewOfSquare: gamma, ZCorrected: zc);
        }
    }

    // ------------------------------------------------------------------ max |x - mean|

    /// <summary>
    /// Exact test on M = max|x-μ|: P(M ≤ t) = (F(μ+t) - F(μ-t))ⁿ. p_upper = P(M' ≥ M-resolution) = 1 - (1-q)ⁿ and
    /// p_lower = P(M' ≤ M+resolution) = (1-q)ⁿ, q = P(|X-μ| &gt; t) = S(μ+t) + F(μ-t), evaluated with log1p/expm1;
    /// p = min(1, 2·min(p_upper, p_lower)). Any value outside the support by more than <paramref name="resolution"/> gives p = 0.
    /// Fields: <see cref="MaxAbsResult"/>.
    /// </summary>
    public static MaxAbsResult MaxAbs(ReadOnlySpan<double> sample, IUnivariateDistribution dist, double resolution = 0) { Validate(sample, nameof(sample)); CheckDist(dist); return MaxCore(sample, dist, resolution); }
    /// <inheritdoc cref="MaxAbs(ReadOnlySpan{double}, IUnivariateDistribution, double)"/>
    public static MaxAbsResult MaxAbs(ReadOnlySpan<float> sample, IUnivariateDistribution dist, double resolution = 0) { Validate(sample, nameof(sample)); CheckDist(dist); return MaxCore(sample, dist, resolution); }

    /// <summary>P(|X-μ| &gt; t) under the null.</summary>
    internal static double ExceedProbability(IUnivariateDistribution dist, double t)
    {
        double mu = dist.Mean;
        return Math.Clamp(dist.Sf(mu + t) + dist.Cdf(mu - t), 0, 1);
    }

    private static MaxAbsResult MaxCore<T>(ReadOnlySpan<T> x, IUnivariateDistribution dist, double resolution) where T : unmanaged
    {
        if (!(resolution >= 0) || !double.IsFinite(resolution)) throw new ArgumentException($"resolution must be finite and >= 0, got {Guard.R(resolution)}.", nameof(resolution));
        double mu = dist.Mean, lo = dist.LowerBound, hi = dist.UpperBound;
        double m = 0; long outside = 0;
        foreach (var t in x)
        {
            double v = D(t);
            double a = Math.Abs(v - mu);
            if (a > m) m = a;
            if (v < lo - resolution || v > hi + resolution) outside++;
        }
        double n = x.Length;
        double qUp = ExceedProbability(dist, Math.Max(m - resolution, 0));
        double qLo = ExceedProbability(dist, m + resolution);
        double pUpper = qUp >= 1 ? 1.0 : -StandardNormal.ExpMinusOne(n * StandardNormal.LogOnePlus(-qUp));
        double pLower = qLo >= 1 ? 0.0 : Math.Exp(n * StandardNormal.LogOnePlus(-qLo));
        double p = Math.Min(1.0, 2 * Math.Min(pUpper, pLower));
        if (outside > 0) p = 0;
        double bound = Math.Max(hi - mu, mu - lo);
        return new MaxAbsResult(m, Math.Clamp(p, 0, 1), x.Length, "exact", m, bound, pUpper, pLower, outside);
    }
}
