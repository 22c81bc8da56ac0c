namespace WeightInit.Random;

/// <summary>
/// A source of the three element distributions every Keras random initializer reduces to
/// (the backend's <c>normal</c>, <c>uniform</c> and <c>truncated_normal</c>). Values are produced in
/// float64; the caller rounds to the output dtype. A stream is stateless: the same seed pair and
/// parameters always give the same values.
/// </summary>
public interface IRandomStream
{
    /// <summary>A short name recorded with samples, e.g. <c>philox4x32-10/box-muller</c>.</summary>
    string Name { get; }

    /// <summary>Fills with mean + stddev·z, z standard normal.</summary>
    void FillNormal(Span<double> destination, SeedPair seed, double mean, double stddev, int maxThreads = 1);

    /// <summary>Fills with low + (high − low)·u, u uniform on [0, 1).</summary>
    void FillUniform(Span<double> destination, SeedPair seed, double low, double high, int maxThreads = 1);

    /// <summary>
    /// Fills with mean + stddev·z restricted to the closed interval [<paramref name="lower"/>, <paramref name="upper"/>]
    /// by rejection (resampling), never by clipping: the Keras numpy/TF semantics.
    /// </summary>
    void FillTruncatedNormal(Span<double> destination, SeedPair seed, double mean, double stddev, double lower, double upper, int maxThreads = 1);
}
