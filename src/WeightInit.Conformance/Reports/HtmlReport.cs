using System.Net;
using System.Text;
using WeightInit.Conformance.Checks;
using WeightInit.Conformance.Engine;

namespace WeightInit.Conformance.Reports;

/// <summary>
/// <c>report.html</c>: one self-contained page (inline CSS and SVG, no script, nothing fetched): the verdict, the summary
/// table of every case, the failures with their diagnosis, the drift table, then per scheme each case's histogram of the
/// samples over the theoretical density with the reference samples overlaid, its Q-Q plot and its checks.
/// </summary>
public static class HtmlReport
{
    public static string Write(ReportBundle b)
    {
        var run = b.Run;
        var sb = new StringBuilder();
        string refName = ReportBundle.ReferenceName(run);
        sb.AppendLine("<!DOCTYPE html>");
        sb.AppendLine("<html lang=\"en\"><head><meta charset=\"utf-8\">");
        sb.AppendLine($"<title>Conformance {(b.Passed ? "passed" : "FAILED")}: {E(run.Sut)} vs {E(refName)}</title>");
        sb.AppendLine("<style>" + Css + "</style></head><body>");
        sb.AppendLine($"<h1 class=\"{(b.Passed ? "ok" : "bad")}\">Conformance {(b.Passed ? "passed" : "FAILED")}: <code>{E(run.Sut)}</code> against {E(refName)}</h1>");
        sb.AppendLine($"<p class=\"counts\"><b>{run.Cases.Count} cases, {b.TotalChecks} checks</b>: <span class=\"pass\">{b.Count(Verdict.Pass)} pass</span> · " +
                      $"<span class=\"suspect\">{b.Count(Verdict.Suspect)} suspect</span> · <span class=\"fail\">{b.Count(Verdict.Fail)} fail</span> · {b.Count(Verdict.Info)} info" +
                      (b.CaseErrors > 0 ? $" · <span class=\"fail\">{b.CaseErrors} case errors</span>" : "") +
                      (b.Drift is null ? "" : $" · drift: <span class=\"{(b.Drift.SignificantCount == 0 ? "pass" : "fail")}\">{b.Drift.SignificantCount} case(s) moved</span>") + "</p>");
        sb.AppendLine($"<p class=\"meta\">Run {run.StartedUtc.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z, {run.Duration.TotalSeconds:F1} s; {(b.Thorough ? "thorough, n = 2^22" : "n = 2^18")} per case" +
                      $"{(b.Filter is null ? "" : $", filter <code>{E(b.Filter)}</code>")}; fail at p &lt; {Fmt.G(run.Thresholds.FailP)}, suspect at p &lt; {Fmt.G(run.Thresholds.SuspectP)}. " +
                      string.Join("; ", run.ReferenceProvenance.Select(kv => $"{E(kv.Key)}: <code>{E(kv.Value)}</code>")) + "</p>");

        // Summary table.
        sb.AppendLine("<h2>Summary</h2><table class=\"summary\"><thead><tr><th>case</th><th>scheme</th><th>law</th><th>n</th><th>verdict</th><th>checks</th>" +
                      "<th>variance ratio</th><th>KS D</th><th>bound hits</th>" + (b.Drift is null ? "" : "<th>drift</th>") + "</tr></thead><tbody>");
        var driftById = b.Drift?.Rows.ToDictionary(r => r.CaseId, StringComparer.Ordinal);
        foreach (var c in b.CasesWorstFirst)
        {
            b.Figures.TryGetValue(c.CaseId, out var f);
            var v = ReportBundle.CaseVerdict(c);
            int failed = c.Checks.Count(r => r.Verdict == Verdict.Fail);
            string drift = "";
            if (driftById is not null)
                drift = driftById.TryGetValue(c.CaseId, out var dr) && dr.Significant ? "<td class=\"fail\">moved</td>" : "<td>—</td>";
            sb.AppendLine($"<tr class=\"{(v == "pass" ? "" : v)}\"><td><a href=\"#{Anchor(c.CaseId)}\">{E(c.CaseId)}</a></td><td>{E(c.Initializer)}</td><td>{E(c.Law)}</td><td class=\"num\">{c.N}</td>" +
                          $"<td class=\"{v}\">{v}</td><td class=\"num\">{c.Checks.Count}{(failed > 0 ? $" ({failed} fail)" : "")}</td><td class=\"num\">{Fmt.G(f?.VarianceRatio, 5)}</td>" +
                          $"<td class=\"num\">{Fmt.G(f?.KsDistance, 3)}</td><td class=\"num\">{Fmt.I(f?.BoundHits)}</td>{drift}</tr>");
        }
        sb.AppendLine("</tbody></table>");

        // Failures with their diagnosis.
        var failures = run.AllChecks.Where(r => r.Verdict == Verdict.Fail).ToList();
        var errors = run.Cases.Where(c => c.Error is not null).ToList();
        if (failures.Count + errors.Count > 0)
        {
            sb.AppendLine($"<h2 class=\"bad\">Failures ({failures.Count + errors.Count})</h2><ul class=\"failures\">");
            foreach (var c in errors) sb.AppendLine($"<li><a href=\"#{Anchor(c.CaseId)}\">{E(c.CaseId)}</a>: could not run: {E(c.Error!)}</li>");
            foreach (var r in failures)
                sb.AppendLine($"<li><a href=\"#{Anchor(r.CaseId)}\">{E(r.CaseId)}</a> · <b>{E(r.Check.ToString())}</b>: {E(r.Message)} <span class=\"meta\">(statistic {Fmt.G(r.Statistic, 6)}, p {Fmt.P(r.PValue)}, n {r.N}; expected {E(r.Expected)}, observed {E(r.Observed)})</span></li>");
            sb.AppendLine("</ul>");
        }

        if (b.Expectations is { } ex)
        {
            sb.AppendLine($"<h2 class=\"{(ex.Passed(b.Strict) ? "ok" : "bad")}\">Against the expectations ({(ex.File is null ? "no expectations file" : E(Path.GetFileName(ex.File)))}): " +
                          $"{ex.New.Count()} new, {ex.FixedUpstream.Count()} fixed upstream?, {ex.Expected.Count()} expected</h2>");
            foreach (var (title, css, items) in new[] { ("New failures", "fail", ex.New), ("Fixed upstream?", "suspect", ex.FixedUpstream), ("Expected divergences", "info", ex.Expected) })
            {
                var list = items.ToList();
                if (list.Count == 0) continue;
                sb.AppendLine($"<h3 class=\"{css}\">{title} ({list.Count})</h3><ul class=\"failures\">");
                foreach (var i in list)
                    sb.AppendLine($"<li><a href=\"#{Anchor(i.CaseId)}\">{E(i.CaseId)}</a> · <b>{E(i.Check)}</b>: {E(i.Message)}" +
                                  (i.Entry is { } en ? $" <span class=\"meta\">evidence: {E(en.Evidence)}; upstream: {E(en.Upstream)}</span>" : "") + "</li>");
                sb.AppendLine("</ul>");
            }
        }
        if (b.NotApplicable.Count > 0)
        {
            sb.AppendLine($"<h2>Not applicable ({b.NotApplicable.Count})</h2><p class=\"meta\">The SUT has no counterpart for these cases: neither a pass nor a failure.</p><ul>");
            foreach (var c in b.NotApplicable) sb.AppendLine($"<li>{E(c.CaseId)}: {E(c.NotApplicable!)}</li>");
            sb.AppendLine("</ul>");
        }

        if (b.Drift is not null) Drift(sb, b.Drift);

        // Per scheme: histogram over theory with reference overlay, Q-Q plot, checks.
        sb.AppendLine("<h2>Schemes</h2>");
        foreach (var group in run.Cases.GroupBy(c => c.Initializer))
        {
            sb.AppendLine($"<section class=\"scheme\"><h2 class=\"scheme\">{E(group.Key)}</h2>");
            foreach (var c in group)
            {
                var v = ReportBundle.CaseVerdict(c);
                sb.AppendLine($"<div class=\"case\" id=\"{Anchor(c.CaseId)}\"><h3><span class=\"badge {v}\">{v}</span> {E(c.CaseId)}</h3>");
                sb.AppendLine($"<p class=\"meta\">{E(c.Law)} · shape [{string.Join(", ", c.Shape)}] {E(c.DType.Name())} · n = {c.N} · config <code>{E(c.ConfigJson)}</code></p>");
                if (c.Error is not null) sb.AppendLine($"<p class=\"fail\">{E(c.Error)}</p>");
                if (c.Plot is { } p)
                {
                    sb.Append("<div class=\"plots\">");
                    string refLabel = $"{b.ReferenceOf(c.CaseId)} reference";
                    sb.Append(SvgPlot.Histogram(p, $"{c.CaseId}: histogram", $"{run.Sut} samples", refLabel));
                    sb.Append(SvgPlot.QQ(p, $"{c.CaseId}: Q-Q", $"{run.Sut} samples", refLabel));
                    sb.AppendLine("</div>");
                }
                else if (c.Error is null)
                    sb.AppendLine("<p class=\"meta\">No histogram: the elements are not i.i.d. draws from a scalar law (orthogonal, constant, identity) or the tensor is too small; see the checks.</p>");
                bool open = c.Failed || c.Suspect;
                sb.AppendLine($"<details{(open ? " open" : "")}><summary>{c.Checks.Count} checks</summary><table class=\"checks\"><thead><tr><th>check</th><th>verdict</th><th>statistic</th><th>p</th><th>n</th><th>expected</th><th>observed</th><th>message</th></tr></thead><tbody>");
                foreach (var r in c.Checks)
                {
                    string rv = r.Verdict.ToString().ToLowerInvariant();
                    sb.AppendLine($"<tr class=\"{rv}\"><td>{E(r.Check.ToString())}</td><td class=\"{rv}\">{rv}</td><td class=\"num\">{Fmt.G(r.Statistic, 6)}</td><td class=\"num\">{Fmt.P(r.PValue)}</td><td class=\"num\">{r.N}</td><td>{E(r.Expected)}</td><td>{E(r.Observed)}</td><td>{E(r.Message)}</td></tr>");
                }
                sb.AppendLine("</tbody></table></details></div>");
            }
            sb.AppendLine("</section>");
        }

        sb.AppendLine("<h2>Environment</h2><ul class=\"meta\">");
        foreach (var (k, val) in run.Environment) sb.AppendLine($"<li>{E(k)}: <code>{E(val)}</code></li>");
        sb.AppendLine("</ul></body></html>");
        return sb.ToString();
    }

    private static void Drift(StringBuilder sb, DriftReport d)
    {
        sb.AppendLine($"<h2>Drift against {E(d.BaselineLabel)}</h2>");
        sb.AppendLine($"<p class=\"meta\">Current: {E(d.CurrentLabel)}. Moves in either direction (▲ up, ▼ down) flagged at p &lt; {Fmt.G(d.Alpha)}: variance ratio by z from the two standard errors r·√((κ−1)/n), " +
                      "KS distance against the two-sample KS law, bound hits as Poisson counts.</p>");
        sb.AppendLine($"<p><b>{(d.SignificantCount == 0 ? $"No significant drift in {d.ComparedCount} compared cases." : $"{d.SignificantCount} case(s) drifted.")}</b></p>");
        void Table(IEnumerable<DriftRow> rows)
        {
            sb.AppendLine("<table class=\"drift\"><thead><tr><th>case</th><th>n (baseline → current)</th><th>variance ratio</th><th>KS distance</th><th>bound hits</th><th>drift</th></tr></thead><tbody>");
            foreach (var r in rows)
            {
                string flag = r.Significant ? "<td class=\"fail\">DRIFT</td>" : $"<td>{(r.Status == DriftRow.Compared ? "—" : E(r.Status))}</td>";
                sb.AppendLine($"<tr class=\"{(r.Significant ? "fail" : "")}\"><td>{E(r.CaseId)}</td><td class=\"num\">{r.OldN} → {r.NewN}</td><td>{E(Fmt.Move(r.VarianceRatio))}</td>" +
                              $"<td>{E(Fmt.Move(r.KsDistance))}</td><td>{E(Fmt.Move(r.BoundHits, integer: true))}</td>{flag}</tr>");
            }
            sb.AppendLine("</tbody></table>");
        }
        var significant = d.SignificantRows.ToList();
        if (significant.Count > 0) Table(significant);
        var others = d.Rows.Where(r => !r.Significant).ToList();
        if (others.Count > 0)
        {
            sb.AppendLine($"<details><summary>{(significant.Count == 0 ? "All" : "The other")} {others.Count} cases</summary>");
            Table(others);
            sb.AppendLine("</details>");
        }
    }

    private static string E(string s) => WebUtility.HtmlEncode(s);

    private static string Anchor(string id) => "case-" + new string(id.Select(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_' ? ch : '_').ToArray());

    private const string Css = """
        body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px;color:#222;max-width:1400px}
        h1.ok{color:#1a7f37} h1.bad,h2.bad{color:#cf222e} h2{border-bottom:1px solid #ddd;padding-bottom:4px;margin-top:28px}
        h2.scheme{font-size:1.15em;background:#f3f4f6;padding:6px 8px;border:none}
        table{border-collapse:collapse;font-size:12px;margin:6px 0} th,td{border:1px solid #ddd;padding:3px 6px;text-align:left;vertical-align:top}
        th{background:#f6f8fa} td.num{text-align:right;font-variant-numeric:tabular-nums}
        td.pass{color:#1a7f37} td.suspect{color:#9a6700;font-weight:bold} td.fail,td.error{color:#cf222e;font-weight:bold} tr.fail,tr.error{background:#fff0f0} tr.suspect{background:#fff8e1}
        span.pass{color:#1a7f37} span.suspect{color:#9a6700} span.fail,p.fail,li .fail{color:#cf222e}
        .badge{display:inline-block;padding:1px 7px;border-radius:9px;font-size:12px;color:white;vertical-align:middle}
        .badge.pass{background:#1a7f37;color:white} .badge.suspect{background:#bf8700;color:white} .badge.fail,.badge.error{background:#cf222e;color:white}
        .meta{color:#555;font-size:12px} code{font-size:11px;background:#f6f8fa;padding:0 3px} h1 code{font-size:inherit;background:none}
        .case{margin:10px 0 18px 0} .case h3{margin:6px 0 2px 0;font-size:14px}
        .plots{display:flex;flex-wrap:wrap;gap:10px} svg.plot{border:1px solid #e5e5e5}
        ul.failures li{margin-bottom:4px}
        """;
}
