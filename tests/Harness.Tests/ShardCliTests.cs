using NUnit.Framework;

namespace Harness.Tests;

/// <summary>harness check --shard and harness merge on the command line: bad input gives one line naming the value or file.</summary>
public sealed class ShardCliTests : CliFixture
{
    [TestCase("0/4")]
    [TestCase("5/4")]
    [TestCase("two/4")]
    public void A_bad_shard_is_one_line_naming_it(string shard) =>
        AssertOneLineError(Run("check", "--shard", shard, "--out", Path.Combine(Dir, "out")), $"'{shard}'");

    [Test]
    public void A_missing_catalog_folder_is_one_line_naming_it()
    {
        var missing = Path.Combine(Dir, "no-catalog");
        AssertOneLineError(Run("check", "--catalog", missing, "--filter", "he_normal-1x1", "--out", Path.Combine(Dir, "out")), missing);
    }

    [Test]
    public void Merge_of_a_missing_report_is_one_line_naming_it()
    {
        var missing = Path.Combine(Dir, "shard-1", "report.json");
        AssertOneLineError(Run("merge", missing, "--out", Path.Combine(Dir, "merged")), missing);
        Assert.That(Directory.Exists(Path.Combine(Dir, "merged")), Is.False, "no report on bad input");
    }

    [Test]
    public void A_shard_run_then_merge_reproduces_the_unsharded_verdict()
    {
        var shards = new[] { "1/2", "2/2" }.Select((s, i) =>
        {
            var outDir = Path.Combine(Dir, $"shard-{i + 1}");
            var r = Run("check", "--shard", s, "--filter", "he_normal", "--baseline", "none", "--out", outDir);
            Assert.That(r.Code, Is.Zero, r.Out + r.Err);
            return Path.Combine(outDir, "report.json");
        }).ToArray();
        var merged = Run("merge", shards[0], shards[1], "--out", Path.Combine(Dir, "merged"));
        Assert.That(merged.Code, Is.Zero, merged.Out + merged.Err);
        var whole = Run("check", "--filter", "he_normal", "--out", Path.Combine(Dir, "whole"));
        Assert.That(merged.Out.Split('\n')[0], Is.EqualTo(whole.Out.Split('\n').First(l => l.StartsWith("PASSED") || l.StartsWith("FAILED"))));
    }
}
