namespace Harness.Commands;

/// <summary>Locates the repository (the folder holding Harness.sln) from the working directory or the tool's location.</summary>
internal static class RepoPaths
{
    public static string Root()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Harness.sln")))
                    return dir.FullName;
        throw new DirectoryNotFoundException("Cannot find the repository root (a folder with Harness.sln) above the working directory or the tool.");
    }
}
