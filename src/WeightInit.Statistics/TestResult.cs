namespace WeightInit.Statistics;

/// <summary>Alternative hypothesis (scipy's <c>alternative</c>).</summary>
public enum Alternative
{
    /// <summary>'two-sided'.</summary>
    TwoSided,
    /// <summary>'greater' (one-sample KS: D⁺; two-sample: max(cdf1-cdf2)).</summary>
    Greater,
    /// <summary>'less' (one-sample KS: D⁻; two-sample: max(cdf2-cdf1)).</summary>
    Less,
}

/// <summary>KS p-value method (scipy's <c>method</c>).</summary>
public enum KsMethod
{
    /// <summary>'auto': exact for one sample; two samples: exact if max(n1,n2) ≤ 10000, else asymp.</summary>
    Auto,
    /// <summary>'exact'.</summary>
    Exact,
    /// <summary>'asymp'.</summary>
    Asymp,
    /// <summary>'approx' (one sample only: 2·smirnov).</summary>
    Approx,
}

/// <summary>
/// Result of a test: statistic, p-value, sample size and method. Each test returns its own record (below) whose
/// test-specific fields are typed properties, so a reader names a field the compiler knows: a misspelled or absent
/// field is a build error, not a silent NaN.
/// </summary>
public abstract record TestResult(string Test, double Statistic, double PValue, long N, string Method)
{
    /// <summary>
    /// The test-specific fields as (scipy-style snake_case name, value) pairs in a fixed order, for printing and JSON
    /// output (<c>harness stats</c>). Flags are 0/1 and counts are whole numbers. Code reads the typed properties.
    /// </summary>
    public abstract IReadOnlyList<KeyValuePair<string, double>> Details { get; }

    private protected static KeyValuePair<string, double> F(string name, double value) => new(name, value);
}

/// <summary>
/// One-sample KS (<see cref="StatisticalTests.KolmogorovSmirnov(ReadOnlySpan{double}, IUnivariateDistribution, Alternative, KsMethod)"/>).
/// D⁺ and D⁻ are always both computed; <paramref name="Location"/> is the x at the arg-max of the reported statistic
/// (first occurrence) and <paramref name="Sign"/> is +1 when it is D⁺, -1 when it is D⁻ (scipy's statistic_location/sign).
/// </summary>
public sealed record KsResult(double Statistic, double PValue, long N, string Method, double DPlus, double DMinus, double Location, int Sign)
    : TestResult("ks", Statistic, PValue, N, Method)
{
    /// <inheritdoc/>
    public override IReadOnlyList<KeyValuePair<string, double>> Details => [F("d_plus", DPlus), F("d_minus", DMinus), F("location", Location), F("sign", Sign)];
}

/// <summary>
/// Two-sample KS (<see cref="StatisticalTests.KolmogorovSmirnov2(ReadOnlySpan{double}, ReadOnlySpan{double}, Alternative, KsMethod)"/>):
/// location and sign as scipy; <paramref name="FellBackToAsymp"/> when the exact method was chosen but could not be
/// evaluated (path count overflow), so the asymptotic p was used, as scipy does.
/// </summary>
public sealed record Ks2Result(double Statistic, double PValue, long N, string Method, double Location, int Sign, int N1, int N2, bool FellBackToAsymp)
    : TestResult("ks2", Statistic, PValue, N, Method)
{
    /// <inheritdoc/>
    public override IReadOnlyList<KeyValuePair<string, double>> Details =>
        [F("location", Location), F("sign", Sign), F("n1", N1), F("n2", N2), F("fell_back_to_asymp", FellBackToAsymp ? 1 : 0)];
}

/// <summary>
/// Pearson χ² (<see cref="StatisticalTests.ChiSquare"/>, <see cref="StatisticalTests.ChiSquareEquiprobable(ReadOnlySpan{double}, IUnivariateDistribution, int)"/>):
/// the number of bins, the degrees of freedom and, for equiprobable bins, the expected count per bin (null otherwise).
/// </summary>
public sealed record ChiSquareResult(double Statistic, double PValue, long N, string Method, int Bins, int Df, double? MinExpected)
    : TestResult("chisq", Statistic, PValue, N, Method)
{
    /// <inheritdoc/>
    public override IReadOnlyList<KeyValuePair<string, double>> Details => MinExpected is double e
        ? [F("bins", Bins), F("df", Df), F("min_expected", e)]
        : [F("df", Df), F("bins", Bins)];
}

/// <summary>
/// Anderson–Darling (<see cref="StatisticalTests.AndersonDarling(ReadOnlySpan{double}, IUnivariateDistribution)"/>):
/// <paramref name="TailFormula"/> when A² ≥ <see cref="AndersonDarlingDistribution.TailCutover"/>, where the p-value comes
/// from the tail formula rather than Marsaglia's series.
/// </summary>
public sealed record AndersonDarlingResult(double Statistic, double PValue, long N, string Method, bool TailFormula)
    : TestResult("ad", Statistic, PValue, N, Method)
{
    /// <inheritdoc/>
    public override IReadOnlyList<KeyValuePair<string, double>> Details => [F("p_tail_formula", TailFormula ? 1 : 0)];
}

/// <summary>Cramér–von Mises (<see cref="StatisticalTests.CramerVonMises(ReadOnlySpan{double}, IUnivariateDistribution)"/>): no further fields.</summary>
public sealed record CramerVonMisesResult(double Statistic, double PValue, long N, string Method)
    : TestResult("cvm", Statistic, PValue, N, Method)
{
    /// <inheritdoc/>
    public override IReadOnlyList<KeyValuePair<string, double>> Details => [];
}

/// <summary>z-test of the mean (<see cref="StatisticalTests.MeanZ(ReadOnlySpan{double}, IUnivariateDistribution)"/>); the statistic is <paramref name="Z"/>.</summary>
public sealed record MeanResult(double Statistic, double PValue, long N, string Method, double ObservedMean, double ExpectedMean, double Z)
    : TestResult("mean", Statistic, PValue, N, Method)
{
    /// <inheritdoc/>
    public override IReadOnlyList<KeyValuePair<string, double>> Details => [F("observed_mean", ObservedMean), F("expected_mean", ExpectedMean), F("z", Z)];
}

/// <summary>
/// Variance about the known mean (<see cref="StatisticalTests.Variance(ReadOnlySpan{double}, IUnivariateDistribution)"/>); the
/// statistic is <paramref name="Ratio"/> = S/σ². <paramref name="Z"/> is the uncorrected normal deviate. A normal null
/// is tested exactly on T = nS/σ² ~ χ²ₙ: <paramref name="Chi2"/> = T and <paramref name="Df"/> = n are set and the
/// Cornish–Fisher fields are null. Other laws are tested on the corrected deviate: <paramref name="SkewOfSquare"/> (the
/// skewness γ of (x-μ)²) and <paramref name="ZCorrected"/> are set and the χ² fields are null. The p-value is
/// 2·min(<paramref name="PLower"/>, <paramref name="PUpper"/>), capped at 1.
/// </summary>
public sealed record VarianceResult(double Statistic, double PValue, long N, string Method, double Ratio, double ObservedVariance, double ExpectedVariance,
    double Z, double PLower, double PUpper, double? Chi2 = null, double? Df = null, double? SkewOfSquare = null, double? ZCorrected = null)
    : TestResult("var", Statistic, PValue, N, Method)
{
    /// <inheritdoc/>
    public override IReadOnlyList<KeyValuePair<string, double>> Details
    {
        get
        {
            var d = new List<KeyValuePair<string, double>> { F("ratio", Ratio), F("observed_variance", ObservedVariance), F("expected_variance", ExpectedVariance) };
            if (Chi2 is double chi)
            {
                d.Add(F("z", Z)); d.Add(F("chi2", chi));
                if (Df is double df) d.Add(F("df", df));
            }
            else
            {
                if (SkewOfSquare is double g) d.Add(F("skew_x2", g));
                d.Add(F("z", Z));
                if (ZCorrected is double zc) d.Add(F("z_corrected", zc));
            }
            d.Add(F("p_lower", PLower)); d.Add(F("p_upper", PUpper));
            return d;
        }
    }
}

/// <summary>
/// Exact test on max|x - μ| (<see cref="StatisticalTests.MaxAbs(ReadOnlySpan{double}, IUnivariateDistribution, double)"/>): the
/// statistic is <paramref name="MaxAbs"/>; <paramref name="ExpectedBound"/> is the largest |x - μ| the law allows (∞ if
/// unbounded); <paramref name="PUpper"/> / <paramref name="PLower"/> are the one-sided p-values for a maximum too large /
/// too small; <paramref name="OutsideSupport"/> counts values beyond the support by more than the resolution.
/// </summary>
public sealed record MaxAbsResult(double Statistic, double PValue, long N, string Method, double MaxAbs, double ExpectedBound, double PUpper, double PLower, long OutsideSupport)
    : TestResult("max", Statistic, PValue, N, Method)
{
    /// <inheritdoc/>
    public override IReadOnlyList<KeyValuePair<string, double>> Details =>
        [F("max_abs", MaxAbs), F("expected_bound", ExpectedBound), F("p_upper", PUpper), F("p_lower", PLower), F("outside_support", OutsideSupport)];
}
