using System.Globalization;

namespace WeightInit.Conformance.Checks;

/// <summary>The outcome of one check on one case.</summary>
public enum Verdict
{
    /// <summary>Consistent with the target law.</summary>
    Pass,
    /// <summary>p below the suspect threshold (1e-3) but above the failure threshold: logged, does not fail.</summary>
    Suspect,
    /// <summary>A real defect (p below 1e-6, or a deterministic property violated).</summary>
    Fail,
    /// <summary>Reported only, never gates (e.g. Cramér–von Mises, whose scipy p-values bottom out near 1e-8).</summary>
    Info,
}

/// <summary>
/// One check on one case: what was tested, the statistic and p-value with the sample size, expected against
/// observed, and a diagnosis in domain words when it did not pass.
/// </summary>
public sealed record CheckResult(
    string CaseId,
    CheckId Check,
    Verdict Verdict,
    double? Statistic,
    double? PValue,
    long N,
    string Expected,
    string Observed,
    string Message)
{
    public override string ToString()
    {
        var p = PValue is double pv ? $", p={pv.ToString("G4", CultureInfo.InvariantCulture)}" : "";
        var s = Statistic is double st ? $"statistic={st.ToString("G6", CultureInfo.InvariantCulture)}" : "";
        return $"{Check}: {Verdict} — {Message} ({s}{p}, n={N}; expected {Expected}, observed {Observed})";
    }
}

/// <summary>
/// Gate thresholds (docs/statistics.md §6): a check fails at p &lt; 1e-6 (dieharder's Xfail) and is suspect at p &lt; 1e-3.
/// With about 600 gated p-values per run the family-wise false-alarm rate is at most 600·1e-6 ≈ 6e-4 per fresh
/// seed set (Bonferroni; the checks are positively correlated, so the true rate is lower); the gate's seeds are fixed,
/// so a given commit's outcome is deterministic.
/// </summary>
public sealed record GateThresholds(double FailP = 1e-6, double SuspectP = 1e-3)
{
    public static GateThresholds Default { get; } = new();

    public Verdict Classify(double p) => p < FailP ? Verdict.Fail : p < SuspectP ? Verdict.Suspect : Verdict.Pass;

    /// <summary>
    /// The one-sample KS distance that is suspect for <paramref name="n"/> values: kolmogi(SuspectP)/√n, from the
    /// Kolmogorov limit law (1.9495/√n at 1e-3). For reports; the verdict uses the exact p-value.
    /// </summary>
    public double KsSuspectDistance(long n) => WeightInit.Statistics.Kolmogorov.KolmogorovInverse(SuspectP) / Math.Sqrt(n);

    /// <summary>The Anderson–Darling A² that fails the gate: the FailP upper quantile of the limit law A∞ (12.516 at 1e-6).</summary>
    public double AdFailStatistic => WeightInit.Statistics.AndersonDarlingDistribution.Isf(FailP);

    /// <summary>A p-value threshold as reports print it: 1e-3, 1e-6.</summary>
    public static string FormatP(double p) => p.ToString("0e-0", CultureInfo.InvariantCulture);
}
