using System.Reflection;
using System.Runtime.ExceptionServices;
using WeightInit.Conformance.Engine;
using WeightInit.Testing;

namespace WeightInit.Conformance.Reports;

/// <summary>What <c>harness check</c> was asked to do.</summary>
/// <param name="RepoRoot">The repository (catalog, golden outputs, default reference data and output folder).</param>
/// <param name="Sut">System under test: <c>csharp</c> (this library), or whatever the SUT resolver knows.</param>
/// <param name="Reference">Reference-data folder; default <c>reference-data/keras/3.15.1</c> under the repository.</param>
/// <param name="Baseline">Drift baseline: an earlier report.json, a reference-data folder, <c>reference</c> (the statistics
/// of the reference samples in use, the default) or <c>none</c>.</param>
/// <param name="Out">Output folder; default <c>artifacts/conformance</c> under the repository.</param>
/// <param name="Thorough">n = 2^22 per case.</param>
/// <param name="Filter">Only cases whose id contains this text.</param>
/// <param name="MaxParallelCases">Cases run concurrently (0: one per processor); values never depend on it.</param>
/// <param name="DriftAlpha">Significance level of a drift move.</param>
public sealed record CheckRequest(
    string RepoRoot,
    string Sut = "csharp",
    string? Reference = null,
    string? Baseline = null,
    string? Out = null,
    bool Thorough = false,
    string? Filter = null,
    int MaxParallelCases = 0,
    double DriftAlpha = DriftAnalysis.DefaultAlpha)
{
    public const string ReferenceBaseline = "reference";
    public const string NoBaseline = "none";

    public string ReferenceFolder => Reference ?? ReferenceData.FolderOf(RepoRoot, "keras", "3.15.1");
    public string OutFolder => Out ?? Path.Combine(RepoRoot, "artifacts", "conformance");
}

/// <summary>The result of <c>harness check</c>: the rendered bundle and the files written.</summary>
public sealed record CheckOutcome(ReportBundle Bundle, string OutFolder, IReadOnlyList<string> Files)
{
    public bool Passed => Bundle.Run.Passed;
    public bool Drifted => Bundle.Drift?.SignificantCount > 0;
}

/// <summary>
/// <c>harness check</c> without the console: validates every input first (SUT, reference data, baseline, output
/// folder) so bad input fails in a second with one message and no report, runs the battery, computes the drift and
/// writes the four reports atomically.
/// </summary>
public static class CheckJob
{
    public const string SutResolverType = "WeightInit.Conformance.Sut.SutResolver";

    /// <summary>
    /// The SUT for a spec. Uses <c>WeightInit.Conformance.Sut.SutResolver.Resolve(spec, repoRoot)</c> when that type
    /// is present in this assembly; otherwise only <c>csharp</c> (this library) is known.
    /// </summary>
    public static IInitializerUnderTest ResolveSut(string spec, string repoRoot)
    {
        if (string.IsNullOrWhiteSpace(spec)) throw new ReportException("--sut is empty (known: csharp).");
        var resolver = typeof(CheckJob).Assembly.GetType(SutResolverType)?
            .GetMethod("Resolve", BindingFlags.Public | BindingFlags.Static, [typeof(string), typeof(string)]);
        if (resolver is not null && typeof(IInitializerUnderTest).IsAssignableFrom(resolver.ReturnType))
        {
            try { return (IInitializerUnderTest)(resolver.Invoke(null, [spec, repoRoot]) ?? throw new ReportException($"unknown SUT '{spec}'.")); }
            catch (TargetInvocationException ex) when (ex.InnerException is not null)
            {
                ExceptionDispatchInfo.Throw(ex.InnerException);
                throw;
            }
        }
        if (spec.Trim().Equals("csharp", StringComparison.OrdinalIgnoreCase)) return new LibraryUnderTest();
        throw new ReportException($"unknown SUT '{spec}' (known: csharp).");
    }

    /// <summary>
    /// The shipped reference data of the catalog's other frameworks (<c>reference-data/&lt;framework&gt;/&lt;version&gt;</c>, the
    /// last version folder in ordinal order), verified and checked against the catalog.
    /// </summary>
    /// <param name="repoRoot">The repository root.</param>
    /// <param name="mainFramework">The framework of the main reference data (not listed again).</param>
    /// <param name="catalog">The case catalog; only frameworks it references are loaded.</param>
    public static IReadOnlyList<(string Framework, ReferenceData Data)> OtherReferences(string repoRoot, string mainFramework, CaseCatalog catalog)
    {
        var list = new List<(string, ReferenceData)>();
        foreach (var framework in CaseCatalog.KnownFrameworks.Where(f => f != mainFramework && catalog.Cases.Any(c => c.HasReference(f))))
        {
            var dir = Path.Combine(repoRoot, "reference-data", framework);
            if (!Directory.Exists(dir)) continue;
            var version = Directory.GetDirectories(dir).Where(d => File.Exists(Path.Combine(d, "manifest.json"))).OrderBy(d => d, StringComparer.Ordinal).LastOrDefault();
            if (version is null) continue;
            var data = ReferenceData.Load(version);
            data.CheckAgainst(catalog);
            list.Add((framework, data));
        }
        return list;
    }

    /// <summary>Runs the battery and writes the four reports (see <see cref="CheckRequest"/>).</summary>
    /// <param name="request">What to run.</param>
    /// <param name="progress">Called after each case with (outcome, cases done, total), serialized.</param>
    /// <param name="started">Called once the inputs are valid, before the first case, with the number of cases.</param>
    public static CheckOutcome Run(CheckRequest request, Action<CaseOutcome, int, int>? progress = null, Action<int>? started = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        // 1. Validate every input before the long run.
        var sut = ResolveSut(request.Sut, request.RepoRoot);
        try
        {
            var catalog = CaseCatalog.LoadFromRepository(request.RepoRoot);
            string refFolder = request.ReferenceFolder;
            if (!Directory.Exists(refFolder)) throw new ReportException($"{refFolder}: reference-data folder not found.");
            var reference = ReferenceData.Load(refFolder);
            reference.CheckAgainst(catalog);
            var goldenPath = GoldenOutputs.DefaultPath(request.RepoRoot);
            var golden = sut is LibraryUnderTest && File.Exists(goldenPath) ? GoldenOutputs.Load(goldenPath) : null;

            FigureSet? baseline = null;
            string baselineSpec = request.Baseline ?? CheckRequest.ReferenceBaseline;
            bool referenceBaseline = baselineSpec.Equals(CheckRequest.ReferenceBaseline, StringComparison.OrdinalIgnoreCase);
            bool noBaseline = baselineSpec.Equals(CheckRequest.NoBaseline, StringComparison.OrdinalIgnoreCase);
            if (!referenceBaseline && !noBaseline) baseline = DriftAnalysis.Load(baselineSpec, catalog);
            ReportWriter.EnsureWritable(request.OutFolder);

            // As the gate: by default the cases of another framework (e.g. "pytorch") run against that framework's
            // shipped reference data; an explicit --reference is used for every case.
            var others = request.Reference is null ? OtherReferences(request.RepoRoot, reference.Manifest.Framework, catalog) : [];

            // 2. Run.
            var runner = new ConformanceRunner(catalog, reference, sut, golden);
            var otherRunners = others.Select(o => (o.Framework, Runner: new ConformanceRunner(catalog, o.Data, sut, golden))).ToList();
            ConformanceRunner RunnerFor(ConformanceCase c) => otherRunners.FirstOrDefault(o => c.HasReference(o.Framework)).Runner ?? runner;
            var options = new RunOptions(request.Thorough, request.Filter, null,
                request.MaxParallelCases > 0 ? request.MaxParallelCases : Environment.ProcessorCount, WithPlots: true);
            var cases = runner.Cases(options).ToArray();
            int total = cases.Length, done = 0;
            if (total == 0) throw new ReportException($"no case matches the filter '{request.Filter}'.");
            started?.Invoke(total);
            var gate = new object();
            // Environment and provenance from the runner (a run of no case), then the cases, each with its runner.
            var template = runner.Run(options with { Filter = "\0no case\0" });
            var startedUtc = DateTimeOffset.UtcNow;
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var outcomes = new CaseOutcome[total];
            Parallel.For(0, total, new ParallelOptions { MaxDegreeOfParallelism = options.MaxParallelCases }, i =>
            {
                outcomes[i] = RunnerFor(cases[i]).RunCase(cases[i], options);
                if (progress is null) return;
                lock (gate) progress(outcomes[i], ++done, total);
            });
            var provenance = new Dictionary<string, string>(template.ReferenceProvenance);
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (framework, data) in others)
            {
                var m = data.Manifest;
                provenance[$"{framework}.framework_version"] = m.FrameworkVersion;
                provenance[$"{framework}.backend"] = $"{m.Backend} {m.BackendVersion}";
                provenance[$"{framework}.generated_utc"] = m.GeneratedUtc;
                provenance[$"{framework}.folder"] = data.Directory;
                foreach (var c in cases.Where(c => RunnerFor(c) != runner && c.HasReference(framework)))
                    labels.TryAdd(c.Id, $"{m.Framework} {m.FrameworkVersion}");
            }
            var run = template with { StartedUtc = startedUtc, Duration = watch.Elapsed, ReferenceProvenance = provenance, Cases = outcomes };

            // 3. Drift and reports.
            DriftReport? drift = null;
            if (!noBaseline)
            {
                var current = DriftAnalysis.FromRun(run, catalog, $"{run.Sut} (this run)");
                baseline ??= DriftAnalysis.FromRunReference(run, catalog);
                if (request.Filter is not null)
                    baseline = baseline with { Cases = baseline.Cases.Where(kv => current.Cases.ContainsKey(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value) };
                drift = DriftAnalysis.Compare(baseline, current, request.DriftAlpha);
            }
            var bundle = ReportBundle.Create(run, catalog, drift, request.Thorough, request.Filter, labels);
            var files = ReportWriter.WriteAll(bundle, request.OutFolder);
            return new CheckOutcome(bundle, Path.GetFullPath(request.OutFolder), files);
        }
        finally
        {
            (sut as IDisposable)?.Dispose();
        }
    }
}
