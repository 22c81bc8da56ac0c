using NUnit.Framework;
using WeightInit.IO;

namespace WeightInit.Python.Tests;

/// <summary>numpy through the bridge, compared bit for bit with the same code in a separate plain Python process.</summary>
[TestFixture]
public sealed class NumpySamplingTests
{
    [SetUp]
    public void RequireNumpy() => Live.Require("numpy");

    private static void AssertSame(NpyArray bridge, NpyArray reference)
    {
        Assert.That(bridge.Shape, Is.EqualTo(reference.Shape));
        Assert.That(bridge.DType, Is.EqualTo(reference.DType));
        if (bridge.Single is not null) Assert.That(bridge.Single, Is.EqualTo(reference.Single));
        else Assert.That(bridge.Double, Is.EqualTo(reference.Double));
    }

    // (name, config, dtype, plain-numpy code assigning x) on shape (3, 4) with seed 42.
    private static readonly (string Name, string? Config, string DType, string Code)[] Cases =
    [
        ("generator.standard_normal", null, "float64", "x = np.random.default_rng(42).standard_normal((3, 4))"),
        ("standard_normal", null, "float32", "x = np.random.default_rng(42).standard_normal((3, 4), dtype=np.float32)"),
        ("generator.random", null, "float64", "x = np.random.default_rng(42).random((3, 4))"),
        ("generator.normal", """{"loc": 1.5, "scale": 0.25}""", "float32", "x = np.random.default_rng(42).normal(1.5, 0.25, size=(3, 4)).astype(np.float32)"),
        ("uniform", """{"low": -2, "high": 2}""", "float64", "x = np.random.default_rng(42).uniform(-2, 2, size=(3, 4))"),
        ("legacy.randn", null, "float64", "np.random.seed(42)\nx = np.random.randn(3, 4)"),
        ("randn", """{"scale": 0.5}""", "float32", "np.random.seed(42)\nx = (np.random.randn(3, 4) * 0.5).astype(np.float32)"),
        ("rand", null, "float64", "np.random.seed(42)\nx = np.random.rand(3, 4)"),
        ("legacy.uniform", """{"low": -1, "high": 3}""", "float64", "np.random.seed(42)\nx = np.random.uniform(-1, 3, size=(3, 4))"),
        ("article.xavier", null, "float64", "l = 3\nnp.random.seed(42)\nx = np.random.randn(3, 4) * np.sqrt(1/l)"),
        ("article.randn_sqrt_2_over_sum", null, "float64", "np.random.seed(42)\nx = np.random.randn(3, 4) * np.sqrt(2/(3 + 4))"),
    ];

    private static Dictionary<string, NpyArray>? _reference;

    private static IEnumerable<string> CaseNames() => Cases.Select(c => c.Name);

    /// <summary>Every case against the same code in one plain Python process (the snippets are the documentation).</summary>
    [TestCaseSource(nameof(CaseNames))]
    public void MatchesPlainNumpy(string name)
    {
        _reference ??= Live.RunPythonForArrays("", Cases.ToDictionary(c => c.Name, c => c.Code));
        var c = Cases.Single(k => k.Name == name);
        var got = FrameworkSampler.Sample("numpy", c.Name, c.Config, new TensorShape(3, 4), 42, c.DType);
        AssertSame(got, _reference[name]);
    }

    [Test]
    public void ScalarAndZeroSizeShapes()
    {
        var scalar = FrameworkSampler.Sample("numpy", "randn", null, new TensorShape(), 1, "float64");
        Assert.That(scalar.Shape.Rank, Is.Zero);
        Assert.That(scalar.Double, Has.Length.EqualTo(1));
        var empty = FrameworkSampler.Sample("numpy", "generator.normal", null, new TensorShape(0, 3), 1, "float32");
        Assert.That(empty.Single, Is.Empty);
        Assert.That(empty.Shape, Is.EqualTo(new TensorShape(0, 3)));
    }

    [Test]
    public void Unseeded_DrawsFreshValues()
    {
        var a = FrameworkSampler.Sample("numpy", "generator.normal", null, new TensorShape(8), null, "float64");
        var b = FrameworkSampler.Sample("numpy", "generator.normal", null, new TensorShape(8), null, "float64");
        Assert.That(a.Double, Is.Not.EqualTo(b.Double));
    }

    [Test]
    public void UnknownConfigKey_IsRejectedWithTheAllowedKeys()
    {
        var ex = Assert.Throws<PythonErrorException>(() => FrameworkSampler.Sample("numpy", "randn", """{"stddev": 2}""", new TensorShape(2), 1, "float32"))!;
        Assert.That(ex.Message, Does.Contain("does not take stddev").And.Contain("scale"));
    }

    [Test]
    public void ArticleSnippets_Need2D()
    {
        var ex = Assert.Throws<PythonErrorException>(() => FrameworkSampler.Sample("numpy", "article.xavier", null, new TensorShape(2, 3, 4), 1, "float32"))!;
        Assert.That(ex.Message, Does.Contain("needs a 2-D shape"));
    }

    [Test]
    public void LegacySampler_DoesNotTouchTheGlobalNumpyState()
    {
        var before = Live.RunPythonForArray("import numpy as np\nnp.random.seed(5)\nnp.save(OUT, np.random.rand(4))");
        var inProcess = PythonHost.Run(() =>
        {
            using var ns = new global::Python.Runtime.PyDict();
            global::Python.Runtime.PythonEngine.Exec("import numpy as np\nnp.random.seed(5)", ns);
            FrameworkSampler.Sample("numpy", "legacy.randn", null, new TensorShape(100), 9, "float64");
            global::Python.Runtime.PythonEngine.Exec("x = np.random.rand(4).tolist()", ns);
            return ns.GetItem("x").As<double[]>();
        });
        Assert.That(inProcess, Is.EqualTo(before.Double));
    }
}
