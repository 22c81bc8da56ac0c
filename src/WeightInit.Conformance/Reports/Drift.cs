using System.Globalization;
using System.Text.Json;
using WeightInit.Conformance.Checks;
using WeightInit.Conformance.Engine;
using WeightInit.Statistics;

namespace WeightInit.Conformance.Reports;

/// <summary>
/// The drift-relevant figures of one case from one source (a run, an earlier report.json, or reference samples):
/// variance ratio (observed / target variance about the known mean), one-sample KS distance against the theoretical
/// law, bound hits (values outside the support), the sample size, and the kurtosis of the target law (for the standard
/// error of the variance ratio). Figures are null when the case has no i.i.d. scalar law (orthogonal, constant, identity).
/// </summary>
public sealed record CaseFigures(string CaseId, double? VarianceRatio, double? KsDistance, long? BoundHits, long N, double? Kurtosis)
{
    /// <summary>True when there is something to compare.</summary>
    public bool HasFigures => VarianceRatio is not null || KsDistance is not null || BoundHits is not null;
}

/// <summary>A named set of per-case figures: one side of a drift comparison.</summary>
public sealed record FigureSet(string Label, IReadOnlyDictionary<string, CaseFigures> Cases);

/// <summary>How one figure moved between two sources, with a two-sided p-value for "no change".</summary>
/// <param name="Old">Baseline value (null when absent).</param>
/// <param name="New">Current value (null when absent).</param>
/// <param name="Statistic">Test statistic: z for variance ratios, √(n₁n₂/(n₁+n₂))·|ΔD| for KS distances, the
/// hits of the new side for bound hits.</param>
/// <param name="PValue">Two-sided p-value of "the underlying value did not move" (null when not computable).</param>
/// <param name="Significant">p below the drift threshold.</param>
public sealed record Move(double? Old, double? New, double? Statistic, double? PValue, bool Significant)
{
    public static Move None(double? oldValue, double? newValue) => new(oldValue, newValue, null, null, false);

    /// <summary>+1 up, -1 down, 0 unchanged or not comparable.</summary>
    public int Direction => Old is double o && New is double n ? Math.Sign(n - o) : 0;
}

/// <summary>Drift of one case: how its variance ratio, KS distance and bound hits moved.</summary>
public sealed record DriftRow(string CaseId, string Status, long OldN, long NewN, Move VarianceRatio, Move KsDistance, Move BoundHits)
{
    public const string Compared = "compared";
    public const string NotApplicable = "no scalar law";
    public const string OnlyInBaseline = "only in baseline";
    public const string OnlyInCurrent = "not in baseline";

    public bool Significant => VarianceRatio.Significant || KsDistance.Significant || BoundHits.Significant;
}

/// <summary>A drift table: every case of either side, significant moves flagged in both directions.</summary>
public sealed record DriftReport(string BaselineLabel, string CurrentLabel, double Alpha, IReadOnlyList<DriftRow> Rows)
{
    public IEnumerable<DriftRow> SignificantRows => Rows.Where(r => r.Significant);
    public int SignificantCount => Rows.Count(r => r.Significant);
    public int ComparedCount => Rows.Count(r => r.Status == DriftRow.Compared);
}

/// <summary>
/// Drift between two sets of case figures. Each move is tested against "no change in the underlying law":
/// <list type="bullet">
/// <item>variance ratio: z = (r₂ − r₁)/√(se₁² + se₂²), se = r·√((κ−1)/n) with κ the kurtosis of the target law
/// (the sampling error of mean((x−μ)²)/σ²); p = 2Φ(−|z|);</item>
/// <item>KS distance: |D₂ − D₁| ≤ sup|F̂₂ − F̂₁| (triangle inequality), so the two-sample KS law bounds it:
/// p = Q_KS(√(n₁n₂/(n₁+n₂))·|D₂ − D₁|) (conservative);</item>
/// <item>bound hits: Poisson counts with rates proportional to n; given the total k = h₁ + h₂, h₂ ~ Binomial(k, n₂/(n₁+n₂));
/// exact two-sided p.</item>
/// </list>
/// A move is significant when p &lt; <see cref="DefaultAlpha"/> (1e-4: about 170 compared figures per run give a
/// family-wise false-alarm rate near 2% for independent samples; identical runs never drift).
/// </summary>
public static class DriftAnalysis
{
    public const double DefaultAlpha = 1e-4;

    public static DriftReport Compare(FigureSet baseline, FigureSet current, double alpha = DefaultAlpha)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(current);
        if (!(alpha > 0 && alpha < 1)) throw new ArgumentException($"drift alpha must be in (0, 1); got {alpha}.", nameof(alpha));
        var ids = current.Cases.Keys.Concat(baseline.Cases.Keys.Where(k => !current.Cases.ContainsKey(k))).ToList();
        var rows = new List<DriftRow>(ids.Count);
        foreach (var id in ids)
        {
            baseline.Cases.TryGetValue(id, out var o);
            current.Cases.TryGetValue(id, out var n);
            if (o is null)
                rows.Add(new(id, DriftRow.OnlyInCurrent, 0, n!.N, Move.None(null, n.VarianceRatio), Move.None(null, n.KsDistance), Move.None(null, n.BoundHits)));
            else if (n is null)
                rows.Add(new(id, DriftRow.OnlyInBaseline, o.N, 0, Move.None(o.VarianceRatio, null), Move.None(o.KsDistance, null), Move.None(o.BoundHits, null)));
            else if (!o.HasFigures && !n.HasFigures)
                rows.Add(new(id, DriftRow.NotApplicable, o.N, n.N, Move.None(null, null), Move.None(null, null), Move.None(null, null)));
            else
                rows.Add(new(id, DriftRow.Compared, o.N, n.N,
                    VarianceMove(o, n, alpha), KsMove(o, n, alpha), HitsMove(o, n, alpha)));
        }
        return new DriftReport(baseline.Label, current.Label, alpha, rows);
    }

    public static Move VarianceMove(CaseFigures o, CaseFigures n, double alpha)
    {
        if (o.VarianceRatio is not double r1 || n.VarianceRatio is not double r2 || o.N <= 0 || n.N <= 0)
            return Move.None(o.VarianceRatio, n.VarianceRatio);
        double k = n.Kurtosis ?? o.Kurtosis ?? 3.0;
        double k1 = o.Kurtosis ?? k, k2 = n.Kurtosis ?? k;
        double se2 = r1 * r1 * (k1 - 1) / o.N + r2 * r2 * (k2 - 1) / n.N;
        if (r1 == r2) return new(r1, r2, 0, 1, false);
        if (!(se2 > 0) || !double.IsFinite(se2)) return Move.None(r1, r2);
        double z = (r2 - r1) / Math.Sqrt(se2);
        double p = Math.Min(1, 2 * StandardNormal.Cdf(-Math.Abs(z)));
        return new(r1, r2, z, p, p < alpha);
    }

    public static Move KsMove(CaseFigures o, CaseFigures n, double alpha)
    {
        if (o.KsDistance is not double d1 || n.KsDistance is not double d2 || o.N <= 0 || n.N <= 0)
            return Move.None(o.KsDistance, n.KsDistance);
        if (d1 == d2) return new(d1, d2, 0, 1, false);
        double lambda = Math.Sqrt((double)o.N * n.N / (o.N + n.N)) * Math.Abs(d2 - d1);
        double p = Math.Clamp(Kolmogorov.KolmogorovSf(lambda), 0, 1);
        return new(d1, d2, lambda, p, p < alpha);
    }

    public static Move HitsMove(CaseFigures o, CaseFigures n, double alpha)
    {
        if (o.BoundHits is not long h1 || n.BoundHits is not long h2 || o.N <= 0 || n.N <= 0)
            return Move.None(o.BoundHits, n.BoundHits);
        long k = h1 + h2;
        if (k == 0) return new(0, 0, 0, 1, false);
        double q = (double)n.N / (o.N + n.N);
        double lower = MathNet.Numerics.Distributions.Binomial.CDF(q, (int)Math.Min(k, int.MaxValue), h2);
        double upper = h2 == 0 ? 1 : 1 - MathNet.Numerics.Distributions.Binomial.CDF(q, (int)Math.Min(k, int.MaxValue), h2 - 1);
        double p = Math.Clamp(2 * Math.Min(lower, upper), 0, 1);
        return new(h1, h2, h2, p, p < alpha);
    }

    // ------------------------------------------------------------------ figure sources

    /// <summary>The SUT's figures from a run (kurtosis from the catalog's law of each case).</summary>
    public static FigureSet FromRun(RunReport run, CaseCatalog? catalog, string? label = null) =>
        new(label ?? $"{run.Sut} run {run.StartedUtc:yyyy-MM-dd HH:mm}Z",
            run.Cases.ToDictionary(c => c.CaseId, c => OfOutcome(c, catalog), StringComparer.Ordinal));

    /// <summary>
    /// The SUT's figures of one case: the battery's own support, variance and KS results (full precision; the
    /// variance check's statistic is the ratio), falling back to <see cref="CaseOutcome.Statistics"/>.
    /// </summary>
    public static CaseFigures OfOutcome(CaseOutcome c, CaseCatalog? catalog)
    {
        var f = Extract(c.CaseId, c.Checks, onReference: false, KurtosisOf(catalog, c.CaseId));
        return new CaseFigures(c.CaseId, f.VarianceRatio ?? c.Statistics.VarianceRatio, f.KsDistance ?? c.Statistics.KsDistance,
            f.BoundHits ?? c.Statistics.BoundHits, Math.Max(f.N, c.Statistics.N), f.Kurtosis);
    }

    /// <summary>
    /// The reference samples' figures, as the run computed them (its "reference …" checks on the reference data);
    /// cases without reference checks are left out.
    /// </summary>
    public static FigureSet FromRunReference(RunReport run, CaseCatalog? catalog, string? label = null)
    {
        var cases = new Dictionary<string, CaseFigures>(StringComparer.Ordinal);
        foreach (var c in run.Cases)
        {
            var refChecks = c.Checks.Where(r => r.Check.OnReference).ToList();
            if (refChecks.Count == 0) continue;
            cases[c.CaseId] = Extract(c.CaseId, refChecks, onReference: true, KurtosisOf(catalog, c.CaseId));
        }
        string name = run.ReferenceProvenance.ContainsKey("framework") ? $"{ReportBundle.ReferenceName(run)} reference samples" : "reference samples";
        return new(label ?? name, cases);
    }

    /// <summary>
    /// Figures of a reference-data folder computed on the fly from its .npy samples (the battery's support, variance
    /// and KS checks against the catalog's theoretical law of each case). Verifies the folder (sha256 and all).
    /// </summary>
    public static FigureSet FromReferenceFolder(string folder, CaseCatalog catalog, string? label = null)
    {
        var data = ReferenceData.Load(folder);
        return FromReferenceData(data, catalog, label);
    }

    public static FigureSet FromReferenceData(ReferenceData data, CaseCatalog catalog, string? label = null)
    {
        var cases = new Dictionary<string, CaseFigures>(StringComparer.Ordinal);
        var list = data.Manifest.Cases.Where(r => catalog.Contains(r.Id)).ToList();
        var results = new CaseFigures[list.Count];
        Parallel.For(0, list.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            var r = list[i];
            var c = catalog[r.Id];
            var law = c.CreateInitializer().DeriveParameters(c.Shape).Distribution;
            var dist = TheoreticalLaw.For(law);
            if (dist is null || r.Values == 0) { results[i] = new CaseFigures(r.Id, null, null, null, r.Values, dist?.Kurtosis); return; }
            var values = data.Values(r.Id).ToDoubleArray();
            var checks = Battery.Run(r.Id, law, values, r.StoredDType == DType.Float32);
            results[i] = Extract(r.Id, checks, onReference: false, dist.Kurtosis);
        });
        foreach (var f in results) cases[f.CaseId] = f;
        var m = data.Manifest;
        return new(label ?? $"{m.Framework} {m.FrameworkVersion} reference samples ({data.Directory})", cases);
    }

    /// <summary>Figures stored in an earlier report.json (schema <see cref="ReportJson.Schema"/>).</summary>
    public static FigureSet FromReportJson(string path, string? label = null)
    {
        string text;
        try { text = File.ReadAllText(path); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        { throw new ReportException($"{path}: cannot read the baseline ({ex.Message})."); }
        try
        {
            using var doc = JsonDocument.Parse(text);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("schema", out var schema) || schema.GetString() != ReportJson.Schema)
                throw new ReportException($"{path}: not a harness report.json (expected \"schema\": \"{ReportJson.Schema}\").");
            var cases = new Dictionary<string, CaseFigures>(StringComparer.Ordinal);
            foreach (var c in root.GetProperty("cases").EnumerateArray())
            {
                var id = c.GetProperty("id").GetString() ?? throw new ReportException($"{path}: a case has no id.");
                var s = c.GetProperty("statistics");
                cases[id] = new CaseFigures(id, Number(s, "variance_ratio"), Number(s, "ks_distance"),
                    Number(s, "bound_hits") is double h ? (long)h : null, (long)(Number(s, "n") ?? 0), Number(s, "kurtosis"));
            }
            string sut = root.TryGetProperty("sut", out var su) ? su.GetString() ?? "?" : "?";
            string started = root.TryGetProperty("started_utc", out var st) ? st.GetString() ?? "" : "";
            return new(label ?? $"{sut} report {started} ({path})", cases);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new ReportException($"{path}: not a readable harness report.json ({ex.Message}).");
        }
    }

    /// <summary>
    /// A baseline given on the command line: a report.json file, or a reference-data folder (holding manifest.json).
    /// </summary>
    public static FigureSet Load(string spec, CaseCatalog catalog)
    {
        if (Directory.Exists(spec)) return FromReferenceFolder(spec, catalog);
        if (File.Exists(spec)) return FromReportJson(spec);
        throw new ReportException($"{spec}: no such baseline (give an earlier report.json or a reference-data folder).");
    }

    /// <summary>Kurtosis of a case's theoretical element law, or null when not i.i.d. or unknown.</summary>
    public static double? KurtosisOf(CaseCatalog? catalog, string caseId)
    {
        if (catalog is null || !catalog.Contains(caseId)) return null;
        var c = catalog[caseId];
        try { return TheoreticalLaw.For(c.CreateInitializer().DeriveParameters(c.Shape).Distribution)?.Kurtosis; }
        catch (WeightInitException) { return null; }
    }

    /// <summary>Support / variance / KS figures from the battery results on the SUT's values, or on the reference samples.</summary>
    public static CaseFigures Extract(string caseId, IEnumerable<CheckResult> checks, bool onReference, double? kurtosis)
    {
        CheckId Of(CheckId id) => onReference ? id.OfReference() : id;
        double? ratio = null, ks = null; long? hits = null; long n = 0;
        foreach (var r in checks)
        {
            if (r.Check == Of(CheckId.Variance))
            {
                int at = r.Observed.IndexOf("ratio ", StringComparison.Ordinal);
                if (r.Statistic is double st && double.IsFinite(st)) ratio = st;   // the variance test's statistic is the ratio
                else if (at >= 0 && double.TryParse(r.Observed[(at + 6)..].TrimEnd(')'), NumberStyles.Float, CultureInfo.InvariantCulture, out var v)) ratio = v;
                n = Math.Max(n, r.N);
            }
            if (r.Check == Of(CheckId.Ks)) { ks = r.Statistic; n = Math.Max(n, r.N); }
            if (r.Check == Of(CheckId.Support)) { if (r.Statistic is double s) hits = (long)s; n = Math.Max(n, r.N); }
        }
        return new CaseFigures(caseId, ratio, ks, hits, n, kurtosis);
    }

    private static double? Number(JsonElement obj, string name)
    {
        if (!obj.TryGetProperty(name, out var e)) return null;
        return e.ValueKind switch
        {
            JsonValueKind.Number => e.GetDouble(),
            JsonValueKind.String => double.TryParse(e.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null,
            _ => null,
        };
    }
}
