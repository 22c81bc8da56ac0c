using System.Text;

namespace WeightInit.Conformance.Reports;

/// <summary>
/// A folder of output files written whole or not at all (the reports of <c>harness check</c>, the ecosystem table, the
/// regenerated reference data): the files go into a hidden temporary sibling folder first, which then replaces the
/// target in two renames. A failure leaves no partial folder: the temporary one is removed and any previous folder
/// stays as it was.
/// </summary>
internal static class AtomicFolder
{
    /// <summary>
    /// Writes <paramref name="files"/> (relative path → content, UTF-8 without a byte-order mark) as the folder
    /// <paramref name="outDir"/>; returns its full path. <paramref name="what"/> names the contents in the messages
    /// ("report", "table").
    /// </summary>
    /// <exception cref="ReportException">The folder cannot be written (empty name, a root, a file, not writable).</exception>
    public static string Write(string outDir, IEnumerable<(string Path, string Content)> files, string what)
    {
        var (full, parent, name) = Split(outDir, what);
        if (File.Exists(full)) throw new ReportException($"{outDir}: is a file, not a folder; cannot write the {what} there.");
        string tmp = Path.Combine(parent, $".{name}.tmp-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(parent);
            Directory.CreateDirectory(tmp);
            foreach (var (relative, content) in files)
            {
                var path = Path.Combine(tmp, relative);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllText(path, content, new UTF8Encoding(false));
            }
            Replace(tmp, full);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            TryDelete(tmp);
            throw new ReportException($"{outDir}: cannot write the {what} ({ex.Message}).", ex);
        }
        return full;
    }

    /// <summary>
    /// Puts the complete folder <paramref name="complete"/> in the place of <paramref name="target"/>: the old target
    /// is moved aside, the new one renamed in, and the old one deleted. If the second rename fails, the old target is
    /// moved back before the exception propagates.
    /// </summary>
    public static void Replace(string complete, string target)
    {
        string? old = null;
        if (Directory.Exists(target))
        {
            old = Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}.old-{Guid.NewGuid():N}");
            Directory.Move(target, old);
        }
        try
        {
            Directory.Move(complete, target);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            if (old is not null && !Directory.Exists(target)) { try { Directory.Move(old, target); } catch (IOException) { } }
            throw;
        }
        if (old is not null) TryDelete(old);
    }

    /// <summary>
    /// Fails fast, before a long run, when the output folder cannot be written: creates its parent and a probe folder
    /// next to it, then removes the probe.
    /// </summary>
    public static void EnsureWritable(string outDir, string what)
    {
        var (full, parent, name) = Split(outDir, what);
        if (File.Exists(full)) throw new ReportException($"{outDir}: is a file, not a folder; cannot write the {what} there.");
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

    private static (string Full, string Parent, string Name) Split(string outDir, string what)
    {
        if (string.IsNullOrWhiteSpace(outDir)) throw new ReportException("the output folder is empty.");
        string full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(outDir));
        string? parent = Path.GetDirectoryName(full);
        string name = Path.GetFileName(full);
        if (parent is null || name.Length == 0) throw new ReportException($"{outDir}: cannot write the {what} into a file-system root.");
        return (full, parent, name);
    }

    private static void TryDelete(string dir)
    {
        try { if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
