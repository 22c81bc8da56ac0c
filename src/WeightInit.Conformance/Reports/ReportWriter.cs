using System.Text;

namespace WeightInit.Conformance.Reports;

/// <summary>
/// Writes report.json, report.md, junit.xml and report.html together and atomically: into a hidden temporary sibling
/// folder first, then renamed into place (an existing report folder is replaced only after the new one is complete).
/// A failure leaves no partial report: the temporary folder is removed and any previous report stays as it was.
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
        var (full, parent, name) = Split(outDir);
        string tmp = Path.Combine(parent, $".{name}.tmp-{Guid.NewGuid():N}");
        string? old = null;
        try
        {
            Directory.CreateDirectory(parent);
            Directory.CreateDirectory(tmp);
            foreach (var (file, content) in rendered)
                File.WriteAllText(Path.Combine(tmp, file), content, new UTF8Encoding(false));
            if (File.Exists(full)) throw new ReportException($"{outDir}: is a file, not a folder; cannot write the report there.");
            if (Directory.Exists(full))
            {
                old = Path.Combine(parent, $".{name}.old-{Guid.NewGuid():N}");
                Directory.Move(full, old);
            }
            Directory.Move(tmp, full);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ReportException)
        {
            TryDelete(tmp);
            if (old is not null && !Directory.Exists(full)) { try { Directory.Move(old, full); old = null; } catch (IOException) { } }
            if (ex is ReportException) throw;
            throw new ReportException($"{outDir}: cannot write the report ({ex.Message}).", ex);
        }
        if (old is not null) TryDelete(old);
        return Files.Select(f => Path.Combine(full, f)).ToArray();
    }

    /// <summary>
    /// Fails fast, before a long run, when the output folder cannot be written: creates its parent and a probe folder
    /// next to it, then removes the probe.
    /// </summary>
    public static void EnsureWritable(string outDir)
    {
        var (full, parent, name) = Split(outDir);
        if (File.Exists(full)) throw new ReportException($"{outDir}: is a file, not a folder; cannot write the report there.");
        string probe = Path.Combine(parent, $".{name}.probe-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(parent);
            Directory.CreateDirectory(probe);
            File.WriteAllText(Path.Combine(probe, "probe"), "ok");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ReportException($"{outDir}: the output folder is not writable ({ex.Message}).", ex);
        }
        finally { TryDelete(probe); }
    }

    private static (string Full, string Parent, string Name) Split(string outDir)
    {
        if (string.IsNullOrWhiteSpace(outDir)) throw new ReportException("the output folder is empty.");
        string full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(outDir));
        string? parent = Path.GetDirectoryName(full);
        string name = Path.GetFileName(full);
        if (parent is null || name.Length == 0) throw new ReportException($"{outDir}: cannot write the report into a file-system root.");
        return (full, parent, name);
    }

    private static void TryDelete(string dir)
    {
        try { if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
