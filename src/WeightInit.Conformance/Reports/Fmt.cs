using System.Globalization;

namespace WeightInit.Conformance.Reports;

/// <summary>Number formatting shared by the report writers (invariant culture).</summary>
internal static class Fmt
{
    public static string G(double? v, int digits = 4) => v is double x
        ? double.IsNaN(x) ? "NaN" : double.IsInfinity(x) ? (x > 0 ? "∞" : "-∞") : x.ToString("G" + digits, CultureInfo.InvariantCulture).Replace("E-0", "e-").Replace("E+0", "e+").Replace("E", "e")
        : "—";

    public static string P(double? p) => p is double x ? x == 0 ? "0" : x < 1e-3 ? x.ToString("0.0e0", CultureInfo.InvariantCulture) : x.ToString("0.###", CultureInfo.InvariantCulture) : "—";

    public static string I(long? v) => v is long x ? x.ToString(CultureInfo.InvariantCulture) : "—";

    public static string Arrow(Move m) => !m.Significant ? "" : m.Direction > 0 ? "▲" : m.Direction < 0 ? "▼" : "•";

    /// <summary>"1.0012 → 0.7741 (z −112, p 0) ▼"</summary>
    public static string Move(Move m, bool integer = false)
    {
        if (m.Old is null && m.New is null) return "—";
        string o = integer ? I((long?)m.Old) : G(m.Old), n = integer ? I((long?)m.New) : G(m.New);
        string test = m.PValue is double p ? $" (p {P(p)})" : "";
        return $"{o} → {n}{test}{(m.Significant ? " " + Arrow(m) : "")}";
    }

    /// <summary>Escapes a cell of a Markdown table.</summary>
    public static string Md(string s) => s.Replace("|", "\\|").Replace("\r", " ").Replace("\n", " ");
}
