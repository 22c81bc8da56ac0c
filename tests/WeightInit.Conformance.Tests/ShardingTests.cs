using System.Text.Json;
using System.Text.Json.Nodes;
using NUnit.Framework;
using WeightInit.Conformance.Engine;
using WeightInit.Conformance.Gate;
using WeightInit.Conformance.Reports;

namespace WeightInit.Conformance.Tests;

/// <summary>
/// Sharded runs: the split is a stable function of the case id, every case lands in exactly one shard, the merged
/// reports of the shards equal the unsharded run case for case and check for check (timings aside), and merge refuses
/// shards that do not form one run, naming the file.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class ShardingTests
{
    private const string Filter = "glorot_uniform";
    private const int Shards = 3;
    private string _temp = null!;
    private string _whole = null!;
    private string[] _shardReports = null!;
    private string _catalogFolder = null!;

    [OneTimeSetUp]
    public void RunWholeAndShards()
    {
        _temp = Directory.CreateTempSubdirectory("harness-shards").FullName;
        _catalogFolder = Path.Combine(TestPaths.RepoRoot, "conformance", "cases");
        _whole = Path.Combine(_temp, "whole");
        CheckJob.Run(TestPaths.Suts, new CheckRequest(TestPaths.RepoRoot, Out: _whole, Filter: Filter, MaxParallelCases: 2));
        _shardReports = Enumerable.Range(1, Shards).Select(i =>
        {
            var dir = Path.Combine(_temp, $"shard-{i}");
            CheckJob.Run(TestPaths.Suts, new CheckRequest(TestPaths.RepoRoot, Out: dir, Filter: Filter, MaxParallelCases: 2, Shard: new ShardSpec(i, Shards)));
            return Path.Combine(dir, ReportWriter.JsonFile);
        }).ToArray();
    }

    [OneTimeTearDown]
    public void Delete() => Directory.Delete(_temp, true);

    [Test]
    public void Fnv1a_matches_the_published_test_vectors()
    {
        // FNV-1a 64-bit: the empty input gives the offset basis; "a" and "foobar" are the reference implementation's vectors.
        Assert.That(ShardSpec.Fnv1a64([]), Is.EqualTo(0xcbf29ce484222325UL));
        Assert.That(ShardSpec.Fnv1a64("a"u8), Is.EqualTo(0xaf63dc4c8601ec8cUL));
        Assert.That(ShardSpec.Fnv1a64("foobar"u8), Is.EqualTo(0x85944171f73967e8UL));
    }

    [TestCase("0/3")]
    [TestCase("4/3")]
    [TestCase("1/0")]
    [TestCase("1-3")]
    [TestCase("a/b")]
    [TestCase("1/3/5")]
    public void A_malformed_shard_is_refused_naming_it(string text)
    {
        var ex = Assert.Throws<ShardSpecException>(() => ShardSpec.Parse(text))!;
        Assert.That(ex.Message, Does.Contain($"'{text}'"));
    }

    [Test]
    public void Every_case_is_in_exactly_one_shard_and_the_split_ignores_catalog_order()
    {
        var catalog = CaseCatalog.LoadFromRepository(TestPaths.RepoRoot);
        foreach (int n in new[] { 1, 2, 3, 4, 7 })
        {
            var shards = Enumerable.Range(1, n).Select(i => new ShardSpec(i, n)).ToArray();
            foreach (var c in catalog.Cases)
                Assert.That(shards.Count(s => s.Contains(c.Id)), Is.EqualTo(1), $"{c.Id} in {n} shards");
            // The shard of a case depends on its id alone: the same ids in reverse order land in the same shards.
            var forward = catalog.Cases.Select(c => ShardSpec.Of(c.Id, n)).ToArray();
            var reversed = catalog.Cases.Reverse().Select(c => ShardSpec.Of(c.Id, n)).Reverse().ToArray();
            Assert.That(reversed, Is.EqualTo(forward));
        }
        // Four shards of the real catalog are all non-empty (the hash spreads the ids).
        Assert.That(Enumerable.Range(1, 4).Select(i => catalog.Cases.Count(c => ShardSpec.Of(c.Id, 4) == i)), Has.All.GreaterThan(0));
    }

    [Test]
    public void Shard_reports_record_the_shard_and_the_catalog_fingerprint()
    {
        var fingerprint = CatalogFingerprint.Of(_catalogFolder);
        for (int i = 0; i < Shards; i++)
        {
            var options = JsonNode.Parse(File.ReadAllText(_shardReports[i]))!["options"]!;
            Assert.That((string?)options["shard"], Is.EqualTo($"{i + 1}/{Shards}"));
            Assert.That((string?)options["catalog_sha256"], Is.EqualTo(fingerprint));
        }
        Assert.That((string?)JsonNode.Parse(File.ReadAllText(Path.Combine(_whole, ReportWriter.JsonFile)))!["options"]!["shard"], Is.Null);
    }

    [Test]
    public void Merged_shards_equal_the_unsharded_run_case_for_case_and_check_for_check()
    {
        var merged = Path.Combine(_temp, "merged");
        var outcome = ReportMerge.Run(_shardReports, _catalogFolder, merged);
        Assert.That(outcome.Files.Select(Path.GetFileName), Is.EquivalentTo(ReportWriter.Files));
        var whole = JsonNode.Parse(File.ReadAllText(Path.Combine(_whole, ReportWriter.JsonFile)))!;
        var joined = JsonNode.Parse(File.ReadAllText(Path.Combine(merged, ReportWriter.JsonFile)))!;

        var wholeCases = whole["cases"]!.AsArray();
        var joinedCases = joined["cases"]!.AsArray();
        Assert.That(joinedCases.Select(c => (string?)c!["id"]), Is.EqualTo(wholeCases.Select(c => (string?)c!["id"])), "same cases in catalog order");
        Assert.That(wholeCases, Has.Count.GreaterThan(Shards), "the filter keeps enough cases to spread over the shards");
        for (int i = 0; i < wholeCases.Count; i++)
            Assert.That(joinedCases[i]!.ToJsonString(), Is.EqualTo(wholeCases[i]!.ToJsonString()), $"case {wholeCases[i]!["id"]}: every field and check");
        Assert.That(joined["summary"]!.ToJsonString(), Is.EqualTo(whole["summary"]!.ToJsonString()));
        Assert.That(joined["drift"]!.ToJsonString(), Is.EqualTo(whole["drift"]!.ToJsonString()), "the drift table");
        Assert.That(joined["passed"]!.GetValue<bool>(), Is.EqualTo(whole["passed"]!.GetValue<bool>()));
        Assert.That(joined["reference"]!.ToJsonString(), Is.EqualTo(whole["reference"]!.ToJsonString()));
        // The JUnit report lists the same test cases (timings aside).
        Assert.That(TestNames(Path.Combine(merged, ReportWriter.JUnitFile)), Is.EqualTo(TestNames(Path.Combine(_whole, ReportWriter.JUnitFile))));
    }

    private static string[] TestNames(string junit) =>
        System.Xml.Linq.XDocument.Load(junit).Descendants("testcase").Select(t => $"{t.Attribute("classname")?.Value}|{t.Attribute("name")?.Value}|{t.Elements().Select(e => e.Name.LocalName).FirstOrDefault()}").ToArray();

    [Test]
    public void A_missing_shard_is_refused()
    {
        var ex = Assert.Throws<ReportException>(() => ReportMerge.Run(_shardReports[..2], _catalogFolder, Path.Combine(_temp, "m1")))!;
        Assert.That(ex.Message, Does.Contain(_shardReports[0]).And.Contain($"3/{Shards}").And.Contain("missing"));
    }

    [Test]
    public void A_shard_given_twice_is_refused_as_overlapping()
    {
        var copy = CopyReport(_shardReports[1], "dup", _ => { });
        var ex = Assert.Throws<ReportException>(() => ReportMerge.Run([.. _shardReports, copy], _catalogFolder, Path.Combine(_temp, "m2")))!;
        Assert.That(ex.Message, Does.StartWith(copy).And.Contain("overlaps"));
    }

    [Test]
    public void A_report_of_another_catalog_is_refused()
    {
        var other = CopyReport(_shardReports[2], "catalog", j => j["options"]!["catalog_sha256"] = "sha256:0000");
        var ex = Assert.Throws<ReportException>(() => ReportMerge.Run([_shardReports[0], _shardReports[1], other], _catalogFolder, Path.Combine(_temp, "m3")))!;
        Assert.That(ex.Message, Does.StartWith(other).And.Contain("another case catalog"));
    }

    [Test]
    public void A_report_of_another_sut_is_refused()
    {
        var other = CopyReport(_shardReports[2], "sut", j => j["sut"] = "mutant:fans-swapped");
        var ex = Assert.Throws<ReportException>(() => ReportMerge.Run([_shardReports[0], _shardReports[1], other], _catalogFolder, Path.Combine(_temp, "m4")))!;
        Assert.That(ex.Message, Does.StartWith(other).And.Contain("SUT"));
    }

    [Test]
    public void A_report_of_other_reference_data_is_refused()
    {
        var other = CopyReport(_shardReports[2], "reference", j => j["reference"]!["framework_version"] = "3.0.0");
        var ex = Assert.Throws<ReportException>(() => ReportMerge.Run([_shardReports[0], _shardReports[1], other], _catalogFolder, Path.Combine(_temp, "m5")))!;
        Assert.That(ex.Message, Does.StartWith(other).And.Contain("reference.framework_version"));
    }

    [Test]
    public void An_unsharded_report_is_refused()
    {
        var whole = Path.Combine(_whole, ReportWriter.JsonFile);
        var ex = Assert.Throws<ReportException>(() => ReportMerge.Run([whole, .. _shardReports], _catalogFolder, Path.Combine(_temp, "m6")))!;
        Assert.That(ex.Message, Does.StartWith(whole).And.Contain("not a shard"));
    }

    private string CopyReport(string source, string tag, Action<JsonNode> change)
    {
        var node = JsonNode.Parse(File.ReadAllText(source))!;
        change(node);
        var dir = Path.Combine(_temp, "altered-" + tag);
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, ReportWriter.JsonFile);
        File.WriteAllText(path, node.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return path;
    }
}
