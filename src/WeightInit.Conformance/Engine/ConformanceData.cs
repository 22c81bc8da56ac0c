using System.Reflection;

namespace WeightInit.Conformance.Engine;

/// <summary>Where a <see cref="ConformanceData"/> root came from.</summary>
public enum ConformanceDataSource
{
    /// <summary>A clone of this repository (the folder holding Harness.sln, conformance/cases and reference-data).</summary>
    Repository,

    /// <summary>The data embedded in the WeightInit.Conformance assembly (a NuGet package or the dotnet tool), extracted to a cache folder.</summary>
    Package,

    /// <summary>A folder named by the caller or by the <see cref="ConformanceData.EnvironmentVariable"/> variable.</summary>
    Explicit,
}

/// <summary>
/// The one place that finds the data the engine checks against: the case catalog (<c>conformance/cases</c>), the golden
/// outputs (<c>conformance/golden</c>) and the shipped reference data (<c>reference-data/&lt;framework&gt;/&lt;version&gt;</c>).
/// Every source is a folder with the repository's layout, so the rest of the engine keeps taking one root folder.
/// <para>
/// Order of <see cref="Locate"/>: the <see cref="EnvironmentVariable"/> folder; else a clone of the repository above the
/// working directory or the program (a developer's edits are used at once, and <c>harness regenerate</c> writes there);
/// else the copy embedded in this assembly, which is how a NuGet consumer or the installed dotnet tool sees it. The
/// embedded copy is extracted once per assembly build (keyed by its module version id) into a cache folder, by writing a
/// temporary folder and renaming it, so concurrent test processes never see half a folder. Nothing is trusted from the
/// cache: <see cref="ReferenceData.Load"/> verifies every file's size and sha256 against its manifest on every load.
/// </para>
/// </summary>
public sealed class ConformanceData
{
    /// <summary>Environment variable naming a data folder (repository layout) that overrides every other source.</summary>
    public const string EnvironmentVariable = "WEIGHTINIT_CONFORMANCE_DATA";

    /// <summary>Environment variable naming the folder the packaged data are extracted under (default: the user's local application data, else the temp folder).</summary>
    public const string CacheVariable = "WEIGHTINIT_CONFORMANCE_CACHE";

    private const string ResourcePrefix = "WeightInit.Conformance.Data/";
    private const string CompleteMarker = ".complete";

    private static readonly Lazy<ConformanceData> PackagedCopy = new(() => ExtractPackaged(CacheBase()), LazyThreadSafetyMode.ExecutionAndPublication);

    private ConformanceData(string root, ConformanceDataSource source)
    {
        Root = root;
        Source = source;
    }

    /// <summary>The folder with the repository's layout.</summary>
    public string Root { get; }

    /// <summary>Where <see cref="Root"/> came from.</summary>
    public ConformanceDataSource Source { get; }

    /// <summary>The case catalog folder (<c>conformance/cases</c>).</summary>
    public string CatalogFolder => Path.Combine(Root, "conformance", "cases");

    /// <summary>The golden outputs of this library's stream.</summary>
    public string GoldenPath => GoldenOutputs.DefaultPath(Root);

    /// <summary>The shipped reference-data folder of <paramref name="framework"/>.</summary>
    public string ReferenceFolder(Framework framework) => ReferenceData.ShippedFolderOf(Root, framework);

    /// <summary>Loads the case catalog.</summary>
    public CaseCatalog LoadCatalog() => CaseCatalog.Load(CatalogFolder);

    /// <summary>"repository /path", "package /cache/path" or "folder /path", for logs and reports.</summary>
    public override string ToString() => $"{Source switch { ConformanceDataSource.Repository => "repository", ConformanceDataSource.Package => "package", _ => "folder" }} {Root}";

    /// <summary>Finds the data (see the type's remarks for the order).</summary>
    /// <exception cref="ConformanceDataException">The environment variable names a folder without the layout, or no source has the data.</exception>
    public static ConformanceData Locate()
    {
        var explicitRoot = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(explicitRoot)) return FromFolder(explicitRoot);
        var repo = FindRepository(Directory.GetCurrentDirectory(), AppContext.BaseDirectory);
        return repo is not null ? new ConformanceData(repo, ConformanceDataSource.Repository) : Packaged();
    }

    /// <summary>A folder with the repository layout (at least <c>conformance/cases</c>).</summary>
    /// <exception cref="ConformanceDataException">The folder or its <c>conformance/cases</c> is missing.</exception>
    public static ConformanceData FromFolder(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        var full = Path.GetFullPath(folder);
        if (!Directory.Exists(Path.Combine(full, "conformance", "cases")))
            throw new ConformanceDataException(full, "not a conformance data folder: it has no conformance/cases (the repository layout is expected).");
        return new ConformanceData(full, ConformanceDataSource.Explicit);
    }

    /// <summary>
    /// The first folder at or above one of <paramref name="starts"/> that is a clone of this repository: it holds
    /// Harness.sln, <c>conformance/cases</c> and <c>reference-data</c> (a user's own Harness.sln alone does not count).
    /// </summary>
    public static string? FindRepository(params string[] starts)
    {
        foreach (var start in starts)
        {
            if (string.IsNullOrEmpty(start) || !Directory.Exists(start)) continue;
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Harness.sln"))
                    && Directory.Exists(Path.Combine(dir.FullName, "conformance", "cases"))
                    && Directory.Exists(Path.Combine(dir.FullName, "reference-data")))
                    return dir.FullName;
        }
        return null;
    }

    /// <summary>The data embedded in this assembly, extracted (once per build of it) to the cache folder.</summary>
    /// <exception cref="ConformanceDataException">The assembly carries no data, or the cache folder cannot be written.</exception>
    public static ConformanceData Packaged() => PackagedCopy.Value;

    /// <summary>The names (relative paths, '/'-separated) of the data files embedded in this assembly.</summary>
    public static IReadOnlyList<string> PackagedFiles() =>
        typeof(ConformanceData).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            .Select(n => n[ResourcePrefix.Length..].Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToArray();

    /// <summary>
    /// Extracts the embedded data under <paramref name="cacheFolder"/> (unless that build's copy is already complete there)
    /// and returns it. <see cref="Packaged"/> does this once per process under the default cache folder.
    /// </summary>
    /// <exception cref="ConformanceDataException">The assembly carries no data, or the folder cannot be written.</exception>
    public static ConformanceData ExtractPackaged(string cacheFolder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(cacheFolder);
        var assembly = typeof(ConformanceData).Assembly;
        var names = assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)).ToArray();
        if (names.Length == 0)
            throw new ConformanceDataException(assembly.Location, "this WeightInit.Conformance assembly carries no packaged data, and no repository clone was found above the working directory or the program.");

        // One folder per build of the assembly: a newer package never reads an older package's files.
        var version = assembly.GetName().Version?.ToString() ?? "0";
        var target = Path.Combine(Path.GetFullPath(cacheFolder), "weightinit-conformance", $"{version}-{assembly.ManifestModule.ModuleVersionId:N}");
        if (File.Exists(Path.Combine(target, CompleteMarker))) return new ConformanceData(target, ConformanceDataSource.Package);

        var temp = $"{target}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}";
        try
        {
            foreach (var name in names)
            {
                var relative = name[ResourcePrefix.Length..].Replace('\\', '/');
                if (relative.Split('/').Any(part => part is "" or "." or ".."))
                    throw new ConformanceDataException(name, "packaged data file has an unsafe path.");
                var path = Path.Combine(temp, relative.Replace('/', Path.DirectorySeparatorChar));
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                using var input = assembly.GetManifestResourceStream(name)!;
                using var output = File.Create(path);
                input.CopyTo(output);
            }
            File.WriteAllText(Path.Combine(temp, CompleteMarker), $"{names.Length} files extracted from {assembly.Location}\n");
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            try
            {
                Directory.Move(temp, target);
            }
            catch (IOException) when (File.Exists(Path.Combine(target, CompleteMarker)))
            {
                // Another process extracted the same build first: use its copy.
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ConformanceDataException(target, $"cannot extract the packaged conformance data ({ex.Message}); set {CacheVariable} to a writable folder.", ex);
        }
        finally
        {
            if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
        }
        if (!File.Exists(Path.Combine(target, CompleteMarker)))
            throw new ConformanceDataException(target, "the packaged conformance data folder is incomplete (no .complete marker); delete it and run again.");
        return new ConformanceData(target, ConformanceDataSource.Package);
    }

    private static string CacheBase()
    {
        var configured = Environment.GetEnvironmentVariable(CacheVariable);
        if (!string.IsNullOrWhiteSpace(configured)) return Path.GetFullPath(configured);
        var local = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
        return string.IsNullOrEmpty(local) ? Path.GetTempPath() : local;
    }
}
