using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using WeightInit.IO;

namespace WeightInit.Node;

/// <summary>What <see cref="TfjsSampler.Probe"/> found: the bridge running with its versions, or why not.</summary>
public sealed record TfjsInfo(bool Available, string? Reason, NodeBridgeInfo? Bridge)
{
    /// <summary>The tfjs-layers version (the Keras-API implementation), when available.</summary>
    public string? Version => Bridge?.Packages.GetValueOrDefault("@tensorflow/tfjs-layers");

    public override string ToString() => Available
        ? $"tfjs {Version} (backend {Bridge!.Backend}, node {Bridge.NodeVersion})"
        : $"tfjs: not available: {Reason}";
}

/// <summary>Transfer-rate measurement of <see cref="TfjsSampler.MeasureTransfer"/> (bytes per second, framing included).</summary>
public sealed record NodeTransferBenchmark(int Elements, string DType, int Runs, double BestBytesPerSecond, double MedianBytesPerSecond);

/// <summary>
/// Samples TensorFlow.js 4.22.0 initializers through the Node bridge (<see cref="NodeHost"/>).
/// </summary>
/// <remarks>
/// <para>Two entry points: <see cref="SampleBatch(TfjsCall, long?, int, NodeHost?, TimeSpan?)"/> for a mapped Keras case
/// (see <see cref="TfjsMapping.TryMap"/>), and <see cref="SampleRaw"/> for a TF.js identifier with a TF.js config as
/// is. Both draw a whole batch in one request: tensor j uses the seed <c>first + j</c> (the catalog's seeds rule), or
/// is unseeded when <c>first</c> is null (TF.js then seeds from <c>Math.random()</c>). The tensors come back
/// flattened in C order and concatenated in one float32 array. Seeds are TF.js' own (seedrandom's alea keyed by the
/// seed's decimal string), so the values differ from Keras'; only the laws can be compared.</para>
/// <para>Errors: the bridge's typed errors (<see cref="NodeUnavailableException"/>, <see cref="TfjsPackagesMissingException"/>,
/// <see cref="NodeProcessDiedException"/>, <see cref="NodeProtocolException"/>, <see cref="NodeTimeoutException"/>),
/// <see cref="UnknownInitializerException"/> for a name TF.js lacks, <see cref="InvalidShapeException"/> for a shape
/// TF.js rejects, <see cref="TfjsErrorException"/> for anything else TF.js throws.</para>
/// </remarks>
public static class TfjsSampler
{
    /// <summary>Starts the shared bridge if needed and reports versions and backend; never throws for "missing".</summary>
    public static TfjsInfo Probe(NodeHost? host = null)
    {
        try { return new TfjsInfo(true, null, (host ?? NodeHost.Shared).Info); }
        catch (WeightInitException ex) { return new TfjsInfo(false, ex.Message, null); }
    }

    /// <summary>
    /// Draws <paramref name="count"/> tensors of a mapped Keras case in one request (seeds <c>firstSeed + j</c>). Note
    /// <see cref="TfjsCall.ZeroSeedIsUnseeded"/>: with <c>firstSeed = 0</c> the first tensor of a normal scheme is
    /// not reproducible in TF.js (docs/frameworks/tfjs.md, D8); the values are still TF.js' own and are returned.
    /// </summary>
    public static float[] SampleBatch(TfjsCall call, long? firstSeed, int count, NodeHost? host = null, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(call);
        return SampleRaw(call.Initializer, call.Config, call.Shape, call.Seeded ? firstSeed : null, count, host, timeout);
    }

    /// <summary>
    /// Maps a Keras case and draws it (convenience for one tensor or a batch); a case without TF.js counterpart
    /// throws <see cref="TfjsNotApplicableException"/>. Callers that must report "not applicable" use
    /// <see cref="TfjsMapping.TryMap"/> first.
    /// </summary>
    public static NpyArray SampleKeras(string kerasName, string? kerasConfigJson, TensorShape shape, long? seed, string dtype = "float32", int count = 1, NodeHost? host = null)
    {
        var mapped = TfjsMapping.TryMap(kerasName, kerasConfigJson, shape, dtype);
        if (mapped is TfjsNotApplicable na) throw new TfjsNotApplicableException(kerasName, na);
        var values = SampleBatch((TfjsCall)mapped, seed, count, host);
        return new NpyArray(count == 1 ? shape : new TensorShape([count, .. shape.Dimensions]), values, null);
    }

    /// <summary>
    /// Draws <paramref name="count"/> tensors of <c>tf.initializers[tfjsName](config)</c> (TF.js names and config
    /// keys, e.g. <c>heNormal</c>, <c>{"mode":"fanAvg"}</c>) in one request, seeds <c>firstSeed + j</c>.
    /// </summary>
    public static float[] SampleRaw(string tfjsName, JsonObject? config, TensorShape shape, long? firstSeed, int count = 1, NodeHost? host = null, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(tfjsName);
        ArgumentNullException.ThrowIfNull(shape);
        if (count < 1) throw new InvalidArgumentValueException("count", $"Invalid count {count}: expected at least 1 tensor.");
        if (shape.Count * count > 1L << 28)
            throw new InvalidArgumentValueException("count", $"Invalid batch: {count} tensors of {shape} are {shape.Count * count} values, over the bridge's limit of 2^28 per request.");
        var request = new JsonObject
        {
            ["op"] = "sample",
            ["initializer"] = tfjsName,
            ["config"] = config?.DeepClone() ?? new JsonObject(),
            ["shape"] = new JsonArray(shape.Dimensions.Select(d => (JsonNode)d).ToArray()),
            ["dtype"] = "float32",
            ["seed"] = firstSeed,
            ["count"] = count,
        };
        var r = (host ?? NodeHost.Shared).Request(request, timeout);
        ThrowIfError(r.Header, tfjsName, shape);
        if (shape.Count == 0) return [];
        return r.Single ?? throw new NodeProtocolException($"bridge answered '{tfjsName}' without float32 values", r.Header.GetRawText());
    }

    /// <summary>The raw-value path: sends a JSON request with an invalid shape straight to the script (tests use it).</summary>
    internal static void SampleUnchecked(string tfjsName, JsonNode shape, NodeHost host)
    {
        var r = host.Request(new JsonObject { ["op"] = "sample", ["initializer"] = tfjsName, ["config"] = new JsonObject(), ["shape"] = shape, ["dtype"] = "float32", ["seed"] = 1, ["count"] = 1 });
        ThrowIfError(r.Header, tfjsName, null);
    }

    internal static void ThrowIfError(JsonElement header, string tfjsName, TensorShape? shape)
    {
        if (header.TryGetProperty("ok", out var ok) && ok.ValueKind == JsonValueKind.True) return;
        string kind = header.TryGetProperty("kind", out var k) ? k.GetString() ?? "" : "";
        string message = header.TryGetProperty("message", out var m) ? m.GetString() ?? "" : header.GetRawText();
        switch (kind)
        {
            case "unknown_initializer":
                var known = header.TryGetProperty("known", out var kn) ? kn.EnumerateArray().Select(x => x.GetString()!).ToArray() : TfjsMapping.TfjsNames.ToArray();
                throw new UnknownInitializerException(tfjsName, known);
            case "bad_shape":
                throw new InvalidShapeException($"TF.js bridge: {message}");
            case "packages_missing":
                throw new TfjsPackagesMissingException("node cannot load TF.js: " + message, null);
            case "tfjs_error":
                string type = header.TryGetProperty("errorType", out var t) ? t.GetString() ?? "Error" : "Error";
                throw new TfjsErrorException($"tf.initializers.{tfjsName}(...).apply({shape?.ToString() ?? "?"})", type, message);
            default:
                throw new TfjsErrorException($"TF.js bridge request for {tfjsName}", kind.Length == 0 ? "BridgeError" : kind, message);
        }
    }

    /// <summary>
    /// Measures the transfer rate of the bridge: node sends <paramref name="elements"/> values it already holds
    /// (no TF.js work), this side reads them into a fresh array. Includes framing, the pipe and the allocation.
    /// </summary>
    public static NodeTransferBenchmark MeasureTransfer(int elements, string dtype = "float32", int runs = 10, NodeHost? host = null)
    {
        host ??= NodeHost.Shared;
        var rates = new List<double>();
        for (int i = -1; i < runs; i++) // run -1 warms up (node builds its buffer)
        {
            var sw = Stopwatch.StartNew();
            var r = host.Request(new JsonObject { ["op"] = "bench", ["elements"] = elements, ["dtype"] = dtype });
            sw.Stop();
            ThrowIfError(r.Header, "bench", null);
            long n = r.Single?.Length ?? r.Double?.Length ?? 0;
            if (n != elements) throw new NodeProtocolException($"bench returned {n} values, expected {elements}", r.Header.GetRawText());
            // The pattern is value i at index i: check a few so a corrupted stream cannot pass as fast.
            foreach (var j in new long[] { 0, n / 3, n - 1 })
                if (n > 0 && (r.Single is { } s ? s[j] != (float)j : r.Double![j] != j))
                    throw new NodeProtocolException($"bench value at {j} is wrong", r.Header.GetRawText());
            if (i >= 0) rates.Add(n * (dtype == "float32" ? 4.0 : 8.0) / sw.Elapsed.TotalSeconds);
        }
        rates.Sort();
        return new NodeTransferBenchmark(elements, dtype, runs, rates[^1], rates[rates.Count / 2]);
    }
}
