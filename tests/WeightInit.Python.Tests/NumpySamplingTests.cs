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

    [TestCase("generator.standard_normal", null, "float64", "np.random.default_rng(42).standard_normal((3, 4))")]
    [TestCase("standard_normal", null, "float32", "np.random.default_rng(42).standard_normal((3, 4), dtype=np.float32)")]
    [TestCase("generator.random", null, "float64", "np.random.default_rng(42).random((3, 4))")]
    [TestCase("generator.normal", """{"loc": 1.5, "scale": 0.25}""", "float32", "np.random.default_rng(42).normal(1.5, 0.25, size=(3, 4)).astype(np.float32)")]
    [TestCase("uniform", """{"low": -2, "high": 2}""", "float64", "np.random.default_rng(42).uniform(-2, 2, size=(3, 4))")]
    [TestCase("legacy.randn", null, "float64", "np.random.seed(42); x = np.random.randn(3, 4)")]
    [TestCase("randn", """{"scale": 0.5}""", "float32", "np.random.seed(42); x = (np.random.randn(3, 4) * 0.5).astype(np.float32)")]
    [TestCase("rand", null, "float64", "np.random.seed(42); x = np.random.rand(3, 4)")]
    [TestCase("legacy.uniform", """{"low": -1, "high": 3}""", "float64", "np.random.seed(42); x = np.random.uniform(-1, 3, size=(3, 4))")]
    [TestCase("article.xavier", null, "float64", "l = 3; np.random.seed(42); x = np.random.randn(3, 4) * np.sqrt(1/l)")]
    [TestCase("article.randn_sqrt_2_over_sum", null, "float64", "np.random.seed(42); x = np.random.randn(3, 4) * np.sqrt(2/(3 + 4))")]
    public void MatchesPlainNumpy(string name, string? config, string dtype, string expression)
    {
        var got = FrameworkSampler.Sample("numpy", name, config, new TensorShape(3, 4), 42, dtype);
        var code = expression.Contains("x = ") ? expression : "x = " + expression;
        var reference = Live.RunPythonForArray($"import numpy as np\n{code.Replace("; ", "\n")}\nnp.save(OUT, np.ascontiguousarray(x, dtype=np.{dtype}))");
        AssertSame(got, reference);
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
