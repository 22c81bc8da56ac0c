using System.Globalization;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Python.Runtime;
using WeightInit.IO;
using WeightInit.Python;

namespace WeightInit.Conformance.Regeneration;

/// <summary>Options of <see cref="ReferenceRegenerator.Run"/>.</summary>
/// <param name="Framework"><c>keras</c>, <c>torch</c> (the Python bridge's names; torch data is stored as <c>pytorch</c>) or
/// <c>tfjs</c> (through the Node bridge).</param>
/// <param name="Filter">Only cases whose id contains this text are regenerated; the others keep their previous data.</param>
/// <param name="AllowMixed">Overwrite data produced by another framework version / backend / source commit / numpy.</param>
/// <param name="DryRun">Generate into a temporary folder, report the changes, leave the committed data alone.</param>
/// <param name="Command">The command line recorded in the manifest.</param>
public sealed record RegenerationOptions(string Framework, string? Filter = null, bool AllowMixed = false, bool DryRun = false,
    string Command = "scripts/harness regenerate");

/// <summary>What a regeneration did.</summary>
public sealed record RegenerationResult(
    string Target,
    string? DryRunFolder,
    int Cases,
    long TotalBytes,
    IReadOnlyList<string> Added,
    IReadOnlyList<string> Removed,
    IReadOnlyList<string> Changed,
    int Unchanged,
    JsonObject Provenance);

/// <summary>Refused: the target holds data from another framework version (and --allow-mixed was not given).</summary>
public sealed class MixedVersionsException(string message) : WeightInitException(message);

/// <summary>The framework to regenerate from cannot be reached (TF.js: node or its packages missing); says how to get it.</summary>
public sealed class FrameworkUnavailableException(string framework, string reason, string hint)
    : WeightInitException($"{framework} is not available ({reason}). {hint}")
{
    public string Framework { get; } = framework;
}

/// <summary>
/// Regenerates <c>reference-data/&lt;framework&gt;/&lt;version&gt;/</c> from a live framework through the Python bridge:
/// every catalog case that lists the framework under <c>reference</c> is sampled with
/// <see cref="FrameworkSampler.Sample"/> for the int seeds first, first+1, … (the catalog's seeds rule), a prefix of the
/// concatenated values is stored as a 1-D .npy (the sample policy of reference-data/README.md), and the parameters the
/// framework derived are recorded from its own calls (<see cref="RegenerationPython"/>). The folder is rewritten
/// atomically: a temporary sibling folder is filled and renamed into place, so an interrupted run leaves the old data.
/// This is the project's one regeneration pipeline (the Keras data first made by an oracle script is reproduced byte
/// for byte); the derived parameters come from <c>framework_calls.py</c>, the module the oracle scripts also load.
/// </summary>
public static class ReferenceRegenerator
{
    public const int ValuesPerCase = 1 << 15;
    public const int ValuesPerTinyCase = 1 << 13;
    public const int TinyBelowElements = 16;

    /// <summary>The catalog's name for a framework's reference data (<c>torch</c> → <c>pytorch</c>).</summary>
    public static string DataFramework(string framework) => framework == "torch" ? "pytorch" : framework;

    /// <summary>The version folder: the exact version for Keras; <c>major.minor.x</c> for PyTorch (patch releases share the RNG).</summary>
    public static string VersionFolder(string dataFramework, string version)
    {
        if (dataFramework != "pytorch") return version;
        var parts = version.Split('+')[0].Split('.');
        return parts.Length >= 2 ? $"{parts[0]}.{parts[1]}.x" : version;
    }

    /// <summary>How many tensors to draw and how many values to keep (reference-data/README.md, "What is stored").</summary>
    public static (long? FirstSeed, int Count, long Keep) Plan(ConformanceCase c)
    {
        long size = c.Shape.Count;
        if (c.Seeds is null) return (null, 1, Math.Min(size, ValuesPerCase));
        if (size == 0) return (c.Seeds.First, 1, 0);
        long target = size >= TinyBelowElements ? ValuesPerCase : ValuesPerTinyCase;
        return (c.Seeds.First, (int)((target + size - 1) / size), target);
    }

    /// <summary>The bridge's function and keyword arguments for a catalog case (torch's default Linear/Conv init is kaiming_uniform_(a=√5)).</summary>
    public static (string Name, string ConfigJson) FrameworkCall(string framework, ConformanceCase c) =>
        Sut.LiveFrameworkSut.Call(Framework.Parse(framework), c.Initializer, c.ConfigJson);

    public static RegenerationResult Run(string repositoryRoot, RegenerationOptions options, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(options);
        var framework = options.Framework.Trim().ToLowerInvariant();
        if (framework is not ("keras" or "torch" or "tfjs"))
            throw new InvalidArgumentValueException("framework", $"Invalid framework '{options.Framework}': expected keras, torch or tfjs.");
        var dataFramework = DataFramework(framework);
        var catalog = CaseCatalog.LoadFromRepository(repositoryRoot);
        var cases = catalog.Cases.Where(c => c.HasReference(WeightInit.Conformance.Framework.Parse(dataFramework))).ToList();
        if (cases.Count == 0) throw new InvalidOperationException($"No catalog case lists '{dataFramework}' under `reference`.");

        JsonObject prov;
        Func<ConformanceCase, string, JsonObject> generate;
        string[] keys;
        if (framework == "tfjs")
        {
            // TF.js runs in node, not in Python: its cases go through the Node bridge, one batch request per case.
            var calls = cases.ToDictionary(c => c.Id, TfjsRegeneration.MapOrThrow, StringComparer.Ordinal);
            prov = TfjsRegeneration.Provenance();
            generate = (c, folder) => TfjsRegeneration.GenerateCase(c, calls[c.Id], folder, repositoryRoot);
            keys = ["framework_version", "backend", "backend_version"];
        }
        else
        {
            var info = FrameworkSampler.Probe(framework);
            if (!info.Available) throw new FrameworkImportException(framework, info.Reason ?? "not available", info.InstallHint ?? "");
            var module = LoadHelper();
            prov = (JsonObject)JsonNode.Parse(CallHelper(module, "provenance", framework))!;
            generate = (c, folder) => GenerateCase(module, framework, dataFramework, c, folder, repositoryRoot);
            keys = ["framework_version", "backend", "source_commit", "numpy_version"];
        }
        string version = prov["framework_version"]!.GetValue<string>();
        var target = ReferenceData.FolderOf(repositoryRoot, dataFramework, VersionFolder(dataFramework, version));

        JsonObject? oldManifest = null;
        var oldManifestPath = Path.Combine(target, "manifest.json");
        if (File.Exists(oldManifestPath))
        {
            oldManifest = (JsonObject)JsonNode.Parse(File.ReadAllText(oldManifestPath))!;
            string Mine(string k) => prov[k]?.ToString() ?? "none";
            string Theirs(string k) => oldManifest[k]?.ToString() ?? "none";
            // A source commit that cannot be known here (a pip-installed Keras, a checkout without .git and no
            // HARNESS_KERAS_COMMIT) is not evidence of other data: version, backend and numpy still have to match.
            bool commitUnknown = prov["source_commit"] is null;
            if (commitUnknown && oldManifest["source_commit"] is not null)
                log.WriteLine($"note: the live {dataFramework}'s source commit is unknown (not a git checkout; HARNESS_KERAS_COMMIT unset), " +
                              $"so it is not compared with the data's ({Theirs("source_commit")})");
            var differing = keys.Where(k => Mine(k) != Theirs(k) && !(k == "source_commit" && commitUnknown)).ToList();
            if (differing.Count > 0 && !options.AllowMixed)
                throw new MixedVersionsException($"{target} holds data from {dataFramework} {Theirs("framework_version")} / {Theirs("backend")} / commit {Theirs("source_commit")} / numpy {Theirs("numpy_version")}; " +
                    $"the live framework is {Mine("framework_version")} / {Mine("backend")} / commit {Mine("source_commit")} / numpy {Mine("numpy_version")} " +
                    $"(differs in {string.Join(", ", differing)}). Use --allow-mixed to overwrite.");
        }

        var parent = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(parent);
        // Leftovers of an interrupted run (the committed folder itself was never touched): remove them.
        foreach (var stale in Directory.EnumerateDirectories(parent, $".{Path.GetFileName(target)}.tmp-*"))
        {
            log.WriteLine($"removing the leftover of an interrupted run: {stale}");
            Directory.Delete(stale, recursive: true);
        }
        // A sibling of the target, so the final rename is atomic (same file system); a dry run writes to the temp folder.
        var tmp = Path.Combine(options.DryRun ? Path.GetTempPath() : parent, $".{Path.GetFileName(target)}.tmp-{Guid.NewGuid().ToString("N")[..8]}");
        Directory.CreateDirectory(tmp);
        var oldById = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        if (oldManifest?["cases"] is JsonArray oldCases)
            foreach (var o in oldCases.OfType<JsonObject>()) oldById[o["id"]!.GetValue<string>()] = o;

        bool done = false;
        try
        {
            var entries = new JsonArray();
            foreach (var c in cases)
            {
                if (options.Filter is not null && !c.Id.Contains(options.Filter, StringComparison.Ordinal))
                {
                    if (oldById.TryGetValue(c.Id, out var kept))
                    {
                        File.Copy(Path.Combine(target, kept["file"]!.GetValue<string>()), Path.Combine(tmp, kept["file"]!.GetValue<string>()));
                        entries.Add(kept.DeepClone());
                    }
                    continue;
                }
                var entry = generate(c, tmp);
                entries.Add(entry);
                log.WriteLine($"  {c.Id}: {entry["values"]} values, {entry["bytes"]} bytes");
            }

            var manifest = new JsonObject
            {
                ["schema"] = ReferenceData.Schema,
                ["framework"] = dataFramework,
                ["framework_version"] = version,
                ["backend"] = prov["backend"]!.DeepClone(),
                ["backend_version"] = prov["backend_version"]!.DeepClone(),
                ["numpy_version"] = prov["numpy_version"]?.DeepClone(),
                ["python_version"] = prov["python_version"]?.DeepClone(),
                ["source_repository"] = prov["source_repository"]?.DeepClone(),
                ["source_tag"] = prov["source_tag"]?.DeepClone(),
                ["source_commit"] = prov["source_commit"]?.DeepClone(),
                ["generated_utc"] = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                ["command"] = options.Command,
                ["generator"] = framework == "tfjs" ? TfjsRegeneration.Generator(prov) : Generator(framework, prov),
                ["generator_git_commit"] = GitHead(repositoryRoot),
                ["sample_policy"] = new JsonObject
                {
                    ["values_per_case"] = ValuesPerCase,
                    ["values_per_tiny_case"] = ValuesPerTinyCase,
                    ["tiny_below_elements"] = TinyBelowElements,
                    ["layout"] = "1-D .npy in the case dtype: the tensors for int seeds first, first+1, ..., first+count-1, " +
                                 "each flattened in C order, concatenated, first `values` kept. Deterministic cases: " +
                                 "one unseeded tensor. Zero-size cases: one empty tensor, 0 values.",
                },
                ["cases"] = entries,
            };
            // TF.js' own provenance: the three package versions and node's (the Python frameworks have none of these).
            if (prov["packages"] is JsonObject packages) manifest["packages"] = packages.DeepClone();
            if (prov["node_version"] is JsonNode nodeVersion) manifest["node_version"] = nodeVersion.DeepClone();
            File.WriteAllText(Path.Combine(tmp, "manifest.json"), ToJson(manifest) + "\n");

            // Verify the new folder with the gate's own loader before it replaces anything.
            var verified = ReferenceData.Load(tmp);
            verified.CheckAgainst(catalog);

            var (added, removed, changed, same) = Compare(oldManifest, manifest);
            long total = new DirectoryInfo(tmp).EnumerateFiles().Sum(f => f.Length);
            if (options.DryRun)
            {
                done = true;
                return new RegenerationResult(target, tmp, entries.Count, total, added, removed, changed, same, prov);
            }
            Reports.AtomicFolder.Replace(tmp, target);
            done = true;
            return new RegenerationResult(target, null, entries.Count, total, added, removed, changed, same, prov);
        }
        finally
        {
            if (!done && Directory.Exists(tmp)) Directory.Delete(tmp, recursive: true);
        }
    }

    private static JsonObject GenerateCase(PyObject module, string framework, string dataFramework, ConformanceCase c, string folder, string root)
    {
        var (first, count, keep) = Plan(c);
        var (name, configJson) = FrameworkCall(framework, c);
        var shapeArray = c.Shape.ToArray();
        string metaJson = framework == "keras"
            ? CallHelper(module, "keras_case", name, configJson, shapeArray, c.DType.Name(), first)
            : CallHelper(module, "torch_case", name, configJson, shapeArray, c.DType.Name(), first, c.Initializer);
        var meta = (JsonObject)JsonNode.Parse(metaJson)!;
        string outputDType = meta["output_dtype"]!.GetValue<string>();
        if (outputDType is not ("float32" or "float64"))
            throw new InvalidOperationException($"case {c.Id}: {framework} returned dtype {outputDType}.");

        // The values: tensor j with seed first + j through the bridge, C order, concatenated, first `keep` kept.
        bool asFloat32 = outputDType == "float32";
        var values32 = asFloat32 ? new float[keep] : null;
        var values64 = asFloat32 ? null : new double[keep];
        long filled = 0;
        for (int j = 0; j < count && (filled < keep || j == 0); j++)
        {
            long? seed = first is null ? null : first.Value + j;
            var array = FrameworkSampler.Sample(framework, name, configJson, c.Shape, seed, c.DType.Name());
            // The bridge returns the requested dtype; a framework that computed in float32 (Keras' Orthogonal on the
            // numpy backend) was widened exactly, so narrowing restores its bytes.
            long take = Math.Min(array.Shape.Count, keep - filled);
            if (asFloat32)
            {
                if (array.Single is { } s) s.AsSpan(0, (int)take).CopyTo(values32.AsSpan((int)filled));
                else for (int i = 0; i < take; i++) values32![filled + i] = checked((float)array.Double![i]);
            }
            else
            {
                if (array.Double is { } d) d.AsSpan(0, (int)take).CopyTo(values64.AsSpan((int)filled));
                else throw new InvalidOperationException($"case {c.Id}: the framework returned float64 but the bridge gave float32.");
            }
            filled += take;
        }
        var shape1 = new TensorShape((int)keep);
        var bytes = asFloat32 ? NpyFile.ToBytes(values32, shape1) : NpyFile.ToBytes(values64, shape1);
        var file = c.Id + ".npy";
        File.WriteAllBytes(Path.Combine(folder, file), bytes);

        var keras = framework == "keras";
        var entry = new JsonObject
        {
            ["id"] = c.Id,
            ["catalog_file"] = Path.GetRelativePath(root, c.File).Replace('\\', '/'),
            ["initializer"] = c.Initializer,
            ["config"] = c.Config.DeepClone(),
            ["shape"] = new JsonArray(shapeArray.Select(x => (JsonNode)JsonValue.Create(x)).ToArray()),
            ["dtype"] = c.DType.Name(),
            [keras ? "keras_output_dtype" : "stored_dtype"] = outputDType,
            ["seeds"] = first is null ? null : new JsonObject { ["first"] = first.Value, ["count"] = count },
            ["values"] = keep,
            [keras ? "keras_output_shape" : "output_shape"] = meta["output_shape"]!.DeepClone(),
            [keras ? "keras_serialized" : "serialized"] = meta["serialized"]!.DeepClone(),
            ["derived"] = meta["derived"]!.DeepClone(),
            ["file"] = file,
            ["bytes"] = bytes.LongLength,
            ["sha256"] = Convert.ToHexStringLower(SHA256.HashData(bytes)),
        };
        return entry;
    }

    /// <summary>Cases added, removed, changed (with the fields that changed) and unchanged against the previous manifest.</summary>
    public static (List<string> Added, List<string> Removed, List<string> Changed, int Unchanged) Compare(JsonObject? oldManifest, JsonObject newManifest)
    {
        static Dictionary<string, JsonObject> ById(JsonObject? m) =>
            (m?["cases"] as JsonArray ?? []).OfType<JsonObject>().ToDictionary(o => o["id"]!.GetValue<string>(), StringComparer.Ordinal);
        var a = ById(oldManifest);
        var b = ById(newManifest);
        var added = b.Keys.Except(a.Keys).Order(StringComparer.Ordinal).ToList();
        var removed = a.Keys.Except(b.Keys).Order(StringComparer.Ordinal).ToList();
        var changed = new List<string>();
        int same = 0;
        foreach (var id in a.Keys.Intersect(b.Keys).Order(StringComparer.Ordinal))
        {
            var diffs = new[] { "sha256", "derived", "config", "shape", "dtype", "seeds", "values" }
                .Where(k => !JsonNode.DeepEquals(a[id][k], b[id][k]) && !NumbersEqual(a[id][k], b[id][k])).ToList();
            if (diffs.Count > 0) changed.Add($"{id} ({string.Join(", ", diffs)})");
            else same++;
        }
        return (added, removed, changed, same);
    }

    /// <summary>JSON equality that treats 2 and 2.0 as the same number (Python and .NET spell numbers differently).</summary>
    private static bool NumbersEqual(JsonNode? x, JsonNode? y)
    {
        if (x is null || y is null) return x is null && y is null;
        if (x is JsonObject ox && y is JsonObject oy)
            return ox.Count == oy.Count && ox.All(kv => oy.ContainsKey(kv.Key) && NumbersEqual(kv.Value, oy[kv.Key]));
        if (x is JsonArray ax && y is JsonArray ay)
            return ax.Count == ay.Count && ax.Zip(ay).All(p => NumbersEqual(p.First, p.Second));
        if (x is JsonValue vx && y is JsonValue vy && vx.GetValueKind() == JsonValueKind.Number && vy.GetValueKind() == JsonValueKind.Number)
            return vx.GetValue<double>() == vy.GetValue<double>();
        return JsonNode.DeepEquals(x, y);
    }

    public static string ToJson(JsonNode node) => node.ToJsonString(new JsonSerializerOptions
    {
        WriteIndented = true,
        IndentSize = 1,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    /// <summary>
    /// The manifest's <c>generator</c>: the tool and, instead of a folder of this machine, what a user needs to get the
    /// same framework: how it was found (HARNESS_KERAS_PATH source checkout or installed), backend, and torch's seeding.
    /// </summary>
    internal static string Generator(string framework, JsonObject prov)
    {
        var how = framework == "torch"
            ? $"torch {prov["framework_version"]} installed, seeded by {prov["seeding"]}"
            : $"keras {prov["framework_version"]} " +
              (prov["found_through"]?.ToString() == "HARNESS_KERAS_PATH" ? "source checkout through HARNESS_KERAS_PATH" : "installed") +
              $", {prov["backend"]} backend";
        return $"harness regenerate --framework {framework} (WeightInit.Conformance.Regeneration through the pythonnet bridge: " +
               $"FrameworkSampler.Sample for the values, {RegenerationPython.RepositoryPath} for the derived parameters; {how})";
    }

    private static PyObject? _module;

    private static PyObject LoadHelper() => PythonHost.Run(() =>
    {
        if (_module is not null) return _module;
        try { _module = PyModule.FromString(RegenerationPython.ModuleName, RegenerationPython.Source, RegenerationPython.RepositoryPath); }
        catch (PythonException ex) { throw new InvalidOperationException("The regeneration helper module does not load: " + ex.Format(), ex); }
        return _module;
    });

    private static PyTuple ShapeTuple(int[] dims) => new(dims.Select(d => (PyObject)new PyInt(d)).ToArray());

    private static PyObject ToPython(object? value) => value switch
    {
        null => PyObject.None,
        string s => new PyString(s),
        int[] dims => ShapeTuple(dims),
        long l => new PyInt(l),
        int i => new PyInt(i),
        _ => throw new ArgumentException($"cannot pass {value.GetType().Name} to Python"),
    };

    private static string CallHelper(PyObject module, string function, params object?[] values) => PythonHost.Run(() =>
    {
        try
        {
            var args = values.Select(ToPython).ToArray();
            using var result = module.InvokeMethod(function, args);
            return result.As<string>();
        }
        catch (PythonException ex)
        {
            throw new InvalidOperationException($"{function} failed in Python: {ex.Format()}", ex);
        }
    });

    private static string? GitHead(string root)
    {
        try
        {
            var psi = new System.Diagnostics.ProcessStartInfo("git", ["-C", root, "rev-parse", "HEAD"]) { RedirectStandardOutput = true, RedirectStandardError = true };
            using var p = System.Diagnostics.Process.Start(psi)!;
            var s = p.StandardOutput.ReadToEnd().Trim();
            p.WaitForExit();
            return p.ExitCode == 0 ? s : null;
        }
        catch (Exception) { return null; }
    }
}
