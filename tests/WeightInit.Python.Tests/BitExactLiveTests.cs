using System.Globalization;
using NUnit.Framework;
using WeightInit.IO;
using WeightInit.Random;

namespace WeightInit.Python.Tests;

/// <summary>
/// The keras-numpy and numpy-legacy streams against live Keras and numpy through the bridge, bit for bit, with fresh
/// seeds on every run (printed, so a failure can be replayed). Skipped, with the reason, when Keras or numpy is absent.
/// </summary>
[TestFixture]
public sealed class BitExactLiveTests
{
    // One seed per run for each test, printed; the shared System.Random is seeded from the OS.
    private static long FreshSeed() => System.Random.Shared.NextInt64(0, 1L << 32);

    private static void AssertBitExact(NpyArray framework, double[] mine, string what)
    {
        int n = framework.Single?.Length ?? framework.Double!.Length;
        Assert.That(mine, Has.Length.EqualTo(n), what);
        for (int i = 0; i < n; i++)
        {
            if (framework.Single is { } f)
            {
                float a = (float)mine[i];
                if (BitConverter.SingleToUInt32Bits(a) != BitConverter.SingleToUInt32Bits(f[i]))
                    Assert.Fail($"{what}: element {i}: library {a.ToString("R", CultureInfo.InvariantCulture)} (0x{BitConverter.SingleToUInt32Bits(a):X8}), framework {f[i].ToString("R", CultureInfo.InvariantCulture)} (0x{BitConverter.SingleToUInt32Bits(f[i]):X8})");
            }
            else if (BitConverter.DoubleToUInt64Bits(mine[i]) != BitConverter.DoubleToUInt64Bits(framework.Double![i]))
                Assert.Fail($"{what}: element {i}: library {mine[i].ToString("R", CultureInfo.InvariantCulture)} (0x{BitConverter.DoubleToUInt64Bits(mine[i]):X16}), framework {framework.Double![i].ToString("R", CultureInfo.InvariantCulture)} (0x{BitConverter.DoubleToUInt64Bits(framework.Double![i]):X16})");
        }
    }

    // (Keras name, config, shape, dtype): every law, rank 0, a zero-size shape, input_axes, float64.
    private static readonly (string Name, string? Config, string Shape, string DType)[] KerasCases =
    [
        ("glorot_normal", null, "64,32", "float32"),
        ("he_uniform", null, "3,3,16,32", "float32"),
        ("lecun_normal", null, "", "float64"),
        ("RandomNormal", """{"mean": 0.5, "stddev": 2.0}""", "1000", "float64"),
        ("RandomUniform", """{"minval": -3.0, "maxval": 0.25}""", "17,5", "float32"),
        ("TruncatedNormal", """{"mean": -1.0, "stddev": 0.1}""", "4096", "float32"),
        ("VarianceScaling", """{"scale": 0.3, "mode": "fan_avg", "distribution": "untruncated_normal"}""", "2,3,4,5", "float64"),
        ("VarianceScaling", """{"scale": 2.0, "mode": "fan_in", "distribution": "truncated_normal", "input_axes": [0], "output_axes": [1, 2]}""", "32,4,16", "float32"),
        ("he_normal", null, "0,5", "float32"),
    ];

    private static IEnumerable<TestCaseData> KerasCaseData() =>
        KerasCases.Select((c, i) => new TestCaseData(i).SetName($"keras {c.Name} {c.Config ?? "{}"} ({c.Shape}) {c.DType} · fresh seed, bit-exact"));

    [TestCaseSource(nameof(KerasCaseData))]
    public void Keras_initializer_with_a_fresh_seed(int index)
    {
        var info = Live.Require("keras");
        if (info.Backend != "numpy") Assert.Ignore($"skipped: keras-numpy reproduces the numpy backend (this Keras runs on {info.Backend})");
        var c = KerasCases[index];
        long seed = FreshSeed();
        TestContext.Out.WriteLine($"seed {seed}");
        var shape = TensorShape.Parse(c.Shape);
        var keras = FrameworkSampler.Sample("keras", c.Name, c.Config, shape, seed, c.DType);
        var mine = InitializerRegistry.Create(c.Name, c.Config, SeedSource.Fixed(seed), KerasNumpyStream.Instance).SampleDouble(shape);
        AssertBitExact(keras, mine, $"{c.Name} seed {seed}");
    }

    [Test]
    public void Numpy_generator_standard_normal_with_a_fresh_seed()
    {
        Live.Require("numpy");
        long seed = FreshSeed();
        TestContext.Out.WriteLine($"seed {seed}");
        // np.random.default_rng(seed): SeedSequence of the int's 32-bit words (one word below 2^32).
        const int n = 1 << 18;
        var numpy = FrameworkSampler.Sample("numpy", "generator.standard_normal", null, new TensorShape(n), seed, "float64");
        Span<uint> words = [(uint)seed];
        var g = Pcg64.FromEntropy(words);
        var mine = new double[n];
        for (int i = 0; i < n; i++) mine[i] = KerasNumpyStream.StandardNormal(ref g);
        AssertBitExact(numpy, mine, $"default_rng({seed}).standard_normal({n})");
    }

    [TestCase("article.xavier", false)]
    [TestCase("article.glorot", true)]
    public void Article_snippet_with_a_fresh_seed(string sampler, bool glorot)
    {
        Live.Require("numpy");
        long seed = FreshSeed();
        int rows = System.Random.Shared.Next(1, 300), cols = System.Random.Shared.Next(1, 300);
        TestContext.Out.WriteLine($"seed {seed}, shape ({rows}, {cols})");
        var shape = new TensorShape(rows, cols);
        var numpy = FrameworkSampler.Sample("numpy", sampler, null, shape, seed, "float64");
        var mine = new Initializers.NumpyArticle(glorot, SeedSource.Fixed(seed), NumpyLegacyStream.Instance).SampleDouble(shape);
        AssertBitExact(numpy, mine, $"{sampler} seed {seed} ({rows}, {cols})");
    }
}
