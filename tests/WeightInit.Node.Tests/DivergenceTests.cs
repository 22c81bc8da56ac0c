using System.Text.Json.Nodes;
using NUnit.Framework;

namespace WeightInit.Node.Tests;

/// <summary>
/// The divergences of TF.js 4.22.0 from Keras that docs/frameworks/tfjs.md records, checked live. Each test states
/// TF.js' behaviour; if one fails after an upgrade, the divergence may be fixed upstream and the page (and the
/// tfjs expectations) must be revisited.
/// </summary>
public sealed class DivergenceTests
{
    private const double C = 0.87962566103423978; // stddev of N(0,1) cut at ±2

    private static double MeanSquare(float[] x) => x.Select(v => (double)v * v).Average();

    [Test]
    public void D1_VarianceScalingNormalHasNoTruncationCorrection()
    {
        Live.RequireTfjs();
        var call = (TfjsCall)TfjsMapping.TryMap("LecunNormal", null, new TensorShape(512, 128), "float32");
        var x = TfjsSampler.SampleBatch(call, 11, 2);
        double s = 1.0 / 512;
        Assert.That(x.Max(v => Math.Abs(v)), Is.LessThanOrEqualTo(2 * Math.Sqrt(s) * (1 + 1e-6)), "cut at 2*sqrt(s), not 2*sqrt(s)/0.8796");
        // Keras: mean square s. TF.js: 0.7737 s. Standard error of the ratio at n = 2^17: about 0.3 %.
        Assert.That(MeanSquare(x) / s, Is.EqualTo(C * C).Within(0.015));
    }

    [Test]
    public void D2_RankOneFansAreTheSquareRootOfTheSize()
    {
        Live.RequireTfjs();
        var call = (TfjsCall)TfjsMapping.TryMap("HeUniform", null, new TensorShape(4096), "float32");
        var x = TfjsSampler.SampleBatch(call, 21, 4);
        double tfjsLimit = Math.Sqrt(6.0 / 64), kerasLimit = Math.Sqrt(6.0 / 4096);
        Assert.That(x.Max(), Is.LessThan(tfjsLimit).And.GreaterThan(0.99 * tfjsLimit));
        Assert.That(x.Max(), Is.GreaterThan(5 * kerasLimit));
        Assert.That(call.Notes, Has.Some.Contains("sqrt(prod(shape))"));
    }

    [Test]
    public void D3_RandomUniformMinvalZeroBecomesTheDefault()
    {
        Live.RequireTfjs();
        var call = (TfjsCall)TfjsMapping.TryMap("RandomUniform", """{"minval": 0.0, "maxval": 1.0}""", new TensorShape(64, 64), "float32");
        var x = TfjsSampler.SampleBatch(call, 31, 4);
        Assert.That(x.Min(), Is.LessThan(-0.049f).And.GreaterThanOrEqualTo(-0.05f), "Keras: never below 0");
        Assert.That(x.Count(v => v < 0) / (double)x.Length, Is.EqualTo(0.05 / 1.05).Within(0.005));
    }

    [Test]
    public void D4_Float64IsRefusedByEveryRandomScheme()
    {
        Live.RequireTfjs();
        foreach (var name in new[] { "heNormal", "glorotUniform", "randomNormal", "randomUniform", "truncatedNormal", "orthogonal", "zeros" })
        {
            var r = NodeHost.Shared.Request(new JsonObject
            {
                ["op"] = "sample", ["initializer"] = name, ["config"] = new JsonObject { ["seed"] = 1 },
                ["shape"] = new JsonArray(4, 4), ["dtype"] = "float64", ["seed"] = 1, ["count"] = 1,
            });
            Assert.That(() => TfjsSampler.ThrowIfError(r.Header, name, new TensorShape(4, 4)),
                Throws.TypeOf<TfjsErrorException>().With.Message.Contains("float64").Or.Message.Contains("Unsupported data type"), name);
        }
    }

    [Test]
    public void D6_TfjsOwnTruncatedNormalDistributionDrawsAUniform()
    {
        Live.RequireTfjs();
        var cfg = new JsonObject { ["scale"] = 1.0, ["mode"] = "fanIn", ["distribution"] = "truncatedNormal" };
        var x = TfjsSampler.SampleRaw("varianceScaling", cfg, new TensorShape(1000, 100), 1);
        double limit = Math.Sqrt(3.0 / 1000);
        Assert.That(x.Max(v => Math.Abs(v)), Is.LessThanOrEqualTo(limit * (1 + 1e-6)).And.GreaterThan(0.999 * limit));
        // A uniform on ±limit has as many values in the outer tenth as in any other: a normal would have far fewer.
        double outer = x.Count(v => Math.Abs(v) > 0.9 * limit) / (double)x.Length;
        Assert.That(outer, Is.EqualTo(0.1).Within(0.01));
    }

    [Test]
    public void D8_SeedZeroIsUnseededForNormalsButNotForUniforms()
    {
        Live.RequireTfjs();
        var shape = new TensorShape(8, 8);
        float[] Draw(string name, long seed) => TfjsSampler.SampleRaw(name, null, shape, seed);
        var (n0a, n0b, n1a, n1b, u0a, u0b) = (Draw("heNormal", 0), Draw("heNormal", 0), Draw("heNormal", 1), Draw("heNormal", 1), Draw("heUniform", 0), Draw("heUniform", 0));
        Assert.That(n0b, Is.Not.EqualTo(n0a), "heNormal seed 0: unseeded");
        Assert.That(n1b, Is.EqualTo(n1a), "heNormal seed 1: reproducible");
        Assert.That(u0b, Is.EqualTo(u0a), "heUniform seed 0: reproducible");
        Assert.That(((TfjsCall)TfjsMapping.TryMap("HeNormal", null, shape, "float32")).ZeroSeedIsUnseeded, Is.True);
        Assert.That(((TfjsCall)TfjsMapping.TryMap("Orthogonal", null, shape, "float32")).ZeroSeedIsUnseeded, Is.True);
        Assert.That(((TfjsCall)TfjsMapping.TryMap("HeUniform", null, shape, "float32")).ZeroSeedIsUnseeded, Is.False);
    }

    [Test]
    public void D9_OrthogonalWorksThroughTheBridgesChainedMethods()
    {
        Live.RequireTfjs();
        var x = TfjsSampler.SampleRaw("orthogonal", new JsonObject { ["gain"] = 2.0 }, new TensorShape(24, 16), 5);
        // W = 2Q with QᵀQ = I: every column has squared norm 4, distinct columns are orthogonal.
        for (int a = 0; a < 16; a++)
            for (int b = a; b < 16; b++)
            {
                double dot = 0;
                for (int r = 0; r < 24; r++) dot += (double)x[r * 16 + a] * x[r * 16 + b];
                Assert.That(dot, Is.EqualTo(a == b ? 4.0 : 0.0).Within(1e-5), $"columns {a}, {b}");
            }
    }
}
