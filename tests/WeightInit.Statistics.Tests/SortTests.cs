using WeightInit.Statistics;

namespace WeightInit.Statistics.Tests;

[TestFixture]
public class SortTests
{
    [Test]
    public void Radix_sort_of_float32_equals_comparison_sort()
    {
        var rng = new Random(7);
        var x = new float[100_003];
        for (int i = 0; i < x.Length; i++) x[i] = (float)((rng.NextDouble() - 0.5) * Math.Pow(10, rng.Next(-30, 30)));
        x[5] = 0f; x[6] = -0f; x[7] = float.MaxValue; x[8] = float.MinValue; x[9] = float.Epsilon; x[10] = -float.Epsilon;
        var expected = (float[])x.Clone();
        Array.Sort(expected);
        var got = StatisticalTests.RadixSortFloat(x);
        Assert.That(got, Is.EqualTo(expected));
        // KS on a large float sample (radix path) equals KS on the same values as doubles (comparison sort)
        var law = new NormalDistribution(0, 1);
        var y = Enumerable.Range(0, 70_000).Select(_ => (float)StandardNormal.InvCdf(rng.NextDouble())).ToArray();
        var rf = StatisticalTests.KolmogorovSmirnov(y, law);
        var rd = StatisticalTests.KolmogorovSmirnov(y.Select(v => (double)v).ToArray(), law);
        Assert.That(rf.Statistic, Is.EqualTo(rd.Statistic));
        Assert.That(rf.Details["location"], Is.EqualTo(rd.Details["location"]));
        Assert.That(StatisticalTests.AndersonDarling(y, law).Statistic, Is.EqualTo(StatisticalTests.AndersonDarling(y.Select(v => (double)v).ToArray(), law).Statistic).Within(1e-12).Percent);
    }
}
