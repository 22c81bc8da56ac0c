using System.CommandLine;
using System.Diagnostics;
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

    /// <summary>The power table's rows carry the gate's check ids.</summary>
    public static readonly PowerTable.CheckNames PowerCheckNames = new(CheckId.Variance.ToString(), CheckId.Ks.ToString(), CheckId.ChiSquare.ToString(),
        CheckId.MaxAbs.ToString(), CheckId.Support.ToString(), CheckId.AndersonDarling.ToString());

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
                Console.Write(PowerTable.Render(PowerTable.Compute(PowerCheckNames)));
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
            var power = PowerTable.Compute(PowerCheckNames);
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
