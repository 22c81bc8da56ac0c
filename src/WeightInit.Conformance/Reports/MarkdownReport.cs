using System.Text;
using WeightInit.Conformance.Checks;

namespace WeightInit.Conformance.Reports;

/// <summary>
/// <c>report.md</c>: a summary fit for a CI job summary or a pull-request comment: the verdict and counts, the failures
/// first with their diagnosis, the suspects, then the drift table, then the per-case table and the provenance.
/// </summary>
public static class MarkdownReport
{
    public static string Write(ReportBundle b)
    {
        var run = b.Run;
        var sb = new StringBuilder();
        string reference = ReportBundle.ReferenceName(run);
        sb.AppendLine($"# Conformance {(b.Passed ? "✅ PASSED" : "❌ FAILED")}: `{run.Sut}` against {reference}");
        sb.AppendLine();
        sb.AppendLine($"**{run.Cases.Count} cases, {b.TotalChecks} checks**: {b.Count(Verdict.Pass)} pass · {b.Count(Verdict.Suspect)} suspect · " +
                      $"**{b.Count(Verdict.Fail)} fail** · {b.Count(Verdict.Info)} info (reported only)" + (b.CaseErrors > 0 ? $" · **{b.CaseErrors} case error(s)**" : "") +
                      $". Failure at p < {Fmt.G(run.Thresholds.FailP)}, suspect at p < {Fmt.G(run.Thresholds.SuspectP)}; " +
                      $"{(b.Thorough ? "thorough (n = 2^22 per case)" : "n = 2^18 per case")}{(b.Filter is null ? "" : $", filter `{b.Filter}`")}; " +
                      $"run {run.StartedUtc.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z in {run.Duration.TotalSeconds:F1} s.");
        if (b.Drift is not null)
            sb.AppendLine().AppendLine($"**Drift** against {b.Drift.BaselineLabel}: {(b.Drift.SignificantCount == 0 ? "no significant move" : $"**{b.Drift.SignificantCount} case(s) moved significantly**")} " +
                                       $"({b.Drift.ComparedCount} cases compared, p < {Fmt.G(b.Drift.Alpha)}).");
        sb.AppendLine();

        if (b.Expectations is { } ex) AppendExpectations(sb, ex, b.Strict);
        if (b.NotApplicable.Count > 0)
        {
            sb.AppendLine($"## Not applicable ({b.NotApplicable.Count}: the SUT has no counterpart; neither pass nor fail)");
            sb.AppendLine();
            foreach (var c in b.NotApplicable) sb.AppendLine($"- **{c.CaseId}** — {Fmt.Md(c.NotApplicable!)}");
            sb.AppendLine();
        }

        // Failures first, with their diagnosis.
        var errors = run.Cases.Where(c => c.Error is not null).ToList();
        var failures = run.Cases.SelectMany(c => c.Checks.Where(r => r.Verdict == Verdict.Fail)).ToList();
        sb.AppendLine($"## Failures ({failures.Count + errors.Count})");
        sb.AppendLine();
        if (failures.Count == 0 && errors.Count == 0) sb.AppendLine("None.");
        foreach (var c in errors)
            sb.AppendLine($"- **{c.CaseId}** — the case could not run: {Fmt.Md(c.Error!)}");
        foreach (var r in failures)
            sb.AppendLine($"- **{r.CaseId} · {r.Check}** — {Fmt.Md(r.Message)}  \n  statistic {Fmt.G(r.Statistic, 6)}, p {Fmt.P(r.PValue)}, n {r.N}; expected {Fmt.Md(r.Expected)}, observed {Fmt.Md(r.Observed)}");
        sb.AppendLine();

        var suspects = run.AllChecks.Where(r => r.Verdict == Verdict.Suspect).ToList();
        if (suspects.Count > 0)
        {
            sb.AppendLine($"## Suspect ({suspects.Count}, logged, not failing)");
            sb.AppendLine();
            foreach (var r in suspects)
                sb.AppendLine($"- {r.CaseId} · {r.Check} — {Fmt.Md(r.Message)} (statistic {Fmt.G(r.Statistic, 6)}, p {Fmt.P(r.PValue)}, n {r.N})");
            sb.AppendLine();
        }

        if (b.Drift is not null) AppendDrift(sb, b.Drift, "##");

        sb.AppendLine("## Cases");
        sb.AppendLine();
        sb.AppendLine("<details><summary>Every case (worst first)</summary>");
        sb.AppendLine();
        sb.AppendLine("| case | law | n | checks | verdict | variance ratio | KS D | bound hits |");
        sb.AppendLine("|---|---|---:|---:|---|---:|---:|---:|");
        foreach (var c in b.CasesWorstFirst)
        {
            b.Figures.TryGetValue(c.CaseId, out var f);
            string verdict = ReportBundle.CaseVerdict(c);
            int failed = c.Checks.Count(r => r.Verdict == Verdict.Fail);
            sb.AppendLine($"| {Fmt.Md(c.CaseId)} | {Fmt.Md(c.Law)} | {c.N} | {c.Checks.Count}{(failed > 0 ? $" ({failed} fail)" : "")} | {Icon(verdict)} {verdict} | " +
                          $"{Fmt.G(f?.VarianceRatio, 5)} | {Fmt.G(f?.KsDistance, 3)} | {Fmt.I(f?.BoundHits)} |");
        }
        sb.AppendLine();
        sb.AppendLine("</details>");
        sb.AppendLine();

        sb.AppendLine("## Provenance");
        sb.AppendLine();
        foreach (var (k, v) in run.ReferenceProvenance) sb.AppendLine($"- reference {k}: `{Fmt.Md(v)}`");
        foreach (var (k, v) in run.Environment) sb.AppendLine($"- {k}: `{Fmt.Md(v)}`");
        return sb.ToString();
    }

    /// <summary>The failures sorted against the expectations file: new ones first (they fail the run), then fixed-upstream, then expected.</summary>
    public static void AppendExpectations(StringBuilder sb, Expectations.ExpectationReport ex, bool strict)
    {
        sb.AppendLine($"## Against the expectations ({(ex.File is null ? "no expectations file" : $"`{Fmt.Md(Path.GetFileName(ex.File))}`")})");
        sb.AppendLine();
        sb.AppendLine($"**{ex.New.Count()} new** (fail the run) · {ex.FixedUpstream.Count()} fixed upstream? ({(strict ? "fail the run: --strict" : "reported; --strict fails on them")}) · " +
                      $"{ex.Expected.Count()} expected (listed divergences).");
        sb.AppendLine();
        foreach (var (title, items) in new[] { ("New failures", ex.New), ("Fixed upstream?", ex.FixedUpstream), ("Expected divergences", ex.Expected) })
        {
            var list = items.ToList();
            if (list.Count == 0) continue;
            sb.AppendLine($"### {title} ({list.Count})");
            sb.AppendLine();
            foreach (var i in list)
                sb.AppendLine($"- **{Fmt.Md(i.CaseId)} · {Fmt.Md(i.Check)}** — {Fmt.Md(i.Message)}" +
                              (i.Entry is { } e ? $"  \n  evidence: {Fmt.Md(e.Evidence)}; upstream: {Fmt.Md(e.Upstream)}" : ""));
            sb.AppendLine();
        }
    }

    /// <summary>The drift section: significant moves first, then every case in a collapsible table.</summary>
    public static void AppendDrift(StringBuilder sb, DriftReport d, string heading)
    {
        sb.AppendLine($"{heading} Drift against {Fmt.Md(d.BaselineLabel)}");
        sb.AppendLine();
        sb.AppendLine($"Current: {Fmt.Md(d.CurrentLabel)}. Each figure is tested for a change in either direction (▲ up, ▼ down): " +
                      "variance ratio by z from the two standard errors r·√((κ−1)/n), KS distance against the two-sample KS law, " +
                      $"bound hits as Poisson counts; flagged at p < {Fmt.G(d.Alpha)}.");
        sb.AppendLine();
        var significant = d.SignificantRows.ToList();
        if (significant.Count == 0)
            sb.AppendLine($"No significant drift in {d.ComparedCount} compared cases.");
        else
        {
            sb.AppendLine($"**{significant.Count} case(s) drifted:**");
            sb.AppendLine();
            Table(sb, significant);
        }
        var others = d.Rows.Where(r => !r.Significant).ToList();
        if (others.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine($"<details><summary>{(significant.Count == 0 ? "All" : "The other")} {others.Count} cases</summary>");
            sb.AppendLine();
            Table(sb, others);
            sb.AppendLine();
            sb.AppendLine("</details>");
        }
        sb.AppendLine();
    }

    private static void Table(StringBuilder sb, IEnumerable<DriftRow> rows)
    {
        sb.AppendLine("| case | n (baseline → current) | variance ratio | KS distance | bound hits | drift |");
        sb.AppendLine("|---|---:|---|---|---|---|");
        foreach (var r in rows)
        {
            string flag = r.Significant ? "**DRIFT**" : r.Status == DriftRow.Compared ? "—" : r.Status;
            sb.AppendLine($"| {Fmt.Md(r.CaseId)} | {r.OldN} → {r.NewN} | {Fmt.Move(r.VarianceRatio)} | {Fmt.Move(r.KsDistance)} | {Fmt.Move(r.BoundHits, integer: true)} | {flag} |");
        }
    }

    private static string Icon(string verdict) => verdict switch { "pass" => "✅", "suspect" => "⚠️", "not applicable" => "➖", _ => "❌" };
}
