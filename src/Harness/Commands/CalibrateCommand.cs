using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using MathNet.Numerics;
using WeightInit.Conformance;
using WeightInit.Conformance.Checks;
using WeightInit.Conformance.Engine;
using WeightInit.Statistics;
using WeightInit.Testing;

namespace Harness.Commands;

/// <summary>
/// <c>harness calibrate --runs K</c>: the gate on the correct implementation with K independent seed sets (every case's
/// seeds shifted by k·2^32, k = 1…K, so no seed of one set is reused by another), then the false-alarm rate per check and
/// for the whole gate with Clopper–Pearson 95% intervals, the rate of p &lt; 1e-3 against its nominal value, a second-level
/// KS test of each check's p-values against U(0,1), and an analytic power table (see <see cref="PowerTable"/>).
/// <c>--n</c> runs a reduced-cost calibration with the same check code at a smaller sample size per case.
/// </summary>
internal static class CalibrateCommand
{
    public const long SeedStride = 1L << 32;

    public static Command Create()
    {
        var runs = new Option<int>("--runs") { Description = "Number of independent seed sets K.", DefaultValueFactory = _ => 20 };
        var n = new Option<long?>("--n") { Description = "Sample size per random case (default: the gate's 2^18); smaller n = reduced-cost calibration with the same checks." };
        var first = new Option<int>("--first-set") { Description = "Index of the first seed set (offset k·2^32); use to extend an earlier calibration.", DefaultValueFactory = _ => 1 };
        var parallel = new Option<int>("--parallel") { Description = "Cases run concurrently.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var json = new Option<string?>("--json") { Description = "Write the calibration record (every seed set's outcome and every gated p-value) plus the summary and power table as JSON." };
        var merge = new Option<string[]>("--merge") { Description = "Combine calibration records written by --json (disjoint seed sets, same n) instead of running.", AllowMultipleArgumentsPerToken = true };
        var powerOnly = new Option<bool>("--power-only") { Description = "Only print the analytic power table." };
        var command = new Command("calibrate", "False-alarm calibration of the gate on the correct implementation over K independent seed sets, plus the power table.")
        {
            runs, n, first, parallel, json, merge, powerOnly,
        };
        command.SetAction(parse =>
        {
            if (parse.GetValue(powerOnly))
            {
                Console.Write(PowerTable.Render(PowerTable.Compute()));
                return 0;
            }
            Calibration calibration;
            if (parse.GetValue(merge) is { Length: > 0 } parts)
            {
                calibration = Calibration.Load(parts[0]);
                foreach (var part in parts.Skip(1)) calibration.Merge(Calibration.Load(part), part);
                Console.WriteLine($"merged {parts.Length} calibration records: {calibration.Runs.Count} seed sets");
            }
            else
            {
                int k = parse.GetValue(runs);
                if (k < 1) throw new WeightInit.InvalidArgumentValueException("runs", $"--runs must be >= 1, got {k}.");
                long? size = parse.GetValue(n);
                if (size is < 1) throw new WeightInit.InvalidArgumentValueException("n", $"--n must be >= 1, got {size}.");
                int firstSet = parse.GetValue(first);
                if (firstSet < 1) throw new WeightInit.InvalidArgumentValueException("first-set", $"--first-set must be >= 1 (set 0 is the gate's own seeds), got {firstSet}.");
                var root = RepoPaths.Root();
                var catalog = CaseCatalog.LoadFromRepository(root);
                // The Keras reference data only, as in the committed K = 1000 calibration (conformance/calibration/): the
                // torch cases are calibrated against the theory.
                var reference = ReferenceStore.ShippedFor(root, catalog, Framework.Keras);
                var runner = new ConformanceRunner(catalog, reference, new LibraryUnderTest());
                calibration = new Calibration(size);
                var watch = Stopwatch.StartNew();
                for (int i = 0; i < k; i++)
                {
                    int set = firstSet + i;
                    long offset = set * SeedStride;
                    var report = runner.Run(new RunOptions(MaxParallelCases: Math.Max(1, parse.GetValue(parallel)), SeedOffset: offset, SampleSize: size));
                    var failed = calibration.Add(set, report);
                    Console.WriteLine($"seed set {set,5} (offset {offset}): {(failed.Count == 0 ? "pass" : "FALSE ALARM: " + string.Join("; ", failed))}" +
                        $"  [{watch.Elapsed.TotalSeconds:F0} s]");
                }
                calibration.Seconds = watch.Elapsed.TotalSeconds;
            }
            var summary = calibration.Summarize();
            Console.WriteLine();
            Console.Write(summary.Render());
            Console.WriteLine();
            var power = PowerTable.Compute();
            Console.Write(PowerTable.Render(power));
            if (parse.GetValue(json) is { } path)
            {
                calibration.Save(path, summary, power);
                Console.WriteLine($"wrote {path}");
            }
            return 0;
        });
        return command;
    }
}

/// <summary>One seed set's outcome: the false alarms (failed checks of the correct library), whether any check was suspect, and how many p-values were gated.</summary>
internal sealed record CalibrationRun(int Set, IReadOnlyList<string> FalseAlarms, bool Suspect, int Gated);

/// <summary>
/// Per-check tallies of the gated p-values over seed sets. A calibration is saved as a record (every run and every
/// p-value), so disjoint blocks of seed sets run on different machines or nights combine into one calibration exactly.
/// </summary>
internal sealed class Calibration
{
    public const string Format = "weightinit-calibration/1";
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = false,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    private readonly SortedDictionary<string, List<double>> _pValues = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, int> _propertyFails = new(StringComparer.Ordinal);
    private readonly List<CalibrationRun> _runs = [];

    public Calibration(long? sampleSize) => SampleSize = sampleSize;

    /// <summary>The per-case sample size, or null for the gate's own sizes.</summary>
    public long? SampleSize { get; }

    /// <summary>Machine time spent (summed over merged records).</summary>
    public double Seconds { get; set; }

    public IReadOnlyList<CalibrationRun> Runs => _runs;

    /// <summary>Checks whose result depends on the seed set: not the reference samples' self-checks, derived parameters or golden values.</summary>
    public static bool SeedDependent(CheckResult r) =>
        r.Verdict != Verdict.Info && !r.Check.OnReference && r.Check != CheckId.Parameters && r.Check != CheckId.Golden;

    /// <summary>Adds the run of seed set <paramref name="set"/>; returns the failed checks (false alarms, since the SUT is correct).</summary>
    public List<string> Add(int set, RunReport report)
    {
        if (_runs.Any(r => r.Set == set)) throw new InvalidOperationException($"seed set {set} is already in this calibration.");
        var failed = new List<string>();
        bool suspect = false;
        int gated = 0;
        foreach (var c in report.Cases)
        {
            if (c.Error is not null) failed.Add($"{c.CaseId}: error {c.Error}");
            foreach (var r in c.Checks.Where(SeedDependent))
            {
                // support's "p" is 1 or 0 by construction (a property, not a test statistic): tallied with the property checks
                if (r.PValue is double p && r.Check != CheckId.Support)
                {
                    gated++;
                    if (!_pValues.TryGetValue(r.Check.ToString(), out var list)) _pValues[r.Check.ToString()] = list = [];
                    list.Add(p);
                }
                else _propertyFails[r.Check.ToString()] = _propertyFails.GetValueOrDefault(r.Check.ToString()) + (r.Verdict == Verdict.Fail ? 1 : 0);
                if (r.Verdict == Verdict.Fail) failed.Add($"{c.CaseId} {r.Check} (p={r.PValue?.ToString("G3", CultureInfo.InvariantCulture) ?? "-"})");
                if (r.Verdict == Verdict.Suspect) suspect = true;
            }
        }
        _runs.Add(new(set, failed, suspect, gated));
        return failed;
    }

    /// <summary>Adds another calibration's runs; they must use the same sample size and disjoint seed sets.</summary>
    public void Merge(Calibration other, string source)
    {
        if (other.SampleSize != SampleSize)
            throw new ConformanceDataException(source, $"sample size {Describe(other.SampleSize)} differs from {Describe(SampleSize)}; only calibrations at the same n combine.");
        var overlap = other._runs.Select(r => r.Set).Intersect(_runs.Select(r => r.Set)).Order().ToArray();
        if (overlap.Length > 0)
            throw new ConformanceDataException(source, $"seed sets {string.Join(", ", overlap.Take(5))}{(overlap.Length > 5 ? ", ..." : "")} are already in the calibration; blocks must be disjoint (--first-set).");
        _runs.AddRange(other._runs);
        foreach (var (check, ps) in other._pValues)
        {
            if (!_pValues.TryGetValue(check, out var list)) _pValues[check] = list = [];
            list.AddRange(ps);
        }
        foreach (var (check, fails) in other._propertyFails) _propertyFails[check] = _propertyFails.GetValueOrDefault(check) + fails;
        Seconds += other.Seconds;
    }

    private static string Describe(long? n) => n is long v ? $"n = {v}" : "the gate's default n";

    public CalibrationSummary Summarize()
    {
        var rows = new List<CheckCalibration>();
        foreach (var (check, ps) in _pValues)
        {
            int m = ps.Count, fails = ps.Count(p => p < 1e-6), suspects = ps.Count(p => p < 1e-3);
            var (fLo, fHi) = ClopperPearson.Interval(fails, m);
            var (sLo, sHi) = ClopperPearson.Interval(suspects, m);
            // Second level: the p-values of a calibrated continuous test are U(0,1).
            var ks = StatisticalTests.KolmogorovSmirnov(ps.ToArray(), new UniformDistribution(0, 1));
            rows.Add(new(check, m, fails, fLo, fHi, suspects, sLo, sHi, ks.Statistic, ks.PValue));
        }
        int runs = _runs.Count, failedRuns = _runs.Count(r => r.FalseAlarms.Count > 0);
        int gated = runs == 0 ? 0 : (int)Math.Round(_runs.Average(r => r.Gated));
        var (gLo, gHi) = ClopperPearson.Interval(failedRuns, runs);
        long allP = rows.Sum(r => (long)r.PValues), allSuspect = rows.Sum(r => (long)r.Below1e3);
        double suspectRatio = allP == 0 ? double.NaN : allSuspect / (allP * 1e-3);
        var sets = _runs.Select(r => r.Set).Order().ToArray();
        return new CalibrationSummary(runs, SampleSize, Seconds, failedRuns, gLo, gHi, _runs.Count(r => r.Suspect), gated,
            gated * 1e-6, gated * 1e-6 * suspectRatio, allP, allSuspect, suspectRatio, _propertyFails, rows,
            SetRanges(sets), _runs.Where(r => r.FalseAlarms.Count > 0).SelectMany(r => r.FalseAlarms.Select(f => $"set {r.Set}: {f}")).ToArray());
    }

    /// <summary>"1-500, 601-700" from sorted set indices.</summary>
    private static string SetRanges(int[] sets)
    {
        var parts = new List<string>();
        for (int i = 0; i < sets.Length;)
        {
            int j = i;
            while (j + 1 < sets.Length && sets[j + 1] == sets[j] + 1) j++;
            parts.Add(i == j ? $"{sets[i]}" : $"{sets[i]}-{sets[j]}");
            i = j + 1;
        }
        return string.Join(", ", parts);
    }

    private sealed record Record(string Format, long? SampleSize, double Seconds, IReadOnlyList<CalibrationRun> Runs,
        IReadOnlyDictionary<string, List<double>> PValues, IReadOnlyDictionary<string, int> PropertyFails,
        CalibrationSummary? Summary, IReadOnlyList<PowerTable.Row>? Power, string? Commit);

    /// <summary>Writes the record (runs and p-values, plus the summary and power table for readers) atomically.</summary>
    public void Save(string path, CalibrationSummary summary, IReadOnlyList<PowerTable.Row> power)
    {
        var record = new Record(Format, SampleSize, Seconds, _runs, _pValues, _propertyFails, summary, power, GitCommit());
        WeightInit.IO.AtomicFile.WriteAllText(path, JsonSerializer.Serialize(record, JsonOptions));
    }

    /// <summary>Reads a record written by <see cref="Save"/>; a missing, malformed or inconsistent file is a <see cref="ConformanceDataException"/> naming it.</summary>
    public static Calibration Load(string path)
    {
        Record? record;
        try { record = JsonSerializer.Deserialize<Record>(File.ReadAllText(path), JsonOptions); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            throw new ConformanceDataException(path, $"cannot read the calibration record: {ex.Message}", ex);
        }
        if (record is null || record.Format != Format)
            throw new ConformanceDataException(path, $"not a calibration record (format '{record?.Format}', expected '{Format}').");
        if (record.Runs is null || record.PValues is null || record.PropertyFails is null)
            throw new ConformanceDataException(path, "the calibration record lacks runs, p_values or property_fails.");
        long recorded = record.PValues.Values.Sum(v => (long)v.Count), gated = record.Runs.Sum(r => (long)r.Gated);
        if (recorded != gated)
            throw new ConformanceDataException(path, $"the record holds {recorded} p-values but its runs gated {gated}: the file is truncated or edited.");
        if (record.PValues.Values.SelectMany(v => v).Any(p => !(p >= 0 && p <= 1)))
            throw new ConformanceDataException(path, "a p-value lies outside [0, 1].");
        var calibration = new Calibration(record.SampleSize) { Seconds = record.Seconds };
        var duplicate = record.Runs.GroupBy(r => r.Set).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ConformanceDataException(path, $"seed set {duplicate.Key} appears twice.");
        calibration._runs.AddRange(record.Runs);
        foreach (var (check, ps) in record.PValues) calibration._pValues[check] = [.. ps];
        foreach (var (check, fails) in record.PropertyFails) calibration._propertyFails[check] = fails;
        return calibration;
    }

    private static string? GitCommit()
    {
        try
        {
            var start = new ProcessStartInfo("git", "rev-parse --short HEAD") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepoPaths.Root() };
            using var git = Process.Start(start);
            if (git is null) return null;
            string text = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            return git.ExitCode == 0 && text.Length > 0 ? text : null;
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException or IOException) { return null; }
    }
}

internal sealed record CheckCalibration(string Check, int PValues, int Below1e6, double FailRateLow, double FailRateHigh,
    int Below1e3, double SuspectRateLow, double SuspectRateHigh, double UniformityKsD, double UniformityKsP);

internal sealed record CalibrationSummary(int Runs, long? SampleSize, double Seconds, int FailedRuns, double GateRateLow, double GateRateHigh,
    int RunsWithSuspect, int GatedPValuesPerRun, double BonferroniBound, double ExtrapolatedGateRate, long PValues, long Below1e3,
    double SuspectRatio, IReadOnlyDictionary<string, int> PropertyCheckFails, IReadOnlyList<CheckCalibration> Checks,
    string SeedSets, IReadOnlyList<string> FalseAlarms)
{
    public string Render()
    {
        static string G(double v) => v.ToString("G3", CultureInfo.InvariantCulture);
        var sb = new StringBuilder();
        sb.AppendLine($"calibration: K = {Runs} independent seed sets ({SeedSets}) on the correct library, n = {(SampleSize is long s ? s.ToString(CultureInfo.InvariantCulture) : "gate default (2^18)")} per random case, {Seconds:F0} s");
        sb.AppendLine($"whole gate: {FailedRuns}/{Runs} runs with a false alarm (rate 95% CI [{G(GateRateLow)}, {G(GateRateHigh)}], Clopper-Pearson); " +
            $"{RunsWithSuspect}/{Runs} runs with at least one suspect (p < 1e-3)");
        sb.AppendLine($"gated p-values per run m = {GatedPValuesPerRun}: Bonferroni bound m*1e-6 = {G(BonferroniBound)} per fresh seed set;");
        sb.AppendLine($"  observed p < 1e-3: {Below1e3} of {PValues} = {SuspectRatio.ToString("F2", CultureInfo.InvariantCulture)}x nominal -> extrapolated whole-gate false-alarm rate ~ {G(ExtrapolatedGateRate)}");
        sb.AppendLine($"  property checks (support, seed checks) failed: {(PropertyCheckFails.Values.Sum() == 0 ? "never" : string.Join(", ", PropertyCheckFails.Where(kv => kv.Value > 0).Select(kv => $"{kv.Key} {kv.Value}")))}");
        foreach (var alarm in FalseAlarms) sb.AppendLine($"  false alarm: {alarm}");
        sb.AppendLine();
        sb.AppendLine($"{"check",-24} {"p-values",9} {"p<1e-6",7} {"fail rate 95% CI",22} {"p<1e-3",7} {"rate (nominal 1e-3) 95% CI",32} {"KS of p vs U(0,1)",20}");
        foreach (var r in Checks)
            sb.AppendLine($"{r.Check,-24} {r.PValues,9} {r.Below1e6,7} {$"[{G(r.FailRateLow)}, {G(r.FailRateHigh)}]",22} {r.Below1e3,7} " +
                $"{$"{G(r.Below1e3 / (double)r.PValues)} [{G(r.SuspectRateLow)}, {G(r.SuspectRateHigh)}]",32} {$"D={G(r.UniformityKsD)} p={G(r.UniformityKsP)}",20}");
        return sb.ToString();
    }
}

/// <summary>Exact (Clopper–Pearson) binomial confidence intervals.</summary>
internal static class ClopperPearson
{
    /// <summary>Two-sided (1-alpha) interval for x successes in n trials.</summary>
    public static (double Low, double High) Interval(long x, long n, double alpha = 0.05)
    {
        if (n <= 0) return (0, 1);
        double lo = x == 0 ? 0 : BetaQuantile(x, n - x + 1, alpha / 2);
        double hi = x == n ? 1 : BetaQuantile(x + 1, n - x, 1 - alpha / 2);
        return (lo, hi);
    }

    /// <summary>Quantile of Beta(a, b) by bisection on the regularized incomplete beta (robust in the far tails).</summary>
    public static double BetaQuantile(double a, double b, double p)
    {
        double lo = 0, hi = 1;
        for (int i = 0; i < 200 && hi - lo > 1e-15 * Math.Max(hi, 1e-300); i++)
        {
            double mid = 0.5 * (lo + hi);
            if (SpecialFunctions.BetaRegularized(a, b, mid) < p) lo = mid; else hi = mid;
        }
        return 0.5 * (lo + hi);
    }
}

/// <summary>
/// Analytic power of each check for one case of size n at the gate's level (two-sided p &lt; 1e-6) and power 0.999:
/// the smallest relative stddev error (wider / narrower: the whole law scaled by 1±ε, bounds included) and the
/// smallest rate of out-of-bound leaks it detects. Derived from the tests' laws:
/// variance — normal approximation of S/σ² with the null kurtosis κ, sd √((κ-1)/n);
/// KS — a lower bound on power from the single point t* of largest |F₁-F₀|: D ≥ |Fₙ(t*) - F₀(t*)|, critical value from the
/// Kolmogorov limit law (conservative: the true MDE is somewhat smaller);
/// chi-square(100) — non-central χ²₉₉(λ), λ = n·Σ(p₁ᵢ-p₀ᵢ)²/p₀ᵢ over the 100 equiprobable bins, normal approximation;
/// max|x| — the exact law of the maximum, (F(t)-F(-t))ⁿ; support — any value beyond the bound fails (AD is +∞ then too).
/// </summary>
internal static class PowerTable
{
    public const double Alpha = 1e-6, Power = 0.999;
    public static readonly long[] Sizes = [1L << 14, 1L << 16, 1L << 18, 1L << 20, 1L << 22];

    public sealed record Row(string Family, string Check, long N, double? WiderPercent, double? NarrowerPercent, double? LeakRate);

    private static readonly double ZAlpha = StandardNormal.InvSf(Alpha / 2), ZPower = StandardNormal.InvCdf(Power);

    public static IReadOnlyList<Row> Compute()
    {
        var families = new (string Name, IUnivariateDistribution Dist, Func<double, IUnivariateDistribution> Scaled)[]
        {
            ("normal", new NormalDistribution(0, 1), f => new NormalDistribution(0, f)),
            ("truncnorm(±2)", new TruncatedNormalDistribution(0, 1), f => new TruncatedNormalDistribution(0, f)),
            ("uniform", new UniformDistribution(-1, 1), f => new UniformDistribution(-f, f)),
        };
        var rows = new List<Row>();
        foreach (var (name, d0, scaled) in families)
            foreach (var n in Sizes)
            {
                bool bounded = double.IsFinite(d0.UpperBound);
                double leakSupport = -StandardNormal.ExpMinusOne(Math.Log(1 - Power) / n);   // 1-(1-q)^n = 0.999
                rows.Add(new(name, CheckId.Variance.ToString(), n, 100 * Solve(e => VariancePower(d0, n, 1 + e)), 100 * Solve(e => VariancePower(d0, n, 1 - e)), null));
                rows.Add(new(name, CheckId.Ks.ToString(), n, 100 * Solve(e => KsPower(d0, scaled(1 + e), n)), 100 * Solve(e => KsPower(d0, scaled(1 - e), n)),
                    SolveLeak(q => KsLeakPower(q, n))));
                rows.Add(new(name, CheckId.ChiSquare.ToString(), n, 100 * Solve(e => ChiSquarePower(d0, scaled(1 + e), n)), 100 * Solve(e => ChiSquarePower(d0, scaled(1 - e), n)), null));
                rows.Add(new(name, CheckId.MaxAbs.ToString(), n, 100 * Solve(e => MaxWiderPower(d0, scaled(1 + e), n)), 100 * Solve(e => MaxNarrowerPower(d0, scaled(1 - e), n)),
                    bounded ? leakSupport : null));
                if (bounded)
                {
                    rows.Add(new(name, CheckId.Support.ToString(), n, 100 * Solve(e => BeyondSupportPower(d0, scaled(1 + e), n)), null, leakSupport));
                    rows.Add(new(name, CheckId.AndersonDarling.ToString(), n, null, null, leakSupport));
                }
            }
        return rows;
    }

    /// <summary>Smallest ε in (0, 0.5] with power(ε) ≥ 0.999 (power is increasing in ε), or NaN.</summary>
    private static double Solve(Func<double, double> power)
    {
        double lo = 0, hi = 0.5;
        if (power(hi) < Power) return double.NaN;
        for (int i = 0; i < 60; i++)
        {
            double mid = 0.5 * (lo + hi);
            if (power(mid) >= Power) hi = mid; else lo = mid;
        }
        return hi;
    }

    private static double? SolveLeak(Func<double, double> power)
    {
        double lo = 0, hi = 0.5;
        if (power(hi) < Power) return null;
        for (int i = 0; i < 80; i++)
        {
            double mid = Math.Sqrt(Math.Max(lo, 1e-12) * hi);
            if (power(mid) >= Power) hi = mid; else lo = mid;
        }
        return hi;
    }

    private static double VariancePower(IUnivariateDistribution d0, long n, double factor)
    {
        double s = Math.Sqrt((d0.Kurtosis - 1) / n), mean = factor * factor;
        return StandardNormal.Cdf((mean - 1 - ZAlpha * s) / (mean * s)) + StandardNormal.Cdf((1 - ZAlpha * s - mean) / (mean * s));
    }

    private static double KsPower(IUnivariateDistribution d0, IUnivariateDistribution d1, long n)
    {
        double crit = Kolmogorov.KolmogorovInverse(Alpha) / Math.Sqrt(n);
        // the point of largest |F1 - F0| on a fine grid of the wider support
        double hi = double.IsFinite(Math.Max(d0.UpperBound, d1.UpperBound)) ? Math.Max(d0.UpperBound, d1.UpperBound) : 6 * Math.Max(d0.StdDev, d1.StdDev);
        double best = 0, f1 = 0.5;
        for (int i = 0; i <= 4000; i++)
        {
            double t = -hi + 2 * hi * i / 4000;
            double diff = Math.Abs(d1.Cdf(t) - d0.Cdf(t));
            if (diff > best) { best = diff; f1 = d1.Cdf(t); }
        }
        double sd = Math.Sqrt(Math.Max(f1 * (1 - f1), 1e-300) / n);
        return StandardNormal.Cdf((best - crit) / sd);
    }

    private static double KsLeakPower(double q, long n)
    {
        // mass q moved beyond the bounds (half each side): |F1 - F0| = q/2 at the bounds, plus the binomial noise there
        double crit = Kolmogorov.KolmogorovInverse(Alpha) / Math.Sqrt(n);
        double f1 = q / 2, sd = Math.Sqrt(f1 * (1 - f1) / n);
        return StandardNormal.Cdf((f1 - crit) / sd);
    }

    private static readonly Lazy<double> ChiCritical = new(() =>
    {
        double lo = 99, hi = 400;
        for (int i = 0; i < 100; i++) { double mid = 0.5 * (lo + hi); if (StatisticalTests.ChiSquareSf(mid, 99) > Alpha) lo = mid; else hi = mid; }
        return hi;
    });

    private static double ChiSquarePower(IUnivariateDistribution d0, IUnivariateDistribution d1, long n)
    {
        const int k = 100;
        double lambda = 0, prev = 0;
        for (int i = 1; i <= k; i++)
        {
            double edge = i == k ? double.PositiveInfinity : d0.InvCdf((double)i / k);
            double c = i == k ? 1 : d1.Cdf(edge);
            double p1 = c - prev;
            prev = c;
            lambda += (p1 - 1.0 / k) * (p1 - 1.0 / k) * k;
        }
        lambda *= n;
        double mean = k - 1 + lambda, sd = Math.Sqrt(2 * (k - 1 + 2 * lambda));
        return StandardNormal.Cdf((mean - ChiCritical.Value) / sd);
    }

    /// <summary>P(p_upper &lt; α/2) under d1: M beyond the null's critical max m* where 1-(1-q₀(m*))ⁿ = α/2.</summary>
    private static double MaxWiderPower(IUnivariateDistribution d0, IUnivariateDistribution d1, long n)
    {
        double q0 = -StandardNormal.ExpMinusOne(StandardNormal.LogOnePlus(-Alpha / 2) / n);
        double mStar = Threshold(d0, q0);
        double q1 = d1.Sf(mStar) + d1.Cdf(-mStar);
        return -StandardNormal.ExpMinusOne(n * StandardNormal.LogOnePlus(-q1));
    }

    /// <summary>P(p_lower &lt; α/2) under d1: M below m* where (1-q₀(m*))ⁿ = α/2.</summary>
    private static double MaxNarrowerPower(IUnivariateDistribution d0, IUnivariateDistribution d1, long n)
    {
        double q0 = -StandardNormal.ExpMinusOne(Math.Log(Alpha / 2) / n);
        double mStar = Threshold(d0, q0);
        double q1 = d1.Sf(mStar) + d1.Cdf(-mStar);
        return Math.Exp(n * StandardNormal.LogOnePlus(-q1));
    }

    private static double BeyondSupportPower(IUnivariateDistribution d0, IUnivariateDistribution d1, long n)
    {
        double q1 = d1.Sf(d0.UpperBound) + d1.Cdf(d0.LowerBound);
        return -StandardNormal.ExpMinusOne(n * StandardNormal.LogOnePlus(-q1));
    }

    /// <summary>The t with P₀(|X| &gt; t) = q (symmetric laws about 0).</summary>
    private static double Threshold(IUnivariateDistribution d0, double q) => d0.InvCdf(1 - q / 2) is var t && double.IsFinite(t) ? t : -d0.InvCdf(q / 2);

    public static string Render(IReadOnlyList<Row> rows)
    {
        static string P(double? v) => v is double x && double.IsFinite(x) ? (x < 0.01 ? x.ToString("G2", CultureInfo.InvariantCulture) : x.ToString("0.00", CultureInfo.InvariantCulture)) + " %" : "—";
        static string L(double? v) => v is double x && double.IsFinite(x) ? x.ToString("G2", CultureInfo.InvariantCulture) : "—";
        var sb = new StringBuilder();
        sb.AppendLine("power table (analytic, one check on one case of n values; detect = two-sided p < 1e-6 with probability 0.999):");
        sb.AppendLine("  stddev error: smallest ε with the law scaled by 1+ε (wider) / 1-ε (narrower); leak: smallest fraction of values beyond the bound");
        sb.AppendLine($"{"law",-14} {"check",-16} {"n",9} {"wider",10} {"narrower",10} {"leak rate",10}");
        foreach (var r in rows)
            sb.AppendLine($"{r.Family,-14} {r.Check,-16} {"2^" + Math.Log2(r.N),9} {P(r.WiderPercent),10} {P(r.NarrowerPercent),10} {L(r.LeakRate),10}");
        return sb.ToString();
    }
}
