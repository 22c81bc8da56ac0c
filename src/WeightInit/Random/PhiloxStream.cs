using System.Runtime.CompilerServices;
using static WeightInit.Random.PhiloxFloat32;

namespace WeightInit.Random;

/// <summary>
/// The default stream: element <c>i</c> of a fill is a pure function of (seed, call index, i), computed
/// from Philox4x32-10 blocks. A block's 128 bits give two 53-bit uniforms; a normal variate uses both
/// through the Box–Muller transform (cosine branch). Truncated normals resample element <c>i</c> with
/// counter word 2 = attempt number, so rejection does not shift any other element. Fills are therefore
/// byte-identical for any thread count and chunking, and large fills run in parallel.
/// </summary>
/// <remarks>
/// <para>float64 fills: counter layout (i low 32 bits, i high 32 bits, attempt, seed-generator call index); key = the 64-bit
/// seed; one block per element (these values are unchanged since version 1).</para>
/// <para>float32 fills (version 2) are written directly, without a float64 buffer, by vectorized Philox (AVX-512 / AVX2,
/// scalar elsewhere, identical bits): one block (b, b high, attempt, call) gives elements 4b..4b+3, both Box–Muller
/// outputs are used and uniforms take 32 bits. The exact law and its resolution are in <see cref="PhiloxFloat32"/>.
/// A float32 fill is therefore not the rounding of the float64 fill of the same seed; both follow the same law.</para>
/// </remarks>
public sealed class PhiloxStream : IRandomStream
{
    /// <summary>The shared instance (the stream is stateless).</summary>
    public static PhiloxStream Instance { get; } = new();

    private const double TwoPow53Inv = 1.0 / 9007199254740992.0;
    private const int MinChunk = 1 << 14;

    /// <summary>
    /// Stream name and version, carried by reports and golden outputs. v2 (issue 15): float32 fills from vectorized
    /// Philox, four elements per block; float64 values are the same as in v1 (<c>philox4x32-10/box-muller</c>).
    /// </summary>
    public string Name => "philox4x32-10/box-muller/v2";

    /// <summary>Minimum elements per parallel chunk of a float32 fill (a multiple of 64, so chunks start on a block group).</summary>
    private const int MinChunk32 = 1 << 16;

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
        CheckTruncation(mean, stddev, lower, upper);
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

    /// <summary>float32 N(mean, stddev²), written directly (see <see cref="PhiloxFloat32"/> for the law).</summary>
    public void FillNormal(Span<float> destination, SeedPair seed, double mean, double stddev, int maxThreads = 1) =>
        FillNormal(destination, 0, seed, mean, stddev, maxThreads);

    /// <summary>
    /// Elements [<paramref name="firstElement"/>, firstElement + length) of the float32 normal fill: a shard of a larger
    /// tensor gets exactly the values the whole fill would put there.
    /// </summary>
    public void FillNormal(Span<float> destination, long firstElement, SeedPair seed, double mean, double stddev, int maxThreads = 1) =>
        Fill32(destination, firstElement, new Law(Kind.Normal, stddev, mean), seed, maxThreads, PhiloxFloat32.KernelPath.Auto);

    /// <summary>float32 U[low, high): fl32(low + (high − low)·u), u a 32-bit uniform on [0, 1), evaluated in float64.</summary>
    public void FillUniform(Span<float> destination, SeedPair seed, double low, double high, int maxThreads = 1) =>
        FillUniform(destination, 0, seed, low, high, maxThreads);

    /// <summary>Elements [firstElement, firstElement + length) of the float32 uniform fill.</summary>
    public void FillUniform(Span<float> destination, long firstElement, SeedPair seed, double low, double high, int maxThreads = 1) =>
        Fill32(destination, firstElement, new Law(Kind.Uniform, high - low, low), seed, maxThreads, PhiloxFloat32.KernelPath.Auto);

    /// <summary>float32 truncated normal: resampled until lower ≤ mean + stddev·z ≤ upper (tested in float64), then rounded.</summary>
    public void FillTruncatedNormal(Span<float> destination, SeedPair seed, double mean, double stddev, double lower, double upper, int maxThreads = 1) =>
        FillTruncatedNormal(destination, 0, seed, mean, stddev, lower, upper, maxThreads);

    /// <summary>Elements [firstElement, firstElement + length) of the float32 truncated-normal fill.</summary>
    public void FillTruncatedNormal(Span<float> destination, long firstElement, SeedPair seed, double mean, double stddev, double lower, double upper, int maxThreads = 1)
    {
        CheckTruncation(mean, stddev, lower, upper);
        Fill32(destination, firstElement, new Law(Kind.Truncated, stddev, mean, lower, upper), seed, maxThreads, PhiloxFloat32.KernelPath.Auto);
    }

    /// <summary>The float32 fills with a chosen kernel path (tests compare the paths bit for bit).</summary>
    internal void Fill32(Span<float> destination, long firstElement, Law law, SeedPair seed, int maxThreads, PhiloxFloat32.KernelPath path)
    {
        if (firstElement < 0)
            throw new InvalidArgumentValueException("firstElement", $"firstElement must be >= 0. Received: firstElement={firstElement}");
        if (destination.IsEmpty) return;
        path = PhiloxFloat32.Resolve(path);
        int n = destination.Length;
        int threads = maxThreads <= 0 ? Environment.ProcessorCount : maxThreads;
        unsafe
        {
            fixed (float* basePtr = destination)
            {
                if (threads == 1 || n < 2 * MinChunk32)
                    FillRange(basePtr, firstElement, n, law, seed, path);   // no closure, no allocation
                else
                    ParallelFill32((nint)basePtr, n, firstElement, law, seed, threads, path);
            }
        }
    }

    /// <summary>
    /// A few chunks per thread (balance on a shared machine), each a multiple of 64 elements so every chunk but the last
    /// starts and ends on a whole group of blocks. Values do not depend on this split.
    /// </summary>
    private static unsafe void ParallelFill32(nint address, int n, long firstElement, Law law, SeedPair seed, int threads, PhiloxFloat32.KernelPath path)
    {
        int chunks = Math.Min(threads * 4, n / MinChunk32);
        int chunkSize = ((n + chunks - 1) / chunks + 63) & ~63;
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = threads }, c =>
        {
            long start = (long)c * chunkSize;
            long length = Math.Min(chunkSize, n - start);
            if (length <= 0) return;
            FillRange((float*)address + start, firstElement + start, length, law, seed, path);
        });
    }

    private static void CheckTruncation(double mean, double stddev, double lower, double upper)
    {
        if (!(lower <= upper))
            throw new InvalidArgumentValueException("bounds", $"Truncation bounds are empty: lower={lower} > upper={upper}.");
        // A zero-width or degenerate window would loop forever: accept only if some mass is reachable.
        if (stddev == 0 && !(lower <= mean && mean <= upper))
            throw new InvalidArgumentValueException("stddev", $"stddev=0 with mean={mean} outside [{lower}, {upper}] can never be accepted.");
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
