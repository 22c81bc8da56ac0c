using WeightInit.Random;

namespace WeightInit.Initializers;

/// <summary>
/// Random normal initializer: every element is drawn from N(mean, stddev²).
/// Keras: <c>keras.initializers.RandomNormal(mean=0.0, stddev=0.05, seed=None)</c>.
/// </summary>
public sealed class RandomNormal : RandomInitializer
{
    public RandomNormal(double mean = 0.0, double stddev = 0.05, SeedSource? seed = null, IRandomStream? stream = null)
        : base(seed, stream)
    {
        Mean = Validate.Finite(mean, "mean");
        Stddev = Validate.NonNegative(stddev, "stddev");
    }

    public double Mean { get; }
    public double Stddev { get; }

    public override string ClassName => "RandomNormal";

    public override IReadOnlyList<KeyValuePair<string, object?>> GetConfig() =>
    [
        new("seed", SeedConfigValue),
        new("mean", Mean),
        new("stddev", Stddev),
    ];

    public override InitializerParameters DeriveParameters(TensorShape shape) =>
        new(shape, null, null, new NormalElements(Mean, Stddev));
}

/// <summary>
/// Truncated normal initializer: N(mean, stddev²) restricted to [mean − 2·stddev, mean + 2·stddev] by
/// resampling. No variance correction: the resulting stddev is 0.8796·stddev.
/// Keras: <c>keras.initializers.TruncatedNormal(mean=0.0, stddev=0.05, seed=None)</c>.
/// </summary>
public sealed class TruncatedNormal : RandomInitializer
{
    public TruncatedNormal(double mean = 0.0, double stddev = 0.05, SeedSource? seed = null, IRandomStream? stream = null)
        : base(seed, stream)
    {
        Mean = Validate.Finite(mean, "mean");
        Stddev = Validate.NonNegative(stddev, "stddev");
    }

    public double Mean { get; }
    public double Stddev { get; }

    public override string ClassName => "TruncatedNormal";

    public override IReadOnlyList<KeyValuePair<string, object?>> GetConfig() =>
    [
        new("seed", SeedConfigValue),
        new("mean", Mean),
        new("stddev", Stddev),
    ];

    public override InitializerParameters DeriveParameters(TensorShape shape) =>
        new(shape, null, null, KerasTruncation.Elements(Mean, Stddev));
}

/// <summary>
/// Random uniform initializer: minval + (maxval − minval)·u with u uniform on [0, 1).
/// Keras: <c>keras.initializers.RandomUniform(minval=-0.05, maxval=0.05, seed=None)</c>.
/// </summary>
public sealed class RandomUniform : RandomInitializer
{
    public RandomUniform(double minval = -0.05, double maxval = 0.05, SeedSource? seed = null, IRandomStream? stream = null)
        : base(seed, stream)
    {
        Minval = Validate.Finite(minval, "minval");
        Maxval = Validate.Finite(maxval, "maxval");
        if (!(minval <= maxval))
            throw new InvalidArgumentValueException("minval", $"Argument `minval` must be <= `maxval`. Received: minval={Validate.Fmt(minval)}, maxval={Validate.Fmt(maxval)}");
    }

    public double Minval { get; }
    public double Maxval { get; }

    public override string ClassName => "RandomUniform";

    public override IReadOnlyList<KeyValuePair<string, object?>> GetConfig() =>
    [
        new("seed", SeedConfigValue),
        new("minval", Minval),
        new("maxval", Maxval),
    ];

    public override InitializerParameters DeriveParameters(TensorShape shape) =>
        new(shape, null, null, new UniformElements(Minval, Maxval));
}

/// <summary>Keras' truncation rule: cut at mean ± 2·stddev (float64), inclusive.</summary>
internal static class KerasTruncation
{
    public static TruncatedNormalElements Elements(double mean, double stddev) =>
        new(mean, stddev, mean - 2 * stddev, mean + 2 * stddev);
}
