using System.Globalization;

namespace WeightInit.Random;

/// <summary>
/// Keras 3 seed semantics (keras/src/initializers/random_initializers.py, <c>RandomInitializer</c>):
/// <list type="bullet">
/// <item>an int seed gives the same values on every call;</item>
/// <item>no seed picks one at construction (<c>random.randint(1, 10**9)</c>), after which the instance
/// behaves like an int-seeded one, but serializes as <c>null</c>, so clones differ;</item>
/// <item>a seed generator (<c>keras.random.SeedGenerator(S)</c>) advances per call: call k uses [S, k].</item>
/// </list>
/// </summary>
public sealed class SeedSource
{
    private static readonly System.Random Entropy = new();
    private readonly object _gate = new();
    private uint _calls;

    private SeedSource(SeedKind kind, long seed)
    {
        Kind = kind;
        Seed = seed;
    }

    public SeedKind Kind { get; }

    /// <summary>The seed in use (for <see cref="SeedKind.Unseeded"/>, the one picked at construction).</summary>
    public long Seed { get; }

    /// <summary>A fixed int seed: every call draws identical values.</summary>
    public static SeedSource Fixed(long seed) => new(SeedKind.Fixed, seed);

    /// <summary>No seed: one is drawn now, in [1, 10^9] as Keras' <c>make_default_seed</c> does.</summary>
    public static SeedSource Unseeded()
    {
        int s;
        lock (Entropy) s = Entropy.Next(1, 1_000_000_001);
        return new SeedSource(SeedKind.Unseeded, s);
    }

    /// <summary>A seed generator: call k (0-based) draws with the pair [seed, k].</summary>
    public static SeedSource Generator(long seed) => new(SeedKind.Generator, seed);

    /// <summary>The pair for the next call. Only a generator advances.</summary>
    public SeedPair Next()
    {
        if (Kind != SeedKind.Generator) return new SeedPair((ulong)Seed, 0);
        lock (_gate) return new SeedPair((ulong)Seed, _calls++);
    }

    public override string ToString() => Kind switch
    {
        SeedKind.Fixed => Seed.ToString(CultureInfo.InvariantCulture),
        SeedKind.Unseeded => $"None (picked {Seed})",
        _ => $"SeedGenerator({Seed})",
    };
}

/// <summary>How an initializer was seeded.</summary>
public enum SeedKind
{
    Fixed,
    Unseeded,
    Generator,
}
