using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using WeightInit.Conformance.Checks;
using WeightInit.IO;

namespace WeightInit.Conformance.Engine;

/// <summary>
/// Golden outputs of this library's stream: for every case, the SHA-256 of the first tensor (seed = the case's first
/// seed) and its first values. Any change of the stream, of the arithmetic or of the float32 rounding shows up at
/// once. The file is rewritten only by an explicit command (<c>harness golden --bless</c>).
/// </summary>
public sealed class GoldenOutputs
{
    public const string Schema = "weightinit-golden/1";
    public const int HeadValues = 16;

    private readonly Dictionary<string, (string Sha256, string[] Head, string Stream)> _entries;

    private GoldenOutputs(string path, Dictionary<string, (string, string[], string)> entries)
    {
        Path = path;
        _entries = entries;
    }

    public string Path { get; }

    public static string DefaultPath(string repositoryRoot) => System.IO.Path.Combine(repositoryRoot, "conformance", "golden", "csharp-philox.json");

    public static GoldenOutputs Load(string path)
    {
        if (!File.Exists(path)) throw new ReferenceDataException(path, null, "golden file not found (create it with `harness golden --bless`).");
        JsonObject root;
        try { root = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new ReferenceDataException(path, null, "not a JSON object."); }
        catch (System.Text.Json.JsonException ex) { throw new ReferenceDataException(path, null, $"malformed JSON ({ex.Message}).", ex); }
        if ((string?)root["schema"] != Schema) throw new ReferenceDataException(path, null, $"schema is not {Schema}.");
        var entries = new Dictionary<string, (string, string[], string)>(StringComparer.Ordinal);
        var cases = root["cases"] as JsonObject ?? throw new ReferenceDataException(path, null, "no `cases` object.");
        foreach (var (id, node) in cases)
        {
            var o = node as JsonObject ?? throw new ReferenceDataException(path, id, "not an object.");
            entries[id] = ((string?)o["sha256"] ?? throw new ReferenceDataException(path, id, "no sha256."),
                (o["head"] as JsonArray)?.Select(v => (string)v!).ToArray() ?? [], (string?)o["stream"] ?? "");
        }
        return new GoldenOutputs(path, entries);
    }

    /// <summary>The first tensor of a case as produced by the library now.</summary>
    private static Array FirstTensor(ConformanceCase c)
    {
        var init = c.CreateInitializer(0);
        return c.DType == DType.Float32 ? init.Sample(c.Shape) : init.SampleDouble(c.Shape);
    }

    private static (string Sha, string[] Head) Fingerprint(Array a)
    {
        var bytes = a is float[] f ? MemoryMarshal.AsBytes(f.AsSpan()).ToArray() : MemoryMarshal.AsBytes(((double[])a).AsSpan()).ToArray();
        var head = a is float[] ff ? ff.Take(HeadValues).Select(v => v.ToString("R", CultureInfo.InvariantCulture)).ToArray()
            : ((double[])a).Take(HeadValues).Select(v => v.ToString("R", CultureInfo.InvariantCulture)).ToArray();
        return (Convert.ToHexStringLower(SHA256.HashData(bytes)), head);
    }

    public CheckResult Check(ConformanceCase c)
    {
        if (!_entries.TryGetValue(c.Id, out var golden))
            return new(c.Id, CheckId.Golden, Verdict.Fail, null, null, 0, "a golden entry", "none",
                $"no golden entry for {c.Id} in {Path}: run `harness golden --bless` after reviewing the new case");
        var (sha, head) = Fingerprint(FirstTensor(c));
        if (sha == golden.Sha256)
            return new(c.Id, CheckId.Golden, Verdict.Pass, null, null, c.Shape.Count, golden.Sha256[..12], sha[..12], "first tensor is byte-identical to the golden output");
        int first = Enumerable.Range(0, Math.Min(head.Length, golden.Head.Length)).FirstOrDefault(i => head[i] != golden.Head[i], -1);
        string where = first >= 0 ? $"; value {first}: golden {golden.Head[first]}, now {head[first]}" : "";
        return new(c.Id, CheckId.Golden, Verdict.Fail, null, null, c.Shape.Count, golden.Sha256[..12], sha[..12],
            $"the stream or the arithmetic changed: first tensor differs from the golden output{where} (re-bless only if intended)");
    }

    /// <summary>Writes the golden file for every case of the catalog (explicit command only), atomically.</summary>
    public static void Bless(CaseCatalog catalog, string path, string streamName)
    {
        var cases = new JsonObject();
        foreach (var c in catalog.Cases)
        {
            var (sha, head) = Fingerprint(FirstTensor(c));
            cases[c.Id] = new JsonObject
            {
                ["seed"] = c.Seeds?.First,
                ["dtype"] = c.DType.Name(),
                ["shape"] = new JsonArray(c.Shape.ToArray().Select(d => (JsonNode)d).ToArray()),
                ["stream"] = streamName,
                ["sha256"] = sha,
                ["head"] = new JsonArray(head.Select(h => (JsonNode)h).ToArray()),
            };
        }
        var root = new JsonObject
        {
            ["schema"] = Schema,
            ["description"] = "SHA-256 and first values of each case's first tensor (seed = the case's first seed) from this library's default stream. Regenerate only with `harness golden --bless`.",
            ["cases"] = cases,
        };
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        AtomicFile.WriteAllText(path, root.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n");
    }
}
