using System.Text.Json;
using System.Text.Json.Nodes;
using Harness.Commands;
using NUnit.Framework;
using WeightInit.Conformance.Checks;
using WeightInit.Statistics;

namespace Harness.Tests;

/// <summary>
/// `harness calibrate`: records, merging of disjoint blocks, bad records, and the power table's link to the gate.
/// Runs at a small n so a seed set takes well under a second.
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

    /// <summary>
    /// The statistics themselves (Clopper–Pearson, the power table and its simulation check) are tested in
    /// WeightInit.Statistics.Tests; here: the CLI ties them to the gate — the table's level is the gate's failure
    /// threshold and its rows carry the gate's check ids.
    /// </summary>
    [Test]
    public void Power_table_uses_the_gates_level_and_check_names()
    {
        Assert.That(PowerTable.Alpha, Is.EqualTo(GateThresholds.Default.FailP));
        var (code, output, error) = Run("calibrate", "--power-only");
        Assert.That(code, Is.Zero, error);
        Assert.That(output, Does.StartWith("power table (analytic, one check on one case of n values; detect = two-sided p < 1e-6 with probability 0.999):"));
        var checks = PowerTable.Compute(CalibrateCommand.PowerCheckNames).Select(r => r.Check).Distinct();
        Assert.That(checks, Is.EquivalentTo(new[]
        {
            CheckId.Variance.ToString(), CheckId.Ks.ToString(), CheckId.ChiSquare.ToString(),
            CheckId.MaxAbs.ToString(), CheckId.Support.ToString(), CheckId.AndersonDarling.ToString(),
        }));
        foreach (var check in checks) Assert.That(output, Does.Contain($" {check} "), check);
    }
}
