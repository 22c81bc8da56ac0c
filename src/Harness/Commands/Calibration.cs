using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using WeightInit.Conformance;
using WeightInit.Conformance.Checks;
using WeightInit.Conformance.Engine;
using WeightInit.Statistics;
using WeightInit.Testing;

namespace Harness.Commands;

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

    /// <summary>The levels the calibration counts p-values against: the gate's own failure and suspect thresholds.</summary>
    public static GateThresholds Thresholds => GateThresholds.Default;

    /// <summary>A threshold as the reports write it ("1e-6").</summary>
    public static string Level(double p) => p.ToString("0.##e0", CultureInfo.InvariantCulture);

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
            int m = ps.Count, fails = ps.Count(p => p < Thresholds.FailP), suspects = ps.Count(p => p < Thresholds.SuspectP);
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
        double suspectRatio = allP == 0 ? double.NaN : allSuspect / (allP * Thresholds.SuspectP);
        var sets = _runs.Select(r => r.Set).Order().ToArray();
        return new CalibrationSummary(runs, SampleSize, Seconds, failedRuns, gLo, gHi, _runs.Count(r => r.Suspect), gated,
            gated * Thresholds.FailP, gated * Thresholds.FailP * suspectRatio, allP, allSuspect, suspectRatio, _propertyFails, rows,
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
        string fail = Calibration.Level(Calibration.Thresholds.FailP), suspect = Calibration.Level(Calibration.Thresholds.SuspectP);
        var sb = new StringBuilder();
        sb.AppendLine($"calibration: K = {Runs} independent seed sets ({SeedSets}) on the correct library, n = {(SampleSize is long s ? s.ToString(CultureInfo.InvariantCulture) : "gate default (2^18)")} per random case, {Seconds:F0} s");
        sb.AppendLine($"whole gate: {FailedRuns}/{Runs} runs with a false alarm (rate 95% CI [{G(GateRateLow)}, {G(GateRateHigh)}], Clopper-Pearson); " +
            $"{RunsWithSuspect}/{Runs} runs with at least one suspect (p < {suspect})");
        sb.AppendLine($"gated p-values per run m = {GatedPValuesPerRun}: Bonferroni bound m*{fail} = {G(BonferroniBound)} per fresh seed set;");
        sb.AppendLine($"  observed p < {suspect}: {Below1e3} of {PValues} = {SuspectRatio.ToString("F2", CultureInfo.InvariantCulture)}x nominal -> extrapolated whole-gate false-alarm rate ~ {G(ExtrapolatedGateRate)}");
        sb.AppendLine($"  property checks (support, seed checks) failed: {(PropertyCheckFails.Values.Sum() == 0 ? "never" : string.Join(", ", PropertyCheckFails.Where(kv => kv.Value > 0).Select(kv => $"{kv.Key} {kv.Value}")))}");
        foreach (var alarm in FalseAlarms) sb.AppendLine($"  false alarm: {alarm}");
        sb.AppendLine();
        sb.AppendLine($"{"check",-24} {"p-values",9} {"p<" + fail,7} {"fail rate 95% CI",22} {"p<" + suspect,7} {$"rate (nominal {suspect}) 95% CI",32} {"KS of p vs U(0,1)",20}");
        foreach (var r in Checks)
            sb.AppendLine($"{r.Check,-24} {r.PValues,9} {r.Below1e6,7} {$"[{G(r.FailRateLow)}, {G(r.FailRateHigh)}]",22} {r.Below1e3,7} " +
                $"{$"{G(r.Below1e3 / (double)r.PValues)} [{G(r.SuspectRateLow)}, {G(r.SuspectRateHigh)}]",32} {$"D={G(r.UniformityKsD)} p={G(r.UniformityKsP)}",20}");
        return sb.ToString();
    }
}
