using WeightInit.Random;

namespace WeightInit.Initializers;

/// <summary>
/// Variance scaling: draws with variance <c>scale / n</c>, n chosen by <c>mode</c>.
/// <code>
/// s = scale / max(1, n)         n = fan_in | fan_out | (fan_in + fan_out) / 2.0
/// truncated_normal   : stddev = sqrt(s) / 0.87962566103423978, cut at ±2·stddev (resampled)
/// untruncated_normal : stddev = sqrt(s)
/// uniform            : U(−limit, limit), limit = sqrt(3·s)
/// </code>
/// 0.87962566103423978 is the standard deviation of N(0, 1) truncated to (−2, 2), so the truncated draw
/// ends with standard deviation exactly sqrt(s). All arithmetic is float64 in Keras' order, so the derived
/// stddev and limit equal Keras 3's to the last bit.
/// Keras: <c>keras.initializers.VarianceScaling(scale=1.0, mode="fan_in", distribution="truncated_normal",
/// seed=None, input_axes=None, output_axes=None)</c>.
/// </summary>
/// <remarks>References: Glorot &amp; Bengio 2010; He et al. 2015; LeCun et al. 1998 (Efficient BackProp).</remarks>
public class VarianceScaling : RandomInitializer
{
    /// <summary>Standard deviation of a standard normal truncated to (−2, 2) (scipy.stats.truncnorm.std(-2, 2)).</summary>
    public const double TruncatedStandardNormalStddev = 0.87962566103423978;

    public VarianceScaling(
        double scale = 1.0,
        FanMode mode = FanMode.FanIn,
        VarianceDistribution distribution = VarianceDistribution.TruncatedNormal,
        SeedSource? seed = null,
        IReadOnlyList<int>? inputAxes = null,
        IReadOnlyList<int>? outputAxes = null,
        IRandomStream? stream = null)
        : base(seed, stream)
    {
        CheckScale(scale);
        if (!Enum.IsDefined(mode)) throw new InvalidArgumentValueException("mode", $"Invalid `mode` argument: {mode}.");
        if (!Enum.IsDefined(distribution)) throw new InvalidArgumentValueException("distribution", $"Invalid `distribution` argument: {distribution}.");
        Scale = scale;
        Mode = mode;
        Distribution = distribution;
        InputAxes = inputAxes?.ToArray();
        OutputAxes = outputAxes?.ToArray();
    }

    /// <summary>
    /// From Keras' spelled arguments (a config, the CLI), checked in Keras' order (scale, mode, distribution) with its
    /// messages: mode is case-sensitive; distribution is lower-cased and "normal" means truncated_normal.
    /// </summary>
    public static VarianceScaling FromKeras(double scale, string mode, string distribution, SeedSource? seed = null,
        IReadOnlyList<int>? inputAxes = null, IReadOnlyList<int>? outputAxes = null, IRandomStream? stream = null)
    {
        CheckScale(scale);
        return new VarianceScaling(scale, VarianceVocabulary.ParseKerasMode(mode), VarianceVocabulary.ParseKerasDistribution(distribution),
            seed, inputAxes, outputAxes, stream);
    }

    private static void CheckScale(double scale)
    {
        if (!(scale > 0 && double.IsFinite(scale)))
            throw new InvalidArgumentValueException("scale", $"Argument `scale` must be positive float. Received: scale={Validate.Fmt(scale)}");
    }

    public double Scale { get; }
    public FanMode Mode { get; }

    /// <summary>The distribution (Keras' "normal" is parsed as <see cref="VarianceDistribution.TruncatedNormal"/>).</summary>
    public VarianceDistribution Distribution { get; }

    public IReadOnlyList<int>? InputAxes { get; }
    public IReadOnlyList<int>? OutputAxes { get; }

    public override string ClassName => "VarianceScaling";

    public override IReadOnlyList<KeyValuePair<string, object?>> GetConfig() =>
    [
        new("seed", SeedConfigValue),
        new("scale", Scale),
        new("mode", Mode.KerasName()),
        new("distribution", Distribution.KerasName()),
        new("input_axes", InputAxes),
        new("output_axes", OutputAxes),
    ];

    public override InitializerParameters DeriveParameters(TensorShape shape)
    {
        var fans = FanCalculator.Keras(shape, InputAxes, OutputAxes);
        double s = Scale / Math.Max(1.0, Mode.Fan(fans.FanIn, fans.FanOut));
        ElementDistribution elements = Distribution switch
        {
            VarianceDistribution.TruncatedNormal => KerasTruncation.Elements(0.0, Math.Sqrt(s) / TruncatedStandardNormalStddev),
            VarianceDistribution.UntruncatedNormal => new NormalElements(0.0, Math.Sqrt(s)),
            VarianceDistribution.Uniform => Symmetric(Math.Sqrt(3.0 * s)),
            _ => throw new InvalidOperationException($"unhandled distribution {Distribution}"),
        };
        return new InitializerParameters(shape, fans.FanIn, fans.FanOut, elements);
    }

    private static UniformElements Symmetric(double limit) => new(-limit, limit);
}

/// <summary>
/// A named Keras preset of <see cref="VarianceScaling"/>: scale, mode and distribution are fixed and not
/// serialized (its config is only seed, input_axes, output_axes).
/// </summary>
public abstract class VarianceScalingPreset : VarianceScaling
{
    protected VarianceScalingPreset(double scale, FanMode mode, VarianceDistribution distribution, SeedSource? seed, IReadOnlyList<int>? inputAxes, IReadOnlyList<int>? outputAxes, IRandomStream? stream)
        : base(scale, mode, distribution, seed, inputAxes, outputAxes, stream) { }

    public override IReadOnlyList<KeyValuePair<string, object?>> GetConfig() =>
    [
        new("seed", SeedConfigValue),
        new("input_axes", InputAxes),
        new("output_axes", OutputAxes),
    ];
}

/// <summary>Glorot (Xavier) normal: truncated normal, stddev sqrt(2 / (fan_in + fan_out)) after truncation. Glorot &amp; Bengio 2010.</summary>
public sealed class GlorotNormal(SeedSource? seed = null, IReadOnlyList<int>? inputAxes = null, IReadOnlyList<int>? outputAxes = null, IRandomStream? stream = null)
    : VarianceScalingPreset(1.0, FanMode.FanAvg, VarianceDistribution.TruncatedNormal, seed, inputAxes, outputAxes, stream)
{
    public override string ClassName => "GlorotNormal";
}

/// <summary>Glorot (Xavier) uniform: U(±sqrt(6 / (fan_in + fan_out))). Glorot &amp; Bengio 2010.</summary>
public sealed class GlorotUniform(SeedSource? seed = null, IReadOnlyList<int>? inputAxes = null, IReadOnlyList<int>? outputAxes = null, IRandomStream? stream = null)
    : VarianceScalingPreset(1.0, FanMode.FanAvg, VarianceDistribution.Uniform, seed, inputAxes, outputAxes, stream)
{
    public override string ClassName => "GlorotUniform";
}

/// <summary>He (Kaiming) normal: truncated normal, stddev sqrt(2 / fan_in) after truncation. He et al. 2015.</summary>
public sealed class HeNormal(SeedSource? seed = null, IReadOnlyList<int>? inputAxes = null, IReadOnlyList<int>? outputAxes = null, IRandomStream? stream = null)
    : VarianceScalingPreset(2.0, FanMode.FanIn, VarianceDistribution.TruncatedNormal, seed, inputAxes, outputAxes, stream)
{
    public override string ClassName => "HeNormal";
}

/// <summary>He (Kaiming) uniform: U(±sqrt(6 / fan_in)). He et al. 2015.</summary>
public sealed class HeUniform(SeedSource? seed = null, IReadOnlyList<int>? inputAxes = null, IReadOnlyList<int>? outputAxes = null, IRandomStream? stream = null)
    : VarianceScalingPreset(2.0, FanMode.FanIn, VarianceDistribution.Uniform, seed, inputAxes, outputAxes, stream)
{
    public override string ClassName => "HeUniform";
}

/// <summary>LeCun normal: truncated normal, stddev sqrt(1 / fan_in) after truncation. Klambauer et al. 2017 (SELU); LeCun et al. 1998.</summary>
public sealed class LecunNormal(SeedSource? seed = null, IReadOnlyList<int>? inputAxes = null, IReadOnlyList<int>? outputAxes = null, IRandomStream? stream = null)
    : VarianceScalingPreset(1.0, FanMode.FanIn, VarianceDistribution.TruncatedNormal, seed, inputAxes, outputAxes, stream)
{
    public override string ClassName => "LecunNormal";
}

/// <summary>LeCun uniform: U(±sqrt(3 / fan_in)). LeCun et al. 1998.</summary>
public sealed class LecunUniform(SeedSource? seed = null, IReadOnlyList<int>? inputAxes = null, IReadOnlyList<int>? outputAxes = null, IRandomStream? stream = null)
    : VarianceScalingPreset(1.0, FanMode.FanIn, VarianceDistribution.Uniform, seed, inputAxes, outputAxes, stream)
{
    public override string ClassName => "LecunUniform";
}
