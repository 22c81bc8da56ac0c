using System.Globalization;
using System.Net;
using System.Text;
using WeightInit.Conformance.Engine;

namespace WeightInit.Conformance.Reports;

/// <summary>
/// Inline SVG plots for report.html (no scripts, no fonts or images fetched: renders offline in any browser):
/// the histogram of the samples over the theoretical density with the reference samples' histogram overlaid, and a
/// Q-Q plot of the sample (and reference) quantiles against the theoretical ones.
/// </summary>
public static class SvgPlot
{
    public const string SampleColor = "#4c78a8";
    public const string TheoryColor = "#222222";
    public const string ReferenceColor = "#f58518";

    private const int W = 460, H = 300, Left = 58, Right = 12, Top = 26, Bottom = 40;

    /// <summary>Histogram of the samples (bars), theoretical density (black line), reference histogram (orange steps).</summary>
    public static string Histogram(PlotData p, string title, string sampleLabel = "samples", string referenceLabel = "reference")
    {
        double x0 = p.BinEdges[0], x1 = p.BinEdges[^1];
        double yMax = Max(p.SampleDensity, p.TheoryDensity, p.ReferenceDensity) * 1.22;   // headroom for the legend
        if (!(yMax > 0)) yMax = 1;
        var f = new Frame(x0, x1, 0, yMax);
        var sb = Begin(title, "histogram");
        Axes(sb, f, "value", "density");
        for (int i = 0; i < p.SampleDensity.Length; i++)
        {
            double xa = f.X(p.BinEdges[i]), xb = f.X(p.BinEdges[i + 1]), y = f.Y(p.SampleDensity[i]);
            sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{R(xa)}\" y=\"{R(y)}\" width=\"{R(Math.Max(0.5, xb - xa - 0.4))}\" height=\"{R(f.Y(0) - y)}\" fill=\"{SampleColor}\" fill-opacity=\"0.55\"/>");
        }
        if (p.ReferenceDensity is { } rd)
        {
            var pts = new StringBuilder();
            for (int i = 0; i < rd.Length; i++)
                pts.Append(CultureInfo.InvariantCulture, $"{R(f.X(p.BinEdges[i]))},{R(f.Y(rd[i]))} {R(f.X(p.BinEdges[i + 1]))},{R(f.Y(rd[i]))} ");
            sb.Append(CultureInfo.InvariantCulture, $"<polyline class=\"reference\" points=\"{pts}\" fill=\"none\" stroke=\"{ReferenceColor}\" stroke-width=\"1.6\"/>");
        }
        var theory = new StringBuilder();
        for (int i = 0; i < p.TheoryDensity.Length; i++)
            theory.Append(CultureInfo.InvariantCulture, $"{R(f.X((p.BinEdges[i] + p.BinEdges[i + 1]) / 2))},{R(f.Y(p.TheoryDensity[i]))} ");
        sb.Append(CultureInfo.InvariantCulture, $"<polyline class=\"theory\" points=\"{theory}\" fill=\"none\" stroke=\"{TheoryColor}\" stroke-width=\"1.8\"/>");
        Legend(sb, [(SampleColor, sampleLabel, "bar"), (TheoryColor, "theoretical density", "line"), .. p.ReferenceDensity is null ? Array.Empty<(string, string, string)>() : [(ReferenceColor, referenceLabel, "line")]]);
        return End(sb);
    }

    /// <summary>Q-Q plot: sample quantiles (blue) and reference quantiles (orange) against the theoretical quantiles; y = x dashed.</summary>
    public static string QQ(PlotData p, string title, string sampleLabel = "samples", string referenceLabel = "reference")
    {
        var all = p.TheoryQuantiles.Concat(p.SampleQuantiles).Concat(p.ReferenceQuantiles ?? []).Where(double.IsFinite).ToArray();
        double lo = all.Length == 0 ? -1 : all.Min(), hi = all.Length == 0 ? 1 : all.Max();
        if (hi <= lo) { lo -= 1; hi += 1; }
        double pad = (hi - lo) * 0.04;
        var f = new Frame(lo - pad, hi + pad, lo - pad, hi + pad);
        var sb = Begin(title, "qq");
        Axes(sb, f, "theoretical quantile", "sample quantile");
        sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{R(f.X(lo))}\" y1=\"{R(f.Y(lo))}\" x2=\"{R(f.X(hi))}\" y2=\"{R(f.Y(hi))}\" stroke=\"#888\" stroke-dasharray=\"4 3\"/>");
        if (p.ReferenceQuantiles is { } rq)
            for (int i = 0; i < rq.Length; i++)
                sb.Append(CultureInfo.InvariantCulture, $"<rect class=\"reference\" x=\"{R(f.X(p.TheoryQuantiles[i]) - 2)}\" y=\"{R(f.Y(rq[i]) - 2)}\" width=\"4\" height=\"4\" fill=\"none\" stroke=\"{ReferenceColor}\" stroke-width=\"1\"/>");
        for (int i = 0; i < p.SampleQuantiles.Length; i++)
            sb.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{R(f.X(p.TheoryQuantiles[i]))}\" cy=\"{R(f.Y(p.SampleQuantiles[i]))}\" r=\"1.9\" fill=\"{SampleColor}\"/>");
        Legend(sb, [(SampleColor, sampleLabel, "dot"), .. p.ReferenceQuantiles is null ? Array.Empty<(string, string, string)>() : [(ReferenceColor, referenceLabel, "square")], ("#888", "y = x", "dash")]);
        return End(sb);
    }

    private sealed record Frame(double X0, double X1, double Y0, double Y1)
    {
        public double X(double v) => Left + (v - X0) / (X1 - X0) * (W - Left - Right);
        public double Y(double v) => H - Bottom - (v - Y0) / (Y1 - Y0) * (H - Top - Bottom);
    }

    private static StringBuilder Begin(string title, string kind)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"plot {kind}\" width=\"{W}\" height=\"{H}\" viewBox=\"0 0 {W} {H}\" role=\"img\" font-family=\"sans-serif\" font-size=\"11\">");
        sb.Append($"<title>{WebUtility.HtmlEncode(title)}</title>");
        sb.Append(CultureInfo.InvariantCulture, $"<rect width=\"{W}\" height=\"{H}\" fill=\"white\"/>");
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{W / 2}\" y=\"15\" text-anchor=\"middle\" font-size=\"12\" font-weight=\"bold\">{WebUtility.HtmlEncode(title)}</text>");
        return sb;
    }

    private static string End(StringBuilder sb) => sb.Append("</svg>").ToString();

    private static void Axes(StringBuilder sb, Frame f, string xLabel, string yLabel)
    {
        double bx = H - Bottom, lx = Left;
        sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{Left}\" y=\"{Top}\" width=\"{W - Left - Right}\" height=\"{H - Top - Bottom}\" fill=\"none\" stroke=\"#bbb\"/>");
        foreach (var t in Ticks(f.X0, f.X1, 6))
        {
            double x = f.X(t);
            sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{R(x)}\" y1=\"{R(bx)}\" x2=\"{R(x)}\" y2=\"{R(bx + 4)}\" stroke=\"#555\"/>");
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{R(x)}\" y=\"{R(bx + 15)}\" text-anchor=\"middle\" fill=\"#333\">{Tick(t)}</text>");
        }
        foreach (var t in Ticks(f.Y0, f.Y1, 5))
        {
            double y = f.Y(t);
            sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{R(lx - 4)}\" y1=\"{R(y)}\" x2=\"{R(lx)}\" y2=\"{R(y)}\" stroke=\"#555\"/>");
            sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{R(lx)}\" y1=\"{R(y)}\" x2=\"{W - Right}\" y2=\"{R(y)}\" stroke=\"#eee\"/>");
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{R(lx - 6)}\" y=\"{R(y + 4)}\" text-anchor=\"end\" fill=\"#333\">{Tick(t)}</text>");
        }
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{(Left + W - Right) / 2}\" y=\"{H - 6}\" text-anchor=\"middle\" fill=\"#333\">{WebUtility.HtmlEncode(xLabel)}</text>");
        sb.Append(CultureInfo.InvariantCulture, $"<text transform=\"translate(13 {(Top + H - Bottom) / 2}) rotate(-90)\" text-anchor=\"middle\" fill=\"#333\">{WebUtility.HtmlEncode(yLabel)}</text>");
    }

    private static void Legend(StringBuilder sb, (string Color, string Label, string Mark)[] items)
    {
        double width = 30 + 6.2 * items.Max(i => i.Label.Length);
        sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{Left + 4}\" y=\"{Top + 3}\" width=\"{R(width)}\" height=\"{14 * items.Length + 4}\" fill=\"white\" fill-opacity=\"0.85\" stroke=\"#ddd\"/>");
        double y = Top + 15;
        foreach (var (color, label, mark) in items)
        {
            double x = Left + 10;
            sb.Append(mark switch
            {
                "bar" => $"<rect x=\"{R(x)}\" y=\"{R(y - 8)}\" width=\"14\" height=\"9\" fill=\"{color}\" fill-opacity=\"0.55\"/>",
                "dot" => $"<circle cx=\"{R(x + 7)}\" cy=\"{R(y - 4)}\" r=\"2.5\" fill=\"{color}\"/>",
                "square" => $"<rect x=\"{R(x + 5)}\" y=\"{R(y - 6)}\" width=\"4\" height=\"4\" fill=\"none\" stroke=\"{color}\"/>",
                "dash" => $"<line x1=\"{R(x)}\" y1=\"{R(y - 4)}\" x2=\"{R(x + 14)}\" y2=\"{R(y - 4)}\" stroke=\"{color}\" stroke-dasharray=\"4 3\"/>",
                _ => $"<line x1=\"{R(x)}\" y1=\"{R(y - 4)}\" x2=\"{R(x + 14)}\" y2=\"{R(y - 4)}\" stroke=\"{color}\" stroke-width=\"2\"/>",
            });
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{R(x + 19)}\" y=\"{R(y)}\" fill=\"#222\">{WebUtility.HtmlEncode(label)}</text>");
            y += 14;
        }
    }

    /// <summary>About <paramref name="count"/> round tick values covering [lo, hi].</summary>
    internal static IEnumerable<double> Ticks(double lo, double hi, int count)
    {
        if (!(hi > lo) || !double.IsFinite(lo) || !double.IsFinite(hi)) yield break;
        double raw = (hi - lo) / count, mag = Math.Pow(10, Math.Floor(Math.Log10(raw))), r = raw / mag;
        double step = (r < 1.5 ? 1 : r < 3 ? 2 : r < 7 ? 5 : 10) * mag;
        for (double t = Math.Ceiling(lo / step) * step; t <= hi + step * 1e-9; t += step)
            yield return Math.Abs(t) < step * 1e-9 ? 0 : t;
    }

    private static string Tick(double v) => v.ToString("G4", CultureInfo.InvariantCulture);

    private static string R(double v) => double.IsFinite(v) ? v.ToString("0.##", CultureInfo.InvariantCulture) : "0";

    private static double Max(params double[]?[] arrays) =>
        arrays.Where(a => a is not null).SelectMany(a => a!).Where(double.IsFinite).DefaultIfEmpty(0).Max();
}
