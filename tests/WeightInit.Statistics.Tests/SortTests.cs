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
        var got = SortedSample.RadixSortFloat(x);
        Assert.That(got, Is.EqualTo(expected));
        // KS on a large float sample (radix path) equals KS on the same values as doubles (comparison sort)
        var law = new NormalDistribution(0, 1);
        var y = Enumerable.Range(0, 70_000).Select(_ => (float)StandardNormal.InvCdf(rng.NextDouble())).ToArray();
        var rf = StatisticalTests.KolmogorovSmirnov(y, law);
        var rd = StatisticalTests.KolmogorovSmirnov(y.Select(v => (double)v).ToArray(), law);
        Assert.That(rf.Statistic, Is.EqualTo(rd.Statistic));
        Assert.That(rf.Location, Is.EqualTo(rd.Location));
        Assert.That(StatisticalTests.AndersonDarling(y, law).Statistic, Is.EqualTo(StatisticalTests.AndersonDarling(y.Select(v => (double)v).ToArray(), law).Statistic).Within(1e-12).Percent);
    }

    [Test]
    public void Radix_sort_of_float64_equals_comparison_sort()
    {
        var rng = new Random(11);
        var x = new double[50_001];
        for (int i = 0; i < x.Length; i++) x[i] = (rng.NextDouble() - 0.5) * Math.Pow(10, rng.Next(-300, 300));
        x[5] = 0; x[6] = -0.0; x[7] = double.MaxValue; x[8] = double.MinValue; x[9] = double.Epsilon; x[10] = -double.Epsilon; x[11] = x[12];
        var expected = (double[])x.Clone();
        Array.Sort(expected);
        Assert.That(SortedSample.RadixSortDouble(x), Is.EqualTo(expected));
        // float32 values widened to double: the low mantissa digits are all zero, so those passes are skipped
        var w = x.Select(v => (double)(float)v).ToArray();
        var we = (double[])w.Clone();
        Array.Sort(we);
        Assert.That(SortedSample.RadixSortDouble(w), Is.EqualTo(we));
        // a constant sample: every pass is skipped
        Assert.That(SortedSample.RadixSortDouble(Enumerable.Repeat(-2.5, 5000).ToArray()), Is.All.EqualTo(-2.5));
    }

    [TestCase(50)]
    [TestCase(70_000)]
    public void Sorted_sample_overloads_equal_the_span_overloads(int n)
    {
        var rng = new Random(n);
        var law = new NormalDistribution(0, 1);
        var a = Enumerable.Range(0, n).Select(_ => StandardNormal.InvCdf(rng.NextDouble())).ToArray();
        var b = Enumerable.Range(0, n / 2 + 3).Select(_ => 1.01 * StandardNormal.InvCdf(rng.NextDouble())).ToArray();
        SortedSample sa = SortedSample.Of(a), sb = SortedSample.Of(b);
        Assert.That(sa.Values.ToArray(), Is.Ordered);
        void Same(TestResult x, TestResult y)
        {
            Assert.That(x.Statistic, Is.EqualTo(y.Statistic));
            Assert.That(x.PValue, Is.EqualTo(y.PValue));
            Assert.That(x.Details, Is.EquivalentTo(y.Details));
            Assert.That(x, Is.EqualTo(y), "every typed field");
        }
        Same(StatisticalTests.KolmogorovSmirnov(sa, law), StatisticalTests.KolmogorovSmirnov(a, law));
        Same(StatisticalTests.KolmogorovSmirnov(sa, law, Alternative.Greater), StatisticalTests.KolmogorovSmirnov(a, law, Alternative.Greater));
        Same(StatisticalTests.AndersonDarling(sa, law), StatisticalTests.AndersonDarling(a, law));
        Same(StatisticalTests.CramerVonMises(sa, law), StatisticalTests.CramerVonMises(a, law));
        Same(StatisticalTests.KolmogorovSmirnov2(sa, sb), StatisticalTests.KolmogorovSmirnov2(a, b));
        var f = a.Select(v => (float)v).ToArray();
        Same(StatisticalTests.KolmogorovSmirnov(SortedSample.Of(f), law), StatisticalTests.KolmogorovSmirnov(f, law));
    }

    [Test]
    public void Sorted_sample_rejects_bad_values_by_index()
    {
        Assert.That(() => SortedSample.Of([1.0, double.NaN]), Throws.ArgumentException.With.Message.Contains("sample[1] is NaN"));
        Assert.That(() => SortedSample.Of(ReadOnlySpan<double>.Empty), Throws.ArgumentException.With.Message.Contains("empty"));
        Assert.That(() => StatisticalTests.CramerVonMises(SortedSample.Of([1.0]), new NormalDistribution(0, 1)),
            Throws.ArgumentException.With.Message.Contains("at least 2"));
    }
}
