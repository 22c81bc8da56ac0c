using WeightInit.Conformance.Engine;
using WeightInit.Conformance.Expectations;
using WeightInit.Conformance.Sut;
using WeightInit.Testing;

namespace WeightInit.Conformance.Reports;

/// <summary>What <c>harness check</c> was asked to do.</summary>
/// <param name="RepoRoot">The repository (catalog, golden outputs, default reference data and output folder).</param>
/// <param name="Sut">System under test: <c>csharp</c> (this library), or whatever the SUT resolver knows.</param>
/// <param name="Reference">A reference-data folder used for every case; default: each framework's shipped data (<see cref="ReferenceStore"/>).</param>
/// <param name="Baseline">Drift baseline: an earlier report.json, a reference-data folder, <c>reference</c> (the statistics
/// of the reference samples in use, the default) or <c>none</c>.</param>
/// <param name="Out">Output folder; default <c>artifacts/conformance</c> under the repository.</param>
/// <param name="Thorough">n = 2^22 per case.</param>
/// <param name="Filter">Only cases whose id contains this text.</param>
/// <param name="MaxParallelCases">Cases run concurrently (0: one per processor); values never depend on it.</param>
/// <param name="DriftAlpha">Significance level of a drift move.</param>
/// <param name="Expectations">The SUT's known divergences: a file, <c>none</c>, or null for <c>conformance/expectations/&lt;sut&gt;.json</c> when present.</param>
/// <param name="Strict">Also fail when a listed divergence now passes (fixed upstream?).</param>
/// <param name="Catalog">A case-catalog folder (default: the repository's or package's <c>conformance/cases</c>).</param>
/// <param name="Shard">Only this shard of the cases (<c>--shard i/N</c>); <c>harness merge</c> joins the shards' reports.</param>
public sealed record CheckRequest(
    string RepoRoot,
    string Sut = "csharp",
    string? Reference = null,
    string? Baseline = null,
    string? Out = null,
    bool Thorough = false,
    string? Filter = null,
    int MaxParallelCases = 0,
    double DriftAlpha = DriftAnalysis.DefaultAlpha,
    string? Expectations = null,
    bool Strict = false,
    string? Catalog = null,
    ShardSpec? Shard = null)
{
    /// <summary>The case-catalog folder in use.</summary>
    public string CatalogFolder => Catalog ?? Path.Combine(RepoRoot, "conformance", "cases");

    public const string ReferenceBaseline = "reference";
    public const string NoBaseline = "none";

    /// <summary>The main reference folder: the override, or the shipped Keras data.</summary>
    public string ReferenceFolder => Reference ?? ReferenceData.ShippedFolderOf(RepoRoot, Framework.Keras);
    public string OutFolder => Out ?? Path.Combine(RepoRoot, "artifacts", "conformance");
}

/// <summary>The result of <c>harness check</c>: the rendered bundle and the files written.</summary>
public sealed record CheckOutcome(ReportBundle Bundle, string OutFolder, IReadOnlyList<string> Files)
{
    public bool Passed => Bundle.Passed;
    public bool Drifted => Bundle.Drift?.SignificantCount > 0;
}

/// <summary>
/// <c>harness check</c> without the console: validates every input first (SUT, reference data, baseline, output
/// folder) so bad input fails in a second with one message and no report, runs the battery, computes the drift and
/// writes the four reports atomically.
/// </summary>
public static class CheckJob
{
    /// <summary>Runs the battery and writes the four reports (see <see cref="CheckRequest"/>).</summary>
    /// <param name="suts">The SUT kinds <see cref="CheckRequest.Sut"/> may name.</param>
    /// <param name="request">What to run.</param>
    /// <param name="progress">Called after each case with (outcome, cases done, total), serialized.</param>
    /// <param name="started">Called once the inputs are valid, before the first case, with the number of cases.</param>
    public static CheckOutcome Run(SutRegistry suts, CheckRequest request, Action<CaseOutcome, int, int>? progress = null, Action<int>? started = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(suts);
        // 1. Validate every input before the long run.
        var sut = suts.Resolve(request.Sut, request.RepoRoot);
        try
        {
            if (!Directory.Exists(request.CatalogFolder))
                throw new CaseCatalogException(request.CatalogFolder, null, "case-catalog folder not found.");
            var catalog = CaseCatalog.Load(request.CatalogFolder);
            // As the gate: by default each framework's cases run against that framework's shipped reference data; an
            // explicit --reference is used for every case.
            var references = ReferenceStore.Open(request.RepoRoot, catalog, request.Reference);
            var goldenPath = GoldenOutputs.DefaultPath(request.RepoRoot);
            var golden = sut is LibraryUnderTest && File.Exists(goldenPath) ? GoldenOutputs.Load(goldenPath) : null;

            FigureSet? baseline = null;
            string baselineSpec = request.Baseline ?? CheckRequest.ReferenceBaseline;
            bool referenceBaseline = baselineSpec.Equals(CheckRequest.ReferenceBaseline, StringComparison.OrdinalIgnoreCase);
            bool noBaseline = baselineSpec.Equals(CheckRequest.NoBaseline, StringComparison.OrdinalIgnoreCase);
            if (!referenceBaseline && !noBaseline) baseline = DriftAnalysis.Load(baselineSpec, catalog);
            var expectations = request.Expectations switch
            {
                null => ExpectationsFile.ForSut(request.RepoRoot, sut.Name),
                var none when none.Equals(CheckRequest.NoBaseline, StringComparison.OrdinalIgnoreCase) => null,
                var file => File.Exists(file) ? ExpectationsFile.Load(file) : throw new ReportException($"{file}: expectations file not found."),
            };
            ReportWriter.EnsureWritable(request.OutFolder);

            // 2. Run.
            var runner = new ConformanceRunner(catalog, references, sut, golden);
            var options = new RunOptions(request.Thorough, request.Filter, null,
                request.MaxParallelCases > 0 ? request.MaxParallelCases : Environment.ProcessorCount, WithPlots: true) { Shard = request.Shard };
            int total = runner.Cases(options).Count();
            if (total == 0 && request.Shard is null) throw new ReportException($"no case matches the filter '{request.Filter}'.");
            started?.Invoke(total);
            var run = runner.Run(options, progress);

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
            var bundle = ReportBundle.Create(run, catalog, drift, request.Thorough, request.Filter) with
            {
                Expectations = expectations is null ? null : ExpectationReport.Sort(run, expectations),
                Strict = request.Strict,
                Shard = request.Shard,
                CatalogFingerprint = Engine.CatalogFingerprint.Of(request.CatalogFolder),
            };
            var files = ReportWriter.WriteAll(bundle, request.OutFolder);
            return new CheckOutcome(bundle, Path.GetFullPath(request.OutFolder), files);
        }
        finally
        {
            (sut as IDisposable)?.Dispose();
        }
    }
}
