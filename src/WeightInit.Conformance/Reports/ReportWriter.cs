namespace WeightInit.Conformance.Reports;

/// <summary>
/// Writes report.json, report.md, junit.xml and report.html together and atomically (<see cref="AtomicFolder"/>): an
/// existing report folder is replaced only after the new one is complete, and a failure leaves no partial report.
/// </summary>
public static class ReportWriter
{
    public const string JsonFile = "report.json";
    public const string MarkdownFile = "report.md";
    public const string JUnitFile = "junit.xml";
    public const string HtmlFile = "report.html";

    public static readonly IReadOnlyList<string> Files = [JsonFile, MarkdownFile, JUnitFile, HtmlFile];

    /// <summary>Renders the four reports (file name → content).</summary>
    public static IReadOnlyList<(string Name, string Content)> Render(ReportBundle bundle) =>
    [
        (JsonFile, ReportJson.Write(bundle)),
        (MarkdownFile, MarkdownReport.Write(bundle)),
        (JUnitFile, JUnitReport.Write(bundle)),
        (HtmlFile, HtmlReport.Write(bundle)),
    ];

    /// <summary>Writes the four reports into <paramref name="outDir"/>; returns the full paths written.</summary>
    public static IReadOnlyList<string> WriteAll(ReportBundle bundle, string outDir)
    {
        var rendered = Render(bundle);   // render before touching the disk: a rendering bug leaves nothing behind
        string full = AtomicFolder.Write(outDir, rendered, "report");
        return Files.Select(f => Path.Combine(full, f)).ToArray();
    }

    /// <summary>
    /// Fails fast, before a long run, when the output folder cannot be written: creates its parent and a probe folder
    /// next to it, then removes the probe.
    /// </summary>
    public static void EnsureWritable(string outDir) => AtomicFolder.EnsureWritable(outDir, "report");
}
