namespace WeightInit.Statistics;

/// <summary>
/// A finite sample in ascending order, sorted once and shared by the order-statistic tests (one-sample KS,
/// Anderson–Darling, Cramér–von Mises, two-sample KS). The conformance gate runs all four on every sample and compares
/// every sample with the same reference samples; sorting the data again for each test cost more than the tests
/// themselves. The results equal those of the span overloads on the unsorted data.
/// </summary>
public sealed class SortedSample
{
    private SortedSample(double[] ascending) => Array = ascending;

    /// <summary>The values in ascending order (a private copy).</summary>
    internal double[] Array { get; }

    /// <summary>Number of values.</summary>
    public int Count => Array.Length;

    /// <summary>The values in ascending order.</summary>
    public ReadOnlySpan<double> Values => Array;

    /// <summary>Sorts a copy of <paramref name="sample"/>; NaN/∞ and empty samples throw <see cref="ArgumentException"/> naming the first bad index.</summary>
    public static SortedSample Of(ReadOnlySpan<double> sample)
    {
        StatisticalTests.Validate(sample, nameof(sample));
        return new(StatisticalTests.SortedCopy(sample));
    }

    /// <inheritdoc cref="Of(ReadOnlySpan{double})"/>
    public static SortedSample Of(ReadOnlySpan<float> sample)
    {
        StatisticalTests.Validate(sample, nameof(sample));
        var sorted = StatisticalTests.SortedCopy(sample);
        var wide = new double[sorted.Length];
        for (int i = 0; i < wide.Length; i++) wide[i] = sorted[i];
        return new(wide);
    }
}
