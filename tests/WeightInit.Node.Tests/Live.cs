using NUnit.Framework;

namespace WeightInit.Node.Tests;

/// <summary>Skips (never passes) a test whose node or TF.js packages are absent, with the reason.</summary>
internal static class Live
{
    /// <summary>The shared bridge, started; skips with the discovery error when node or the packages are missing.</summary>
    public static NodeBridgeInfo RequireTfjs()
    {
        var info = TfjsSampler.Probe();
        if (!info.Available) Assert.Ignore("skipped: TF.js bridge not available: " + info.Reason);
        return info.Bridge!;
    }

    /// <summary>The environment of the shared bridge, for tests that start their own host with it.</summary>
    public static NodeEnvironment RequireEnvironment()
    {
        try { return new NodeLocator().Locate(); }
        catch (WeightInitException ex) { Assert.Ignore("skipped: TF.js bridge not available: " + ex.Message); throw; }
    }

    /// <summary>The repository root (holds conformance/cases), found above the test output folder.</summary>
    public static string RepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (Directory.Exists(Path.Combine(d.FullName, "conformance", "cases"))) return d.FullName;
        throw new DirectoryNotFoundException("no conformance/cases folder above " + AppContext.BaseDirectory);
    }
}
