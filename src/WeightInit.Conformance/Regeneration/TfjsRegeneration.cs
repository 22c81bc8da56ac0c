using System.Security.Cryptography;
using System.Text.Json.Nodes;
using WeightInit.IO;
using WeightInit.Node;

namespace WeightInit.Conformance.Regeneration;

/// <summary>
/// The TF.js half of <see cref="ReferenceRegenerator.Run"/>: the same plan, folder swap, change report and manifest schema
/// as Keras and PyTorch, but the values come from TensorFlow.js 4.22.0 through the Node bridge instead of Python.
/// </summary>
/// <remarks>
/// <para>Each Keras case is first mapped to its TF.js call (<see cref="TfjsMapping.TryMap"/>); the catalog lists
/// <c>tfjs</c> only for cases that map, so a case that does not is a catalog error, not a silent skip. The whole
/// batch of a case (the catalog's seeds <c>first, first+1, …</c>, as many tensors as <see cref="ReferenceRegenerator.Plan"/>
/// asks) is drawn in one bridge request.</para>
/// <para><b>Derived parameters are not observed.</b> The bridge sees only what <c>tf.initializers.X(config).apply</c>
/// returns; the stddev, limit and fans TF.js computes inside <c>apply</c> are never exposed (unlike Keras and torch, whose
/// random calls the Python side records). So <c>derived</c> holds the Keras class and the family of law TF.js is asked
/// for, every numeric field null, and <c>mapped_call</c> records exactly what TF.js was asked (initializer, config,
/// and the mapping's notes on known divergences, docs/frameworks/tfjs.md). reference-data/README.md says the same.</para>
/// </remarks>
public static class TfjsRegeneration
{
    /// <summary>The TF.js call of a case that lists <c>tfjs</c>; a case without counterpart is a catalog error naming it.</summary>
    public static TfjsCall MapOrThrow(ConformanceCase c) =>
        TfjsMapping.TryMap(c.Initializer, c.ConfigJson, c.Shape, c.DType.Name()) switch
        {
            TfjsCall call => call,
            TfjsNotApplicable na => throw new CaseCatalogException(c.File, c.Id,
                $"it lists tfjs under `reference` but TF.js has no counterpart ({na.Kind}: {na.Reason}); remove tfjs from its `reference`."),
            var other => throw new InvalidOperationException($"case {c.Id}: unexpected mapping {other}"),
        };

    /// <summary>
    /// What the manifest records about TF.js: tfjs-layers' version is the framework version (the Keras-API package),
    /// the cpu backend with tfjs-backend-cpu's version, the three package versions and node's.
    /// </summary>
    public static JsonObject Provenance()
    {
        var info = TfjsSampler.Probe();
        if (!info.Available || info.Bridge is null)
            throw new FrameworkUnavailableException("tfjs", info.Reason ?? "the Node bridge does not start",
                "Install node (>= 18) and the pinned TF.js packages with scripts/setup-node.sh.");
        var b = info.Bridge;
        string Need(string package) => b.Packages.GetValueOrDefault(package)
            ?? throw new FrameworkUnavailableException("tfjs", $"{package} is not installed", "Run scripts/setup-node.sh.");
        var layers = Need("@tensorflow/tfjs-layers");
        var packages = new JsonObject();
        foreach (var p in new[] { "@tensorflow/tfjs-core", "@tensorflow/tfjs-layers", "@tensorflow/tfjs-backend-cpu" }) packages[p] = Need(p);
        return new JsonObject
        {
            ["framework"] = "tfjs",
            ["framework_version"] = layers,
            ["backend"] = b.Backend,
            ["backend_version"] = Need("@tensorflow/tfjs-backend-cpu"),
            ["source_repository"] = "https://github.com/tensorflow/tfjs",
            ["source_tag"] = $"tfjs-v{layers}",
            ["packages"] = packages,
            ["node_version"] = b.NodeVersion,
        };
    }

    public static string Generator(JsonObject prov) =>
        $"harness regenerate --framework tfjs (WeightInit.Conformance.Regeneration through the Node bridge: " +
        $"TfjsMapping.TryMap for the call, TfjsSampler.SampleBatch for the values, one request per case; " +
        $"tfjs-layers {prov["framework_version"]}, backend {prov["backend"]}, node {prov["node_version"]})";

    /// <summary>The TF.js function of a mapped call, spelled as a TF.js user writes it.</summary>
    public static string Serialized(TfjsCall call) =>
        $"tf.initializers.{call.Initializer}({call.Config.ToJsonString()}).apply([{string.Join(", ", call.Shape.Dimensions)}], '{call.DType}')";

    /// <summary>
    /// The family of law TF.js is asked for: its <c>'normal'</c> VarianceScaling and TruncatedNormal draw tfjs-core's
    /// truncatedNormal, RandomNormal an untruncated normal, the rest as named. Zeros and Ones are constants.
    /// </summary>
    public static string Distribution(TfjsCall call) => call.Initializer switch
    {
        "randomNormal" => "normal",
        "truncatedNormal" => "truncated_normal",
        "randomUniform" => "uniform",
        "orthogonal" => "orthogonal",
        "identity" => "identity",
        "zeros" or "ones" or "constant" => "constant",
        _ => call.Config["distribution"]?.GetValue<string>() == "uniform" || call.Initializer.EndsWith("Uniform", StringComparison.Ordinal)
            ? "uniform" : "truncated_normal",
    };

    public static JsonObject GenerateCase(ConformanceCase c, TfjsCall call, string folder, string root)
    {
        var (first, count, keep) = ReferenceRegenerator.Plan(c);
        // One request: tensor j drawn with seed first + j (unseeded schemes take none), flattened in C order, concatenated.
        var all = TfjsSampler.SampleBatch(call, first, count);
        long expected = c.Shape.Count * count;
        if (all.LongLength != expected)
            throw new InvalidOperationException($"case {c.Id}: TF.js returned {all.LongLength} values for {count} tensors of {c.Shape}, expected {expected}.");
        var values = all.AsSpan(0, (int)keep).ToArray();
        var bytes = NpyFile.ToBytes(values, new TensorShape((int)keep));
        var file = c.Id + ".npy";
        File.WriteAllBytes(Path.Combine(folder, file), bytes);

        var derived = new JsonObject { ["class_name"] = call.KerasClass, ["distribution"] = Distribution(call) };
        foreach (var k in new[] { "fan_in", "fan_out", "mean", "stddev", "limit" }) derived[k] = null; // not observable, see the remarks
        return new JsonObject
        {
            ["id"] = c.Id,
            ["catalog_file"] = Path.GetRelativePath(root, c.File).Replace('\\', '/'),
            ["initializer"] = c.Initializer,
            ["config"] = c.Config.DeepClone(),
            ["shape"] = new JsonArray(c.Shape.Dimensions.Select(x => (JsonNode)JsonValue.Create(x)).ToArray()),
            ["dtype"] = c.DType.Name(),
            ["stored_dtype"] = "float32", // TF.js has no float64; float64 cases never map
            ["seeds"] = first is null ? null : new JsonObject { ["first"] = first.Value, ["count"] = count },
            ["values"] = keep,
            ["output_shape"] = new JsonArray(c.Shape.Dimensions.Select(x => (JsonNode)JsonValue.Create(x)).ToArray()),
            ["serialized"] = Serialized(call),
            ["mapped_call"] = new JsonObject
            {
                ["initializer"] = call.Initializer,
                ["config"] = call.Config.DeepClone(),
                ["seeded"] = call.Seeded,
                ["notes"] = new JsonArray(call.Notes.Select(n => (JsonNode)JsonValue.Create(n)!).ToArray()),
            },
            ["derived"] = derived,
            ["file"] = file,
            ["bytes"] = bytes.LongLength,
            ["sha256"] = Convert.ToHexStringLower(SHA256.HashData(bytes)),
        };
    }
}
