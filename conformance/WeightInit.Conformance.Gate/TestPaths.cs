namespace WeightInit.Conformance.Gate;

/// <summary>Where the gate finds its data: fixtures copied to the output folder, and the repository root.</summary>
internal static class TestPaths
{
    /// <summary>A fixture copied from <c>conformance/reference/</c> to the test output folder by the csproj.</summary>
    public static string Fixture(string fileName)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "reference", fileName);
        if (!File.Exists(path))
            throw new FileNotFoundException($"Fixture {fileName} was not copied to the test output folder ({path}); see WeightInit.Conformance.Gate.csproj.", path);
        return path;
    }

    private static readonly Lazy<string> Root = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Harness.sln")))
                return dir.FullName;
        throw new DirectoryNotFoundException($"No Harness.sln above {AppContext.BaseDirectory}: cannot locate the repository root.");
    });

    /// <summary>The repository root: the first folder above the test binaries that holds Harness.sln.</summary>
    public static string RepoRoot => Root.Value;

    /// <summary>The SUT kinds the gate resolves: the engine's own and the mutants (as the CLI registers them).</summary>
    public static WeightInit.Conformance.Sut.SutRegistry Suts { get; } =
        WeightInit.Conformance.Sut.SutRegistry.Builtin.With(WeightInit.Mutants.MutantCatalog.SutKind);
}
