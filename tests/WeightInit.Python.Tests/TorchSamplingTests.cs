using NUnit.Framework;

namespace WeightInit.Python.Tests;

/// <summary>torch.nn.init through the bridge, compared bit for bit with plain PyTorch in a separate process.</summary>
[TestFixture]
public sealed class TorchSamplingTests
{
    private FrameworkInfo _torch = null!;

    [SetUp]
    public void RequireTorch() => _torch = Live.Require("torch");

    private static readonly (string Name, string? Config, string DType)[] Cases =
    [
        ("kaiming_normal_", null, "float32"),
        ("kaiming_uniform", """{"a": 0.1, "mode": "fan_out", "nonlinearity": "leaky_relu"}""", "float32"),
        ("xavier_uniform_", """{"gain": 2.0}""", "float64"),
        ("xavier_normal_", null, "float32"),
        ("trunc_normal_", """{"mean": 0.5, "std": 0.2, "a": 0.0, "b": 1.0}""", "float64"),
        ("orthogonal_", null, "float32"),
        ("normal_", """{"std": 0.02}""", "float32"),
    ];

    private static Dictionary<string, WeightInit.IO.NpyArray>? _reference;

    private static IEnumerable<string> CaseNames() => Cases.Select(c => c.Name);

    /// <summary>Plain PyTorch (global torch.manual_seed) in one separate process, bit for bit.</summary>
    [TestCaseSource(nameof(CaseNames))]
    public void MatchesPlainTorch(string name)
    {
        _reference ??= Live.RunPythonForArrays("import json, torch", Cases.ToDictionary(c => c.Name, c =>
        {
            var fn = c.Name.EndsWith('_') ? c.Name : c.Name + "_";
            return $"torch.manual_seed(1234)\nt = torch.empty((16, 24), dtype=torch.{c.DType})\n" +
                   $"torch.nn.init.{fn}(t, **json.loads('{c.Config ?? "{}"}'))\nx = t.numpy()";
        }));
        var k = Cases.Single(c => c.Name == name);
        var got = FrameworkSampler.Sample("torch", k.Name, k.Config, new TensorShape(16, 24), 1234, k.DType);
        var reference = _reference[name];
        Assert.That(got.Shape, Is.EqualTo(reference.Shape));
        Assert.That(got.DType.Name(), Is.EqualTo(k.DType));
        Assert.That(got.ToDoubleArray(), Is.EqualTo(reference.ToDoubleArray()));
    }

    [Test]
    public void ReportsVersionAndSeedingMode()
    {
        Assert.That(_torch.Version, Is.Not.Null.And.Not.Empty);
        Assert.That(_torch.Seeding, Is.AnyOf("generator", "fork_rng+manual_seed"));
        TestContext.Out.WriteLine(_torch);
    }

    [Test]
    public void Orthogonal_RowsAreOrthonormal()
    {
        var w = FrameworkSampler.Sample("torch", "orthogonal_", null, new TensorShape(8, 32), 7, "float64").Double!;
        for (int i = 0; i < 8; i++)
            for (int j = 0; j < 8; j++)
            {
                double dot = 0;
                for (int k = 0; k < 32; k++) dot += w[i * 32 + k] * w[j * 32 + k];
                Assert.That(dot, Is.EqualTo(i == j ? 1.0 : 0.0).Within(1e-9));
            }
    }

    [Test]
    public void SeededSampling_RestoresTheGlobalTorchRng()
    {
        var values = PythonHost.Run(() =>
        {
            using var ns = new global::Python.Runtime.PyDict();
            global::Python.Runtime.PythonEngine.Exec("import torch\ntorch.manual_seed(77)\na = torch.rand(3).tolist()", ns);
            FrameworkSampler.Sample("torch", "kaiming_normal_", null, new TensorShape(10, 10), 5, "float32");
            global::Python.Runtime.PythonEngine.Exec("b = torch.rand(3).tolist()\ntorch.manual_seed(77)\nc = torch.rand(6).tolist()", ns);
            return (ns.GetItem("a").As<double[]>(), ns.GetItem("b").As<double[]>(), ns.GetItem("c").As<double[]>());
        });
        Assert.That(values.Item1.Concat(values.Item2), Is.EqualTo(values.Item3));
    }

    [Test]
    public void UnknownFunction_ListsTheKnownOnes()
    {
        var ex = Assert.Throws<PythonErrorException>(() => FrameworkSampler.Sample("torch", "he_normal", null, new TensorShape(2, 2), 1, "float32"))!;
        Assert.That(ex.Message, Does.Contain("Unknown torch.nn.init function 'he_normal'").And.Contain("kaiming_normal_"));
    }

    [Test]
    public void BadKeyword_IsThePythonTypeError()
    {
        var ex = Assert.Throws<PythonErrorException>(() => FrameworkSampler.Sample("torch", "normal_", """{"stddev": 1}""", new TensorShape(2, 2), 1, "float32"))!;
        Assert.That(ex.PythonType, Is.EqualTo("TypeError"));
        Assert.That(ex.PythonMessage, Does.Contain("stddev"));
    }
}
