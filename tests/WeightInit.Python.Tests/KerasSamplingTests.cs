using NUnit.Framework;

namespace WeightInit.Python.Tests;

/// <summary>
/// Keras through the bridge: whichever Keras the bridge imports (a source checkout named by HARNESS_KERAS_PATH, numpy
/// backend, or a pip-installed keras); skipped with the reason when none imports.
/// </summary>
[TestFixture]
public sealed class KerasSamplingTests
{
    private FrameworkInfo _keras = null!;

    [SetUp]
    public void RequireKeras() => _keras = Live.Require("keras");

    [Test]
    public void ReportsVersionBackendAndBackendVersion()
    {
        TestContext.Out.WriteLine(_keras + " from " + _keras.Location);
        Assert.That(_keras.Version, Does.Match(@"^3\."));
        Assert.That(_keras.Backend, Is.Not.Null.And.Not.Empty);
        Assert.That(_keras.BackendVersion, Is.Not.Null.And.Not.Empty);
        if (_keras.Backend == "numpy")
            Assert.That(_keras.BackendVersion, Is.EqualTo(FrameworkSampler.Probe("numpy").Version));
    }

    [Test]
    public void GlorotNormal_Seed1_KnownValues()
    {
        if (_keras.Backend != "numpy") Assert.Ignore($"skipped: known values are for the numpy backend (this Keras runs on {_keras.Backend})");
        var got = FrameworkSampler.Sample("keras", "GlorotNormal", null, new TensorShape(3, 4), 1, "float32").Single!;
        Assert.That(got[..4], Is.EqualTo(new[] { 0.21000129f, 0.49927303f, 0.20079683f, -0.7918901f }));
    }

    private static readonly (string Name, string? Config, string Shape, string DType)[] Cases =
    [
        ("he_uniform", null, "3,3,16,32", "float32"),
        ("glorot_normal", null, "64,32", "float32"),
        ("VarianceScaling", """{"scale": 0.3, "mode": "fan_out", "distribution": "uniform"}""", "5,7", "float64"),
        ("lecun_normal", null, "10,20", "float64"),
        ("Orthogonal", """{"gain": 2.0}""", "6,4", "float32"),
        ("RandomNormal", """{"mean": 1.0, "stddev": 0.5}""", "100", "float32"),
        ("TruncatedNormal", null, "100", "float32"),
    ];

    private static Dictionary<string, WeightInit.IO.NpyArray>? _reference;

    private static IEnumerable<string> CaseNames() => Cases.Select(c => c.Name);

    /// <summary>The same Keras, imported by a plain Python process (one for all cases), bit for bit.</summary>
    [TestCaseSource(nameof(CaseNames))]
    public void MatchesPlainKerasInASeparateProcess(string name)
    {
        _reference ??= Live.RunPythonForArrays("import sys, json\n" + KerasPrelude() + "\nimport keras",
            Cases.ToDictionary(c => c.Name, c =>
                $"cfg = json.loads('{c.Config ?? "{}"}')\ncfg['seed'] = 42\n" +
                $"init = keras.initializers.get({{'class_name': '{c.Name}', 'config': cfg}})\n" +
                $"x = np.asarray(keras.ops.convert_to_numpy(init(({c.Shape},), dtype='{c.DType}')), dtype='{c.DType}')"));
        var k = Cases.Single(c => c.Name == name);
        var got = FrameworkSampler.Sample("keras", k.Name, k.Config, TensorShape.Parse(k.Shape), 42, k.DType);
        var reference = _reference[name];
        Assert.That(got.Shape, Is.EqualTo(reference.Shape));
        Assert.That(got.DType.Name(), Is.EqualTo(k.DType));
        Assert.That(got.ToDoubleArray(), Is.EqualTo(reference.ToDoubleArray()));
    }

    /// <summary>Python lines that make a plain process import the same Keras the bridge imported.</summary>
    private static string KerasPrelude()
    {
        var paths = PythonHost.Run(() =>
        {
            using var sys = global::Python.Runtime.Py.Import("sys");
            return ((global::Python.Runtime.PyObject)sys.GetAttr("path")).As<string[]>();
        });
        var backend = PythonHost.Run(() =>
        {
            using var os = global::Python.Runtime.Py.Import("os");
            using var environ = os.GetAttr("environ");
            return environ.InvokeMethod("get", new global::Python.Runtime.PyString("KERAS_BACKEND"), new global::Python.Runtime.PyString("")).As<string>();
        });
        var list = string.Join(", ", paths.Select(p => "r'" + p + "'"));
        return $"sys.path[:0] = [{list}]\nif '{backend}': os.environ['KERAS_BACKEND'] = '{backend}'";
    }

    [Test]
    public void Zeros_IgnoresTheSeed()
    {
        var got = FrameworkSampler.Sample("keras", "zeros", null, new TensorShape(2, 3), 42, "float32");
        Assert.That(got.Single, Is.All.EqualTo(0f));
    }

    [Test]
    public void Unseeded_IsAllowed()
    {
        var a = FrameworkSampler.Sample("keras", "he_normal", null, new TensorShape(50), null, "float32");
        Assert.That(a.Single, Has.Length.EqualTo(50));
    }

    [Test]
    public void KerasErrors_ComeBackWithTheirMessage()
    {
        var ex = Assert.Throws<PythonErrorException>(() => FrameworkSampler.Sample("keras", "Orthogonal", null, new TensorShape(5), 1, "float32"))!;
        Assert.That(ex.PythonType, Is.EqualTo("ValueError"));
        Assert.That(ex.PythonMessage, Does.Contain("at least two-dimensional"));
        var unknown = Assert.Throws<PythonErrorException>(() => FrameworkSampler.Sample("keras", "no_such_init", null, new TensorShape(5), 1, "float32"))!;
        Assert.That(unknown.PythonMessage, Does.Contain("no_such_init"));
    }

    /// <summary>
    /// A separate Keras sampling script, run as its own process, gives the bridge's values bit for bit. The script is
    /// named by HARNESS_KERAS_SAMPLE_SCRIPT (called as <c>SCRIPT sample --init NAME --shape A,B,.. --seed S --out FILE.npy</c>)
    /// and must use the same Keras as the bridge.
    /// </summary>
    [Test]
    public void KerasSampleScript_AgreesWithTheBridge()
    {
        var script = Environment.GetEnvironmentVariable("HARNESS_KERAS_SAMPLE_SCRIPT");
        if (string.IsNullOrEmpty(script))
            Assert.Ignore("skipped: HARNESS_KERAS_SAMPLE_SCRIPT is unset (a Keras sampling script to cross-check the bridge with)");
        if (!File.Exists(script))
            Assert.Fail($"HARNESS_KERAS_SAMPLE_SCRIPT={script} does not exist");
        var outPath = Path.Combine(Path.GetTempPath(), $"wi-keras-{Guid.NewGuid():N}.npy");
        try
        {
            Live.RunPython(PythonHost.Environment!.Executable!, "",
                args: [script, "sample", "--init", "he_uniform", "--shape", "3,3,16,32", "--seed", "42", "--out", outPath]);
            var reference = WeightInit.IO.NpyFile.Read(outPath);
            var got = FrameworkSampler.Sample("keras", "he_uniform", null, new TensorShape(3, 3, 16, 32), 42, "float32");
            Assert.That(got.Single, Is.EqualTo(reference.Single));
        }
        finally { File.Delete(outPath); }
    }
}
