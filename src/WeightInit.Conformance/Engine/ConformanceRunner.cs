using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using WeightInit.Conformance.Checks;
using WeightInit.Statistics;
using WeightInit.Testing;

namespace WeightInit.Conformance.Engine;

/// <summary>Options of a conformance run.</summary>
/// <param name="Thorough">Nightly mode: n = 2^22 per case instead of the catalog's 2^18 (more seeds per case).</param>
/// <param name="Filter">Only cases whose id contains this text (ordinal, case-insensitive).</param>
/// <param name="Thresholds">Failure/suspect thresholds.</param>
/// <param name="MaxParallelCases">Cases run concurrently (values never depend on it).</param>
/// <param name="WithPlots">Compute plot data (histograms, Q-Q) for the reports.</param>
/// <param name="SeedOffset">Added to every case's recorded seeds (0 = the gate's fixed seeds); <c>harness calibrate</c> uses k·2^20 for independent seed sets.</param>
/// <param name="SampleSize">Overrides every random case's sample size n when set (calibration's reduced-cost mode).</param>
public sealed record RunOptions(bool Thorough = false, string? Filter = null, GateThresholds? Thresholds = null, int MaxParallelCases = 1, bool WithPlots = false,
    long SeedOffset = 0, long? SampleSize = null)
{
    public const long ThoroughN = 1L << 22;

    /// <summary>Only the cases of this shard (<c>--shard i/N</c>; split by a stable hash of the case id, see <see cref="ShardSpec"/>).</summary>
    public ShardSpec? Shard { get; init; }
}

/// <summary>How a case is drawn: n values from <paramref name="Tensors"/> tensors with seeds FirstSeed, FirstSeed + 1, ….</summary>
public sealed record CasePlan(long N, long FirstSeed, int Tensors);

/// <summary>
/// Runs the catalog's cases through a system under test and the battery of checks:
/// derived parameters against the reference (the library only), support, max|x|, mean, variance, KS, AD, chi-square,
/// a two-sample KS against the reference samples, the reference samples themselves against the theory, golden
/// outputs (the library only), and the seed checks (same seed twice identical, different seeds different).
/// The theoretical law of every case is the library's derivation, which equals Keras' bit for bit (tested).
/// </summary>
public sealed class ConformanceRunner
{

    private readonly CaseCatalog _catalog;
    private readonly GoldenOutputs? _golden;

    /// <param name="catalog">The case catalog.</param>
    /// <param name="references">Which reference data each case is checked against (<see cref="ReferenceStore.None"/> for none).</param>
    /// <param name="sut">The implementation under test.</param>
    /// <param name="golden">Golden outputs of this library's stream, checked when the SUT is the library.</param>
    public ConformanceRunner(CaseCatalog catalog, ReferenceStore references, IInitializerUnderTest sut, GoldenOutputs? golden = null)
    {
        _catalog = catalog ?? throw new ArgumentNullException(nameof(catalog));
        References = references ?? throw new ArgumentNullException(nameof(references));
        Sut = sut ?? throw new ArgumentNullException(nameof(sut));
        _golden = golden;
    }

    public IInitializerUnderTest Sut { get; }

    /// <summary>The reference data of the run.</summary>
    public ReferenceStore References { get; }

    /// <summary>The catalog the run draws its cases from.</summary>
    public CaseCatalog Catalog => _catalog;

    /// <summary>True when the SUT is this library: it reports derived parameters and has golden outputs.</summary>
    public bool SutIsLibrary => Sut is LibraryUnderTest;

    /// <summary>
    /// Cases this runner covers: every catalog case for the library; for a framework SUT the cases of the framework it
    /// implements (<see cref="Sut.IFrameworkUnderTest"/>); for any other SUT the Keras cases.
    /// </summary>
    public IEnumerable<ConformanceCase> Cases(RunOptions options) => _catalog.Cases
        .Where(c => SutIsLibrary || c.HasReference(Sut is Sut.IFrameworkUnderTest f ? f.Implements : Framework.Keras))
        .Where(c => options.Filter is null || c.Id.Contains(options.Filter, StringComparison.OrdinalIgnoreCase))
        .Where(c => options.Shard is null || options.Shard.Contains(c.Id));

    /// <summary>A readable title for a case: <c>HeNormal 3x3x64x128</c>, with the dtype and config when they are not defaults.</summary>
    public static string Title(ConformanceCase c) => $"{c.Id}";

    /// <summary>
    /// How a case is drawn: the sample size n (every random case's catalog n, 2^22 in thorough mode, or the calibration
    /// override; a deterministic case's one tensor), the seeds and the number of tensors. Planning and running both use it.
    /// </summary>
    public static CasePlan Draws(ConformanceCase c, RunOptions options)
    {
        ArgumentNullException.ThrowIfNull(c);
        ArgumentNullException.ThrowIfNull(options);
        if (c.IsDeterministic) return new CasePlan(c.Shape.Count, options.SeedOffset, 1);
        long n = options.SampleSize ?? (options.Thorough ? Math.Max(c.N, RunOptions.ThoroughN) : c.N);
        long perTensor = Math.Max(1, c.Shape.Count);
        int tensors = (int)Math.Max(c.Seeds!.Count, (n + perTensor - 1) / perTensor);
        return new CasePlan(n, c.Seeds.First + options.SeedOffset, tensors);
    }

    /// <summary>
    /// The names of the checks <see cref="RunCase"/> produces for a case, known before running (test names are built
    /// from them). A gate test asserts that the plan and the actual results agree.
    /// </summary>
    public IReadOnlyList<CheckId> PlanChecks(ConformanceCase c, RunOptions? options = null)
    {
        options ??= new RunOptions();
        var names = new List<CheckId>();
        var law = c.CreateInitializer().DeriveParameters(c.Shape).Distribution;
        var reference = References.For(c);
        long n = Draws(c, options).N;
        if (SutIsLibrary && reference is not null) names.Add(CheckId.Parameters);
        if (law is OrthogonalElements o)
        {
            names.AddRange(OrthogonalChecks.Planned(o, c.Shape.Count == 0 ? 0 : (int)Math.Ceiling((double)n / c.Shape.Count)));
            if (reference is not null)
                names.AddRange(OrthogonalChecks.Planned(o, (int)(reference.Case(c.Id).Values / Math.Max(1, c.Shape.Count))).Select(x => x.OfReference()));
        }
        else
        {
            names.AddRange(Battery.Plan(law, n, reference is not null));
            if (reference is not null) names.AddRange(Battery.Plan(law, reference.Case(c.Id).Values, false).Select(x => x.OfReference()));
        }
        if (SutIsLibrary)
            foreach (var (_, data) in References.Secondary(c))
                if (SecondaryApplies(law, n, data.Case(c.Id).Values)) names.Add(SecondaryCheck(data));
        if (c.Shape.Count > 0)
        {
            names.Add(CheckId.SameSeed);
            if (!c.IsDeterministic && IsRandom(c)) names.Add(CheckId.NewSeed);
        }
        if (SutIsLibrary && _golden is not null) names.Add(CheckId.Golden);
        return names;
    }

    /// <summary>
    /// Runs every case of <see cref="Cases"/> in parallel (<see cref="RunOptions.MaxParallelCases"/>; values never depend
    /// on it) and returns the run in catalog order.
    /// </summary>
    /// <param name="options">What to run.</param>
    /// <param name="progress">Called after each case with (outcome, cases done, total), one call at a time.</param>
    public RunReport Run(RunOptions options, Action<CaseOutcome, int, int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var started = DateTimeOffset.UtcNow;
        var watch = Stopwatch.StartNew();
        var cases = Cases(options).ToArray();
        var outcomes = new CaseOutcome[cases.Length];
        int done = 0;
        var gate = new object();
        Parallel.For(0, cases.Length, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.MaxParallelCases) }, i =>
        {
            outcomes[i] = RunCase(cases[i], options);
            if (progress is null) return;
            lock (gate) progress(outcomes[i], ++done, cases.Length);
        });
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var c in cases)
            if (References.For(c) is { } data && data != References.Main) labels[c.Id] = References.LabelFor(c)!;
        return new RunReport(started, watch.Elapsed, Sut.Name, EnvironmentInfo(), References.Provenance(), options.Thresholds ?? GateThresholds.Default, outcomes)
        {
            ReferenceLabels = labels,
        };
    }

    /// <summary>Runs one case. A SUT that throws fails the case with its message.</summary>
    public CaseOutcome RunCase(ConformanceCase c, RunOptions options)
    {
        var thresholds = options.Thresholds ?? GateThresholds.Default;
        var checks = new List<CheckResult>();
        var law = c.CreateInitializer().DeriveParameters(c.Shape).Distribution;
        string lawText = TheoreticalLaw.Describe(law);
        try
        {
            var reference = References.For(c);
            if (SutIsLibrary && reference is not null)
                checks.Add(ParametersAgainstReference(c, reference));

            var plan = Draws(c, options);
            var sample = CaseSampler.Draw(Sut, c.Initializer, c.ConfigJson, c.Shape.ToArray(), c.DType.Name(), plan.FirstSeed,
                plan.Tensors, plan.N, keepTensors: law is OrthogonalElements);

            var evidence = reference is not null ? ReferenceEvidenceFor(c, reference, law, thresholds) : null;
            switch (law)
            {
                case OrthogonalElements o:
                    checks.AddRange(OrthogonalChecks.Run(c.Id, o, sample.Tensors, sample.Float32, thresholds));
                    break;
                default:
                    checks.AddRange(Battery.Run(c.Id, law, sample.Values, sample.Float32, evidence?.Sorted, thresholds));
                    break;
            }
            if (evidence is not null) checks.AddRange(evidence.SelfChecks);
            if (SutIsLibrary)
                foreach (var (_, data) in References.Secondary(c))
                    if (SecondaryApplies(law, sample.Values.LongLength, data.Case(c.Id).Values))
                        checks.Add(SecondaryTwoSample(c, data, sample.Values, thresholds));
            checks.AddRange(SeedChecks(c, options.SeedOffset));
            if (SutIsLibrary && _golden is not null)
                checks.Add(_golden.Check(c));

            return new CaseOutcome(c.Id, Title(c), c.Initializer, c.ConfigJson, c.Shape.ToArray(), c.DType, lawText, sample.Values.LongLength,
                checks, Summarize(checks, sample.Values.LongLength), options.WithPlots ? Plots(law, sample.Values, evidence?.Sorted) : null, null);
        }
        catch (NotApplicableException na)
        {
            return new CaseOutcome(c.Id, Title(c), c.Initializer, c.ConfigJson, c.Shape.ToArray(), c.DType, lawText, 0, [],
                new CaseStatistics(null, null, null, 0), null, null) { NotApplicable = na.Message };
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return new CaseOutcome(c.Id, Title(c), c.Initializer, c.ConfigJson, c.Shape.ToArray(), c.DType, lawText, 0, checks,
                new CaseStatistics(null, null, null, 0), null, $"{Sut.Name} failed on {c.Id}: {ex.GetType().Name}: {ex.Message}");
        }
    }

    /// <summary>A case's reference samples: their order statistics (for the two-sample KS and the plots) and their own checks against the theory.</summary>
    private sealed record ReferenceEvidence(SortedSample? Sorted, IReadOnlyList<CheckResult> SelfChecks);

    /// <summary>
    /// The reference evidence depends only on the stored data and the thresholds, not on the run's seeds or the SUT, so it
    /// is computed once per runner: calibration and the mutant matrix run the gate dozens of times.
    /// </summary>
    private readonly ConcurrentDictionary<(string CaseId, GateThresholds Thresholds), Lazy<ReferenceEvidence>> _referenceEvidence = new();

    private ReferenceEvidence ReferenceEvidenceFor(ConformanceCase c, ReferenceData reference, ElementDistribution law, GateThresholds thresholds) =>
        _referenceEvidence.GetOrAdd((c.Id, thresholds), _ => new Lazy<ReferenceEvidence>(() =>
        {
            var stored = reference.Case(c.Id);
            var values = reference.Values(c.Id).ToDoubleArray();
            bool float32 = stored.StoredDType == DType.Float32;
            switch (law)
            {
                case OrthogonalElements o:
                    return new(null, Prefix(OrthogonalChecks.Run(c.Id, o, Split(values, c.Shape.Count), float32, thresholds)).ToArray());
                default:
                    if (TheoreticalLaw.For(law) is null)
                        return new(null, Prefix([Battery.Exact(c.Id, law, values.Take((int)Math.Min(values.Length, c.Shape.Count)).ToArray(), float32)]).ToArray());
                    return new(values.Length > 0 ? SortedSample.Of(values) : null,
                        Prefix(Battery.Run(c.Id, law, values, float32, thresholds: thresholds).Where(r => r.Verdict != Verdict.Info)).ToArray());
            }
        })).Value;

    /// <summary>
    /// The check against a secondary reference (another framework's samples of a case, e.g. TF.js' for a Keras case),
    /// named after the data it reads: "two-sample KS vs tfjs 4.22.0 reference".
    /// </summary>
    public static CheckId SecondaryCheck(ReferenceData data) =>
        new($"two-sample KS vs {data.Manifest.Framework} {data.Manifest.FrameworkVersion} reference");

    /// <summary>
    /// A two-sample KS is meaningful where both sides are random draws: a random law (orthogonal included: its elements
    /// are compared as a pooled sample, like the primary reference's plots) with values on both sides. Deterministic
    /// laws are already compared exactly against the primary reference.
    /// </summary>
    private static bool SecondaryApplies(ElementDistribution law, long n, long referenceValues) =>
        n > 0 && referenceValues > 0 && (law is OrthogonalElements || TheoreticalLaw.For(law) is not null);

    private readonly ConcurrentDictionary<(string CaseId, string Folder), Lazy<SortedSample>> _secondarySorted = new();

    /// <summary>
    /// The library's samples against a secondary framework's stored samples. Where that framework's law is meant to
    /// agree with Keras' this passes; where it diverges (docs/frameworks/tfjs.md) it fails, and the failure is recorded
    /// as an expected divergence in conformance/expectations/csharp.json, never loosened here.
    /// </summary>
    private CheckResult SecondaryTwoSample(ConformanceCase c, ReferenceData data, double[] values, GateThresholds thresholds)
    {
        var reference = _secondarySorted.GetOrAdd((c.Id, data.Directory), _ => new Lazy<SortedSample>(() =>
            SortedSample.Of(data.Values(c.Id).ToDoubleArray()))).Value;
        var r = Battery.TwoSample(c.Id, SortedSample.Of(values), reference, thresholds);
        return r with
        {
            Check = SecondaryCheck(data),
            Message = $"vs {data.Manifest.Framework} {data.Manifest.FrameworkVersion} reference samples: {r.Message}",
        };
    }

    /// <summary>Derived parameters of the library equal the reference's exactly (fans, stddev, bounds, limit).</summary>
    private static CheckResult ParametersAgainstReference(ConformanceCase c, ReferenceData reference)
    {
        var expected = reference.Case(c.Id).Derived;
        var p = c.CreateInitializer().DeriveParameters(c.Shape);
        var mismatches = new List<string>();
        void Compare(string name, double? want, double? got)
        {
            if (want is null) return;
            if (got is null || BitConverter.DoubleToInt64Bits(want.Value) != BitConverter.DoubleToInt64Bits(got.Value))
                mismatches.Add($"{name}: reference {want.Value:R}, library {(got is null ? "none" : got.Value.ToString("R"))}");
        }
        Compare("fan_in", expected.FanIn, p.FanIn);
        Compare("fan_out", expected.FanOut, p.FanOut);
        switch (p.Distribution)
        {
            case NormalElements nd: Compare("mean", expected.Mean, nd.Mean); Compare("stddev", expected.Stddev, nd.Stddev); break;
            case TruncatedNormalElements t:
                Compare("mean", expected.Mean, t.Mean); Compare("stddev", expected.Stddev, t.Stddev);
                Compare("lower", expected.Lower, t.Lower); Compare("upper", expected.Upper, t.Upper); break;
            case UniformElements u: Compare("minval", expected.Minval, u.Minval); Compare("maxval", expected.Maxval, u.Maxval); Compare("limit", expected.Limit, p.Limit); break;
            case ConstantElements k: Compare("value", expected.Value, c.DType == DType.Float32 ? (float)k.Value : k.Value); break;   // Keras casts value to dtype
            case OrthogonalElements o: Compare("gain", expected.Gain, o.Gain); Compare("rows", expected.Rows, o.Rows); Compare("cols", expected.Cols, o.Cols); break;
            case IdentityElements id: Compare("gain", expected.Gain, id.Gain); break;
        }
        if (expected.Distribution != p.Distribution.Kind)
            mismatches.Add($"distribution: reference {expected.Distribution}, library {p.Distribution.Kind}");
        return mismatches.Count == 0
            ? new(c.Id, CheckId.Parameters, Verdict.Pass, 0, null, 1, "reference parameters", "bit-identical", "fans and derived parameters equal the reference to the last bit")
            : new(c.Id, CheckId.Parameters, Verdict.Fail, mismatches.Count, null, 1, "reference parameters", string.Join("; ", mismatches),
                "derived parameters differ from the reference framework's: " + string.Join("; ", mismatches));
    }

    /// <summary>The same seed twice gives identical values; two different seeds give different values (random schemes).</summary>
    private IEnumerable<CheckResult> SeedChecks(ConformanceCase c, long seedOffset)
    {
        if (c.Shape.Count == 0) yield break;
        long seed = (c.Seeds?.First ?? 0) + seedOffset;
        var shape = c.Shape.ToArray();
        var a = Sut.Sample(c.Initializer, c.ConfigJson, shape, seed, c.DType.Name());
        var b = Sut.Sample(c.Initializer, c.ConfigJson, shape, seed, c.DType.Name());
        bool same = Bytes(a).SequenceEqual(Bytes(b));
        yield return new(c.Id, CheckId.SameSeed, same ? Verdict.Pass : Verdict.Fail, null, null, a.Length, "identical", same ? "identical" : "different",
            same ? "the same seed reproduces the values" : "the same seed gave different values: the seed is ignored or state leaks between calls");
        if (c.IsDeterministic || !IsRandom(c)) yield break;
        var other = Sut.Sample(c.Initializer, c.ConfigJson, shape, seed + 1, c.DType.Name());
        bool differs = !Bytes(a).SequenceEqual(Bytes(other));
        yield return new(c.Id, CheckId.NewSeed, differs ? Verdict.Pass : Verdict.Fail, null, null, a.Length, "different", differs ? "different" : "identical",
            differs ? "different seeds give different values" : "seeds " + seed + " and " + (seed + 1) + " gave identical values: the seed is not used");
    }

    /// <summary>False for schemes whose output is fixed although seeded: a 1×1 orthogonal matrix is always +gain (sign fix).</summary>
    private static bool IsRandom(ConformanceCase c) =>
        c.CreateInitializer().DeriveParameters(c.Shape).Distribution is not OrthogonalElements { Rows: 1, Cols: 1 };

    private static ReadOnlySpan<byte> Bytes(Array a) => a switch
    {
        float[] f => MemoryMarshal.AsBytes(f.AsSpan()),
        double[] d => MemoryMarshal.AsBytes(d.AsSpan()),
        _ => throw new InvalidOperationException($"unexpected array type {a.GetType().Name}"),
    };

    private static IEnumerable<CheckResult> Prefix(IEnumerable<CheckResult> results) =>
        results.Select(r => r with { Check = r.Check.OfReference(), Message = "reference samples: " + r.Message });

    private static List<double[]> Split(double[] values, long size)
    {
        var list = new List<double[]>();
        if (size <= 0) return list;
        for (long start = 0; start + size <= values.Length; start += size)
            list.Add(values.AsSpan((int)start, (int)size).ToArray());
        return list;
    }

    private static CaseStatistics Summarize(IReadOnlyList<CheckResult> checks, long n)
    {
        double? ratio = null, ks = null;
        long? hits = null;
        foreach (var r in checks)
        {
            if (r.Check == CheckId.Variance && r.Observed.Contains("ratio", StringComparison.Ordinal))
            {
                var text = r.Observed[(r.Observed.IndexOf("ratio", StringComparison.Ordinal) + 6)..].TrimEnd(')');
                if (double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var v)) ratio = v;
            }
            if (r.Check == CheckId.Ks) ks = r.Statistic;
            if (r.Check == CheckId.Support && r.Statistic is double s) hits = (long)s;
        }
        return new CaseStatistics(ratio, ks, hits, n);
    }

    private static PlotData? Plots(ElementDistribution law, double[] values, SortedSample? reference)
    {
        var dist = TheoreticalLaw.For(law);
        if (dist is null || values.Length < 100) return null;
        var sorted = (double[])values.Clone();
        Array.Sort(sorted);
        double[]? refSorted = reference is { Count: >= 100 } ? reference.Values.ToArray() : null;
        double lo = double.IsFinite(dist.LowerBound) ? dist.LowerBound : dist.InvCdf(1e-4);
        double hi = double.IsFinite(dist.UpperBound) ? dist.UpperBound : dist.InvCdf(1 - 1e-4);
        lo = Math.Min(lo, sorted[0]); hi = Math.Max(hi, sorted[^1]);
        const int bins = 60;
        var edges = Enumerable.Range(0, bins + 1).Select(i => lo + (hi - lo) * i / bins).ToArray();
        double[] Density(double[] s)
        {
            var counts = new double[bins];
            foreach (var x in s)
            {
                int k = (int)Math.Floor((x - lo) / (hi - lo) * bins);
                counts[Math.Clamp(k, 0, bins - 1)]++;
            }
            double width = (hi - lo) / bins;
            return counts.Select(cnt => cnt / (s.Length * width)).ToArray();
        }
        var centres = Enumerable.Range(0, bins).Select(i => (edges[i] + edges[i + 1]) / 2).ToArray();
        var levels = Enumerable.Range(1, 199).Select(i => i / 200.0).ToArray();
        double Quantile(double[] s, double p) => s[(int)Math.Clamp(Math.Round(p * (s.Length - 1)), 0, s.Length - 1)];
        return new PlotData(edges, Density(sorted), refSorted is null ? null : Density(refSorted), centres.Select(dist.Pdf).ToArray(),
            levels, levels.Select(dist.InvCdf).ToArray(), levels.Select(p => Quantile(sorted, p)).ToArray(),
            refSorted is null ? null : levels.Select(p => Quantile(refSorted, p)).ToArray());
    }

    private static Dictionary<string, string> EnvironmentInfo() => new()
    {
        ["os"] = RuntimeInformation.OSDescription,
        ["runtime"] = RuntimeInformation.FrameworkDescription,
        ["machine"] = System.Environment.MachineName,
        ["processors"] = System.Environment.ProcessorCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["library"] = typeof(Initializer).Assembly.GetName().Version?.ToString() ?? "unknown",
    };
}
