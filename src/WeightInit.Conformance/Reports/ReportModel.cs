using WeightInit.Conformance.Checks;
using WeightInit.Conformance.Engine;
using WeightInit.Conformance.Expectations;

namespace WeightInit.Conformance.Reports;

/// <summary>A report cannot be produced: bad baseline, unknown SUT, unwritable output folder (one line, exit 2).</summary>
public sealed class ReportException : WeightInitException
{
    public ReportException(string message) : base(message) { }
    public ReportException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>Everything the report writers render: the run, the per-case drift figures, the drift table and the options.</summary>
/// <param name="Run">The conformance run.</param>
/// <param name="Figures">Drift figures of the SUT per case (variance ratio, KS distance, bound hits, n, kurtosis).</param>
/// <param name="Drift">Drift against the baseline, when one was given.</param>
/// <param name="Thorough">The run used n = 2^22 per case.</param>
/// <param name="Filter">The case filter, if any.</param>
/// <param name="ReferenceLabels">Reference data each case ran against, when not the main one (case id → "pytorch 1.13.x").</param>
public sealed record ReportBundle(RunReport Run, IReadOnlyDictionary<string, CaseFigures> Figures, DriftReport? Drift, bool Thorough = false, string? Filter = null,
    IReadOnlyDictionary<string, string>? ReferenceLabels = null)
{
    public static ReportBundle Create(RunReport run, CaseCatalog? catalog, DriftReport? drift, bool thorough = false, string? filter = null,
        IReadOnlyDictionary<string, string>? referenceLabels = null) =>
        new(run, DriftAnalysis.FromRun(run, catalog).Cases, drift, thorough, filter, referenceLabels ?? run.ReferenceLabels);

    /// <summary>The shard this report covers (null: the whole run), recorded in report.json for <c>harness merge</c>.</summary>
    public ShardSpec? Shard { get; init; }

    /// <summary>The catalog's <see cref="Engine.CatalogFingerprint"/>, recorded in report.json so that merge refuses mixed catalogs.</summary>
    public string? CatalogFingerprint { get; init; }

    /// <summary>
    /// The reference data of a run: "keras 3.15.1", plus any further framework recorded in the provenance as
    /// <c>&lt;framework&gt;.framework_version</c> ("keras 3.15.1 and pytorch 1.13.x"); "no reference data" when none.
    /// </summary>
    public static string ReferenceName(RunReport run)
    {
        var p = run.ReferenceProvenance;
        if (!p.TryGetValue("framework", out var fw)) return "no reference data";
        var names = new List<string> { $"{fw} {p.GetValueOrDefault("framework_version")}" };
        foreach (var (k, v) in p)
            if (k.EndsWith(".framework_version", StringComparison.Ordinal)) names.Add($"{k[..k.IndexOf('.')]} {v}");
        return string.Join(" and ", names);
    }

    /// <summary>The reference data a case ran against ("keras 3.15.1").</summary>
    public string ReferenceOf(string caseId) =>
        ReferenceLabels is not null && ReferenceLabels.TryGetValue(caseId, out var label) ? label
        : Run.ReferenceProvenance.TryGetValue("framework", out var fw) ? $"{fw} {Run.ReferenceProvenance.GetValueOrDefault("framework_version")}" : "reference";

    /// <summary>The failures sorted against the SUT's expectations file (expected, new, fixed upstream?), when it has one.</summary>
    public ExpectationReport? Expectations { get; init; }

    /// <summary>With --strict a listed failure that now passes (fixed upstream?) also fails the run.</summary>
    public bool Strict { get; init; }

    /// <summary>The verdict of the run: no failed check, or with an expectations file, no new failure (see <see cref="Strict"/>).</summary>
    public bool Passed => Expectations is null ? Run.Passed : Expectations.Passed(Strict);

    /// <summary>Cases the SUT has no counterpart for, with the reason.</summary>
    public IReadOnlyList<CaseOutcome> NotApplicable => Run.Cases.Where(c => c.NotApplicable is not null).ToList();

    public int Count(Verdict v) => Run.AllChecks.Count(c => c.Verdict == v);
    public int CaseErrors => Run.Cases.Count(c => c.Error is not null);
    public int TotalChecks => Run.AllChecks.Count();

    /// <summary>The case verdict: error, fail, suspect or pass.</summary>
    public static string CaseVerdict(CaseOutcome c) => c.Error is not null ? "error" : c.NotApplicable is not null ? "not applicable"
        : c.Failed ? "fail" : c.Suspect ? "suspect" : "pass";

    /// <summary>Cases in report order: errors and failures first, then suspects, then the rest (catalog order within each).</summary>
    public IEnumerable<CaseOutcome> CasesWorstFirst => Run.Cases
        .Select((c, i) => (c, i))
        .OrderBy(t => CaseVerdict(t.c) switch { "error" => 0, "fail" => 1, "suspect" => 2, "not applicable" => 3, _ => 4 })
        .ThenBy(t => t.i)
        .Select(t => t.c);

    public string Headline => $"{(Passed ? "PASSED" : "FAILED")}: {Run.Sut} on {Run.Cases.Count} cases, {TotalChecks} checks — " +
        $"{Count(Verdict.Pass)} pass, {Count(Verdict.Suspect)} suspect, {Count(Verdict.Fail)} fail, {Count(Verdict.Info)} info" +
        (CaseErrors > 0 ? $", {CaseErrors} case error(s)" : "") +
        (NotApplicable.Count > 0 ? $", {NotApplicable.Count} case(s) not applicable" : "") +
        (Expectations is { } e && e.Items.Count > 0
            ? $"; failures against {System.IO.Path.GetFileName(e.File ?? "no expectations file")}: {e.Expected.Count()} expected, {e.New.Count()} new, {e.FixedUpstream.Count()} fixed upstream?"
            : "");
}
