using System.Globalization;
using System.Text;
using System.Text.Json;
using WeightInit.Conformance.Checks;
using WeightInit.Conformance.Expectations;

namespace WeightInit.Conformance.Reports;

/// <summary>
/// <c>report.json</c>: every case × check (statistic, p-value, n, expected, observed, verdict, message), the per-case
/// drift figures, the drift table, the environment and the reference provenance. Non-finite numbers are written as the
/// strings "NaN", "Infinity", "-Infinity". Read back as a drift baseline by <see cref="DriftAnalysis.FromReportJson"/>.
/// </summary>
public static class ReportJson
{
    public const string Schema = "weightinit-conformance-report/1";

    public static string Write(ReportBundle b)
    {
        var run = b.Run;
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("schema", Schema);
            w.WriteString("started_utc", run.StartedUtc.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
            Num(w, "duration_seconds", Math.Round(run.Duration.TotalSeconds, 3));
            w.WriteString("sut", run.Sut);
            w.WriteBoolean("passed", b.Passed);
            w.WriteStartObject("summary");
            w.WriteNumber("cases", run.Cases.Count);
            w.WriteNumber("checks", b.TotalChecks);
            w.WriteNumber("pass", b.Count(Verdict.Pass));
            w.WriteNumber("suspect", b.Count(Verdict.Suspect));
            w.WriteNumber("fail", b.Count(Verdict.Fail));
            w.WriteNumber("info", b.Count(Verdict.Info));
            w.WriteNumber("case_errors", b.CaseErrors);
            w.WriteNumber("failed_checks", run.FailedChecks);
            if (b.Drift is not null) w.WriteNumber("drifted_cases", b.Drift.SignificantCount);
            if (b.NotApplicable.Count > 0) w.WriteNumber("not_applicable", b.NotApplicable.Count);
            w.WriteEndObject();
            if (b.Expectations is { } ex)
            {
                // test262-style: every failure sorted as expected (listed), new, or a listed one that now passes.
                w.WriteStartObject("expectations");
                if (ex.File is null) w.WriteNull("file"); else w.WriteString("file", ex.File);
                w.WriteBoolean("strict", b.Strict);
                foreach (var (key, kind) in new[] { ("expected", FailureKind.Expected), ("new", FailureKind.New), ("fixed_upstream", FailureKind.FixedUpstream) })
                {
                    w.WriteStartArray(key);
                    foreach (var i in ex.Items.Where(i => i.Kind == kind))
                    {
                        w.WriteStartObject();
                        w.WriteString("case", i.CaseId);
                        w.WriteString("check", i.Check);
                        w.WriteString("message", i.Message);
                        if (i.Entry is { } e)
                        {
                            w.WriteString("diagnosis", e.Diagnosis);
                            w.WriteString("evidence", e.Evidence);
                            w.WriteString("upstream", e.Upstream);
                        }
                        w.WriteEndObject();
                    }
                    w.WriteEndArray();
                }
                w.WriteEndObject();
            }
            w.WriteStartObject("options");
            w.WriteBoolean("thorough", b.Thorough);
            if (b.Filter is null) w.WriteNull("filter"); else w.WriteString("filter", b.Filter);
            Num(w, "fail_p", run.Thresholds.FailP);
            Num(w, "suspect_p", run.Thresholds.SuspectP);
            if (b.Shard is null) w.WriteNull("shard"); else w.WriteString("shard", b.Shard.ToString());
            if (b.CatalogFingerprint is null) w.WriteNull("catalog_sha256"); else w.WriteString("catalog_sha256", b.CatalogFingerprint);
            w.WriteEndObject();
            Dict(w, "environment", run.Environment);
            Dict(w, "reference", run.ReferenceProvenance);

            w.WriteStartArray("cases");
            foreach (var c in run.Cases)
            {
                w.WriteStartObject();
                w.WriteString("id", c.CaseId);
                w.WriteString("title", c.Title);
                w.WriteString("initializer", c.Initializer);
                w.WritePropertyName("config");
                try { w.WriteRawValue(c.ConfigJson); } catch (JsonException) { w.WriteStringValue(c.ConfigJson); }
                w.WriteStartArray("shape");
                foreach (var d in c.Shape) w.WriteNumberValue(d);
                w.WriteEndArray();
                w.WriteString("dtype", c.DType.Name());
                w.WriteString("law", c.Law);
                w.WriteNumber("n", c.N);
                w.WriteString("verdict", ReportBundle.CaseVerdict(c));
                if (c.Error is null) w.WriteNull("error"); else w.WriteString("error", c.Error);
                if (c.NotApplicable is not null) w.WriteString("not_applicable", c.NotApplicable);
                if (b.ReferenceLabels is not null && b.ReferenceLabels.TryGetValue(c.CaseId, out var referenceLabel)) w.WriteString("reference_label", referenceLabel);
                var f = b.Figures.TryGetValue(c.CaseId, out var fig) ? fig : null;
                w.WriteStartObject("statistics");
                Num(w, "variance_ratio", f?.VarianceRatio ?? c.Statistics.VarianceRatio);
                Num(w, "ks_distance", f?.KsDistance ?? c.Statistics.KsDistance);
                if ((f?.BoundHits ?? c.Statistics.BoundHits) is long h) w.WriteNumber("bound_hits", h); else w.WriteNull("bound_hits");
                w.WriteNumber("n", f?.N ?? c.Statistics.N);
                Num(w, "kurtosis", f?.Kurtosis);
                w.WriteEndObject();
                w.WriteStartArray("checks");
                foreach (var r in c.Checks)
                {
                    w.WriteStartObject();
                    w.WriteString("check", r.Check.ToString());
                    w.WriteString("verdict", r.Verdict.ToString().ToLowerInvariant());
                    Num(w, "statistic", r.Statistic);
                    Num(w, "p_value", r.PValue);
                    w.WriteNumber("n", r.N);
                    w.WriteString("expected", r.Expected);
                    w.WriteString("observed", r.Observed);
                    w.WriteString("message", r.Message);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();

            if (b.Drift is null) w.WriteNull("drift");
            else
            {
                var d = b.Drift;
                w.WriteStartObject("drift");
                w.WriteString("baseline", d.BaselineLabel);
                w.WriteString("current", d.CurrentLabel);
                Num(w, "alpha", d.Alpha);
                w.WriteNumber("significant", d.SignificantCount);
                w.WriteStartArray("rows");
                foreach (var row in d.Rows)
                {
                    w.WriteStartObject();
                    w.WriteString("id", row.CaseId);
                    w.WriteString("status", row.Status);
                    w.WriteBoolean("significant", row.Significant);
                    w.WriteNumber("baseline_n", row.OldN);
                    w.WriteNumber("current_n", row.NewN);
                    MoveJson(w, "variance_ratio", row.VarianceRatio);
                    MoveJson(w, "ks_distance", row.KsDistance);
                    MoveJson(w, "bound_hits", row.BoundHits);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static void MoveJson(Utf8JsonWriter w, string name, Move m)
    {
        w.WriteStartObject(name);
        Num(w, "baseline", m.Old);
        Num(w, "current", m.New);
        Num(w, "statistic", m.Statistic);
        Num(w, "p_value", m.PValue);
        w.WriteBoolean("significant", m.Significant);
        w.WriteNumber("direction", m.Direction);
        w.WriteEndObject();
    }

    private static void Dict(Utf8JsonWriter w, string name, IReadOnlyDictionary<string, string> d)
    {
        w.WriteStartObject(name);
        foreach (var (k, v) in d) w.WriteString(k, v);
        w.WriteEndObject();
    }

    private static void Num(Utf8JsonWriter w, string name, double? v)
    {
        if (v is not double x) w.WriteNull(name);
        else if (double.IsNaN(x)) w.WriteString(name, "NaN");
        else if (double.IsPositiveInfinity(x)) w.WriteString(name, "Infinity");
        else if (double.IsNegativeInfinity(x)) w.WriteString(name, "-Infinity");
        else w.WriteNumber(name, x);
    }
}
