using System.Buffers;

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

    // float32 fills. The defaults draw the float64 fill and round each value once (what Keras' numpy backend does with
    // astype(float32)), so a stream that only implements the float64 members is still correct in float32. A stream
    // that can do better (PhiloxStream writes float32 directly) overrides them. The float64 buffer is rented and
    // filled in one call: a sequential stream must not be split into chunks.

    /// <summary>float32 N(mean, stddev²); default: the float64 fill rounded to nearest even.</summary>
    void FillNormal(Span<float> destination, SeedPair seed, double mean, double stddev, int maxThreads = 1) =>
        RoundedFill(destination, wide => FillNormal(wide, seed, mean, stddev, maxThreads));

    /// <summary>float32 U[low, high); default: the float64 fill rounded to nearest even.</summary>
    void FillUniform(Span<float> destination, SeedPair seed, double low, double high, int maxThreads = 1) =>
        RoundedFill(destination, wide => FillUniform(wide, seed, low, high, maxThreads));

    /// <summary>float32 truncated normal; default: the float64 fill rounded to nearest even.</summary>
    void FillTruncatedNormal(Span<float> destination, SeedPair seed, double mean, double stddev, double lower, double upper, int maxThreads = 1) =>
        RoundedFill(destination, wide => FillTruncatedNormal(wide, seed, mean, stddev, lower, upper, maxThreads));

    /// <summary>
    /// Runs a float64 fill into a scratch buffer and rounds it into <paramref name="destination"/>. Buffers up to 2^20
    /// values are pooled (many small tensors); larger ones are allocated so the pool does not keep gigabytes alive.
    /// </summary>
    private static void RoundedFill(Span<float> destination, Action<Span<double>> fill)
    {
        if (destination.IsEmpty) return;
        bool pooled = destination.Length <= PooledLimit;
        double[] wide = pooled ? ArrayPool<double>.Shared.Rent(destination.Length) : new double[destination.Length];
        try
        {
            var span = wide.AsSpan(0, destination.Length);
            fill(span);
            for (int i = 0; i < span.Length; i++) destination[i] = (float)span[i];
        }
        finally
        {
            if (pooled) ArrayPool<double>.Shared.Return(wide);
        }
    }

    private const int PooledLimit = 1 << 20;
}
