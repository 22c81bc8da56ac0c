namespace WeightInit.Initializers;

/// <summary>Which fan a variance-scaling scheme divides by: n = fan_in, fan_out or (fan_in + fan_out) / 2.</summary>
public enum FanMode
{
    FanIn,
    FanOut,
    FanAvg,
}

/// <summary>The law a variance-scaling scheme draws from (docs/keras-semantics.md, VarianceScaling).</summary>
public enum VarianceDistribution
{
    /// <summary>N(0, (sqrt(s)/0.87962566103423978)²) cut at ±2σ by resampling, so the drawn variance is s.</summary>
    TruncatedNormal,

    /// <summary>N(0, s).</summary>
    UntruncatedNormal,

    /// <summary>U(−sqrt(3s), sqrt(3s)).</summary>
    Uniform,
}

/// <summary>
/// The spellings of <see cref="FanMode"/> and <see cref="VarianceDistribution"/> at the edges (Keras configs, the CLI,
/// TF1 contrib), parsed once there with the messages the frameworks give. Inside the library only the enums travel.
/// </summary>
public static class VarianceVocabulary
{
    /// <summary>Keras' spelling: <c>fan_in</c>, <c>fan_out</c>, <c>fan_avg</c>.</summary>
    public static string KerasName(this FanMode mode) => mode switch
    {
        FanMode.FanIn => "fan_in",
        FanMode.FanOut => "fan_out",
        FanMode.FanAvg => "fan_avg",
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, null),
    };

    /// <summary>TF1 contrib's spelling: <c>FAN_IN</c>, <c>FAN_OUT</c>, <c>FAN_AVG</c>.</summary>
    public static string Tf1Name(this FanMode mode) => mode.KerasName().ToUpperInvariant();

    /// <summary>Keras' spelling: <c>truncated_normal</c>, <c>untruncated_normal</c>, <c>uniform</c>.</summary>
    public static string KerasName(this VarianceDistribution distribution) => distribution switch
    {
        VarianceDistribution.TruncatedNormal => "truncated_normal",
        VarianceDistribution.UntruncatedNormal => "untruncated_normal",
        VarianceDistribution.Uniform => "uniform",
        _ => throw new ArgumentOutOfRangeException(nameof(distribution), distribution, null),
    };

    /// <summary>Keras' <c>mode</c> argument: case-sensitive, with Keras 3's message for anything else.</summary>
    /// <exception cref="InvalidArgumentValueException">Not one of fan_in, fan_out, fan_avg.</exception>
    public static FanMode ParseKerasMode(string mode)
    {
        ArgumentNullException.ThrowIfNull(mode);
        foreach (var m in Enum.GetValues<FanMode>())
            if (m.KerasName() == mode) return m;
        throw new InvalidArgumentValueException("mode", $"Invalid `mode` argument: {mode}. Expected one of {{fan_in, fan_out, fan_avg}}.");
    }

    /// <summary>
    /// Keras' <c>distribution</c> argument: lower-cased first, and <c>normal</c> means <c>truncated_normal</c> (Keras 3,
    /// random_initializers.py), with Keras' message for anything else.
    /// </summary>
    /// <exception cref="InvalidArgumentValueException">Not a known distribution.</exception>
    public static VarianceDistribution ParseKerasDistribution(string distribution)
    {
        ArgumentNullException.ThrowIfNull(distribution);
        var d = distribution.ToLowerInvariant();
        if (d == "normal") return VarianceDistribution.TruncatedNormal;
        foreach (var v in Enum.GetValues<VarianceDistribution>())
            if (v.KerasName() == d) return v;
        throw new InvalidArgumentValueException("distribution", $"Invalid `distribution` argument: {d}. Expected one of {{uniform, truncated_normal, untruncated_normal}} (or \"normal\").");
    }

    /// <summary>TF1 contrib's <c>mode</c> argument: exactly FAN_IN, FAN_OUT or FAN_AVG, with contrib's message.</summary>
    /// <exception cref="InvalidArgumentValueException">Anything else (contrib raises TypeError).</exception>
    public static FanMode ParseTf1Mode(string mode)
    {
        ArgumentNullException.ThrowIfNull(mode);
        foreach (var m in Enum.GetValues<FanMode>())
            if (m.Tf1Name() == mode) return m;
        throw new InvalidArgumentValueException("mode", $"Unknown mode {mode} [FAN_IN, FAN_OUT, FAN_AVG]");
    }

    /// <summary>The divisor n of <paramref name="mode"/> for the given fans (fan_avg as float64, as Keras computes it).</summary>
    public static double Fan(this FanMode mode, long fanIn, long fanOut) => mode switch
    {
        FanMode.FanIn => fanIn,
        FanMode.FanOut => fanOut,
        FanMode.FanAvg => (fanIn + fanOut) / 2.0,
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, null),
    };
}
