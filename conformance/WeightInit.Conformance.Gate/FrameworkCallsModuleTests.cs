using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NUnit.Framework;
using WeightInit.Conformance.Regeneration;
using WeightInit.Python;
using WeightInit.Testing.Shared;

namespace WeightInit.Conformance.Gate;

/// <summary>
/// The mapping from a framework's recorded backend calls to derived parameters exists once: in
/// <c>src/WeightInit.Conformance/Regeneration/framework_calls.py</c>, which <c>harness regenerate</c> embeds and the
/// oracle scripts load from the source tree.
/// </summary>
[TestFixture]
public class FrameworkCallsModuleTests
{
    private static string ModuleFile => Path.Combine(TestPaths.RepoRoot, RegenerationPython.RepositoryPath);

    [Test]
    public void The_embedded_module_is_the_source_file_byte_for_byte() =>
        Assert.That(RegenerationPython.Source, Is.EqualTo(File.ReadAllText(ModuleFile)),
            $"the assembly embeds a different text than {RegenerationPython.RepositoryPath}: rebuild WeightInit.Conformance");

    [Test]
    public void No_other_python_file_defines_the_mapping()
    {
        // The markers of a copy: the VarianceScaling class set, a recorder of backend calls, the derivation functions.
        string[] markers = ["VS_CLASSES =", "class KerasRecorder", "class _KerasRecorder", "class _Recorder", "def keras_derive", "def derive("];
        var copies = new List<string>();
        foreach (var folder in new[] { "src", "scripts", "conformance" })
            foreach (var file in Directory.EnumerateFiles(Path.Combine(TestPaths.RepoRoot, folder), "*.*", SearchOption.AllDirectories))
            {
                if (!(file.EndsWith(".py", StringComparison.Ordinal) || file.EndsWith(".cs", StringComparison.Ordinal))
                    || file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                    || file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                    || Path.GetFullPath(file) == Path.GetFullPath(ModuleFile)
                    || Path.GetFileName(file) == nameof(FrameworkCallsModuleTests) + ".cs")
                    continue;
                var text = File.ReadAllText(file);
                copies.AddRange(markers.Where(m => text.Contains(m, StringComparison.Ordinal))
                    .Select(m => $"{Path.GetRelativePath(TestPaths.RepoRoot, file)}: {m}"));
            }
        Assert.That(copies, Is.Empty, "a second copy of the recorded-calls -> derived-parameters mapping");
    }

    [Test]
    public void The_oracle_scripts_load_the_same_file_and_the_same_functions()
    {
        // framework_calls.py imports only the standard library at load time, so any Python 3 can check this.
        var exe = PythonHost.Locate().Tried.FirstOrDefault(c => c.Usable && c.Executable is not null)?.Executable;
        if (exe is null) Assert.Ignore("skipped: no Python executable found to run scripts/oracle/_oracle.py");
        const string code = """
import hashlib, os, sys
sys.path.insert(0, os.path.join(sys.argv[1], "scripts", "oracle"))
import _oracle
m = _oracle.framework_calls()
print(os.path.realpath(m.__file__))
print(m.__name__)
print(hashlib.sha256(open(m.__file__, "rb").read()).hexdigest())
print(",".join(n for n in ("provenance", "keras_call", "keras_derive", "keras_case", "torch_case") if callable(getattr(m, n, None))))
""";
        var lines = ChildProcess.Run(exe!, code, args: [TestPaths.RepoRoot])
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var embeddedSha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(RegenerationPython.Source)));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(lines[0], Is.EqualTo(Path.GetFullPath(ModuleFile)), "the file the scripts load");
            Assert.That(lines[1], Is.EqualTo(RegenerationPython.ModuleName), "the module name (same as in the embedded interpreter)");
            Assert.That(lines[2], Is.EqualTo(embeddedSha), "sha256 of the scripts' file vs the embedded text");
            Assert.That(lines[3], Is.EqualTo("provenance,keras_call,keras_derive,keras_case,torch_case"));
        }
    }

    /// <summary>An absolute or parent-relative path: "/..." or "../..." at the start of a value or after a space, "(" or "=".</summary>
    private static readonly Regex MachinePath = new(@"(^|[\s(=])(/|\.\./)", RegexOptions.Compiled);

    public static IEnumerable<TestCaseData> ProvenanceFiles()
    {
        var root = TestPaths.RepoRoot;
        foreach (var m in Directory.EnumerateFiles(Path.Combine(root, "reference-data"), "manifest.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            yield return new TestCaseData(Path.GetRelativePath(root, m), "").SetName($"provenance without machine paths: {Path.GetRelativePath(root, m)}");
        yield return new TestCaseData("conformance/reference/keras-3.15.1-params.json", "provenance")
            .SetName("provenance without machine paths: conformance/reference/keras-3.15.1-params.json");
    }

    /// <summary>Provenance records what a user can reproduce (versions, commit, command), never a folder of the machine that made it.</summary>
    [TestCaseSource(nameof(ProvenanceFiles))]
    public void Provenance_names_no_machine_path(string file, string member)
    {
        var doc = JsonNode.Parse(File.ReadAllText(Path.Combine(TestPaths.RepoRoot, file)))!.AsObject();
        var prov = member.Length == 0 ? doc : doc[member]!.AsObject();
        var strings = new List<(string Key, string Value)>();
        void Collect(string key, JsonNode? n)
        {
            switch (n)
            {
                case JsonObject o: foreach (var kv in o) Collect(key + "." + kv.Key, kv.Value); break;
                case JsonArray a: foreach (var x in a) Collect(key, x); break;
                case JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.String: strings.Add((key, v.GetValue<string>())); break;
            }
        }
        foreach (var kv in prov.Where(kv => kv.Key is not ("cases" or "sample_policy"))) Collect(kv.Key, kv.Value);
        Assert.That(strings, Is.Not.Empty);
        var bad = strings.Where(s => MachinePath.IsMatch(s.Value)).Select(s => $"{s.Key} = {s.Value}").ToList();
        Assert.That(bad, Is.Empty, $"{file}: provenance that names a location of the generating machine");
    }

    private static string? PythonWithNumpy() =>
        PythonHost.LocateAll().Tried.FirstOrDefault(c => c.Usable && c.Executable is not null && c.Modules.GetValueOrDefault("numpy"))?.Executable;

    private static string Run(string exe, string code, IReadOnlyDictionary<string, string?> environment, params string[] args) =>
        ChildProcess.Run(exe, code, environment, args).Trim();

    /// <summary>
    /// framework_calls.provenance("keras") for a stand-in Keras checkout on HARNESS_KERAS_PATH: the source commit is the
    /// checkout's git HEAD (and its tag), else HARNESS_KERAS_COMMIT, else unknown; found_through says how; no value
    /// names the checkout's folder.
    /// </summary>
    [Test]
    public void Keras_provenance_records_the_source_commit_when_known_and_no_folder()
    {
        var exe = PythonWithNumpy();
        if (exe is null) Assert.Ignore("skipped: no Python with numpy found (provenance reads numpy's version)");
        var dir = Path.Combine(Path.GetTempPath(), $"wi-prov-{Guid.NewGuid():N}");
        var checkout = Path.Combine(dir, "keras-src");
        Directory.CreateDirectory(Path.Combine(checkout, "keras"));
        File.WriteAllText(Path.Combine(checkout, "keras", "__init__.py"),
            "__version__ = '0.0-provenance-test'\nclass backend:\n    @staticmethod\n    def backend():\n        return 'numpy'\n");
        const string code = """
import importlib.util, json, os, sys
spec = importlib.util.spec_from_file_location("weightinit_framework_calls", sys.argv[1])
m = importlib.util.module_from_spec(spec)
spec.loader.exec_module(m)
sys.path.insert(0, sys.argv[2])
import keras
print(m.provenance("keras"))
""";
        try
        {
            var env = new Dictionary<string, string?> { ["HARNESS_KERAS_PATH"] = checkout, ["HARNESS_KERAS_COMMIT"] = null };
            JsonObject Prov() => JsonNode.Parse(Run(exe!, code, env, ModuleFile, checkout))!.AsObject();

            var unknown = Prov();
            env["HARNESS_KERAS_COMMIT"] = "v9.9.9 0123456789abcdef0123456789abcdef01234567";
            var declared = Prov();
            string? head = null;
            try
            {
                var git = new Dictionary<string, string?>();
                Run("git", "", git, "-C", checkout, "init", "-q");
                Run("git", "", git, "-C", checkout, "add", ".");
                Run("git", "", git, "-C", checkout, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "x");
                Run("git", "", git, "-C", checkout, "tag", "v0.0.1");
                head = Run("git", "", git, "-C", checkout, "rev-parse", "HEAD");
            }
            catch (System.ComponentModel.Win32Exception) { /* no git: the git case is not checked */ }
            var fromGit = head is null ? null : Prov();

            using (Assert.EnterMultipleScope())
            {
                Assert.That((string?)unknown["framework_version"], Is.EqualTo("0.0-provenance-test"));
                Assert.That((string?)unknown["backend"], Is.EqualTo("numpy"));
                Assert.That((string?)unknown["found_through"], Is.EqualTo("HARNESS_KERAS_PATH"));
                Assert.That(unknown["source_commit"], Is.Null, "neither git nor HARNESS_KERAS_COMMIT: unknown");
                Assert.That((string?)declared["source_tag"], Is.EqualTo("v9.9.9"));
                Assert.That((string?)declared["source_commit"], Is.EqualTo("0123456789abcdef0123456789abcdef01234567"));
                if (fromGit is not null)
                {
                    Assert.That((string?)fromGit["source_commit"], Is.EqualTo(head), "a git checkout's HEAD wins over HARNESS_KERAS_COMMIT");
                    Assert.That((string?)fromGit["source_tag"], Is.EqualTo("v0.0.1"));
                }
                foreach (var p in new[] { unknown, declared, fromGit })
                    Assert.That(p?.ToJsonString() ?? "", Does.Not.Contain(dir), "provenance names the checkout's folder");
            }
            if (fromGit is null) Assert.Ignore("skipped (in part): git is not installed, so the git-checkout case was not checked");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
