using System.Text.Json;
using System.Text.Json.Nodes;
using Harness.Commands;
using NUnit.Framework;

namespace Harness.Tests;

/// <summary>
/// `harness calibrate`: records, merging of disjoint blocks, bad records, and the binomial intervals behind the README's
/// false-alarm figures. Runs at a small n so a seed set takes well under a second.
/// </summary>
[TestFixture]
[NonParallelizable] // redirects Console
public class CalibrateTests : CliFixture
{
    private string Calibrate(int first, int runs)
    {
        string path = Path.Combine(Dir, $"sets-{first}-{first + runs - 1}.json");
        var (code, output, error) = Run("calibrate", "--runs", $"{runs}", "--first-set", $"{first}", "--n", "1024", "--json", path);
        Assert.That(code, Is.Zero, error);
        Assert.That(output, Does.Contain($"K = {runs} independent seed sets ({(runs == 1 ? $"{first}" : $"{first}-{first + runs - 1}")})"));
        return path;
    }

    private static JsonNode Summary(string path) => JsonNode.Parse(File.ReadAllText(path))!["summary"]!;

    [Test]
    public void Merged_blocks_equal_one_run_over_the_same_seed_sets()
    {
        string a = Calibrate(1, 2), b = Calibrate(3, 1), whole = Calibrate(1, 3);
        string merged = Path.Combine(Dir, "merged.json");
        var (code, output, error) = Run("calibrate", "--merge", b, a, "--json", merged);
        Assert.That(code, Is.Zero, error);
        Assert.That(output, Does.Contain("merged 2 calibration records: 3 seed sets").And.Contain("(1-3)"));
        JsonNode m = Summary(merged), w = Summary(whole);
        foreach (var field in new[] { "runs", "failed_runs", "runs_with_suspect", "gated_p_values_per_run", "p_values", "below1e3", "seed_sets" })
            Assert.That(m[field]!.ToJsonString(), Is.EqualTo(w[field]!.ToJsonString()), field);
        // per check: the same p-values in a different order give the same counts and the same second-level KS statistic
        Assert.That(m["checks"]!.ToJsonString(), Is.EqualTo(w["checks"]!.ToJsonString()));
        var runs = JsonNode.Parse(File.ReadAllText(whole))!["runs"]!.AsArray();
        Assert.That(runs.Select(r => (int)r!["set"]!), Is.EqualTo(new[] { 1, 2, 3 }));
        Assert.That(runs.All(r => (int)r!["gated"]! > 400), "every seed set gates several hundred p-values");
    }

    [Test]
    public void Overlapping_or_mismatched_blocks_are_refused_with_one_line()
    {
        string a = Calibrate(1, 1);
        string other = Path.Combine(Dir, "n2048.json");
        Assert.That(Run("calibrate", "--runs", "1", "--first-set", "2", "--n", "2048", "--json", other).Code, Is.Zero);
        AssertOneLineError(Run("calibrate", "--merge", a, a), "seed sets 1 are already in the calibration");
        AssertOneLineError(Run("calibrate", "--merge", a, other), "sample size n = 2048 differs from n = 1024");
    }

    [Test]
    public void A_truncated_edited_or_missing_record_is_refused_naming_the_file()
    {
        string a = Calibrate(1, 1);
        var node = JsonNode.Parse(File.ReadAllText(a))!;
        var firstCheck = node["p_values"]!.AsObject().First().Value!.AsArray();
        firstCheck.RemoveAt(0);
        string edited = Path.Combine(Dir, "edited.json");
        File.WriteAllText(edited, node.ToJsonString());
        AssertOneLineError(Run("calibrate", "--merge", edited), "edited.json");
        AssertOneLineError(Run("calibrate", "--merge", edited), "truncated or edited");

        string cut = Path.Combine(Dir, "cut.json");
        File.WriteAllText(cut, File.ReadAllText(a)[..200]);
        AssertOneLineError(Run("calibrate", "--merge", cut), "cut.json");

        string wrong = Path.Combine(Dir, "wrong.json");
        File.WriteAllText(wrong, "{\"format\": \"something-else\"}");
        AssertOneLineError(Run("calibrate", "--merge", wrong), "not a calibration record");

        AssertOneLineError(Run("calibrate", "--merge", Path.Combine(Dir, "absent.json")), "absent.json");
    }

    [TestCase("--runs", "0", "--runs must be >= 1")]
    [TestCase("--first-set", "0", "--first-set must be >= 1")]
    [TestCase("--n", "-5", "--n must be >= 1")]
    public void Bad_arguments_exit_non_zero_naming_the_value(string option, string value, string message) =>
        AssertOneLineError(Run("calibrate", option, value), message);

    [Test]
    public void Clopper_pearson_intervals_match_the_beta_quantiles()
    {
        // 0 of n: upper = 1 - (alpha/2)^(1/n), the "rule of three" bound ~3.7/n at 95 %
        var (lo, hi) = ClopperPearson.Interval(0, 1000);
        Assert.That(lo, Is.Zero);
        Assert.That(hi, Is.EqualTo(1 - Math.Pow(0.025, 1.0 / 1000)).Within(1e-12));
        // 5 of 10 (scipy.stats.binomtest(5, 10).proportion_ci(): 0.1870860284474045, 0.8129139715525955)
        (lo, hi) = ClopperPearson.Interval(5, 10);
        Assert.That(lo, Is.EqualTo(0.1870860284474045).Within(1e-10));
        Assert.That(hi, Is.EqualTo(0.8129139715525955).Within(1e-10));
        (lo, hi) = ClopperPearson.Interval(10, 10);
        Assert.That(hi, Is.EqualTo(1));
        Assert.That(lo, Is.EqualTo(Math.Pow(0.025, 1.0 / 10)).Within(1e-12));
    }

    [Test]
    public void Power_table_shrinks_like_one_over_root_n_and_uniform_bounds_catch_leaks()
    {
        var rows = PowerTable.Compute();
        var variance = rows.Where(r => r.Family == "normal" && r.Check == "variance").OrderBy(r => r.N).ToArray();
        Assert.That(variance, Has.Length.EqualTo(PowerTable.Sizes.Length));
        for (int i = 1; i < variance.Length; i++)   // n x4 -> detectable error /2
            Assert.That(variance[i].WiderPercent!.Value / variance[i - 1].WiderPercent!.Value, Is.EqualTo(0.5).Within(0.02));
        // a correct variance test at n = 2^18 on a normal law: z(1e-6/2) + z(0.999) = 8.0 sd of sqrt(2/n) -> ~1.1 %
        var at18 = variance.Single(r => r.N == 1L << 18);
        Assert.That(at18.WiderPercent, Is.EqualTo(100 * (Math.Sqrt(1 + (4.8916 + 3.0902) * Math.Sqrt(2.0 / (1 << 18))) - 1)).Within(0.05));
        // support: one leak among n values fails, so P(detect) = 1-(1-q)^n = 0.999 -> q = 1 - 0.001^(1/n) ≈ 6.9/n
        var support = rows.Single(r => r.Family == "uniform" && r.Check == "support" && r.N == 1L << 18);
        Assert.That(support.LeakRate, Is.EqualTo(1 - Math.Pow(0.001, 1.0 / (1 << 18))).Within(1e-6).Percent);
    }

    /// <summary>
    /// The analytic power table checked by simulation at its smallest n (2^14), 300 fixed-seed replicates per row: at the
    /// tabulated stddev error the check detects (p &lt; 1e-6) at least 99 % of the time (table: 99.9 %; KS is a lower bound
    /// on power, so it may detect more), and at 0.7× that error the variance and chi-square checks detect clearly less —
    /// so the figures are neither optimistic nor loose.
    /// </summary>
    [TestCase("normal", "variance")]
    [TestCase("normal", "KS")]
    [TestCase("normal", "chi-square(100)")]
    [TestCase("truncnorm(±2)", "variance")]
    [TestCase("truncnorm(±2)", "chi-square(100)")]
    [TestCase("uniform", "variance")]
    [TestCase("uniform", "KS")]
    [TestCase("uniform", "chi-square(100)")]
    public void Power_table_holds_by_simulation(string family, string check)
    {
        const int n = 1 << 14, reps = 300;
        var row = PowerTable.Compute().Single(r => r.Family == family && r.Check == check && r.N == n);
        double epsilon = row.WiderPercent!.Value / 100;
        WeightInit.Statistics.IUnivariateDistribution Law(double f) => family switch
        {
            "normal" => new WeightInit.Statistics.NormalDistribution(0, f),
            "truncnorm(±2)" => new WeightInit.Statistics.TruncatedNormalDistribution(0, f),
            _ => new WeightInit.Statistics.UniformDistribution(-f, f),
        };
        var null0 = Law(1);
        double Detection(double eps, int seed)
        {
            var law = Law(1 + eps);
            var rng = new Random(seed);
            var x = new double[n];
            int detected = 0;
            for (int rep = 0; rep < reps; rep++)
            {
                for (int i = 0; i < n; i++) x[i] = law.InvCdf((rng.Next(1 << 30) + 0.5) / (1 << 30));
                double p = check switch
                {
                    "variance" => WeightInit.Statistics.StatisticalTests.Variance(x, null0).PValue,
                    "KS" => WeightInit.Statistics.StatisticalTests.KolmogorovSmirnov(x, null0).PValue,
                    _ => WeightInit.Statistics.StatisticalTests.ChiSquareEquiprobable(x, null0, 100).PValue,
                };
                if (p < PowerTable.Alpha) detected++;
            }
            return detected / (double)reps;
        }
        double atTable = Detection(epsilon, 1), below = Detection(0.7 * epsilon, 2);
        TestContext.Out.WriteLine($"{family} {check} n=2^14: detected {atTable:P1} at +{row.WiderPercent:F2} %, {below:P1} at 0.7x");
        Assert.That(atTable, Is.GreaterThanOrEqualTo(0.99), $"{family} {check}: stddev +{row.WiderPercent:F2} % at n = 2^14");
        if (check != "KS")
            Assert.That(below, Is.LessThan(0.97), $"{family} {check}: 0.7 x the tabulated error should not be detected reliably");
    }
}
