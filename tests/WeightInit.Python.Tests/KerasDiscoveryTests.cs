using System.Text.Json;
using NUnit.Framework;
using WeightInit.Testing.Shared;

namespace WeightInit.Python.Tests;

/// <summary>
/// How the bridge finds Keras (HARNESS_KERAS_PATH, else the Python's own keras), checked in separate processes of the
/// embedded interpreter's Python: the bridge imports Keras once per process, so each setting needs a fresh one. A
/// stand-in <c>keras</c> package in a temporary folder plays the source checkout, so no real Keras is needed.
/// </summary>
[TestFixture]
public sealed class KerasDiscoveryTests
{
    private string _dir = null!;
    private string _bridge = null!;

    [SetUp]
    public void WriteBridge()
    {
        Live.RequirePython();
        if (PythonHost.Environment?.Executable is null) Assert.Ignore("skipped: the embedded Python has no executable to run a separate process");
        _dir = Path.Combine(Path.GetTempPath(), $"wi-keras-discovery-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_dir);
        _bridge = Path.Combine(_dir, "bridge.py");
        using var stream = typeof(PythonHost).Assembly.GetManifestResourceStream("WeightInit.Python.bridge.py")!;
        using (var file = File.Create(_bridge)) stream.CopyTo(file);
    }

    [TearDown]
    public void Clean()
    {
        if (_dir is not null && Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    /// <summary>Runs bridge.probe("keras") in a fresh process with the given variables (null = removed).</summary>
    private JsonElement Probe(IDictionary<string, string?> environment)
    {
        const string code = """
import importlib.util, json, os, sys
spec = importlib.util.spec_from_file_location("weightinit_bridge", sys.argv[1])
bridge = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bridge)
info = json.loads(bridge.probe("keras"))
info["KERAS_BACKEND"] = os.environ.get("KERAS_BACKEND")
print(json.dumps(info))
""";
        // The variables that steer discovery start unset; the test's own settings then apply on top.
        var env = new[] { "HARNESS_KERAS_PATH", "HARNESS_KERAS_COMMIT", "KERAS_BACKEND", "PYTHONPATH" }
            .ToDictionary(k => k, _ => (string?)null);
        foreach (var (k, v) in environment) env[k] = v;
        return JsonDocument.Parse(ChildProcess.Run(PythonHost.Environment!.Executable!, code, env, [_bridge])).RootElement;
    }

    private string FakeCheckout(string name)
    {
        var root = Path.Combine(_dir, name);
        Directory.CreateDirectory(Path.Combine(root, "keras"));
        File.WriteAllText(Path.Combine(root, "keras", "__init__.py"), """
import os
__version__ = "0.0-discovery-test"
class backend:
    @staticmethod
    def backend():
        return os.environ.get("KERAS_BACKEND")
""");
        return root;
    }

    [Test]
    public void A_source_checkout_on_HARNESS_KERAS_PATH_is_found_through_it_and_runs_on_numpy()
    {
        var checkout = FakeCheckout("checkout");
        var deps = Path.Combine(_dir, "deps");
        Directory.CreateDirectory(deps);
        var info = Probe(new Dictionary<string, string?> { ["HARNESS_KERAS_PATH"] = checkout + Path.PathSeparator + deps });
        using (Assert.EnterMultipleScope())
        {
            Assert.That(info.GetProperty("available").GetBoolean(), Is.True, info.ToString());
            Assert.That(info.GetProperty("version").GetString(), Is.EqualTo("0.0-discovery-test"));
            Assert.That(info.GetProperty("found_through").GetString(), Is.EqualTo("HARNESS_KERAS_PATH"));
            Assert.That(info.GetProperty("location").GetString(), Does.StartWith(checkout));
            Assert.That(info.GetProperty("KERAS_BACKEND").GetString(), Is.EqualTo("numpy"));
            Assert.That(info.GetProperty("backend").GetString(), Is.EqualTo("numpy"));
        }
    }

    [Test]
    public void KERAS_BACKEND_given_by_the_user_wins_over_the_checkout_default()
    {
        var info = Probe(new Dictionary<string, string?> { ["HARNESS_KERAS_PATH"] = FakeCheckout("checkout"), ["KERAS_BACKEND"] = "jax" });
        Assert.That(info.GetProperty("backend").GetString(), Is.EqualTo("jax"), info.ToString());
    }

    [Test]
    public void A_HARNESS_KERAS_PATH_without_a_keras_package_is_an_error_naming_the_value()
    {
        var empty = Path.Combine(_dir, "no-keras-here");
        Directory.CreateDirectory(empty);
        var info = Probe(new Dictionary<string, string?> { ["HARNESS_KERAS_PATH"] = empty });
        using (Assert.EnterMultipleScope())
        {
            Assert.That(info.GetProperty("available").GetBoolean(), Is.False);
            Assert.That(info.GetProperty("error").GetString(), Does.Contain("HARNESS_KERAS_PATH=" + empty).And.Contain("keras/__init__.py"));
            Assert.That(info.GetProperty("hint").GetString(), Does.Contain("pip install keras").And.Contain("HARNESS_KERAS_PATH"));
        }
    }

    [Test]
    public void Without_HARNESS_KERAS_PATH_the_Pythons_own_keras_is_used_or_the_error_says_how_to_get_one()
    {
        var info = Probe(new Dictionary<string, string?>());
        if (info.GetProperty("available").GetBoolean())
        {
            Assert.That(info.GetProperty("found_through").GetString(), Is.EqualTo("installed"), info.ToString());
            return;
        }
        if (!info.GetProperty("error").GetString()!.StartsWith("ModuleNotFoundError", StringComparison.Ordinal))
            Assert.Ignore("skipped: this Python has a keras that does not import here: " + info.GetProperty("error").GetString());
        using (Assert.EnterMultipleScope())
        {
            Assert.That(info.GetProperty("error").GetString(), Does.Contain("HARNESS_KERAS_PATH is unset"));
            Assert.That(info.GetProperty("hint").GetString(), Does.Contain("pip install keras").And.Contain("HARNESS_KERAS_PATH"));
        }
    }
}
