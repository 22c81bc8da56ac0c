using System.Globalization;
using System.Text.Json.Nodes;
using WeightInit.Initializers;

namespace WeightInit.Node;

/// <summary>The outcome of <see cref="TfjsMapping.TryMap"/>: a TF.js call, or why there is none.</summary>
public abstract record TfjsMappingResult
{
    /// <summary>The Keras class the case names (after alias resolution, e.g. <c>he_normal</c> → <c>HeNormal</c>).</summary>
    public required string KerasClass { get; init; }
}

/// <summary>
/// The TF.js call that implements a Keras case: <c>tf.initializers[Initializer](Config).apply(Shape, DType)</c>,
/// the seed being added per tensor. <see cref="Notes"/> say where TF.js' semantics are known to differ from Keras'
/// for this call (what docs/frameworks/tfjs.md measures); the call is still the faithful counterpart.
/// </summary>
public sealed record TfjsCall : TfjsMappingResult
{
    public required string Initializer { get; init; }
    public required JsonObject Config { get; init; }
    public required TensorShape Shape { get; init; }
    public required string DType { get; init; }
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>False for Zeros, Ones, Constant and Identity: TF.js takes no seed for them.</summary>
    public bool Seeded { get; init; } = true;

    /// <summary>
    /// True for the schemes that draw normals (RandomNormal, TruncatedNormal, the normal VarianceScaling presets,
    /// Orthogonal): tfjs-core's Gaussian generator takes <c>seed ? seed : Math.random()</c>
    /// (tfjs-core/src/ops/rand_util.ts:64), so seed 0 draws unseeded, different values on every call, where Keras
    /// treats 0 as a fixed seed. Uniform draws test <c>seed == null</c> and are reproducible with 0.
    /// </summary>
    public bool ZeroSeedIsUnseeded { get; init; }

    public string ConfigJson => Config.ToJsonString();
}

/// <summary>Why a Keras case has no TF.js counterpart. Never a pass, never a failure: reported with the reason.</summary>
public enum TfjsNotApplicableKind
{
    /// <summary>TF.js has no such option or scheme (untruncated_normal, input_axes/output_axes, a non-Keras scheme).</summary>
    NoCounterpart,

    /// <summary>TF.js has no float64 tensors: the initializers refuse the dtype (measured per scheme).</summary>
    UnsupportedDType,

    /// <summary>TF.js has the scheme but refuses this shape, where Keras defines a value (Identity off square).</summary>
    RefusedShape,
}

public sealed record TfjsNotApplicable(TfjsNotApplicableKind Kind, string Reason) : TfjsMappingResult;

/// <summary>
/// Maps a Keras initializer case (class name or alias, Keras config JSON, shape, dtype) to TensorFlow.js 4.22.0
/// (<c>@tensorflow/tfjs-layers</c>, <c>tf.initializers.*</c>), or says why TF.js has no counterpart.
/// </summary>
/// <remarks>
/// <para>The Keras config is first validated by this library (<see cref="InitializerRegistry.Create(string, string?, Random.SeedSource?, Random.IRandomStream?)"/>),
/// so a bad Keras config fails here with the library's typed error, exactly as it would in Keras, and the
/// normalized parameters (e.g. <c>distribution</c> lower-cased, <c>"normal"</c> meaning <c>truncated_normal</c>) are
/// what is mapped. Names: GlorotNormal → glorotNormal, HeUniform → heUniform, LecunNormal → leCunNormal (TF.js
/// spells LeCun with a capital C), VarianceScaling → varianceScaling, RandomNormal → randomNormal, ...
/// Config keys: snake_case → camelCase; <c>mode</c> fan_in/fan_out/fan_avg → fanIn/fanOut/fanAvg.</para>
/// <para><b>distribution.</b> Keras' <c>truncated_normal</c> maps to TF.js <c>'normal'</c>: in
/// tfjs-layers/src/initializers.ts <c>VarianceScaling.apply</c> draws <c>truncatedNormal(0, sqrt(scale))</c> for
/// <c>'normal'</c> and a uniform for every other value, so TF.js' own <c>'truncatedNormal'</c> would silently give a
/// uniform. The TF.js draw has no 0.8796 stddev correction (docs/frameworks/tfjs.md measures the variance ratio).
/// <c>untruncated_normal</c> has no counterpart.</para>
/// <para><b>dtype.</b> TF.js has no float64 (its dtypes are float32, int32, bool, complex64, string). Measured on
/// 4.22.0: every scheme throws for <c>'float64'</c> except Identity, which ignores the dtype and returns float32; so
/// every float64 case is <see cref="TfjsNotApplicableKind.UnsupportedDType"/>.</para>
/// </remarks>
public static class TfjsMapping
{
    /// <summary>Maps one Keras case; throws only for input Keras itself rejects (unknown name, bad config).</summary>
    public static TfjsMappingResult TryMap(string kerasClass, string? configJson, TensorShape shape, string dtype)
    {
        ArgumentNullException.ThrowIfNull(kerasClass);
        ArgumentNullException.ThrowIfNull(shape);
        var info = InitializerRegistry.Find(kerasClass); // UnknownInitializerException names the bad name
        string cls = info.ClassName;
        if (info.Family != "keras")
            return new TfjsNotApplicable(TfjsNotApplicableKind.NoCounterpart,
                $"{cls} is not a Keras initializer ({info.Source}); TF.js implements the Keras initializer API only") { KerasClass = cls };
        if (dtype is not ("float32" or "float64"))
            throw new InvalidArgumentValueException("dtype", $"Invalid dtype '{dtype}': expected float32 or float64.");

        var config = StripSeed(configJson);
        var init = InitializerRegistry.Create(cls, config); // Keras' own validation, typed errors

        if (dtype == "float64")
            return new TfjsNotApplicable(TfjsNotApplicableKind.UnsupportedDType, Float64Reason(init)) { KerasClass = cls };

        var notes = new List<string>();
        var tfConfig = new JsonObject();
        string name;
        // randomNormal and truncatedNormal take the same two fields, read the same way.
        void Normal(double mean, double stddev)
        {
            tfConfig["mean"] = mean;
            tfConfig["stddev"] = stddev;
            if (stddev == 0) notes.Add("TF.js reads stddev with `||`: stddev 0 becomes its default 0.05");
        }
        bool seeded = true;
        switch (init)
        {
            case VarianceScaling vs:
                if (vs.InputAxes is not null || vs.OutputAxes is not null)
                    return new TfjsNotApplicable(TfjsNotApplicableKind.NoCounterpart,
                        "input_axes/output_axes (explicit fan axes, Keras 3.x) have no TF.js counterpart: TF.js computes fans from the shape only") { KerasClass = cls };
                if (vs.Distribution == VarianceDistribution.UntruncatedNormal)
                    return new TfjsNotApplicable(TfjsNotApplicableKind.NoCounterpart,
                        "TF.js VarianceScaling has no untruncated normal: its 'normal' is truncated at 2 sigma and any other distribution value draws a uniform") { KerasClass = cls };
                name = vs switch
                {
                    GlorotNormal => "glorotNormal", GlorotUniform => "glorotUniform", HeNormal => "heNormal",
                    HeUniform => "heUniform", LecunNormal => "leCunNormal", LecunUniform => "leCunUniform", _ => "varianceScaling",
                };
                if (name == "varianceScaling")
                {
                    tfConfig["scale"] = vs.Scale;
                    tfConfig["mode"] = vs.Mode switch { FanMode.FanIn => "fanIn", FanMode.FanOut => "fanOut", _ => "fanAvg" };
                    tfConfig["distribution"] = vs.Distribution == VarianceDistribution.Uniform ? "uniform" : "normal";
                }
                if (vs.Distribution == VarianceDistribution.TruncatedNormal)
                    notes.Add("TF.js truncates N(0, scale/n) at 2 sigma without the 0.8796 correction: its variance is 0.774 of Keras'");
                if (shape.Rank is 1 or > 5)
                    notes.Add($"TF.js computes both fans of a rank-{shape.Rank} shape as sqrt(prod(shape)); Keras uses its channels-last rule");
                break;
            case RandomNormal rn:
                name = "randomNormal";
                Normal(rn.Mean, rn.Stddev);
                break;
            case TruncatedNormal tn:
                name = "truncatedNormal";
                Normal(tn.Mean, tn.Stddev);
                break;
            case RandomUniform ru:
                name = "randomUniform";
                tfConfig["minval"] = ru.Minval;
                tfConfig["maxval"] = ru.Maxval;
                if (ru.Minval == 0) notes.Add("TF.js reads minval with `||`: minval 0 becomes its default -0.05");
                if (ru.Maxval == 0) notes.Add("TF.js reads maxval with `||`: maxval 0 becomes its default 0.05");
                break;
            case Orthogonal o:
                name = "orthogonal";
                tfConfig["gain"] = o.Gain;
                break;
            case Identity id:
                if (shape.Rank != 2 || shape[0] != shape[1])
                    return new TfjsNotApplicable(TfjsNotApplicableKind.RefusedShape,
                        $"TF.js Identity accepts 2-D square shapes only (ValueError 'Identity matrix initializer can only be used for 2D square matrices.'); Keras returns gain*eye({string.Join(", ", shape.Dimensions)}) for {shape}")
                    { KerasClass = cls };
                name = "identity";
                tfConfig["gain"] = id.Gain;
                seeded = false;
                break;
            case Constant c:
                name = "constant";
                tfConfig["value"] = c.Value;
                seeded = false;
                break;
            case Zeros:
                name = "zeros";
                seeded = false;
                break;
            case Ones:
                name = "ones";
                seeded = false;
                break;
            default:
                return new TfjsNotApplicable(TfjsNotApplicableKind.NoCounterpart, $"no TF.js counterpart is known for {cls}") { KerasClass = cls };
        }
        bool gaussian = init is RandomNormal or TruncatedNormal or Orthogonal || init is VarianceScaling { Distribution: not VarianceDistribution.Uniform };
        return new TfjsCall
        {
            KerasClass = cls, Initializer = name, Config = tfConfig, Shape = shape, DType = "float32", Notes = notes, Seeded = seeded,
            ZeroSeedIsUnseeded = gaussian,
        };
    }

    /// <summary>Measured on TF.js 4.22.0 (docs/frameworks/tfjs.md): what each scheme does when asked for 'float64'.</summary>
    private static string Float64Reason(Initializer init) => init switch
    {
        Identity => "TF.js has no float64 dtype; its Identity ignores the dtype and returns float32",
        VarianceScaling { Distribution: VarianceDistribution.Uniform } or RandomUniform or Zeros or Ones or Constant =>
            "TF.js has no float64 dtype: tfjs-core throws 'Unknown data type float64'",
        Orthogonal => "TF.js has no float64 dtype: Orthogonal throws TypeError 'Unsupported data type float64.'",
        _ => "TF.js has no float64 dtype: the normal schemes throw NotImplementedError '... does not support dType float64.'",
    };

    private static string? StripSeed(string? configJson)
    {
        if (string.IsNullOrWhiteSpace(configJson)) return null;
        JsonNode? node;
        try { node = JsonNode.Parse(configJson); }
        catch (System.Text.Json.JsonException ex) { throw new InvalidConfigException($"Invalid config JSON: {ex.Message}", ex); }
        if (node is not JsonObject obj) throw new InvalidConfigException($"Invalid config JSON: expected an object, got {configJson}");
        obj.Remove("seed");
        return obj.ToJsonString();
    }

    /// <summary>TF.js initializer identifiers (the keys of <c>tf.initializers</c> in tfjs-layers 4.22.0).</summary>
    public static readonly IReadOnlyList<string> TfjsNames =
    [
        "constant", "glorotNormal", "glorotUniform", "heNormal", "heUniform", "identity", "leCunNormal", "leCunUniform",
        "ones", "orthogonal", "randomNormal", "randomUniform", "truncatedNormal", "varianceScaling", "zeros",
    ];

    internal static string Format(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
