using WeightInit.Conformance.Engine;

namespace Harness.Commands;

/// <summary>Locates the repository (the folder holding Harness.sln) from the working directory or the tool's location.</summary>
internal static class RepoPaths
{
    /// <summary>
    /// The catalog and reference data for commands that only read them (check, merge, drift): a clone of the repository
    /// when the tool runs inside one, else the copy packaged inside the tool (see ConformanceData).
    /// </summary>
    public static ConformanceData Data() => ConformanceData.Locate();

    /// <summary>Default report folder: artifacts/conformance of the repository, or of the working directory outside one.</summary>
    public static string DefaultOut(ConformanceData data) =>
        Path.Combine(data.Source == ConformanceDataSource.Repository ? data.Root : Directory.GetCurrentDirectory(), "artifacts", "conformance");

    public static string Root()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Harness.sln")))
                    return dir.FullName;
        throw new DirectoryNotFoundException("Cannot find the repository root (a folder with Harness.sln) above the working directory or the tool.");
    }
}
