using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace WeightInit.Conformance;

/// <summary>The seeds of a case: tensor j (0-based, j &lt; Count) is drawn with the int seed First + j.</summary>
public sealed record SeedRange(long First, int Count)
{
    public long Seed(int j) => j >= 0 && j < Count ? First + j : throw new ArgumentOutOfRangeException(nameof(j));
    public override string ToString() => Count == 1 ? $"seed {First}" : $"seeds {First}..{First + Count - 1}";
}

/// <summary>
/// One conformance case (a record of <c>conformance/cases/*.json</c>): an initializer with its config, a shape, a dtype,
/// the seeds and the sample size, which frameworks have reference data for it, and why it is in the catalog.
/// </summary>
public sealed record ConformanceCase(
    string Id,
    string Initializer,
    JsonObject Config,
    TensorShape Shape,
    DType DType,
    long N,
    SeedRange? Seeds,
    IReadOnlyList<Framework> References,
    string? NoReference,
    IReadOnlyList<string> Tags,
    string Why,
    string? Source,
    string File)
{
    /// <summary>The config dict as compact JSON (no seed: each draw's seed comes from <see cref="Seeds"/>).</summary>
    public string ConfigJson => Config.ToJsonString();

    /// <summary>No seeds: the scheme is deterministic (Zeros, Ones, Constant, Identity).</summary>
    public bool IsDeterministic => Seeds is null;

    public bool HasReference(Framework framework) => References.Contains(framework);

    /// <summary>Builds the initializer with the seed of tensor <paramref name="j"/> (deterministic cases ignore it).</summary>
    public Initializer CreateInitializer(int j = 0) =>
        InitializerRegistry.Create(Initializer, (JsonObject)Config.DeepClone(), Seeds is null ? null : WeightInit.Random.SeedSource.Fixed(Seeds.Seed(j)));

    /// <summary>Readable label for test names: the id.</summary>
    public override string ToString() => Id;
}

/// <summary>
/// The case catalog: every <c>*.json</c> file of <c>conformance/cases/</c>, loaded and validated. Each file is
/// <c>{"description": "...", "cases": [ {case}, ... ]}</c>; the case format is documented in
/// <c>conformance/cases/README.md</c>. Any problem throws <see cref="CaseCatalogException"/> naming the file and the case.
/// </summary>
public sealed partial class CaseCatalog
{
    /// <summary>Largest seed a case may use: Keras' numpy backend takes seeds as uint32 (larger ones wrap).</summary>
    public const long MaxSeed = uint.MaxValue;

    private static readonly string[] CaseKeys =
        ["id", "initializer", "config", "shape", "dtype", "n", "seeds", "reference", "no_reference", "tags", "why", "source"];

    private readonly Dictionary<string, ConformanceCase> _byId;

    private CaseCatalog(string directory, IReadOnlyList<string> files, List<ConformanceCase> cases)
    {
        Directory = directory;
        Files = files;
        Cases = cases;
        _byId = cases.ToDictionary(c => c.Id, StringComparer.Ordinal);
    }

    /// <summary>The folder the catalog was read from.</summary>
    public string Directory { get; }

    /// <summary>The case files, in load (ordinal name) order.</summary>
    public IReadOnlyList<string> Files { get; }

    /// <summary>Every case, file by file, in file order.</summary>
    public IReadOnlyList<ConformanceCase> Cases { get; }

    public ConformanceCase this[string id] =>
        _byId.TryGetValue(id, out var c) ? c : throw new KeyNotFoundException($"No case '{id}' in the catalog at {Directory}.");

    public bool Contains(string id) => _byId.ContainsKey(id);

    /// <summary>Loads <c>conformance/cases/</c> under a repository root.</summary>
    public static CaseCatalog LoadFromRepository(string repositoryRoot) =>
        Load(Path.Combine(repositoryRoot, "conformance", "cases"));

    /// <summary>Loads and validates every <c>*.json</c> file of <paramref name="directory"/>.</summary>
    public static CaseCatalog Load(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (!System.IO.Directory.Exists(directory))
            throw new CaseCatalogException(directory, null, "case catalog folder not found.");
        var files = System.IO.Directory.GetFiles(directory, "*.json").OrderBy(f => f, StringComparer.Ordinal).ToArray();
        if (files.Length == 0)
            throw new CaseCatalogException(directory, null, "no *.json case files in the catalog folder.");
        var cases = new List<ConformanceCase>();
        var origin = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in files)
            foreach (var c in LoadFile(file))
            {
                if (origin.TryGetValue(c.Id, out var other))
                    throw new CaseCatalogException(file, c.Id, $"duplicate case id (also defined in {other}).");
                origin[c.Id] = file;
                cases.Add(c);
            }
        return new CaseCatalog(directory, files, cases);
    }

    /// <summary>Loads and validates one case file.</summary>
    public static IReadOnlyList<ConformanceCase> LoadFile(string file)
    {
        string text;
        try { text = File.ReadAllText(file); }
        catch (IOException ex) { throw new CaseCatalogException(file, null, $"cannot read the case file ({ex.Message}).", ex); }
        var root = JsonFields.ParseObject(text, m => new CaseCatalogException(file, null, m));
        var doc = new JsonFields(root, m => new CaseCatalogException(file, null, m));
        doc.OnlyKeys(["description", "cases"]);
        doc.String("description");
        var array = doc.Array("cases");
        if (array.Count == 0) throw new CaseCatalogException(file, null, "`cases` is empty.");
        var result = new List<ConformanceCase>(array.Count);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < array.Count; i++)
        {
            var label = $"#{i}";
            if (array[i] is JsonObject o && o["id"] is JsonValue idv && idv.TryGetValue<string>(out var id)) label = id;
            if (array[i] is not JsonObject obj) throw new CaseCatalogException(file, label, "a case must be a JSON object.");
            var c = ParseCase(file, label, obj);
            if (!ids.Add(c.Id)) throw new CaseCatalogException(file, c.Id, "duplicate case id in this file.");
            result.Add(c);
        }
        return result;
    }

    private static ConformanceCase ParseCase(string file, string label, JsonObject obj)
    {
        Exception Fail(string m) => new CaseCatalogException(file, label, m);
        var f = new JsonFields(obj, Fail);
        f.OnlyKeys(CaseKeys);

        var id = f.String("id");
        if (!IdPattern().IsMatch(id)) throw Fail($"id '{id}' must match {IdPattern()} (it names the reference file).");
        var initializerName = f.String("initializer");
        SchemeInfo scheme;
        try { scheme = InitializerRegistry.Find(initializerName); }
        catch (UnknownInitializerException ex) { throw new CaseCatalogException(file, label, $"unknown initializer '{initializerName}'.", ex); }

        var config = f.Obj("config");
        if (config.ContainsKey("seed"))
            throw Fail("`config` must not hold a seed: the seeds of a case come from `seeds`.");
        var dims = f.IntArray("shape", min: 0);
        TensorShape shape;
        try { shape = new TensorShape(dims); }
        catch (InvalidShapeException ex) { throw new CaseCatalogException(file, label, ex.Message, ex); }
        if (shape.Count > int.MaxValue) throw Fail($"shape {shape} is too large for one tensor.");

        var dtypeName = f.String("dtype");
        var dtype = DTypes.TryParse(dtypeName) ?? throw Fail($"`dtype` must be float32 or float64; found '{dtypeName}'.");

        Initializer initializer;
        try
        {
            initializer = InitializerRegistry.Create(initializerName, (JsonObject)config.DeepClone(), WeightInit.Random.SeedSource.Fixed(0));
            initializer.DeriveParameters(shape);
        }
        catch (WeightInitException ex)
        {
            throw new CaseCatalogException(file, label, $"{scheme.ClassName} with config {config.ToJsonString()} on shape {shape} is invalid: {ex.Message}", ex);
        }
        bool random = initializer is RandomInitializer;

        long n = f.Integer("n", min: 0);
        SeedRange? seeds = null;
        if (f.IsNull("seeds"))
        {
            if (random) throw Fail($"{scheme.ClassName} is random: `seeds` must be {{\"first\": S, \"count\": K}}, not null.");
            if (n != shape.Count) throw Fail($"a deterministic case checks its one tensor: `n` must be {shape.Count} (the element count), found {n}.");
        }
        else
        {
            if (!random) throw Fail($"{scheme.ClassName} is deterministic: `seeds` must be null.");
            var s = new JsonFields(f.Obj("seeds"), Fail);
            s.OnlyKeys(["first", "count"]);
            long first = s.Integer("first", 0, MaxSeed);
            int count = (int)s.Integer("count", 1, int.MaxValue);
            if (first + count - 1 > MaxSeed) throw Fail($"seeds {first}..{first + count - 1} go beyond {MaxSeed} (Keras' numpy backend wraps seeds mod 2^32).");
            if (shape.Count == 0)
            {
                if (n != 0) throw Fail($"zero-size shape {shape}: `n` must be 0, found {n}.");
                if (count != 1) throw Fail($"zero-size shape {shape}: `seeds.count` must be 1, found {count}.");
            }
            else
            {
                if (n == 0) throw Fail("`n` must be positive for a random case with a non-empty shape.");
                long needed = (n + shape.Count - 1) / shape.Count;
                if (count != needed)
                    throw Fail($"`seeds.count` must be ceil(n / size) = ceil({n} / {shape.Count}) = {needed}; found {count}.");
            }
            seeds = new SeedRange(first, count);
        }

        var referenceNames = f.StringArray("reference");
        // The catalog spells frameworks by their folder id only ("pytorch", not "torch"), so one case file reads one way.
        var references = referenceNames.Select(r => Framework.All.FirstOrDefault(fw => fw.Id == r)
            ?? throw Fail($"unknown framework '{r}' in `reference` (known: {string.Join(", ", Framework.All.Select(fw => fw.Id))}).")).ToArray();
        if (references.Distinct().Count() != references.Length) throw Fail("`reference` lists a framework twice.");
        var noReference = f.OptionalString("no_reference");
        if (references.Length == 0 && string.IsNullOrWhiteSpace(noReference))
            throw Fail("a case without reference data must say why in `no_reference`.");
        if (references.Length > 0 && noReference is not null)
            throw Fail("`no_reference` is only for cases with an empty `reference` list.");
        if (references.Contains(Framework.Keras) && scheme.Family != "keras")
            throw Fail($"{scheme.ClassName} is not a Keras scheme (family '{scheme.Family}'); it cannot have Keras reference data.");

        var tags = f.Has("tags") ? f.StringArray("tags") : [];
        var why = f.String("why");
        var source = f.OptionalString("source");
        return new ConformanceCase(id, initializerName, (JsonObject)config.DeepClone(), shape, dtype, n, seeds, references, noReference,
            tags, why, source, file);
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._+-]*$")]
    private static partial Regex IdPattern();
}
