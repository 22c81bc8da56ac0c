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

/// <summary>Result of a test: statistic, p-value, sample size, method and test-specific details.</summary>
public sealed record TestResult(string Test, double Statistic, double PValue, long N, string Method)
{
    /// <summary>Test-specific fields (see each test).</summary>
    public IReadOnlyDictionary<string, double> Details { get; init; } = new Dictionary<string, double>();
}
