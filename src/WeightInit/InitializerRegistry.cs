using System.Text.Json.Nodes;
using WeightInit.Initializers;
using WeightInit.Random;
using WeightInit.Serialization;
using WeightInit.Torch;

namespace WeightInit;

/// <summary>One registered scheme: its class name, every name it answers to, its formula and source.</summary>
public sealed record SchemeInfo(string ClassName, IReadOnlyList<string> Names, string Formula, string Source, string Family)
{
    /// <summary>The snake_case name (<c>he_normal</c>), or the function name for the PyTorch family (<c>kaiming_normal_</c>).</summary>
    public string CanonicalName => Family == "torch" ? Names[0] : Names[1];
}

/// <summary>
/// Looks initializers up by every Keras name and alias (<c>he_normal</c>, <c>HeNormal</c>, <c>normal</c>, <c>zero</c>,
/// <c>OrthogonalInitializer</c>, ...), case-sensitively as Keras' <c>keras.initializers.get</c> does, and builds
/// them from a Keras config.
/// </summary>
public static class InitializerRegistry
{
    private delegate Initializer Factory(ConfigReader config, SeedSource? seed, IRandomStream? stream);

    private sealed record Entry(SchemeInfo Info, Factory Create);

    private static readonly Entry[] Entries =
    [
        new(new("RandomNormal", ["RandomNormal", "random_normal", "normal"], "N(mean, stddev²)", "keras.initializers.RandomNormal", "keras"),
            (c, s, r) => new RandomNormal(c.Double("mean", 0.0), c.Double("stddev", 0.05), s, r)),
        new(new("RandomUniform", ["RandomUniform", "random_uniform", "uniform"], "U[minval, maxval)", "keras.initializers.RandomUniform", "keras"),
            (c, s, r) => new RandomUniform(c.Double("minval", -0.05), c.Double("maxval", 0.05), s, r)),
        new(new("TruncatedNormal", ["TruncatedNormal", "truncated_normal"], "N(mean, stddev²) cut at mean ± 2·stddev (resampled, no variance correction)", "keras.initializers.TruncatedNormal", "keras"),
            (c, s, r) => new TruncatedNormal(c.Double("mean", 0.0), c.Double("stddev", 0.05), s, r)),
        new(new("VarianceScaling", ["VarianceScaling", "variance_scaling"], "s = scale/max(1, n); TN stddev sqrt(s)/0.8796 | N stddev sqrt(s) | U(±sqrt(3s))", "keras.initializers.VarianceScaling", "keras"),
            (c, s, r) => VarianceScaling.FromKeras(c.Double("scale", 1.0), c.String("mode", "fan_in"), c.String("distribution", "truncated_normal"), s, c.Axes("input_axes"), c.Axes("output_axes"), r)),
        Preset("GlorotNormal", "glorot_normal", "TN, stddev sqrt(2/(fan_in+fan_out))/0.8796 at ±2σ", (s, i, o, r) => new GlorotNormal(s, i, o, r)),
        Preset("GlorotUniform", "glorot_uniform", "U(±sqrt(6/(fan_in+fan_out)))", (s, i, o, r) => new GlorotUniform(s, i, o, r)),
        Preset("HeNormal", "he_normal", "TN, stddev sqrt(2/fan_in)/0.8796 at ±2σ", (s, i, o, r) => new HeNormal(s, i, o, r)),
        Preset("HeUniform", "he_uniform", "U(±sqrt(6/fan_in))", (s, i, o, r) => new HeUniform(s, i, o, r)),
        Preset("LecunNormal", "lecun_normal", "TN, stddev sqrt(1/fan_in)/0.8796 at ±2σ", (s, i, o, r) => new LecunNormal(s, i, o, r)),
        Preset("LecunUniform", "lecun_uniform", "U(±sqrt(3/fan_in))", (s, i, o, r) => new LecunUniform(s, i, o, r)),
        new(new("Orthogonal", ["Orthogonal", "orthogonal", "OrthogonalInitializer"], "gain · Q, Q Haar orthogonal on (∏shape[:-1], shape[-1])", "keras.initializers.Orthogonal", "keras"),
            (c, s, r) => new Orthogonal(c.Double("gain", 1.0), s, r)),
        new(new("Identity", ["Identity", "identity", "IdentityInitializer"], "gain · eye(rows, cols), 2-D only", "keras.initializers.Identity", "keras"),
            (c, _, _) => new Identity(c.Double("gain", 1.0))),
        new(new("Zeros", ["Zeros", "zeros", "zero"], "0", "keras.initializers.Zeros", "keras"), (_, _, _) => new Zeros()),
        new(new("Ones", ["Ones", "ones", "one"], "1", "keras.initializers.Ones", "keras"), (_, _, _) => new Ones()),
        new(new("Constant", ["Constant", "constant"], "value", "keras.initializers.Constant", "keras"),
            (c, _, _) => new Constant(c.Double("value", 0.0))),
        new(new("Tf1VarianceScaling", ["Tf1VarianceScaling", "tf1_variance_scaling", "variance_scaling_initializer"], "uniform: U(±sqrt(3·factor/n)); else TN stddev sqrt(1.3·factor/n) at ±2σ", "tf.contrib.layers.variance_scaling_initializer (TF1)", "variant"),
            (c, s, r) => new Tf1VarianceScaling(c.Double("factor", 2.0), VarianceVocabulary.ParseTf1Mode(c.String("mode", "FAN_IN")), c.Bool("uniform", false), s, r)),
        new(new("Tf1Xavier", ["Tf1Xavier", "tf1_xavier", "xavier_initializer"], "factor 1, FAN_AVG: U(±sqrt(6/(fan_in+fan_out))) or TN stddev sqrt(2.6/(fan_in+fan_out))", "tf.contrib.layers.xavier_initializer (TF1)", "variant"),
            (c, s, r) => new Tf1Xavier(c.Bool("uniform", true), s, r)),
        new(new("CaffeXavier", ["CaffeXavier", "caffe_xavier"], "U(±sqrt(3/fan_in))", "Caffe xavier filler via TF1 contrib (factor 1, FAN_IN, uniform)", "variant"),
            (c, s, r) => new CaffeXavier(s, r)),
        new(new("Msra", ["Msra", "msra"], "TN stddev sqrt(2.6/fan_in) at ±2σ", "MSRA / He 2015 via TF1 contrib (factor 2, FAN_IN, normal)", "variant"),
            (c, s, r) => new Msra(s, r)),
        new(new("NumpyArticleXavier", ["NumpyArticleXavier", "numpy_article_xavier"], "N(0, 1/rows) for shape (rows, cols)", "source article: np.random.randn(l, l-1) * np.sqrt(1/l)", "variant"),
            (c, s, r) => new NumpyArticle(false, s, r)),
        new(new("NumpyArticleGlorot", ["NumpyArticleGlorot", "numpy_article_glorot"], "N(0, 2/(rows+cols))", "source article: np.random.randn(l, l-1) * np.sqrt(2/(l + l-1))", "variant"),
            (c, s, r) => new NumpyArticle(true, s, r)),
        // PyTorch family (torch.nn.init, (out, in, *kernel) layout); config keys are the functions' keyword arguments.
        Torch("xavier_uniform_", "U(±gain·sqrt(6/(fan_in+fan_out)))", (c, s, r) => new TorchXavierUniform(c.Double("gain", 1.0), s, r)),
        Torch("xavier_normal_", "N(0, gain²·2/(fan_in+fan_out)), untruncated", (c, s, r) => new TorchXavierNormal(c.Double("gain", 1.0), s, r)),
        Torch("kaiming_uniform_", "U(±sqrt(3)·gain/sqrt(fan)), gain = calculate_gain(nonlinearity, a)",
            (c, s, r) => new TorchKaimingUniform(c.Double("a", 0), c.String("mode", "fan_in"), c.String("nonlinearity", "leaky_relu"), s, r)),
        Torch("kaiming_normal_", "N(0, gain²/fan), untruncated",
            (c, s, r) => new TorchKaimingNormal(c.Double("a", 0), c.String("mode", "fan_in"), c.String("nonlinearity", "leaky_relu"), s, r)),
        Torch("trunc_normal_", "N(mean, std²) on absolute [a, b]",
            (c, s, r) => new TorchTruncNormal(c.Double("mean", 0), c.Double("std", 1), c.Double("a", -2), c.Double("b", 2), s, r)),
        Torch("uniform_", "U[a, b)", (c, s, r) => new TorchUniform(c.Double("a", 0), c.Double("b", 1), s, r)),
        Torch("normal_", "N(mean, std²)", (c, s, r) => new TorchNormal(c.Double("mean", 0), c.Double("std", 1), s, r)),
        Torch("orthogonal_", "gain · Q on (shape[0], numel/shape[0])", (c, s, r) => new TorchOrthogonal(c.Double("gain", 1.0), s, r)),
        Torch("sparse_", "N(0, std²) with ceil(sparsity·rows) zeros per column", (c, s, r) => new TorchSparse(c.Double("sparsity", double.NaN), c.Double("std", 0.01), s, r)),
        Torch("default_linear_", "nn.Linear/ConvNd default: kaiming_uniform_(a=sqrt(5)) = U(±1/sqrt(fan_in))", (c, s, r) => new TorchDefaultLinear(s, r)),
        Torch("constant_", "val", (c, _, _) => new TorchConstant(c.Double("val", double.NaN))),
        Torch("ones_", "1", (_, _, _) => new TorchConstant(1.0, "ones_")),
        Torch("zeros_", "0", (_, _, _) => new TorchConstant(0.0, "zeros_")),
        Torch("eye_", "eye(rows, cols), 2-D only", (_, _, _) => new TorchEye()),
        Torch("dirac_", "identity-preserving conv kernel, 3-5-D", (c, _, _) => new TorchDirac((int)c.Double("groups", 1))),
    ];

    private static readonly Dictionary<string, Entry> ByName = BuildIndex();

    /// <summary>Every scheme, Keras first.</summary>
    public static IReadOnlyList<SchemeInfo> Schemes { get; } = Entries.Select(e => e.Info).ToArray();

    /// <summary>Every accepted name (class names, snake_case names, aliases).</summary>
    public static IReadOnlyCollection<string> Names => ByName.Keys;

    /// <summary>The scheme registered under <paramref name="name"/>; throws <see cref="UnknownInitializerException"/>.</summary>
    public static SchemeInfo Find(string name) => Lookup(name).Info;

    /// <summary>
    /// Builds an initializer from a name and an optional Keras config object (JSON text of the inner
    /// <c>config</c> dict). A <paramref name="seedOverride"/> replaces the config's seed.
    /// </summary>
    public static Initializer Create(string name, string? configJson = null, SeedSource? seedOverride = null, IRandomStream? stream = null)
    {
        JsonObject config;
        try
        {
            config = string.IsNullOrWhiteSpace(configJson) ? new JsonObject() : JsonNode.Parse(configJson) as JsonObject
                ?? throw new InvalidConfigException($"Config must be a JSON object; received: {configJson}");
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw new InvalidConfigException($"Malformed config JSON ({ex.Message}): {configJson}", ex);
        }
        return Create(name, config, seedOverride, stream);
    }

    /// <summary>Builds an initializer from a name and a parsed config dict.</summary>
    public static Initializer Create(string name, JsonObject config, SeedSource? seedOverride = null, IRandomStream? stream = null)
    {
        var entry = Lookup(name);
        var reader = new ConfigReader(entry.Info.ClassName, config);
        var seed = seedOverride ?? reader.Seed();
        var initializer = entry.Create(reader, seed, stream);
        reader.ThrowOnUnknownKeys();
        initializer.IntegerConfigKeys = reader.IntegerKeys.Count == 0 ? null : reader.IntegerKeys;
        return initializer;
    }

    private static Entry Lookup(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return ByName.TryGetValue(name, out var e) ? e : throw new UnknownInitializerException(name, Entries.Select(x => x.Info.CanonicalName));
    }

    private static Entry Preset(string className, string snake, string formula, Func<SeedSource?, IReadOnlyList<int>?, IReadOnlyList<int>?, IRandomStream?, Initializer> create) =>
        new(new(className, [className, snake], formula, "keras.initializers." + className, "keras"),
            (c, s, r) => create(s, c.Axes("input_axes"), c.Axes("output_axes"), r));

    private static Entry Torch(string function, string formula, Factory create) =>
        new(new(function, [function, "torch." + function], formula, "torch.nn.init." + function, "torch"), create);

    private static Dictionary<string, Entry> BuildIndex()
    {
        var index = new Dictionary<string, Entry>(StringComparer.Ordinal);
        foreach (var e in Entries)
            foreach (var n in e.Info.Names)
                index.Add(n, e);
        return index;
    }
}
