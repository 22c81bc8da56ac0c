using NUnit.Framework;
using WeightInit.Statistics;

namespace WeightInit.Python.Tests;

/// <summary>
/// src/WeightInit.Statistics against live scipy.stats on the same data: KS (one and two samples, exact and
/// asymptotic regimes) and chi-square statistics and p-values must agree. The samples come from numpy through the
/// bridge, so the data are realistic draws rather than hand-made values.
/// </summary>
[TestFixture]
public sealed class StatisticsCrossCheckTests
{
    [SetUp]
    public void RequireScipy()
    {
        Live.Require("numpy");
        Live.Require("scipy");
    }

    private static double[] Draw(string name, string? config, int n, long seed) =>
        FrameworkSampler.Sample("numpy", name, config, new TensorShape(n), seed, "float64").Double!;

    private static void AssertClose(double csharp, double scipy, string what)
    {
        // Relative 1e-9 (absolute 1e-300 for underflowing tails): the library ports scipy's algorithms.
        double tol = Math.Max(1e-9 * Math.Abs(scipy), 1e-300);
        Assert.That(csharp, Is.EqualTo(scipy).Within(tol), $"{what}: C# {csharp:R} vs scipy {scipy:R}");
    }

    // (sampler, config, C# distribution, scipy spec); the 1.1 scale and the shifted mean give small p-values.
    private static IEnumerable<TestCaseData> OneSampleCases()
    {
        foreach (var n in new[] { 1, 7, 100, 2_000, 20_000 })
        {
            yield return new TestCaseData("normal", null, n, "N(0,1)", "norm(0, 1)").SetName($"KS normal n={n}");
            yield return new TestCaseData("normal", """{"scale": 1.1}""", n, "N(0,1)", "norm(0, 1)").SetName($"KS normal misfit n={n}");
            yield return new TestCaseData("uniform", """{"low": -0.5, "high": 0.5}""", n, "U(-0.5,0.5)", "uniform(-0.5, 1)").SetName($"KS uniform n={n}");
        }
        yield return new TestCaseData("normal", """{"loc": 0.05}""", 5_000, "N(0,1)", "norm(0, 1)").SetName("KS normal shifted n=5000");
    }

    private static IUnivariateDistribution Dist(string key) => key switch
    {
        "N(0,1)" => new NormalDistribution(0, 1),
        "U(-0.5,0.5)" => new UniformDistribution(-0.5, 0.5),
        _ => throw new ArgumentException(key),
    };

    [TestCaseSource(nameof(OneSampleCases))]
    public void KolmogorovSmirnov_OneSample(string sampler, string? config, int n, string dist, string scipySpec)
    {
        var x = Draw(sampler, config, n, 20261129 + n);
        var cs = StatisticalTests.KolmogorovSmirnov(x, Dist(dist));
        var py = ScipyStats.KsTest(x, scipySpec);
        AssertClose(cs.Statistic, py.Statistic, "D");
        AssertClose(cs.PValue, py.PValue, "p-value");
    }

    [Test]
    public void KolmogorovSmirnov_TruncatedNormal()
    {
        // Keras' truncated normal: +-2 standard deviations; scipy's truncnorm takes the standardized bounds.
        Live.Require("keras");
        var x = FrameworkSampler.Sample("keras", "TruncatedNormal", """{"stddev": 0.5}""", new TensorShape(3_000), 3, "float64").Double!;
        var cs = StatisticalTests.KolmogorovSmirnov(x, new TruncatedNormalDistribution(0, 0.5, -2, 2));
        var py = ScipyStats.KsTest(x, "truncnorm(-2, 2, loc=0, scale=0.5)");
        AssertClose(cs.Statistic, py.Statistic, "D");
        AssertClose(cs.PValue, py.PValue, "p-value");
    }

    [TestCase(50, 80)]
    [TestCase(1_000, 1_500)]
    [TestCase(12_000, 11_000)]
    public void KolmogorovSmirnov_TwoSample(int n1, int n2)
    {
        var a = Draw("normal", null, n1, 11);
        var b = Draw("normal", """{"scale": 1.05}""", n2, 12);
        var cs = StatisticalTests.KolmogorovSmirnov2(a, b);
        var py = ScipyStats.KsTwoSample(a, b);
        AssertClose(cs.Statistic, py.Statistic, "D");
        AssertClose(cs.PValue, py.PValue, "p-value");
    }

    [TestCase(10, 1_000)]
    [TestCase(100, 50_000)]
    [TestCase(20, 300)]
    public void ChiSquare_EquiprobableBins(int bins, int n)
    {
        var x = Draw("normal", """{"scale": 1.02}""", n, bins * 7L);
        var counts = StatisticalTests.EquiprobableCounts(x, new NormalDistribution(0, 1), bins).Select(c => (double)c).ToArray();
        var expected = Enumerable.Repeat((double)n / bins, bins).ToArray();
        var cs = StatisticalTests.ChiSquare(counts, expected);
        var py = ScipyStats.ChiSquare(counts, expected);
        AssertClose(cs.Statistic, py.Statistic, "chi2");
        AssertClose(cs.PValue, py.PValue, "p-value");
        var py0 = ScipyStats.ChiSquare(counts);   // scipy's default: equal expected frequencies
        AssertClose(cs.PValue, py0.PValue, "p-value (default expected)");
    }

    [Test]
    public void ChiSquare_WithDdof()
    {
        double[] observed = [18, 25, 31, 26];
        double[] expected = [25, 25, 25, 25];
        var cs = StatisticalTests.ChiSquare(observed, expected, ddof: 1);
        var py = ScipyStats.ChiSquare(observed, expected, ddof: 1);
        AssertClose(cs.Statistic, py.Statistic, "chi2");
        AssertClose(cs.PValue, py.PValue, "p-value");
    }

    [Test]
    public void NormalCdf_MatchesScipyInTheTails()
    {
        foreach (var z in new[] { -38.0, -20.0, -8.5, -1.0, 0.0, 0.3, 5.0, 8.0 })
            AssertClose(StandardNormal.Cdf(z), ScipyStats.Cdf("norm(0, 1)", z), $"Phi({z})");
    }
}
