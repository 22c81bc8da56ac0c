using System.Text.Json.Nodes;
using NUnit.Framework;

namespace WeightInit.Node.Tests;

/// <summary>Live TF.js 4.22.0 sampling through the shared bridge.</summary>
public sealed class SamplingTests
{
    [Test]
    public void BridgeReportsPinnedVersionsAndCpuBackend()
    {
        var info = Live.RequireTfjs();
        foreach (var pkg in NodeLocator.Packages) Assert.That(info.Packages[pkg], Is.EqualTo(NodeLocator.PinnedVersion), pkg);
        Assert.That(info.Backend, Is.EqualTo("cpu"));
        Assert.That(info.NodeVersion, Does.StartWith("v"));
        Assert.That(info.Initializers, Is.EquivalentTo(TfjsMapping.TfjsNames));
    }

    [Test]
    public void HeNormalHasTfjsLawTruncatedAtTwoSigmaWithoutCorrection()
    {
        Live.RequireTfjs();
        var shape = new TensorShape(256, 256);
        var x = TfjsSampler.SampleRaw("heNormal", null, shape, 7);
        Assert.That(x, Has.Length.EqualTo(65536));
        double sigma = Math.Sqrt(2.0 / 256);                   // TF.js: truncatedNormal(0, sqrt(scale/fanIn))
        Assert.That(x.Max(v => Math.Abs(v)), Is.LessThanOrEqualTo(2 * sigma * (1 + 1e-6)));
        Assert.That(x.Max(v => Math.Abs(v)), Is.GreaterThan(1.9 * sigma));
        double var = x.Select(v => (double)v * v).Average();
        // The variance of N(0, s²) cut at ±2s is 0.7737 s² (0.87962566² ); its standard error here is ≈ 0.4 %.
        Assert.That(var / (sigma * sigma), Is.EqualTo(0.87962566103423978 * 0.87962566103423978).Within(0.02));
    }

    [Test]
    public void SameSeedSameValuesDifferentSeedDifferentValues()
    {
        Live.RequireTfjs();
        var shape = new TensorShape(16, 8);
        var a = TfjsSampler.SampleRaw("glorotUniform", null, shape, 42);
        var b = TfjsSampler.SampleRaw("glorotUniform", null, shape, 42);
        var c = TfjsSampler.SampleRaw("glorotUniform", null, shape, 43);
        Assert.That(b, Is.EqualTo(a));
        Assert.That(c, Is.Not.EqualTo(a));
        var u1 = TfjsSampler.SampleRaw("glorotUniform", null, shape, null);
        var u2 = TfjsSampler.SampleRaw("glorotUniform", null, shape, null);
        Assert.That(u2, Is.Not.EqualTo(u1), "unseeded draws come from Math.random() and differ");
    }

    [Test]
    public void OneBatchRequestEqualsTheSingleCallsItReplaces()
    {
        Live.RequireTfjs();
        var shape = new TensorShape(3, 4);
        var cfg = new JsonObject { ["minval"] = -0.1, ["maxval"] = 0.3 };
        var batch = TfjsSampler.SampleRaw("randomUniform", cfg, shape, 1000, count: 50);
        Assert.That(batch, Has.Length.EqualTo(600));
        for (int j = 0; j < 50; j += 7)
        {
            var single = TfjsSampler.SampleRaw("randomUniform", cfg, shape, 1000 + j);
            Assert.That(batch.AsSpan(j * 12, 12).ToArray(), Is.EqualTo(single), $"tensor {j} = seed {1000 + j}");
        }
        Assert.That(batch.Min(), Is.GreaterThanOrEqualTo(-0.1f));
        Assert.That(batch.Max(), Is.LessThan(0.3f));
    }

    [Test]
    public void TinyShapeBatchOfAQuarterMillionTensorsIsOneRequest()
    {
        Live.RequireTfjs();
        var call = (TfjsCall)TfjsMapping.TryMap("HeNormal", null, new TensorShape(1, 1), "float32");
        var x = TfjsSampler.SampleBatch(call, 9_000_000, 262144);
        Assert.That(x, Has.Length.EqualTo(262144));
        // Each tensor has its own seed, so the values are almost all distinct: float32 rounding alone gives a few
        // hundred ties among 2^18 normals (487 measured); one seed reused would give a single value.
        Assert.That(x.Distinct().Count(), Is.GreaterThan(260000), "each tensor has its own seed");
        for (int j = 0; j < 262144; j += 65521)
            Assert.That(x[j], Is.EqualTo(TfjsSampler.SampleBatch(call, 9_000_000 + j, 1)[0]), $"tensor {j} is seed 9000000+{j}");
        Assert.That(x.Max(v => Math.Abs(v)), Is.LessThanOrEqualTo(2 * Math.Sqrt(2.0) * (1 + 1e-6)));
    }

    /// <summary>The catalog's Keras cases that map to a TF.js call (the others are checked in MappingTests).</summary>
    public static IEnumerable<MappingTests.CatalogCase> MappedKerasCases() =>
        MappingTests.KerasCases().Where(c => TfjsMapping.TryMap(c.Initializer, c.ConfigJson, new TensorShape(c.Shape), c.DType) is TfjsCall);

    [Test]
    public void MostKerasCasesMap() => Assert.That(MappedKerasCases().Count(), Is.EqualTo(41), "57 Keras cases: 12 float64, 2 untruncated_normal in float32, 1 input_axes, 1 non-square Identity in float32 are not applicable");

    [TestCaseSource(nameof(MappedKerasCases))]
    public void EveryMappedCatalogCaseRunsLive(MappingTests.CatalogCase c)
    {
        var call = (TfjsCall)TfjsMapping.TryMap(c.Initializer, c.ConfigJson, new TensorShape(c.Shape), c.DType);
        Live.RequireTfjs();
        var shape = new TensorShape(c.Shape);
        int count = shape.Count == 0 ? 1 : (int)Math.Min(3, Math.Max(1, 4096 / shape.Count));
        var x = TfjsSampler.SampleBatch(call, c.FirstSeed, count);
        Assert.That(x, Has.Length.EqualTo(shape.Count * count));
        Assert.That(x.All(float.IsFinite), Is.True);
        if (c.Initializer is "Zeros") Assert.That(x.All(v => v == 0), Is.True);
        if (c.Initializer is "Ones") Assert.That(x.All(v => v == 1), Is.True);
    }

    [Test]
    public void SampleKerasReturnsAnNpyArrayAndRefusesNotApplicableCases()
    {
        Live.RequireTfjs();
        var a = TfjsSampler.SampleKeras("he_uniform", null, new TensorShape(3, 3, 8, 16), 3);
        Assert.That(a.Shape.Dimensions, Is.EqualTo(new[] { 3, 3, 8, 16 }));
        Assert.That(a.Single!.Max(v => Math.Abs(v)), Is.LessThan(Math.Sqrt(6.0 / 72)));
        Assert.That(() => TfjsSampler.SampleKeras("HeNormal", null, new TensorShape(4, 4), 1, "float64"),
            Throws.TypeOf<TfjsNotApplicableException>().With.Message.Contains("float64"));
    }
}

/// <summary>The SUT adapter the harness registers for <c>--sut tfjs</c>.</summary>
public sealed class UnderTestTests
{
    [Test]
    public void BatchAndSingleAgreeAndNotApplicableIsItsOwnException()
    {
        Live.RequireTfjs();
        var sut = new TfjsUnderTest();
        Assert.That(sut.Name, Is.EqualTo("tfjs"));
        const string cfg = """{"seed": null, "input_axes": null, "output_axes": null}""";
        var batch = sut.SampleBatch("GlorotUniform", cfg, [3, 4], 500, 3, "float32");
        Assert.That(batch, Has.Length.EqualTo(36));
        var second = (float[])sut.Sample("GlorotUniform", cfg, [3, 4], 501, "float32");
        Assert.That(batch.AsSpan(12, 12).ToArray(), Is.EqualTo(second));
        var ex = Assert.Throws<TfjsNotApplicableException>(() => sut.Sample("GlorotUniform", cfg, [3, 4], 1, "float64"));
        Assert.That(ex!.Result.Kind, Is.EqualTo(TfjsNotApplicableKind.UnsupportedDType));
        Assert.That(TfjsUnderTest.Map("VarianceScaling", """{"distribution": "untruncated_normal"}""", [3, 4], "float32"), Is.InstanceOf<TfjsNotApplicable>());
    }
}
