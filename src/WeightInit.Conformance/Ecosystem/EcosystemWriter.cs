using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using WeightInit.Conformance.Reports;

namespace WeightInit.Conformance.Ecosystem;

/// <summary>
/// Renders the ecosystem table as ecosystem.md (with the findings' SVG pictures written next to it under figures/),
/// ecosystem.json and ecosystem.html (pictures inline), and writes them all atomically (<see cref="AtomicFolder"/>):
/// a failure leaves any previous table as it was and never a partial one.
/// </summary>
public static class EcosystemWriter
{
    public const string MarkdownFile = "ecosystem.md";
    public const string JsonFile = "ecosystem.json";
    public const string HtmlFile = "ecosystem.html";
    public const string FiguresFolder = "figures";

    /// <summary>Every file of the output (relative path → content), rendered before the disk is touched.</summary>
    public static IReadOnlyList<(string Path, string Content)> Render(EcosystemReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var files = new List<(string, string)>();
        var figures = new Dictionary<EcosystemFinding, (string Hist, string QQ)>();
        foreach (var f in report.Findings)
        {
            if (f.Plot is null) continue;
            string stem = $"{FiguresFolder}/{Slug(f.Column)}--{Slug(f.CaseId)}";
            files.Add(($"{stem}-hist.svg", SvgPlot.Histogram(f.Plot, $"{f.ColumnLabel}: {f.CaseId}", f.ColumnLabel, "stored reference")));
            files.Add(($"{stem}-qq.svg", SvgPlot.QQ(f.Plot, $"Q-Q against the {f.LawName}: {f.CaseId}", f.ColumnLabel, "stored reference")));
            figures[f] = ($"{stem}-hist.svg", $"{stem}-qq.svg");
        }
        files.Insert(0, (JsonFile, ToJson(report) + "\n"));
        files.Insert(1, (MarkdownFile, ToMarkdown(report, figures)));
        files.Insert(2, (HtmlFile, ToHtml(report)));
        return files;
    }

    /// <summary>Writes the table into <paramref name="outDir"/> atomically; returns the full paths of the three main files.</summary>
    /// <exception cref="ReportException">The folder cannot be written (it is a file, or not writable).</exception>
    public static IReadOnlyList<string> Write(EcosystemReport report, string outDir)
    {
        var rendered = Render(report);
        string full = AtomicFolder.Write(outDir, rendered, "table");
        return [Path.Combine(full, MarkdownFile), Path.Combine(full, JsonFile), Path.Combine(full, HtmlFile)];
    }

    /// <summary>ecosystem.json: the whole report, plots included (for findings).</summary>
    public static string ToJson(EcosystemReport report) => JsonSerializer.Serialize(report, new JsonSerializerOptions
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    /// <summary>The short text of a cell for the tables: verdict, then the figures.</summary>
    public static string CellText(EcosystemCell c, bool withDiagnosis)
    {
        ArgumentNullException.ThrowIfNull(c);
        switch (c.Status)
        {
            case "absent": return "absent";
            case "not covered": return "—";
            case "n/a": return $"n/a: {c.Diagnosis}";
            case "error": return $"**ERROR**{Exp(c)}: {c.Diagnosis}";
        }
        var sb = new StringBuilder(c.Status switch { "pass" => "pass", "suspect" => "suspect", _ => "**FAIL**" });
        sb.Append(Exp(c));
        var figs = new List<string>();
        if (c.VarianceRatio is double v) figs.Add($"var ×{Fmt.G(v)}");
        if (c.Support is not null) figs.Add(c.Support);
        if (c.KsD is double d) figs.Add($"D={Fmt.G(d, 3)} p={Fmt.P(c.KsP)}");
        figs.Add(c.SampleNote is not null && c.SampleNote.StartsWith("n = stored", StringComparison.Ordinal) ? $"n = stored ({c.N})" : $"n={c.N}{(c.SampleNote is null ? "" : " (reduced)")}");
        sb.Append(": ").Append(string.Join(", ", figs));
        if (withDiagnosis && c.Status != "pass" && c.Diagnosis is not null) sb.Append(". ").Append(c.Diagnosis);
        return sb.ToString();
    }

    private static string Exp(EcosystemCell c) => c.Expectation is null ? "" : $" ({c.Expectation})";

    private static string ToMarkdown(EcosystemReport r, IReadOnlyDictionary<EcosystemFinding, (string Hist, string QQ)> figures)
    {
        var sb = new StringBuilder();
        sb.AppendLine("# Ecosystem conformance table").AppendLine();
        sb.AppendLine($"Generated {r.GeneratedUtc} in {r.Seconds.ToString("F0", CultureInfo.InvariantCulture)} s{(r.Thorough ? ", thorough (n = 2^22)" : "")}" +
                      $"{(r.Filter is null ? "" : $", cases whose id contains '{r.Filter}'")}. Every implementation gets the gate's battery against the same law, " +
                      "the library's derivation of the case (equal to Keras 3's, bit for bit). A cell: the verdict, the variance ratio (observed / law), the support " +
                      "(values outside it / on its bounds; orthonormality for orthogonal schemes), the one-sample KS distance D with its p-value (Haar KS for orthogonal), and n. " +
                      "\"—\": the implementation has no such case; \"n = stored\": the stored reference values, which exist only for the catalog's seeds.");
        if (r.SlowOrthogonalN > 0)
            sb.AppendLine().AppendLine($"TF.js orthogonal cases run with n = {r.SlowOrthogonalN} instead of the catalog's n (TF.js does one QR per matrix in JavaScript; " +
                                       "at the catalog's n the four cases take minutes); `--tfjs-orthogonal-n 0` runs them in full. Those cells say \"reduced\".");
        sb.AppendLine().AppendLine("## Implementations").AppendLine();
        sb.AppendLine("| implementation | kind | status | cases | time | expectations |").AppendLine("|---|---|---|---:|---:|---|");
        foreach (var c in r.Columns)
            sb.AppendLine($"| {Fmt.Md(c.Label)} | {c.Kind} | {(c.Absent is null ? "ran" : "absent: " + Fmt.Md(c.Absent))} | {c.Cases} | {c.Seconds.ToString("F1", CultureInfo.InvariantCulture)} s | {Fmt.Md(c.Expectations ?? "—")} |");
        sb.AppendLine().AppendLine("## The table").AppendLine();
        foreach (var group in r.Rows.GroupBy(x => x.Scheme))
        {
            sb.AppendLine($"### {Fmt.Md(group.Key)}").AppendLine();
            sb.AppendLine("| case | law | " + string.Join(" | ", r.Columns.Select(c => Fmt.Md(c.Label))) + " |");
            sb.AppendLine("|---|---|" + string.Concat(r.Columns.Select(_ => "---|")));
            foreach (var row in group)
                sb.AppendLine($"| `{row.CaseId}` | {Fmt.Md(row.Law)} | " + string.Join(" | ", row.Cells.Select(c => Fmt.Md(CellText(c, withDiagnosis: false)))) + " |");
            sb.AppendLine();
        }
        sb.AppendLine("## Findings").AppendLine();
        if (r.Findings.Count == 0) sb.AppendLine("No divergence: every case that ran passed on every implementation reached.").AppendLine();
        int k = 0;
        foreach (var f in r.Findings)
        {
            sb.AppendLine($"### {++k}. {Fmt.Md(f.ColumnLabel)} · `{f.CaseId}`{(f.Expectation is null ? "" : $" ({f.Expectation})")}").AppendLine();
            sb.AppendLine(Fmt.Md(f.Sentence)).AppendLine();
            sb.AppendLine($"Evidence: {Fmt.Md(f.Evidence)}.").AppendLine();
            if (figures.TryGetValue(f, out var fig))
                sb.AppendLine($"![histogram against the {f.LawName}]({fig.Hist}) ![Q-Q against the {f.LawName}]({fig.QQ})").AppendLine();
            else
                sb.AppendLine("(no picture: the case produced no values to plot)").AppendLine();
        }
        var absent = r.Columns.Where(c => c.Absent is not null).ToArray();
        if (absent.Length > 0)
        {
            sb.AppendLine("## Implementations not reached").AppendLine();
            foreach (var c in absent) sb.AppendLine($"- {Fmt.Md(c.Label)}: {Fmt.Md(c.Absent!)}");
            sb.AppendLine();
        }
        return sb.ToString();
    }

    private static string ToHtml(EcosystemReport r)
    {
        static string H(string s) => WebUtility.HtmlEncode(s);
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Ecosystem conformance table</title><style>")
          .Append("body{font-family:sans-serif;margin:1.5em;max-width:110em}table{border-collapse:collapse;margin-bottom:1.5em}td,th{border:1px solid #ccc;padding:3px 6px;vertical-align:top;font-size:12px}")
          .Append("td.pass{background:#e8f5e9}td.suspect{background:#fff8e1}td.fail,td.error{background:#ffebee}td.expected{background:#fff3e0}td.absent,td.na{background:#f1f1f1;color:#555}code{font-size:11px}")
          .Append(".fig svg{margin-right:8px}</style></head><body>");
        sb.Append("<h1>Ecosystem conformance table</h1>");
        sb.Append($"<p>Generated {H(r.GeneratedUtc)} in {r.Seconds.ToString("F0", CultureInfo.InvariantCulture)} s{(r.Thorough ? ", thorough" : "")}{(r.Filter is null ? "" : $", filter '{H(r.Filter)}'")}. " +
                  "Each implementation is checked against the law the library derives for the case (equal to Keras 3's). Cells: verdict, variance ratio, support, KS D and p, n; hover for the diagnosis.</p>");
        if (r.SlowOrthogonalN > 0) sb.Append($"<p>TF.js orthogonal cases run with n = {r.SlowOrthogonalN} (reduced; TF.js Orthogonal is slow).</p>");
        sb.Append("<h2>Implementations</h2><table><tr><th>implementation</th><th>kind</th><th>status</th><th>cases</th><th>time</th><th>expectations</th></tr>");
        foreach (var c in r.Columns)
            sb.Append($"<tr><td>{H(c.Label)}</td><td>{c.Kind}</td><td>{(c.Absent is null ? "ran" : "absent: " + H(c.Absent))}</td><td>{c.Cases}</td><td>{c.Seconds.ToString("F1", CultureInfo.InvariantCulture)} s</td><td>{H(c.Expectations ?? "—")}</td></tr>");
        sb.Append("</table><h2>The table</h2>");
        foreach (var group in r.Rows.GroupBy(x => x.Scheme))
        {
            sb.Append($"<h3>{H(group.Key)}</h3><table><tr><th>case</th><th>law</th>");
            foreach (var c in r.Columns) sb.Append($"<th>{H(c.Label)}</th>");
            sb.Append("</tr>");
            foreach (var row in group)
            {
                sb.Append($"<tr><td><code>{H(row.CaseId)}</code></td><td>{H(row.Law)}</td>");
                foreach (var c in row.Cells)
                {
                    string cls = c.Expectation == "expected" ? "expected" : c.Status switch { "n/a" or "not covered" => "na", var s => s };
                    string text = CellText(c, withDiagnosis: false).Replace("**", "");
                    if (c.Status == "absent") text = "absent: " + c.Diagnosis;
                    sb.Append($"<td class=\"{cls}\" title=\"{H(c.Diagnosis ?? "")}\">{H(text)}</td>");
                }
                sb.Append("</tr>");
            }
            sb.Append("</table>");
        }
        sb.Append("<h2>Findings</h2>");
        if (r.Findings.Count == 0) sb.Append("<p>No divergence: every case that ran passed on every implementation reached.</p>");
        int k = 0;
        foreach (var f in r.Findings)
        {
            sb.Append($"<h3>{++k}. {H(f.ColumnLabel)} · <code>{H(f.CaseId)}</code>{(f.Expectation is null ? "" : $" ({H(f.Expectation)})")}</h3>");
            sb.Append($"<p>{H(f.Sentence)}</p><p>Evidence: {H(f.Evidence)}.</p>");
            if (f.Plot is not null)
                sb.Append("<div class=\"fig\">").Append(SvgPlot.Histogram(f.Plot, $"{f.ColumnLabel}: {f.CaseId}", f.ColumnLabel, "stored reference"))
                  .Append(SvgPlot.QQ(f.Plot, $"Q-Q against the {f.LawName}: {f.CaseId}", f.ColumnLabel, "stored reference")).Append("</div>");
        }
        sb.Append("</body></html>\n");
        return sb.ToString();
    }

    private static string Slug(string s) => new(s.Select(ch => char.IsLetterOrDigit(ch) || ch is '.' or '-' or '_' ? ch : '_').ToArray());
}
