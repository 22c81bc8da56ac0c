using WeightInit.Random;

namespace WeightInit;

/// <summary>Options for one draw.</summary>
/// <param name="MaxThreads">Upper bound on worker threads (≤ 0: all cores). The values never depend on it.</param>
public sealed record SamplingOptions(int MaxThreads = 0)
{
    public static SamplingOptions Default { get; } = new();
}

/// <summary>
/// A weight initializer: a rule that maps a tensor shape (and, for random schemes, a seed) to values.
/// Parameters (fans, stddev, limits, bounds) are always float64, as in Keras. float64 values are computed in float64;
/// float32 values are rounded once from float64 (<c>astype(dtype)</c> on Keras' numpy backend) except where the random
/// stream writes float32 itself (<see cref="PhiloxStream"/>: same law, its float32 construction documented there).
/// </summary>
public abstract class Initializer
{
    /// <summary>The Keras class name (<c>HeNormal</c>), or this library's name for non-Keras variants.</summary>
    public abstract string ClassName { get; }

    /// <summary>The serialization module: <c>keras.initializers</c> for Keras schemes.</summary>
    public virtual string Module => "keras.initializers";

    /// <summary>The config keys and values in Keras' <c>get_config()</c> order.</summary>
    public abstract IReadOnlyList<KeyValuePair<string, object?>> GetConfig();

    /// <summary>
    /// Config keys that were given as integer literals when this initializer was read from JSON. Keras' <c>get_config()</c>
    /// returns the constructor arguments as passed, so <c>VarianceScaling(scale=2)</c> serializes <c>"scale": 2</c>, not 2.0.
    /// </summary>
    internal IReadOnlySet<string>? IntegerConfigKeys { get; set; }

    /// <summary>The config as Keras would serialize it: <see cref="GetConfig"/> with integer-valued keys written as ints.</summary>
    public IReadOnlyList<KeyValuePair<string, object?>> GetSerializedConfig()
    {
        var config = GetConfig();
        if (IntegerConfigKeys is null) return config;
        return config.Select(kv => IntegerConfigKeys.Contains(kv.Key) && kv.Value is double d && Math.Abs(d) < 9007199254740992.0 && d == Math.Floor(d)
            ? new KeyValuePair<string, object?>(kv.Key, (long)d)
            : kv).ToArray();
    }

    /// <summary>The derived parameters on <paramref name="shape"/>; throws if the scheme does not apply to it.</summary>
    public abstract InitializerParameters DeriveParameters(TensorShape shape);

    /// <summary>Writes the values for <paramref name="shape"/> (C order) into <paramref name="destination"/>.</summary>
    protected abstract void Generate(Span<double> destination, TensorShape shape, InitializerParameters parameters, SamplingOptions options);

    /// <summary>Draws a new float64 tensor.</summary>
    public double[] SampleDouble(TensorShape shape, SamplingOptions? options = null)
    {
        var result = new double[CheckedLength(shape)];
        Fill(result, shape, options);
        return result;
    }

    /// <summary>Draws a new float32 tensor (the stream's float32 law: see <see cref="RandomInitializer.GenerateSingle"/>).</summary>
    public float[] Sample(TensorShape shape, SamplingOptions? options = null)
    {
        var result = new float[CheckedLength(shape)];
        Fill(result, shape, options);
        return result;
    }

    /// <summary>Fills a caller's float64 buffer, whose length must equal the shape's element count.</summary>
    public void Fill(Span<double> destination, TensorShape shape, SamplingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(shape);
        CheckDestination(destination.Length, shape);
        var parameters = DeriveParameters(shape);
        if (destination.IsEmpty) return;
        Generate(destination, shape, parameters, options ?? SamplingOptions.Default);
    }

    /// <summary>Fills a caller's float32 buffer, whose length must equal the shape's element count.</summary>
    public void Fill(Span<float> destination, TensorShape shape, SamplingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(shape);
        CheckDestination(destination.Length, shape);
        var parameters = DeriveParameters(shape);
        if (destination.IsEmpty) return;
        GenerateSingle(destination, shape, parameters, options ?? SamplingOptions.Default);
    }

    /// <summary>
    /// Writes float32 values. Default: the float64 values of <see cref="Generate"/> (in a rented buffer) rounded once to
    /// nearest even, as Keras' numpy backend does with <c>astype(float32)</c>; random schemes override it to let the
    /// stream write float32 directly.
    /// </summary>
    protected virtual void GenerateSingle(Span<float> destination, TensorShape shape, InitializerParameters parameters, SamplingOptions options)
    {
        // Pooled up to 2^20 values (the gate draws 2^18 one-element tensors); larger buffers are not kept alive by the pool.
        bool pooled = destination.Length <= 1 << 20;
        double[] wide = pooled ? System.Buffers.ArrayPool<double>.Shared.Rent(destination.Length) : new double[destination.Length];
        try
        {
            var span = wide.AsSpan(0, destination.Length);
            Generate(span, shape, parameters, options);
            for (int i = 0; i < span.Length; i++) destination[i] = (float)span[i];
        }
        finally
        {
            if (pooled) System.Buffers.ArrayPool<double>.Shared.Return(wide);
        }
    }

    /// <summary>The Keras <c>serialize()</c> form of this initializer as JSON.</summary>
    public string ToKerasJson() => Serialization.KerasConfig.Serialize(this);

    public override string ToString() => ClassName + "(" + string.Join(", ", GetSerializedConfig().Select(kv => kv.Key + "=" + Serialization.PythonJson.Repr(kv.Value))) + ")";

    private static int CheckedLength(TensorShape shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Count > Array.MaxLength)
            throw new InvalidShapeException($"Shape {shape} has {shape.Count} elements, more than one array can hold ({Array.MaxLength}).");
        return (int)shape.Count;
    }

    private static void CheckDestination(int length, TensorShape shape)
    {
        if (length != shape.Count)
            throw new ArgumentException($"Destination holds {length} elements but shape {shape} has {shape.Count}.", "destination");
    }
}

/// <summary>
/// An initializer that draws from a random stream. It owns its seed (Keras semantics, see <see cref="SeedSource"/>)
/// and its stream (the counter-based <see cref="PhiloxStream"/> unless another is plugged in).
/// </summary>
public abstract class RandomInitializer : Initializer
{
    protected RandomInitializer(SeedSource? seed, IRandomStream? stream)
    {
        Seed = seed ?? SeedSource.Unseeded();
        Stream = stream ?? PhiloxStream.Instance;
    }

    /// <summary>The seed semantics of this instance.</summary>
    public SeedSource Seed { get; }

    /// <summary>The random stream values are drawn from.</summary>
    public IRandomStream Stream { get; }

    /// <summary>The config value of <c>seed</c>: the int, <c>null</c> when unseeded, or a SeedGenerator dict.</summary>
    protected object? SeedConfigValue => Seed.Kind switch
    {
        SeedKind.Fixed => Seed.Seed,
        SeedKind.Unseeded => null,
        _ => new Serialization.SeedGeneratorConfig(Seed.Seed),
    };

    /// <summary>Draws the parameters' element law from the stream with the next seed pair.</summary>
    protected override void Generate(Span<double> destination, TensorShape shape, InitializerParameters parameters, SamplingOptions options)
    {
        var pair = Seed.Next();
        switch (parameters.Distribution)
        {
            case NormalElements n:
                Stream.FillNormal(destination, pair, n.Mean, n.Stddev, options.MaxThreads);
                break;
            case TruncatedNormalElements t:
                Stream.FillTruncatedNormal(destination, pair, t.Mean, t.Stddev, t.Lower, t.Upper, options.MaxThreads);
                break;
            case UniformElements u:
                Stream.FillUniform(destination, pair, u.Minval, u.Maxval, options.MaxThreads);
                break;
            default:
                throw new InvalidOperationException($"{ClassName} cannot draw {parameters.Distribution.Kind} elements from a stream.");
        }
    }

    /// <summary>
    /// float32 draws of the three stream laws go to the stream's float32 fills (no float64 buffer for
    /// <see cref="PhiloxStream"/>); every other law (orthogonal, sparse, ...) keeps the float64 path of its own
    /// <see cref="Generate"/>, rounded once.
    /// </summary>
    protected override void GenerateSingle(Span<float> destination, TensorShape shape, InitializerParameters parameters, SamplingOptions options)
    {
        switch (parameters.Distribution)
        {
            case NormalElements n:
                Stream.FillNormal(destination, Seed.Next(), n.Mean, n.Stddev, options.MaxThreads);
                break;
            case TruncatedNormalElements t:
                Stream.FillTruncatedNormal(destination, Seed.Next(), t.Mean, t.Stddev, t.Lower, t.Upper, options.MaxThreads);
                break;
            case UniformElements u:
                Stream.FillUniform(destination, Seed.Next(), u.Minval, u.Maxval, options.MaxThreads);
                break;
            default:
                base.GenerateSingle(destination, shape, parameters, options);
                break;
        }
    }
}
