using WeightInit.Conformance.Checks;

namespace WeightInit.Conformance.Engine;

/// <summary>Compact plot data of one case, enough for a histogram over the density and a Q-Q plot.</summary>
/// <param name="BinEdges">Histogram edges (k + 1).</param>
/// <param name="SampleDensity">Density of the samples per bin (k).</param>
/// <param name="ReferenceDensity">Density of the reference samples per bin, when there are any.</param>
/// <param name="TheoryDensity">Theoretical density at the bin centres.</param>
/// <param name="QuantileLevels">Probabilities of the Q-Q points.</param>
/// <param name="TheoryQuantiles">Theoretical quantiles.</param>
/// <param name="SampleQuantiles">Sample quantiles.</param>
/// <param name="ReferenceQuantiles">Reference-sample quantiles, when there are any.</param>
public sealed record PlotData(
    double[] BinEdges,
    double[] SampleDensity,
    double[]? ReferenceDensity,
    double[] TheoryDensity,
    double[] QuantileLevels,
    double[] TheoryQuantiles,
    double[] SampleQuantiles,
    double[]? ReferenceQuantiles);

/// <summary>Drift-relevant summary figures of one case (stored in report.json and compared against a baseline).</summary>
/// <param name="VarianceRatio">Observed / target variance.</param>
/// <param name="KsDistance">One-sample KS distance D.</param>
/// <param name="BoundHits">Values outside the support plus values exactly on truncation bounds.</param>
/// <param name="N">Sample size.</param>
public sealed record CaseStatistics(double? VarianceRatio, double? KsDistance, long? BoundHits, long N);

/// <summary>Everything one case produced.</summary>
public sealed record CaseOutcome(
    string CaseId,
    string Title,
    string Initializer,
    string ConfigJson,
    int[] Shape,
    DType DType,
    string Law,
    long N,
    IReadOnlyList<CheckResult> Checks,
    CaseStatistics Statistics,
    PlotData? Plot,
    string? Error)
{
    /// <summary>
    /// Why the SUT has no counterpart for this case (TF.js has no untruncated normal, no float64 normals, ...), when it
    /// said so with <see cref="WeightInit.Testing.NotApplicableException"/>. Such a case has no checks; it is neither a pass
    /// nor a failure, and every report lists it with its reason.
    /// </summary>
    public string? NotApplicable { get; init; }

    public bool Failed => Error is not null || Checks.Any(c => c.Verdict == Verdict.Fail);
    public bool Suspect => Checks.Any(c => c.Verdict == Verdict.Suspect);
}

/// <summary>A whole run: environment, reference provenance, system under test, and every case.</summary>
public sealed record RunReport(
    DateTimeOffset StartedUtc,
    TimeSpan Duration,
    string Sut,
    IReadOnlyDictionary<string, string> Environment,
    IReadOnlyDictionary<string, string> ReferenceProvenance,
    GateThresholds Thresholds,
    IReadOnlyList<CaseOutcome> Cases)
{
    /// <summary>For cases checked against other reference data than the main one: "pytorch 1.13.x".</summary>
    public IReadOnlyDictionary<string, string> ReferenceLabels { get; init; } = new Dictionary<string, string>();

    public IEnumerable<CheckResult> AllChecks => Cases.SelectMany(c => c.Checks);
    public int FailedChecks => AllChecks.Count(c => c.Verdict == Verdict.Fail) + Cases.Count(c => c.Error is not null);
    public bool Passed => FailedChecks == 0;
}
