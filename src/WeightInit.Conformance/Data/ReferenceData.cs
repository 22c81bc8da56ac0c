using System.Security.Cryptography;
using System.Text.Json.Nodes;
using WeightInit.IO;

namespace WeightInit.Conformance;

/// <summary>
/// The parameters a framework derived for one case, as recorded in the manifest (<c>derived</c>): what it handed its
/// random backend (mean/stddev, minval/maxval), the truncation bounds, the fans, or the constant/identity/orthogonal
/// parameters. Absent fields are null.
/// </summary>
public sealed record ReferenceParameters(
    string ClassName,
    string Distribution,
    long? FanIn,
    long? FanOut,
    double? Mean,
    double? Stddev,
    double? Lower,
    double? Upper,
    double? Minval,
    double? Maxval,
    double? Limit,
    double? Gain,
    long? Rows,
    long? Cols,
    double? Value,
    IReadOnlyList<long>? QrMatrixShape);

/// <summary>One case of a manifest: what was drawn, how, and the file holding the values.</summary>
public sealed record ReferenceCase(
    string Id,
    string Initializer,
    JsonObject Config,
    TensorShape Shape,
    DType DType,
    DType StoredDType,
    SeedRange? Seeds,
    long Values,
    IReadOnlyList<int> OutputShape,
    string? Serialized,
    ReferenceParameters Derived,
    string File,
    long Bytes,
    string Sha256)
{
    public override string ToString() => Id;
}

/// <summary>The provenance block and the cases of a <c>manifest.json</c> (format: reference-data/README.md).</summary>
public sealed record ReferenceManifest(
    string Schema,
    string Framework,
    string FrameworkVersion,
    string Backend,
    string BackendVersion,
    string? NumpyVersion,
    string? SourceCommit,
    string? SourceTag,
    string GeneratedUtc,
    string Command,
    string Generator,
    JsonObject SamplePolicy,
    IReadOnlyList<ReferenceCase> Cases);

/// <summary>
/// Verified reference data of one framework version: <c>reference-data/&lt;framework&gt;/&lt;version&gt;/manifest.json</c> and
/// its .npy files. <see cref="Load"/> checks the manifest schema, that every listed file exists with the recorded size and
/// sha256 and parses as a 1-D .npy of the recorded dtype and length, and that no unlisted file sits in the folder. Any
/// failure throws <see cref="ReferenceDataException"/> naming the file and the case.
/// </summary>
public sealed class ReferenceData
{
    /// <summary>The manifest schema this loader reads.</summary>
    public const string Schema = "weightinit-reference-manifest/1";

    private static readonly string[] TopKeys =
    [
        "schema", "framework", "framework_version", "backend", "backend_version", "numpy_version", "python_version",
        "source_repository", "source_tag", "source_commit", "generated_utc", "command", "generator", "generator_git_commit",
        "sample_policy", "cases", "packages", "node_version",
    ];

    private static readonly string[] CaseKeys =
    [
        "id", "catalog_file", "initializer", "config", "shape", "dtype", "keras_output_dtype", "stored_dtype", "seeds", "values",
        "keras_output_shape", "output_shape", "keras_serialized", "serialized", "derived", "file", "bytes", "sha256",
        "mapped_call",
    ];

    private static readonly string[] DerivedKeys =
    [
        "class_name", "distribution", "fan_in", "fan_out", "mean", "stddev", "lower", "upper", "minval", "maxval", "limit",
        "gain", "rows", "cols", "value", "qr_matrix_shape",
    ];

    private static readonly string[] Distributions = ["normal", "truncated_normal", "uniform", "orthogonal", "identity", "constant", "dirac"];

    private readonly Dictionary<string, (ReferenceCase Case, NpyArray Array)> _byId;

    private ReferenceData(string directory, ReferenceManifest manifest, Dictionary<string, (ReferenceCase, NpyArray)> byId)
    {
        Directory = directory;
        Manifest = manifest;
        _byId = byId;
    }

    public string Directory { get; }
    public ReferenceManifest Manifest { get; }

    /// <summary>The framework the manifest names, or null when the catalog does not know it.</summary>
    public Framework? SourceFramework => Framework.TryParse(Manifest.Framework);

    /// <summary>Total size of the folder in bytes (manifest and data files).</summary>
    public long TotalBytes => new DirectoryInfo(Directory).EnumerateFiles().Sum(f => f.Length);

    public bool Contains(string caseId) => _byId.ContainsKey(caseId);

    public ReferenceCase Case(string caseId) => Get(caseId).Case;

    /// <summary>The verified values of a case (1-D, in the stored dtype).</summary>
    public NpyArray Values(string caseId) => Get(caseId).Array;

    /// <summary>The folder <c>reference-data/&lt;framework&gt;/&lt;version&gt;</c> under a repository root.</summary>
    public static string FolderOf(string repositoryRoot, string framework, string version) =>
        Path.Combine(repositoryRoot, "reference-data", framework, version);

    /// <summary>The folder of the reference data this repository ships for <paramref name="framework"/>.</summary>
    public static string ShippedFolderOf(string repositoryRoot, Framework framework) =>
        FolderOf(repositoryRoot, framework.Id, framework.ShippedVersion);

    /// <summary>Loads and verifies a reference-data folder.</summary>
    public static ReferenceData Load(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var manifestPath = Path.Combine(directory, "manifest.json");
        if (!File.Exists(manifestPath)) throw new ReferenceDataException(directory, null, "no manifest.json in the reference-data folder.");
        var manifest = ReadManifest(manifestPath);

        var byId = new Dictionary<string, (ReferenceCase, NpyArray)>(StringComparer.Ordinal);
        var listed = new HashSet<string>(StringComparer.Ordinal) { "manifest.json" };
        foreach (var c in manifest.Cases)
        {
            if (!listed.Add(c.File)) throw new ReferenceDataException(manifestPath, c.Id, $"file '{c.File}' is listed twice.");
            var path = Path.Combine(directory, c.File);
            if (!File.Exists(path)) throw new ReferenceDataException(path, c.Id, "listed in manifest.json but missing.");
            var bytes = File.ReadAllBytes(path);
            if (bytes.LongLength != c.Bytes)
                throw new ReferenceDataException(path, c.Id, $"holds {bytes.LongLength} bytes; manifest.json records {c.Bytes} (truncated or altered).");
            var hash = Convert.ToHexStringLower(SHA256.HashData(bytes));
            if (!string.Equals(hash, c.Sha256, StringComparison.Ordinal))
                throw new ReferenceDataException(path, c.Id, $"sha256 mismatch: the file hashes to {hash}, manifest.json records {c.Sha256} (corrupt or hand-edited).");
            NpyArray array;
            try { array = NpyFile.Parse(bytes, path); }
            catch (InvalidDataFileException ex) { throw new ReferenceDataException(path, c.Id, $"not a valid .npy file: {ex.Message}", ex); }
            if (array.DType != c.StoredDType)
                throw new ReferenceDataException(path, c.Id, $"holds {array.DType.Name()}; manifest.json records {c.StoredDType.Name()}.");
            if (array.Shape.Rank != 1 || array.Shape.Count != c.Values)
                throw new ReferenceDataException(path, c.Id, $"has shape {array.Shape}; manifest.json records a 1-D array of {c.Values} values.");
            byId.Add(c.Id, (c, array));
        }
        foreach (var file in System.IO.Directory.EnumerateFiles(directory))
        {
            var name = Path.GetFileName(file);
            if (!listed.Contains(name))
                throw new ReferenceDataException(file, null, "file is not listed in manifest.json (stray or hand-added; regenerate instead).");
        }
        return new ReferenceData(directory, manifest, byId);
    }

    /// <summary>
    /// Checks the data against the case catalog: every catalog case that lists this framework has data, every data case
    /// is in the catalog, and initializer, config, shape, dtype and first seed agree.
    /// </summary>
    public void CheckAgainst(CaseCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var manifestPath = Path.Combine(Directory, "manifest.json");
        foreach (var c in catalog.Cases.Where(c => SourceFramework is { } framework && c.HasReference(framework)))
            if (!Contains(c.Id))
                throw new ReferenceDataException(manifestPath, c.Id, $"the catalog ({c.File}) lists {Manifest.Framework} reference data for this case but the manifest has none; regenerate.");
        foreach (var r in Manifest.Cases)
        {
            if (!catalog.Contains(r.Id))
                throw new ReferenceDataException(manifestPath, r.Id, "not in the case catalog (removed or renamed); regenerate.");
            var c = catalog[r.Id];
            var problems = new List<string>();
            if (r.Initializer != c.Initializer) problems.Add($"initializer {r.Initializer} vs catalog {c.Initializer}");
            if (!JsonNode.DeepEquals(r.Config, c.Config)) problems.Add($"config {r.Config.ToJsonString()} vs catalog {c.ConfigJson}");
            if (!r.Shape.Equals(c.Shape)) problems.Add($"shape {r.Shape} vs catalog {c.Shape}");
            if (r.DType != c.DType) problems.Add($"dtype {r.DType.Name()} vs catalog {c.DType.Name()}");
            if ((r.Seeds is null) != (c.Seeds is null) || (r.Seeds is not null && r.Seeds.First != c.Seeds!.First))
                problems.Add($"first seed {r.Seeds?.First.ToString() ?? "none"} vs catalog {c.Seeds?.First.ToString() ?? "none"}");
            if (problems.Count > 0)
                throw new ReferenceDataException(manifestPath, r.Id, "disagrees with the case catalog: " + string.Join("; ", problems) + ". Regenerate the reference data.");
        }
    }

    private (ReferenceCase Case, NpyArray Array) Get(string caseId) =>
        _byId.TryGetValue(caseId, out var e) ? e : throw new KeyNotFoundException($"No reference data for case '{caseId}' in {Directory}.");

    /// <summary>Reads and validates <c>manifest.json</c> (schema only; files are checked by <see cref="Load"/>).</summary>
    public static ReferenceManifest ReadManifest(string manifestPath)
    {
        string text;
        try { text = File.ReadAllText(manifestPath); }
        catch (IOException ex) { throw new ReferenceDataException(manifestPath, null, $"cannot read ({ex.Message}).", ex); }
        Exception Top(string m) => new ReferenceDataException(manifestPath, null, m);
        var root = JsonFields.ParseObject(text, Top);
        var f = new JsonFields(root, Top);
        f.OnlyKeys(TopKeys);
        var schema = f.String("schema");
        if (schema != Schema) throw Top($"schema '{schema}' is not supported (this loader reads '{Schema}').");
        var framework = f.String("framework");
        var version = f.String("framework_version");
        var backend = f.String("backend");
        var backendVersion = f.String("backend_version");
        var numpy = f.OptionalString("numpy_version");
        var commit = f.OptionalString("source_commit");
        var tag = f.OptionalString("source_tag");
        var generated = f.String("generated_utc");
        if (!DateTimeOffset.TryParse(generated, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out _))
            throw Top($"`generated_utc` '{generated}' is not a date.");
        var command = f.String("command");
        var generator = f.String("generator");
        var policy = f.Obj("sample_policy");
        var array = f.Array("cases");
        if (array.Count == 0) throw Top("`cases` is empty.");

        var cases = new List<ReferenceCase>(array.Count);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < array.Count; i++)
        {
            var label = array[i] is JsonObject o && o["id"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : $"#{i}";
            if (array[i] is not JsonObject obj) throw new ReferenceDataException(manifestPath, label, "a case must be a JSON object.");
            var c = ParseCase(manifestPath, label, obj, framework);
            if (!ids.Add(c.Id)) throw new ReferenceDataException(manifestPath, c.Id, "duplicate case id.");
            cases.Add(c);
        }
        return new ReferenceManifest(schema, framework, version, backend, backendVersion, numpy, commit, tag, generated, command, generator, policy, cases);
    }

    private static ReferenceCase ParseCase(string manifestPath, string label, JsonObject obj, string framework)
    {
        Exception Fail(string m) => new ReferenceDataException(manifestPath, label, m);
        var f = new JsonFields(obj, Fail);
        f.OnlyKeys(CaseKeys);
        var id = f.String("id");
        var initializer = f.String("initializer");
        var config = (JsonObject)f.Obj("config").DeepClone();
        TensorShape shape;
        try { shape = new TensorShape(f.IntArray("shape", min: 0)); }
        catch (InvalidShapeException ex) { throw new ReferenceDataException(manifestPath, label, ex.Message, ex); }
        var dtypeName = f.String("dtype");
        var dtype = DTypes.TryParse(dtypeName) ?? throw Fail($"`dtype` must be float32 or float64; found '{dtypeName}'.");
        var storedKey = f.Has("stored_dtype") ? "stored_dtype" : f.Has($"{framework}_output_dtype") ? $"{framework}_output_dtype" : null;
        var storedName = storedKey is null ? dtypeName : f.String(storedKey);
        var stored = DTypes.TryParse(storedName) ?? throw Fail($"`{storedKey}` must be float32 or float64; found '{storedName}'.");

        SeedRange? seeds = null;
        if (!f.IsNull("seeds"))
        {
            var s = new JsonFields(f.Obj("seeds"), Fail);
            s.OnlyKeys(["first", "count"]);
            seeds = new SeedRange(s.Integer("first", 0, CaseCatalog.MaxSeed), (int)s.Integer("count", 1, int.MaxValue));
        }
        long values = f.Integer("values", 0, int.MaxValue);
        var outputKey = f.Has("output_shape") ? "output_shape" : $"{framework}_output_shape";
        var outputShape = f.Has(outputKey) ? f.IntArray(outputKey, min: 0) : shape.ToArray();
        var serializedKey = f.Has("serialized") ? "serialized" : $"{framework}_serialized";
        var serialized = f.OptionalString(serializedKey);
        var file = f.String("file");
        if (file.IndexOfAny(['/', '\\']) >= 0 || file.StartsWith('.') || !file.EndsWith(".npy", StringComparison.Ordinal))
            throw Fail($"`file` '{file}' must be a plain .npy file name inside the folder.");
        long bytes = f.Integer("bytes", 0);
        var sha = f.String("sha256");
        if (sha.Length != 64 || !sha.All(ch => ch is >= '0' and <= '9' or >= 'a' and <= 'f'))
            throw Fail($"`sha256` '{sha}' is not 64 lower-case hex digits.");

        var d = new JsonFields(f.Obj("derived"), m => Fail("`derived`: " + m));
        d.OnlyKeys(DerivedKeys);
        var distribution = d.String("distribution");
        if (!Distributions.Contains(distribution)) throw Fail($"`derived.distribution` '{distribution}' is unknown (known: {string.Join(", ", Distributions)}).");
        var derived = new ReferenceParameters(
            d.String("class_name"), distribution, d.OptionalInteger("fan_in"), d.OptionalInteger("fan_out"),
            d.OptionalNumber("mean"), d.OptionalNumber("stddev"), d.OptionalNumber("lower"), d.OptionalNumber("upper"),
            d.OptionalNumber("minval"), d.OptionalNumber("maxval"), d.OptionalNumber("limit"), d.OptionalNumber("gain"),
            d.OptionalInteger("rows"), d.OptionalInteger("cols"), d.OptionalNumber("value"),
            d.Has("qr_matrix_shape") && !d.IsNull("qr_matrix_shape") ? d.IntArray("qr_matrix_shape").Select(x => (long)x).ToArray() : null);
        // TF.js' derived parameters cannot be observed through the bridge (reference-data/README.md): its manifest states
        // the law family and the mapped call only, and claims no figure it did not see.
        if (framework == "tfjs")
        {
            if (derived.FanIn is not null || derived.FanOut is not null || derived.Stddev is not null || derived.Limit is not null || derived.Mean is not null)
                throw Fail("`derived` of tfjs data must leave fan_in, fan_out, mean, stddev and limit null (TF.js does not expose them).");
            if (!f.Has("mapped_call")) throw Fail("tfjs data must record `mapped_call` (what TF.js was asked).");
        }
        else RequireFor(derived, Fail, values);
        return new ReferenceCase(id, initializer, config, shape, dtype, stored, seeds, values, outputShape, serialized, derived, file, bytes, sha);
    }

    /// <summary>Each distribution must carry the parameters that define it.</summary>
    private static void RequireFor(ReferenceParameters p, Func<string, Exception> fail, long values)
    {
        void Need(object? value, string key)
        {
            if (value is null) throw fail($"`derived.{key}` is required for distribution '{p.Distribution}'.");
        }
        switch (p.Distribution)
        {
            case "normal": Need(p.Mean, "mean"); Need(p.Stddev, "stddev"); break;
            case "truncated_normal": Need(p.Mean, "mean"); Need(p.Stddev, "stddev"); Need(p.Lower, "lower"); Need(p.Upper, "upper"); break;
            case "uniform": Need(p.Minval, "minval"); Need(p.Maxval, "maxval"); break;
            case "orthogonal": Need(p.Gain, "gain"); Need(p.Rows, "rows"); Need(p.Cols, "cols"); break;
            case "identity": Need(p.Rows, "rows"); Need(p.Cols, "cols"); if (values > 0) Need(p.Gain, "gain"); break;
            case "constant": if (values > 0) Need(p.Value, "value"); break;
        }
    }
}
