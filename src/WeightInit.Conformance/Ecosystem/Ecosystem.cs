using System.Globalization;
using WeightInit.Conformance.Checks;
using WeightInit.Conformance.Engine;
using WeightInit.Conformance.Expectations;
using WeightInit.Conformance.Sut;
using WeightInit.Testing;

namespace WeightInit.Conformance.Ecosystem;

/// <summary>What kind of implementation a column is.</summary>
public enum ColumnKind { Library, LiveFramework, StoredData }

/// <summary>
/// One column of the ecosystem table: an implementation and how to reach it. <see cref="Open"/> throws
/// <see cref="SutResolutionException"/> (or <see cref="WeightInitException"/>) when it cannot be reached; the column then
/// stays in the table with that reason.
/// </summary>
/// <param name="Id">Short id (<c>csharp</c>, <c>keras</c>, <c>stored-keras</c>) used in file names and JSON.</param>
/// <param name="Label">Column heading.</param>
/// <param name="Kind">Library, live framework or stored data.</param>
/// <param name="Open">Reaches the implementation.</param>
public sealed record EcosystemColumn(string Id, string Label, ColumnKind Kind, Func<IInitializerUnderTest> Open);

/// <summary>What <c>harness ecosystem</c> was asked to do.</summary>
/// <param name="RepoRoot">The repository (catalog, reference data, golden outputs, expectations).</param>
/// <param name="Thorough">n = 2^22 per case for the library and the live frameworks (stored data is always n = stored).</param>
/// <param name="Filter">Only cases whose id contains this text.</param>
/// <param name="SlowOrthogonalN">
/// The sample size of orthogonal cases on implementations whose Orthogonal is slow (TF.js: one QR per matrix in
/// JavaScript, about 190 s for the four catalog cases at n = 2^18); 0 keeps the catalog's n. The cell says when it applies.
/// </param>
/// <param name="MaxParallelCases">Cases of one column run concurrently (values never depend on it).</param>
public sealed record EcosystemRequest(string RepoRoot, bool Thorough = false, string? Filter = null, long SlowOrthogonalN = EcosystemRequest.DefaultSlowOrthogonalN,
    int MaxParallelCases = 0)
{
    /// <summary>2^14 values: 8 matrices of 64×32, enough for the orthonormality check and a coarse Haar KS, in about 12 s on TF.js.</summary>
    public const long DefaultSlowOrthogonalN = 1L << 14;
}

/// <summary>One cell: one case on one implementation.</summary>
/// <param name="Column">Column id.</param>
/// <param name="CaseId">Case id.</param>
/// <param name="Status">pass, suspect, fail, error, n/a, absent, or "not covered" (the implementation has no such case).</param>
/// <param name="Expectation">For failures with an expectations file: expected, new or fixed upstream?; null otherwise.</param>
/// <param name="N">Values checked.</param>
/// <param name="SampleNote">How n was chosen when not the catalog's: "n = stored", "reduced for TF.js Orthogonal".</param>
/// <param name="VarianceRatio">Observed / Keras-law variance.</param>
/// <param name="Support">The support check's observation (values outside the support, on the bounds).</param>
/// <param name="KsD">One-sample KS distance against the law.</param>
/// <param name="KsP">Its p-value.</param>
/// <param name="Diagnosis">Why it did not pass, in domain words (the failing checks' messages), or the n/a / absent reason.</param>
/// <param name="FailedChecks">The failing checks' names.</param>
public sealed record EcosystemCell(string Column, string CaseId, string Status, string? Expectation, long N, string? SampleNote,
    double? VarianceRatio, string? Support, double? KsD, double? KsP, string? Diagnosis, IReadOnlyList<string> FailedChecks)
{
    /// <summary>The one most telling failure message (variance, then support, max|x|, orthonormality, KS, the rest): the finding's sentence.</summary>
    public string? Lead { get; init; }
}

/// <summary>A row: one catalog case, under the source article's scheme it belongs to.</summary>
public sealed record EcosystemRow(string Scheme, string CaseId, string Initializer, string Shape, string DType, string Law, IReadOnlyList<EcosystemCell> Cells);

/// <summary>A column's header facts: whether it was reached, why not, and its run.</summary>
/// <param name="Id">Column id.</param>
/// <param name="Label">Heading.</param>
/// <param name="Kind">library / live / stored.</param>
/// <param name="Absent">Why the implementation could not be reached (null when it ran).</param>
/// <param name="Seconds">Wall time of its run.</param>
/// <param name="Cases">Cases run.</param>
/// <param name="Expectations">The expectations file used to sort its failures (repository-relative), if any.</param>
public sealed record EcosystemColumnInfo(string Id, string Label, string Kind, string? Absent, double Seconds, int Cases, string? Expectations);

/// <summary>A divergence: one failing cell, with its sentence, figures and plot against the Keras law.</summary>
public sealed record EcosystemFinding(string Column, string ColumnLabel, string CaseId, string Scheme, string Sentence, string Evidence, string? Expectation, PlotData? Plot)
{
    /// <summary>The law the picture compares against: "Keras law", or "torch.nn.init law" for the PyTorch cases.</summary>
    public string LawName { get; init; } = "Keras law";
}

/// <summary>The whole table.</summary>
public sealed record EcosystemReport(string GeneratedUtc, double Seconds, bool Thorough, string? Filter, long SlowOrthogonalN,
    IReadOnlyList<EcosystemColumnInfo> Columns, IReadOnlyList<EcosystemRow> Rows, IReadOnlyList<EcosystemFinding> Findings);

/// <summary>
/// <c>harness ecosystem</c>: the conformance battery (the gate's checks, docs/statistics.md) on every implementation that
/// can be reached (this library, live Keras 3, live PyTorch, live TF.js, and each framework's stored reference data),
/// laid out as one table whose rows are the source article's schemes and the catalog's cases. Every implementation is
/// judged against the same law, the library's derivation of the case, which equals Keras' bit for bit
/// (docs/keras-semantics.md); a live framework is measured, not trusted.
/// </summary>
public static class EcosystemRun
{
    /// <summary>
    /// The standard columns: this library, live Keras, live PyTorch, live TF.js (resolved through <paramref name="suts"/>,
    /// whose resolution error is the "absent" reason), then one per framework's shipped stored data.
    /// </summary>
    public static IReadOnlyList<EcosystemColumn> StandardColumns(SutRegistry suts, string repoRoot, CaseCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(suts);
        var list = new List<EcosystemColumn>
        {
            new("csharp", "this library (C#)", ColumnKind.Library, () => suts.Resolve("csharp", repoRoot)),
            new("keras", $"Keras {Framework.Keras.ShippedVersion} (live)", ColumnKind.LiveFramework, () => suts.Resolve("keras", repoRoot)),
            new("torch", "PyTorch (live)", ColumnKind.LiveFramework, () => suts.Resolve("torch", repoRoot)),
            new("tfjs", "TF.js (live)", ColumnKind.LiveFramework, () => suts.Resolve("tfjs", repoRoot)),
        };
        foreach (var f in Framework.All) list.Add(StoredColumn(repoRoot, catalog, f));
        return list;
    }

    /// <summary>The column replaying <paramref name="framework"/>'s shipped reference data.</summary>
    public static EcosystemColumn StoredColumn(string repoRoot, CaseCatalog catalog, Framework framework) =>
        new($"stored-{framework.Id}", $"{framework.DisplayName} {framework.ShippedVersion} (stored data)", ColumnKind.StoredData, () =>
        {
            var folder = ReferenceData.ShippedFolderOf(repoRoot, framework);
            if (!Directory.Exists(folder))
                throw new SutResolutionException($"no stored data: reference-data/{framework.Id}/{framework.ShippedVersion} is not in this checkout.");
            var data = ReferenceData.Load(folder);
            data.CheckAgainst(catalog);
            return new StoredDataSut(data, catalog, framework);
        });

    /// <summary>The source article's scheme a case belongs to (the table's row groups), restated in our words.</summary>
    public static string SchemeOf(ConformanceCase c)
    {
        ArgumentNullException.ThrowIfNull(c);
        return c.Initializer switch
        {
            "GlorotNormal" or "xavier_normal_" => "Xavier/Glorot normal: σ² = 2/(fan_in + fan_out)",
            "GlorotUniform" or "xavier_uniform_" or "Tf1Xavier" => "Xavier/Glorot uniform: limit = √(6/(fan_in + fan_out))",
            "HeNormal" or "kaiming_normal_" or "Msra" => "He (MSRA) normal: σ² = 2/fan_in",
            "HeUniform" or "kaiming_uniform_" or "default_linear_" => "He uniform: limit = √(6/fan_in)",
            "LecunNormal" or "LecunUniform" or "CaffeXavier" => "LeCun: σ² = 1/fan_in",
            "NumpyArticleXavier" or "NumpyArticleGlorot" => "The article's numpy snippets: randn · √(1/n) and randn · √(2/(n_in + n_out))",
            "VarianceScaling" or "Tf1VarianceScaling" => "Variance scaling, the general form: σ² = scale/fan",
            _ => "Other catalog cases (random normal/uniform, orthogonal, constants)",
        };
    }

    private static readonly string[] SchemeOrder =
    [
        "Xavier/Glorot normal", "Xavier/Glorot uniform", "He (MSRA) normal", "He uniform", "LeCun", "The article's numpy", "Variance scaling", "Other",
    ];

    /// <summary>Runs every column and builds the table.</summary>
    /// <param name="request">What to run.</param>
    /// <param name="columns">The implementations (see <see cref="StandardColumns"/>).</param>
    /// <param name="log">Called with (column label, message) when a column is absent or finished.</param>
    /// <param name="progress">Called after each case with (column, outcome, cases done in the column, its total), serialized.</param>
    public static EcosystemReport Run(EcosystemRequest request, IReadOnlyList<EcosystemColumn> columns, Action<string, string>? log = null,
        Action<EcosystemColumn, CaseOutcome, int, int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(columns);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var catalog = CaseCatalog.LoadFromRepository(request.RepoRoot);
        var references = ReferenceStore.Shipped(request.RepoRoot, catalog);
        var goldenPath = GoldenOutputs.DefaultPath(request.RepoRoot);
        var golden = File.Exists(goldenPath) ? GoldenOutputs.Load(goldenPath) : null;
        var filtered = catalog.Cases.Where(c => request.Filter is null || c.Id.Contains(request.Filter, StringComparison.OrdinalIgnoreCase)).ToArray();
        if (filtered.Length == 0) throw new Reports.ReportException($"no case matches the filter '{request.Filter}'.");

        var infos = new List<EcosystemColumnInfo>();
        var cells = new Dictionary<(string Column, string Case), EcosystemCell>();
        var plots = new Dictionary<(string Column, string Case), PlotData?>();
        foreach (var column in columns)
        {
            var colWatch = System.Diagnostics.Stopwatch.StartNew();
            IInitializerUnderTest sut;
            try { sut = column.Open(); }
            catch (WeightInitException ex)
            {
                string reason = ex.Message.Split('\n')[0];
                log?.Invoke(column.Label, $"absent: {reason}");
                infos.Add(new(column.Id, column.Label, KindText(column.Kind), reason, 0, 0, null));
                foreach (var c in filtered) cells[(column.Id, c.Id)] = Cell(column.Id, c.Id, "absent", reason);
                continue;
            }
            try
            {
                var (run, notes) = RunColumn(request, column, sut, catalog, references, golden, progress);
                var expectations = column.Kind == ColumnKind.LiveFramework ? ExpectationsFile.ForSut(request.RepoRoot, sut.Name) : null;
                var sorted = expectations is null ? null : ExpectationReport.Sort(run, expectations);
                infos.Add(new(column.Id, column.Label, KindText(column.Kind), null, colWatch.Elapsed.TotalSeconds, run.Cases.Count,
                    expectations is null ? null : Path.GetRelativePath(request.RepoRoot, expectations.Path).Replace('\\', '/')));
                var byCase = run.Cases.ToDictionary(c => c.CaseId);
                foreach (var c in filtered)
                {
                    if (!byCase.TryGetValue(c.Id, out var outcome))
                    {
                        cells[(column.Id, c.Id)] = Cell(column.Id, c.Id, "not covered", null);
                        continue;
                    }
                    cells[(column.Id, c.Id)] = CellOf(column.Id, outcome, notes.GetValueOrDefault(c.Id), sorted);
                    plots[(column.Id, c.Id)] = outcome.Plot;
                }
                log?.Invoke(column.Label, $"{run.Cases.Count} cases in {colWatch.Elapsed.TotalSeconds:F1} s");
            }
            finally { (sut as IDisposable)?.Dispose(); }
        }

        var rows = filtered
            .Select((c, i) => (c, i, scheme: SchemeOf(c)))
            .OrderBy(t => Array.FindIndex(SchemeOrder, s => t.scheme.StartsWith(s, StringComparison.Ordinal)))
            .ThenBy(t => t.i)
            .Select(t => new EcosystemRow(t.scheme, t.c.Id, t.c.Initializer, t.c.Shape.ToString(), t.c.DType.Name(),
                TheoreticalLaw.Describe(t.c.CreateInitializer().DeriveParameters(t.c.Shape).Distribution),
                columns.Select(col => cells[(col.Id, t.c.Id)]).ToArray()))
            .ToArray();

        var findings = new List<EcosystemFinding>();
        foreach (var row in rows)
            foreach (var cell in row.Cells.Where(x => x.Status is "fail" or "error"))
            {
                var info = infos.First(i => i.Id == cell.Column);
                var c = filtered.First(x => x.Id == row.CaseId);
                string lawName = c.HasReference(Framework.PyTorch) ? "torch.nn.init law" : "Keras law";
                findings.Add(new(cell.Column, info.Label, row.CaseId, row.Scheme,
                    $"{info.Label} diverges from the {lawName} on {row.CaseId} ({row.Law}): {cell.Lead ?? cell.Diagnosis}",
                    Evidence(cell), cell.Expectation, plots.GetValueOrDefault((cell.Column, row.CaseId))) { LawName = lawName });
            }
        return new EcosystemReport(DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture), watch.Elapsed.TotalSeconds,
            request.Thorough, request.Filter, request.SlowOrthogonalN, infos, rows, findings);
    }

    private static string KindText(ColumnKind k) => k switch { ColumnKind.Library => "library", ColumnKind.LiveFramework => "live", _ => "stored" };

    /// <summary>
    /// One column's run: the runner's own case selection (every case for the library, a framework's cases for a
    /// framework), each case with its own sample size where the column needs one (stored data: n = stored; TF.js
    /// orthogonal: the reduced n), notes saying so.
    /// </summary>
    private static (RunReport Run, Dictionary<string, string> Notes) RunColumn(EcosystemRequest request, EcosystemColumn column, IInitializerUnderTest sut,
        CaseCatalog catalog, ReferenceStore shipped, GoldenOutputs? golden, Action<EcosystemColumn, CaseOutcome, int, int>? progress)
    {
        var stored = sut as StoredDataSut;
        // Stored data is checked against the law alone: comparing it with itself (the two-sample KS) would say nothing.
        var runner = new ConformanceRunner(catalog, stored is null ? shipped : ReferenceStore.None, sut, sut is LibraryUnderTest ? golden : null);
        var baseOptions = new RunOptions(request.Thorough, request.Filter, null, 1, WithPlots: true);
        var cases = runner.Cases(baseOptions).Where(c => stored is null || stored.Holds(c.Id)).ToArray();
        var notes = new Dictionary<string, string>();
        var outcomes = new CaseOutcome[cases.Length];
        int done = 0;
        var gate = new object();
        var started = DateTimeOffset.UtcNow;
        var watch = System.Diagnostics.Stopwatch.StartNew();
        int parallel = request.MaxParallelCases > 0 ? request.MaxParallelCases : Environment.ProcessorCount;
        Parallel.For(0, cases.Length, new ParallelOptions { MaxDegreeOfParallelism = parallel }, i =>
        {
            var c = cases[i];
            bool orthogonal = c.CreateInitializer().DeriveParameters(c.Shape).Distribution is OrthogonalElements;
            var options = baseOptions;
            string? note = null;
            CaseOutcome outcome;
            if (stored is not null)
            {
                long n = stored.SampleSizeFor(c, wholeTensors: orthogonal);
                note = c.IsDeterministic ? "n = stored (the whole tensor)" : $"n = stored ({n} values{(orthogonal ? ", whole matrices only" : "")})";
                if (c.IsDeterministic && n < c.Shape.Count)
                {
                    // The runner checks a deterministic case's whole tensor; the data stores only its first n values
                    // (a 3x3x64x128 Constant keeps 32768 of 73728), so the exact-values check runs on that prefix.
                    note = $"n = stored ({n} of the tensor's {c.Shape.Count} values)";
                    var law = c.CreateInitializer().DeriveParameters(c.Shape).Distribution;
                    var values = (stored.Sample(c.Initializer, c.ConfigJson, c.Shape.ToArray(), 0, c.DType.Name()) switch
                    {
                        float[] f => Array.ConvertAll(f, x => (double)x),
                        double[] d => d,
                        var other => throw new InvalidOperationException($"unexpected {other.GetType().Name}"),
                    })[..(int)n];
                    var exact = Battery.Exact(c.Id, law, values, c.DType == DType.Float32);
                    outcome = new CaseOutcome(c.Id, c.Id, c.Initializer, c.ConfigJson, c.Shape.ToArray(), c.DType, TheoreticalLaw.Describe(law), n, [exact],
                        new CaseStatistics(null, null, null, n), null, null);
                }
                else if (n == 0 && c.Shape.Count > 0)
                    outcome = NotApplicable(c, $"the stored data holds less than one whole {c.Shape} matrix; the orthogonal checks need whole matrices");
                else
                {
                    outcome = runner.RunCase(c, options with { SampleSize = n });
                    // The seed checks compare whole tensors of two seeds; stored data holds one draw per seed, so they test nothing here.
                    outcome = outcome with { Checks = outcome.Checks.Where(r => r.Check != CheckId.SameSeed && r.Check != CheckId.NewSeed).ToArray() };
                }
            }
            else
            {
                if (orthogonal && column.Id == "tfjs" && request.SlowOrthogonalN > 0 && !c.IsDeterministic && request.SlowOrthogonalN < ConformanceRunner.Draws(c, options).N)
                {
                    options = options with { SampleSize = request.SlowOrthogonalN };
                    note = $"n = {request.SlowOrthogonalN} (reduced from {ConformanceRunner.Draws(c, baseOptions).N}: TF.js Orthogonal is slow; --tfjs-orthogonal-n)";
                }
                outcome = runner.RunCase(c, options);
            }
            outcomes[i] = outcome;
            lock (gate)
            {
                if (note is not null) notes[c.Id] = note;
                progress?.Invoke(column, outcome, ++done, cases.Length);
            }
        });
        var run = new RunReport(started, watch.Elapsed, sut.Name, new Dictionary<string, string>(), shipped.Provenance(), GateThresholds.Default, outcomes);
        return (run, notes);
    }

    private static CaseOutcome NotApplicable(ConformanceCase c, string reason) =>
        new(c.Id, c.Id, c.Initializer, c.ConfigJson, c.Shape.ToArray(), c.DType, "", 0, [], new CaseStatistics(null, null, null, 0), null, null) { NotApplicable = reason };

    private static EcosystemCell Cell(string column, string caseId, string status, string? reason) =>
        new(column, caseId, status, null, 0, null, null, null, null, null, reason, []);

    /// <summary>A cell from a case outcome: its verdict, the figures (variance ratio, support, KS D and p) and the diagnosis.</summary>
    public static EcosystemCell CellOf(string column, CaseOutcome o, string? note, ExpectationReport? sorted)
    {
        ArgumentNullException.ThrowIfNull(o);
        string status = o.Error is not null ? "error" : o.NotApplicable is not null ? "n/a" : o.Failed ? "fail" : o.Suspect ? "suspect" : "pass";
        var failed = o.Checks.Where(r => r.Verdict == Verdict.Fail).ToArray();
        string? expectation = null;
        if (sorted is not null)
        {
            var mine = sorted.Items.Where(i => i.CaseId == o.CaseId).ToArray();
            if (mine.Any(i => i.Kind == FailureKind.New)) expectation = "new";
            else if (mine.Any(i => i.Kind == FailureKind.Expected)) expectation = "expected";
            else if (mine.Any(i => i.Kind == FailureKind.FixedUpstream)) expectation = "fixed upstream?";
        }
        string? diagnosis = o.Error ?? o.NotApplicable;
        if (diagnosis is null && failed.Length > 0)
            diagnosis = string.Join("; ", failed.Select(r => $"{r.Check}: {r.Message}").Distinct().Take(3)) + (failed.Length > 3 ? $"; and {failed.Length - 3} more failing check(s)" : "");
        if (diagnosis is null && o.Suspect)
            diagnosis = string.Join("; ", o.Checks.Where(r => r.Verdict == Verdict.Suspect).Select(r => $"{r.Check}: {r.Message}").Take(2));
        var support = o.Checks.FirstOrDefault(r => r.Check == CheckId.Support) ?? o.Checks.FirstOrDefault(r => r.Check == CheckId.Orthonormal);
        var ks = o.Checks.FirstOrDefault(r => r.Check == CheckId.Ks) ?? o.Checks.FirstOrDefault(r => r.Check == CheckId.HaarKs);
        CheckId[] priority = [CheckId.Parameters, CheckId.Variance, CheckId.Support, CheckId.MaxAbs, CheckId.Orthonormal, CheckId.Mean, CheckId.Ks, CheckId.HaarKs, CheckId.Exact];
        var lead = failed.OrderBy(r => Array.IndexOf(priority, r.Check) is var k && k < 0 ? priority.Length : k).FirstOrDefault();
        return new(column, o.CaseId, status, expectation, o.N, note, o.Statistics.VarianceRatio, support?.Observed, ks?.Statistic, ks?.PValue,
            diagnosis, failed.Select(r => r.Check.ToString()).Distinct().ToArray())
        {
            Lead = lead is null ? o.Error : $"{lead.Check}: {lead.Message}",
        };
    }

    /// <summary>A cell's figures as one line: "n = 262144; variance ratio 0.7737; support: 0 outside; KS D = 0.012 (p = 3e-30)".</summary>
    public static string Evidence(EcosystemCell c)
    {
        ArgumentNullException.ThrowIfNull(c);
        var parts = new List<string> { $"n = {c.N.ToString(CultureInfo.InvariantCulture)}{(c.SampleNote is null ? "" : $" ({c.SampleNote})")}" };
        if (c.VarianceRatio is double v) parts.Add($"variance ratio {Reports.Fmt.G(v)}");
        if (c.Support is not null) parts.Add($"support: {c.Support}");
        if (c.KsD is double d) parts.Add($"KS D = {Reports.Fmt.G(d)} (p = {Reports.Fmt.P(c.KsP)})");
        if (c.FailedChecks.Count > 0) parts.Add($"failing: {string.Join(", ", c.FailedChecks)}");
        return string.Join("; ", parts);
    }
}
