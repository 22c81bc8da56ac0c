using WeightInit.Random;

namespace WeightInit.Initializers;

/// <summary>
/// TF1 <c>tf.contrib.layers.variance_scaling_initializer(factor=2.0, mode='FAN_IN', uniform=False)</c>
/// (TensorFlow 1.x, tensorflow/contrib/layers/python/layers/initializers.py). Fans as Keras for rank ≥ 2,
/// n = fan_in | fan_out | (fan_in + fan_out)/2.0 with no max(1, n) guard, then
/// <code>
/// uniform   : U(−limit, limit), limit = sqrt(3·factor / n)
/// otherwise : truncated normal, stddev = sqrt(1.3·factor / n), cut at ±2·stddev
/// </code>
/// The 1.3 factor approximates Keras' 1/0.8796² = 1.2924, so the drawn variance is 1.0059·factor/n
/// (std +0.29%) and the support is ±2.2804·sqrt(factor/n) instead of Keras' ±2.2737·sqrt(factor/n) (docs/peers.md §3 item 3).
/// </summary>
public class Tf1VarianceScaling : RandomInitializer
{
    public Tf1VarianceScaling(double factor = 2.0, FanMode mode = FanMode.FanIn, bool uniform = false, SeedSource? seed = null, IRandomStream? stream = null)
        : base(seed, stream)
    {
        Factor = Validate.Positive(factor, "factor");
        if (!Enum.IsDefined(mode)) throw new InvalidArgumentValueException("mode", $"Unknown mode {mode} [FAN_IN, FAN_OUT, FAN_AVG]");
        Mode = mode;
        Uniform = uniform;
    }

    public double Factor { get; }
    public FanMode Mode { get; }
    public bool Uniform { get; }

    public override string Module => "weightinit.variants";
    public override string ClassName => "Tf1VarianceScaling";

    public override IReadOnlyList<KeyValuePair<string, object?>> GetConfig() =>
    [
        new("seed", SeedConfigValue),
        new("factor", Factor),
        new("mode", Mode.Tf1Name()),
        new("uniform", Uniform),
    ];

    public override InitializerParameters DeriveParameters(TensorShape shape)
    {
        var fans = FanCalculator.Tf1Contrib(shape);
        double n = Mode.Fan(fans.FanIn, fans.FanOut);
        if (n == 0 && shape.Count > 0)
            throw new UnsupportedShapeException($"{ClassName} on shape {shape}: {Mode.Tf1Name()} is 0 (TF1 divides by it).");
        if (n == 0) n = 1; // nothing is drawn for a zero-size tensor; keep the parameters finite
        ElementDistribution elements = Uniform
            ? new UniformElements(-Math.Sqrt(3.0 * Factor / n), Math.Sqrt(3.0 * Factor / n))
            : KerasTruncation.Elements(0.0, Math.Sqrt(1.3 * Factor / n));
        return new InitializerParameters(shape, fans.FanIn, fans.FanOut, elements);
    }
}

/// <summary>
/// TF1 <c>tf.contrib.layers.xavier_initializer(uniform=True)</c> = variance_scaling_initializer(factor=1.0,
/// mode='FAN_AVG', uniform). Glorot &amp; Bengio 2010, with contrib's sqrt(1.3) truncation when not uniform.
/// </summary>
public sealed class Tf1Xavier(bool uniform = true, SeedSource? seed = null, IRandomStream? stream = null)
    : Tf1VarianceScaling(1.0, FanMode.FanAvg, uniform, seed, stream)
{
    public override string ClassName => "Tf1Xavier";
    public override IReadOnlyList<KeyValuePair<string, object?>> GetConfig() => [new("seed", SeedConfigValue), new("uniform", Uniform)];
}

/// <summary>
/// The Caffe "xavier" filler as the source article expresses it through TF1 contrib: factor 1, FAN_IN, uniform,
/// i.e. U(±sqrt(3 / fan_in)) (LeCun uniform, not Glorot). Jia et al. 2014 (Caffe). Caffe itself reads OIHW blobs;
/// this preset uses the channels-last layout of the article's TF call.
/// </summary>
public sealed class CaffeXavier(SeedSource? seed = null, IRandomStream? stream = null)
    : Tf1VarianceScaling(1.0, FanMode.FanIn, true, seed, stream)
{
    public override string ClassName => "CaffeXavier";
    public override IReadOnlyList<KeyValuePair<string, object?>> GetConfig() => [new("seed", SeedConfigValue)];
}

/// <summary>
/// "MSRA" initialization (He et al. 2015, "Delving Deep into Rectifiers") as TF1 contrib's default:
/// factor 2, FAN_IN, truncated normal with stddev sqrt(1.3·2 / fan_in).
/// </summary>
public sealed class Msra(SeedSource? seed = null, IRandomStream? stream = null)
    : Tf1VarianceScaling(2.0, FanMode.FanIn, false, seed, stream)
{
    public override string ClassName => "Msra";
    public override IReadOnlyList<KeyValuePair<string, object?>> GetConfig() => [new("seed", SeedConfigValue)];
}

/// <summary>
/// The source article's plain numpy snippets (docs/peers.md §5), for a weight of shape (layer_size[l], layer_size[l−1]) = (rows, cols):
/// <code>
/// NumpyArticleXavier : np.random.randn(rows, cols) * np.sqrt(1 / rows)            → N(0, 1/rows)
/// NumpyArticleGlorot : np.random.randn(rows, cols) * np.sqrt(2 / (rows + cols))   → N(0, 2/(rows+cols))
/// </code>
/// Untruncated. Note the first scales by the layer's <em>output</em> size (rows), not by fan_in as its text says.
/// </summary>
public sealed class NumpyArticle : RandomInitializer
{
    public NumpyArticle(bool glorot, SeedSource? seed = null, IRandomStream? stream = null) : base(seed, stream) => Glorot = glorot;

    /// <summary>True for the sqrt(2/(rows+cols)) snippet, false for sqrt(1/rows).</summary>
    public bool Glorot { get; }

    public override string Module => "weightinit.variants";
    public override string ClassName => Glorot ? "NumpyArticleGlorot" : "NumpyArticleXavier";
    public override IReadOnlyList<KeyValuePair<string, object?>> GetConfig() => [new("seed", SeedConfigValue)];

    public override InitializerParameters DeriveParameters(TensorShape shape)
    {
        if (shape.Rank != 2)
            throw new UnsupportedShapeException($"{ClassName} follows the article's np.random.randn(layer_size[l], layer_size[l-1]) and needs a 2-D shape. Received: shape={shape} of rank {shape.Rank}.");
        long rows = shape[0], cols = shape[1];
        double variance = Glorot ? 2.0 / Math.Max(1, rows + cols) : 1.0 / Math.Max(1, rows);
        return new InitializerParameters(shape, cols, rows, new NormalElements(0.0, Math.Sqrt(variance)));
    }
}
