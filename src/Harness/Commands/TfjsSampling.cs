using System.Globalization;
using System.Text.Json.Nodes;
using WeightInit;
using WeightInit.IO;
using WeightInit.Node;

namespace Harness.Commands;

/// <summary>
/// <c>harness sample NAME --framework tfjs ...</c>: samples TensorFlow.js through the Node bridge. NAME is a Keras
/// name (<c>he_normal</c>, <c>VarianceScaling</c>; the Keras config is mapped by <see cref="TfjsMapping"/>, and a case
/// without TF.js counterpart, such as float64, exits 2 with the reason) or a TF.js identifier (<c>heNormal</c>,
/// <c>varianceScaling</c>; the config is then TF.js' own, e.g. <c>{"mode":"fanAvg"}</c>).
/// </summary>
internal static class TfjsSampling
{
    public static int Sample(string name, string? configJson, string shape, long? seed, string dtype, string outPath)
    {
        var tensorShape = TensorShape.Parse(shape);
        var full = Path.GetFullPath(outPath);
        if (!Directory.Exists(Path.GetDirectoryName(full)))
            throw new DirectoryNotFoundException($"Output folder does not exist: {Path.GetDirectoryName(full)}");

        float[] values;
        string what;
        bool isKeras = InitializerRegistry.Names.Contains(name);
        if (isKeras || !TfjsMapping.TfjsNames.Contains(name))
        {
            var mapped = TfjsMapping.TryMap(name, configJson, tensorShape, dtype); // unknown names: UnknownInitializerException
            if (mapped is TfjsNotApplicable na) throw new TfjsNotApplicableException(name, na);
            var call = (TfjsCall)mapped;
            values = TfjsSampler.SampleBatch(call, seed, 1);
            what = $"{name} -> tf.initializers.{call.Initializer}({call.ConfigJson})";
        }
        else
        {
            if (dtype != "float32")
                throw new InvalidArgumentValueException("dtype", $"Invalid dtype '{dtype}' for TF.js: TF.js has no float64 tensors; use float32.");
            JsonObject? config = null;
            if (!string.IsNullOrWhiteSpace(configJson))
            {
                try { config = JsonNode.Parse(configJson) as JsonObject ?? throw new InvalidConfigException($"Invalid config JSON: expected an object, got {configJson}"); }
                catch (System.Text.Json.JsonException ex) { throw new InvalidConfigException($"Invalid config JSON: {ex.Message}", ex); }
                config.Remove("seed");
            }
            values = TfjsSampler.SampleRaw(name, config, tensorShape, seed);
            what = $"tf.initializers.{name}({config?.ToJsonString() ?? "{}"})";
        }
        NpyFile.Write(outPath, values, tensorShape);
        var info = NodeHost.Shared.Info;
        Console.Error.WriteLine($"harness: sampled tfjs {info.Packages.GetValueOrDefault("@tensorflow/tfjs-layers")} (backend {info.Backend}, node {info.NodeVersion}) " +
                                $"{what} {tensorShape} float32 seed {(seed?.ToString(CultureInfo.InvariantCulture) ?? "none")} -> {outPath}");
        return 0;
    }
}
