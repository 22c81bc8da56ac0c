namespace WeightInit.Random;

/// <summary>
/// MT19937 (Matsumoto &amp; Nishimura 1998, "Mersenne Twister: A 623-dimensionally equidistributed uniform
/// pseudo-random number generator") as numpy's legacy <c>RandomState</c> runs it: <c>np.random.seed(s)</c> for an
/// int s in [0, 2^32) is the reference <c>init_genrand(s)</c> (key[i] = 1812433253·(key[i−1] ⊕ key[i−1] ≫ 30) + i).
/// </summary>
public sealed class Mt19937
{
    private const int N = 624, M = 397;
    private const uint MatrixA = 0x9908B0DF, Upper = 0x80000000, Lower = 0x7FFFFFFF;
    private readonly uint[] _key = new uint[N];
    private int _pos;

    public Mt19937(uint seed)
    {
        _key[0] = seed;
        for (int i = 1; i < N; i++)
            _key[i] = unchecked(1812433253u * (_key[i - 1] ^ (_key[i - 1] >> 30)) + (uint)i);
        _pos = N;
    }

    /// <summary>The next 32-bit output (tempered).</summary>
    public uint Next32()
    {
        if (_pos == N) Regenerate();
        uint y = _key[_pos++];
        y ^= y >> 11;
        y ^= (y << 7) & 0x9D2C5680;
        y ^= (y << 15) & 0xEFC60000;
        y ^= y >> 18;
        return y;
    }

    /// <summary>numpy's legacy <c>random_sample</c>: 27 + 26 bits of two outputs, (a·2^26 + b)·2^-53, in [0, 1).</summary>
    public double NextDouble()
    {
        uint a = Next32() >> 5, b = Next32() >> 6;
        return (a * 67108864.0 + b) / 9007199254740992.0;
    }

    private void Regenerate()
    {
        var k = _key;
        int i = 0;
        for (; i < N - M; i++)
        {
            uint y = (k[i] & Upper) | (k[i + 1] & Lower);
            k[i] = k[i + M] ^ (y >> 1) ^ ((y & 1) != 0 ? MatrixA : 0u);
        }
        for (; i < N - 1; i++)
        {
            uint y = (k[i] & Upper) | (k[i + 1] & Lower);
            k[i] = k[i + (M - N)] ^ (y >> 1) ^ ((y & 1) != 0 ? MatrixA : 0u);
        }
        uint last = (k[N - 1] & Upper) | (k[0] & Lower);
        k[N - 1] = k[M - 1] ^ (last >> 1) ^ ((last & 1) != 0 ? MatrixA : 0u);
        _pos = 0;
    }
}

/// <summary>
/// numpy's legacy global stream, as the source article's snippets use it: <c>np.random.seed(s)</c>, then
/// <c>np.random.randn(...)</c> (normals) or <c>np.random.rand(...)</c> / <c>uniform</c> (uniforms), in C order.
/// Normals are <c>legacy_gauss</c>: Marsaglia's polar method (Marsaglia &amp; Bray 1964) on two uniforms in (−1, 1),
/// returning f·x2 and caching f·x1 for the next value. Every call starts from a fresh <c>np.random.seed(seed)</c>.
/// Only int seeds in [0, 2^32) exist there and no seed generator, and numpy has no legacy truncated normal:
/// those are refused. <c>log</c> and <c>sqrt</c> are the platform's, glibc's on Linux as in numpy.
/// </summary>
public sealed class NumpyLegacyStream : IRandomStream
{
    /// <summary>The one instance (the stream is stateless).</summary>
    public static NumpyLegacyStream Instance { get; } = new();

    private NumpyLegacyStream() { }

    /// <inheritdoc/>
    public string Name => "numpy-legacy/mt19937-polar";

    /// <summary>The state after <c>np.random.seed(seed)</c>; throws unless the pair is a plain int seed in [0, 2^32).</summary>
    public static Mt19937 Seeded(SeedPair seed)
    {
        if (seed.Counter != 0)
            throw new InvalidArgumentValueException("seed", $"numpy-legacy has no seed generator: np.random.seed takes one int (got call {seed.Counter} of a SeedGenerator({seed.Seed})).");
        if (seed.Seed > uint.MaxValue)
            throw new InvalidArgumentValueException("seed", $"Seed must be between 0 and 2**32 - 1 for np.random.seed. Received: seed={(long)seed.Seed}.");
        return new Mt19937((uint)seed.Seed);
    }

    /// <inheritdoc/>
    public void FillNormal(Span<double> destination, SeedPair seed, double mean, double stddev, int maxThreads = 1)
    {
        var mt = Seeded(seed);
        bool hasGauss = false;
        double gauss = 0;
        for (int i = 0; i < destination.Length; i++)
        {
            double z;
            if (hasGauss)
            {
                z = gauss;
                hasGauss = false;
            }
            else
            {
                double x1, x2, r2;
                do
                {
                    x1 = 2.0 * mt.NextDouble() - 1.0;
                    x2 = 2.0 * mt.NextDouble() - 1.0;
                    r2 = x1 * x1 + x2 * x2;
                } while (r2 >= 1.0 || r2 == 0.0);
                double f = Math.Sqrt(-2.0 * Math.Log(r2) / r2);
                gauss = f * x1;
                hasGauss = true;
                z = f * x2;
            }
            // randn(...) * s is 0 + s·z here: adding a zero mean leaves every nonzero value unchanged.
            destination[i] = mean + stddev * z;
        }
    }

    /// <inheritdoc/>
    public void FillUniform(Span<double> destination, SeedPair seed, double low, double high, int maxThreads = 1)
    {
        var mt = Seeded(seed);
        double range = high - low;
        for (int i = 0; i < destination.Length; i++) destination[i] = low + range * mt.NextDouble();
    }

    /// <inheritdoc/>
    public void FillTruncatedNormal(Span<double> destination, SeedPair seed, double mean, double stddev, double lower, double upper, int maxThreads = 1) =>
        throw new StreamNotApplicableException(Name, "a truncated normal (numpy's legacy RandomState has none)");
}
