using System.Text;

namespace WeightInit.Conformance.Reports;

/// <summary>The drift table as aligned plain text for a terminal or a CI log (significant moves first).</summary>
public static class DriftText
{
    /// <summary>The one-line verdict the CLI prints after a run (check, merge): no move, or which cases moved.</summary>
    public static string Summary(DriftReport d) => d.SignificantCount == 0
        ? $"drift against {d.BaselineLabel}: no significant move in {d.ComparedCount} compared cases"
        : $"drift against {d.BaselineLabel}: {d.SignificantCount} case(s) moved significantly: {string.Join(", ", d.SignificantRows.Select(x => x.CaseId))}";

    public static string Write(DriftReport d)
    {
        var rows = d.Rows.OrderByDescending(r => r.Significant).ToList();
        var table = new List<string[]> { new[] { "case", "n (old → new)", "variance ratio", "KS distance", "bound hits", "drift" } };
        foreach (var r in rows)
            table.Add([r.CaseId, $"{r.OldN} → {r.NewN}", Fmt.Move(r.VarianceRatio), Fmt.Move(r.KsDistance), Fmt.Move(r.BoundHits, integer: true),
                r.Significant ? "DRIFT" : r.Status == DriftRow.Compared ? "-" : r.Status]);
        var widths = Enumerable.Range(0, table[0].Length).Select(i => table.Max(row => row[i].Length)).ToArray();
        var sb = new StringBuilder();
        sb.AppendLine($"drift: {d.BaselineLabel}  →  {d.CurrentLabel}");
        foreach (var row in table)
            sb.AppendLine(string.Join("  ", row.Select((cell, i) => cell.PadRight(widths[i]))).TrimEnd());
        sb.AppendLine(d.SignificantCount == 0
            ? $"no significant drift in {d.ComparedCount} compared cases (p < {Fmt.G(d.Alpha)}, both directions)"
            : $"{d.SignificantCount} case(s) drifted significantly (p < {Fmt.G(d.Alpha)}): {string.Join(", ", d.SignificantRows.Select(r => r.CaseId))}");
        return sb.ToString();
    }
}
