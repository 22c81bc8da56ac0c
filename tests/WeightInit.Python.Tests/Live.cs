using NUnit.Framework;
using WeightInit.IO;
using WeightInit.Testing.Shared;

namespace WeightInit.Python.Tests;

/// <summary>
/// Test-run setup. When neither HARNESS_PYTHON nor PYTHONNET_PYDLL is set, and the Python discovery would pick
/// (python3 on PATH) cannot import numpy while a later candidate (e.g. Debian's /usr/bin/python3) can, the tests
/// set HARNESS_PYTHON to that one, so the live tests run against the stack scripts/setup-python.sh installs. An
/// explicit setting is always respected.
/// </summary>
[SetUpFixture]
public sealed class PythonTestEnvironment
{
    [OneTimeSetUp]
    public void ChoosePython()
    {
        if (!string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("HARNESS_PYTHON"))
            || !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("PYTHONNET_PYDLL")))
            return;
        var all = PythonHost.LocateAll();
        var usable = all.Tried.Where(c => c.Usable).ToList();
        if (usable.Count == 0 || usable[0].Modules.GetValueOrDefault("numpy")) return;
        var withNumpy = usable.FirstOrDefault(c => c.Modules.GetValueOrDefault("numpy") && c.Executable is not null);
        if (withNumpy is null) return;
        Environment.SetEnvironmentVariable("HARNESS_PYTHON", withNumpy.Executable);
        TestContext.Progress.WriteLine(
            $"WeightInit.Python.Tests: {usable[0].Executable} ({usable[0].Source}) has no numpy; using HARNESS_PYTHON={withNumpy.Executable} ({withNumpy.Source}) for this run.");
    }
}

/// <summary>Skips (never passes) a test whose Python or framework is absent, with the reason.</summary>
internal static class Live
{
    public static void RequirePython()
    {
        if (!PythonHost.TryStart(out var reason))
            Assert.Ignore("skipped: no usable Python: " + reason.Split('\n')[0]);
    }

    public static FrameworkInfo Require(string framework)
    {
        RequirePython();
        var info = FrameworkSampler.Probe(framework);
        if (!info.Available) Assert.Ignore($"skipped: {framework} does not import: {info.Reason}");
        return info;
    }

    /// <summary>
    /// Runs <paramref name="code"/> in a separate process of the same interpreter the bridge embeds (so the
    /// comparison is with plain, non-embedded Python) and reads back the array it saved to <c>OUT</c>.
    /// </summary>
    public static NpyArray RunPythonForArray(string code, IDictionary<string, string?>? environment = null)
    {
        var exe = PythonHost.Environment?.Executable;
        if (exe is null) Assert.Ignore("skipped: the embedded Python has no executable to run a reference process");
        var outPath = Path.Combine(Path.GetTempPath(), $"wi-py-ref-{Guid.NewGuid():N}.npy");
        try
        {
            RunPython(exe!, code.Replace("OUT", $"r'{outPath}'"), environment);
            return NpyFile.Read(outPath);
        }
        finally
        {
            File.Delete(outPath);
        }
    }

    /// <summary>
    /// Runs several reference computations in ONE separate Python process (imports are slow on a loaded machine).
    /// Each snippet runs in its own function after <paramref name="prelude"/> and must assign the array to <c>x</c>.
    /// </summary>
    public static Dictionary<string, NpyArray> RunPythonForArrays(string prelude, IReadOnlyDictionary<string, string> snippets)
    {
        var exe = PythonHost.Environment?.Executable;
        if (exe is null) Assert.Ignore("skipped: the embedded Python has no executable to run a reference process");
        var dir = Path.Combine(Path.GetTempPath(), $"wi-py-ref-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            var sb = new System.Text.StringBuilder();
            sb.AppendLine("import os, numpy as np");
            sb.AppendLine(prelude);
            int i = 0;
            var files = new Dictionary<string, string>();
            foreach (var (id, code) in snippets)
            {
                var file = Path.Combine(dir, $"case{i}.npy");
                files[id] = file;
                sb.AppendLine($"def _case{i}():");
                foreach (var line in code.Split('\n')) sb.AppendLine("    " + line);
                sb.AppendLine("    return x");
                sb.AppendLine($"np.save(r'{file}', np.asarray(_case{i}()))");
                i++;
            }
            RunPython(exe!, sb.ToString());
            return files.ToDictionary(f => f.Key, f => NpyFile.Read(f.Value));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>A reference Python process (see <see cref="ChildProcess.Run"/>); returns its stdout.</summary>
    public static string RunPython(string exe, string code, IDictionary<string, string?>? environment = null, IEnumerable<string>? args = null) =>
        ChildProcess.Run(exe, code, environment, args);
}
