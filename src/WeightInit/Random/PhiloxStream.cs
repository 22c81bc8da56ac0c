using System.Runtime.CompilerServices;

namespace WeightInit.Random;

/// <summary>
/// The default stream: element <c>i</c> of a fill is a pure function of (seed, call index, i), computed
/// from Philox4x32-10 blocks. A block's 128 bits give two 53-bit uniforms; a normal variate uses both
/// through the Box–Muller transform (cosine branch). Truncated normals resample element <c>i</c> with
/// counter word 2 = attempt number, so rejection does not shift any other element. Fills are therefore
/// byte-identical for any thread count and chunking, and large fills run in parallel.
/// </summary>
/// <remarks>
/// Counter layout: (i low 32 bits, i high 32 bits, attempt, seed-generator call index); key = the 64-bit seed.
/// </remarks>
public sealed class PhiloxStream : IRandomStream
{
    /// <summary>The shared instance (the stream is stateless).</summary>
    public static PhiloxStream Instance { get; } = new();

    private const double TwoPow53Inv = 1.0 / 9007199254740992.0;
    private const int MinChunk = 1 << 14;

    public string Name => "philox4x32-10/box-muller";

    /// <summary>Uniform on [0, 1) with 53 random bits, from the first 64 bits of the block for (i, attempt).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Uniform01(SeedPair seed, long index, uint attempt = 0)
    {
        var (x0, x1, _, _) = Philox4x32.Block((uint)index, (uint)((ulong)index >> 32), attempt, seed.Counter, (uint)seed.Seed, (uint)(seed.Seed >> 32));
        ulong bits = ((ulong)x0 << 32) | x1;
        return (bits >> 11) * TwoPow53Inv;
    }

    /// <summary>A standard normal variate for (i, attempt) by Box–Muller: sqrt(−2 ln u1)·cos(2π u2), u1 ∈ (0, 1].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double StandardNormal(SeedPair seed, long index, uint attempt = 0)
    {
        var (x0, x1, x2, x3) = Philox4x32.Block((uint)index, (uint)((ulong)index >> 32), attempt, seed.Counter, (uint)seed.Seed, (uint)(seed.Seed >> 32));
        double u1 = 1.0 - ((((ulong)x0 << 32) | x1) >> 11) * TwoPow53Inv;   // (0, 1]: log never sees 0
        double u2 = ((((ulong)x2 << 32) | x3) >> 11) * TwoPow53Inv;
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    public void FillNormal(Span<double> destination, SeedPair seed, double mean, double stddev, int maxThreads = 1) =>
        ParallelFill(destination, maxThreads, (start, span) =>
        {
            for (int j = 0; j < span.Length; j++)
                span[j] = mean + stddev * StandardNormal(seed, start + j);
        });

    public void FillUniform(Span<double> destination, SeedPair seed, double low, double high, int maxThreads = 1)
    {
        double range = high - low;
        ParallelFill(destination, maxThreads, (start, span) =>
        {
            for (int j = 0; j < span.Length; j++)
                span[j] = low + range * Uniform01(seed, start + j);
        });
    }

    public void FillTruncatedNormal(Span<double> destination, SeedPair seed, double mean, double stddev, double lower, double upper, int maxThreads = 1)
    {
        if (!(lower <= upper))
            throw new InvalidArgumentValueException("bounds", $"Truncation bounds are empty: lower={lower} > upper={upper}.");
        // A zero-width or degenerate window would loop forever: accept only if some mass is reachable.
        if (stddev == 0 && !(lower <= mean && mean <= upper))
            throw new InvalidArgumentValueException("stddev", $"stddev=0 with mean={mean} outside [{lower}, {upper}] can never be accepted.");
        ParallelFill(destination, maxThreads, (start, span) =>
        {
            for (int j = 0; j < span.Length; j++)
            {
                long i = start + j;
                for (uint attempt = 0; ; attempt++)
                {
                    double v = mean + stddev * StandardNormal(seed, i, attempt);
                    if (lower <= v && v <= upper) { span[j] = v; break; }
                }
            }
        });
    }

    private delegate void ChunkFiller(long start, Span<double> chunk);

    private static unsafe void ParallelFill(Span<double> destination, int maxThreads, ChunkFiller fill)
    {
        int n = destination.Length;
        int threads = maxThreads <= 0 ? Environment.ProcessorCount : maxThreads;
        if (threads == 1 || n < 2 * MinChunk)
        {
            fill(0, destination);
            return;
        }
        int chunks = Math.Min(threads * 4, (n + MinChunk - 1) / MinChunk);
        int chunkSize = (n + chunks - 1) / chunks;
        fixed (double* basePtr = destination)
        {
            nint address = (nint)basePtr;
            Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = threads }, c =>
            {
                int start = c * chunkSize;
                int length = Math.Min(chunkSize, n - start);
                if (length <= 0) return;
                var chunk = new Span<double>((double*)address + start, length);
                fill(start, chunk);
            });
        }
    }
}
