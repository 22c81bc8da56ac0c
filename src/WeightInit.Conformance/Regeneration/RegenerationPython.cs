using System.Reflection;

namespace WeightInit.Conformance.Regeneration;

/// <summary>
/// The Python side of <see cref="ReferenceRegenerator"/>: <c>framework_calls.py</c> (next to this file), embedded in
/// the assembly and loaded into the interpreter of the bridge (<c>WeightInit.Python</c>). It never produces the
/// reference values (those come from <c>FrameworkSampler.Sample</c>); it reports what the framework <em>derived</em>
/// for a case, by recording the calls the initializer makes into its random backend, and the framework's provenance.
/// The oracle scripts (<c>scripts/oracle/</c>) load the same file from the source tree, so the mapping from recorded
/// calls to derived parameters exists once.
/// </summary>
internal static class RegenerationPython
{
    /// <summary>The module's name in the embedded interpreter (the scripts import the file under the same name).</summary>
    public const string ModuleName = "weightinit_framework_calls";

    /// <summary>The manifest resource name given in WeightInit.Conformance.csproj.</summary>
    public const string ResourceName = "WeightInit.Conformance.Regeneration.framework_calls.py";

    /// <summary>The module's file, relative to the repository root (where the oracle scripts load it from).</summary>
    public const string RepositoryPath = "src/WeightInit.Conformance/Regeneration/framework_calls.py";

    private static readonly Lazy<string> Text = new(() =>
    {
        using var stream = typeof(RegenerationPython).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"embedded resource {ResourceName} is missing from {typeof(RegenerationPython).Assembly.GetName().Name}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    /// <summary>The module's source text, as embedded at build time.</summary>
    public static string Source => Text.Value;
}
