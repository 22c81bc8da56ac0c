using NUnit.Framework;

namespace WeightInit.Python.Tests;

/// <summary>The live scipy.stats helper, checked against closed-form values.</summary>
[TestFixture]
public sealed class ScipyTests
{
    [SetUp]
    public void RequireScipy() => Live.Require("scipy");

    [Test]
    public void ChiSquare_ClosedForm()
    {
        // (10-20)^2/20 + 0 + (30-20)^2/20 = 10; chi2 with 2 degrees of freedom: sf(x) = exp(-x/2).
        var r = ScipyStats.ChiSquare([10, 20, 30], [20, 20, 20]);
        Assert.That(r.Statistic, Is.EqualTo(10.0).Within(1e-12));
        Assert.That(r.PValue, Is.EqualTo(Math.Exp(-5)).Within(1e-15));
        var flat = ScipyStats.ChiSquare([5, 5, 5, 5]);
        Assert.That(flat.Statistic, Is.Zero);
        Assert.That(flat.PValue, Is.EqualTo(1.0));
        // ddof reduces the degrees of freedom: 4 categories, ddof 1 -> 2 dof.
        var d = ScipyStats.ChiSquare([10, 20, 30, 20], [20, 20, 20, 20], ddof: 1);
        Assert.That(d.PValue, Is.EqualTo(Math.Exp(-5)).Within(1e-15));
    }

    [Test]
    public void KsTest_SinglePoint_ClosedForm()
    {
        // n = 1 against U(0,1): D = max(F(x), 1 - F(x)) = 0.8 and P(D >= d) = 2 (1 - d) = 0.4.
        var r = ScipyStats.KsTest([0.8], "uniform(0, 1)");
        Assert.That(r.Statistic, Is.EqualTo(0.8).Within(1e-15));
        Assert.That(r.PValue, Is.EqualTo(0.4).Within(1e-12));
    }

    [Test]
    public void KsTest_StatisticMatchesADirectComputation_AndAsymptoticPValue()
    {
        var rng = new System.Random(12345);
        const int n = 20_000;
        var x = Enumerable.Range(0, n).Select(_ => rng.NextDouble() * 2 - 1).ToArray();
        var r = ScipyStats.KsTest(x, "uniform(-1, 2)");
        var sorted = x.Order().ToArray();
        double d = 0;
        for (int i = 0; i < n; i++)
        {
            double f = (sorted[i] + 1) / 2;
            d = Math.Max(d, Math.Max((i + 1.0) / n - f, f - (double)i / n));
        }
        Assert.That(r.Statistic, Is.EqualTo(d).Within(1e-14));
        // Kolmogorov limit Q(lambda) = 2 sum (-1)^(k-1) exp(-2 k^2 lambda^2), lambda = sqrt(n) D: close to the exact
        // finite-n p-value at this n.
        double lambda = Math.Sqrt(n) * d, q = 0;
        for (int k = 1; k < 100; k++) q += 2 * Math.Pow(-1, k - 1) * Math.Exp(-2.0 * k * k * lambda * lambda);
        Assert.That(r.PValue, Is.EqualTo(q).Within(0.02));
    }

    [Test]
    public void KsTwoSample_IdenticalSamples()
    {
        var a = Enumerable.Range(0, 100).Select(i => i / 100.0).ToArray();
        var r = ScipyStats.KsTwoSample(a, a);
        Assert.That(r.Statistic, Is.Zero);
        Assert.That(r.PValue, Is.EqualTo(1.0));
    }

    [Test]
    public void Cdf_OfANormal()
    {
        Assert.That(ScipyStats.Cdf("norm(0, 1)", 1.959963984540054), Is.EqualTo(0.975).Within(1e-12));
        Assert.That(ScipyStats.Cdf("norm(loc=1, scale=2)", 1.0), Is.EqualTo(0.5).Within(1e-15));
    }

    [TestCase("__import__('os').system('true')")]
    [TestCase("norm(0, 1) + 1")]
    [TestCase("no_such_distribution(1)")]
    [TestCase("norm(loc=os)")]
    public void DistributionSpecs_AreParsedNotEvaluated(string spec)
    {
        var ex = Assert.Throws<PythonErrorException>(() => ScipyStats.KsTest([0.1, 0.2], spec))!;
        Assert.That(ex.PythonType, Is.EqualTo("ValueError").Or.EqualTo("TypeError"));
    }
}
