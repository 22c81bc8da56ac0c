using NUnit.Framework;
using WeightInit.Conformance.Ecosystem;
using WeightInit.Conformance.Gate;
using WeightInit.Conformance.Reports;
using WeightInit.Conformance.Sut;
using WeightInit.Testing;

namespace WeightInit.Conformance.Tests;

/// <summary>The ecosystem table: columns, cells, stored-data replay, absent implementations and the atomic write.</summary>
[TestFixture]
public sealed class EcosystemTests
{
    private static readonly Lazy<CaseCatalog> Catalog = new(() => CaseCatalog.LoadFromRepository(TestPaths.RepoRoot));

    private static EcosystemColumn Absent(string id, string reason) =>
        new(id, $"{id} (live)", ColumnKind.LiveFramework, () => throw new SutResolutionException(reason));

    private static readonly Lazy<EcosystemReport> Small = new(() => EcosystemRun.Run(
        new EcosystemRequest(TestPaths.RepoRoot, Filter: "glorot_uniform", MaxParallelCases: 2),
        [
            new EcosystemColumn("csharp", "this library", ColumnKind.Library, () => new LibraryUnderTest()),
            EcosystemRun.StoredColumn(TestPaths.RepoRoot, Catalog.Value, Framework.Keras),
            EcosystemRun.StoredColumn(TestPaths.RepoRoot, Catalog.Value, Framework.PyTorch),
            Absent("nowhere", "nowhere is not installed (test column)"),
        ]));

    [Test]
    public void Rows_are_the_filtered_catalog_cases_under_their_article_scheme()
    {
        var r = Small.Value;
        var expected = Catalog.Value.Cases.Where(c => c.Id.Contains("glorot_uniform", StringComparison.OrdinalIgnoreCase)).Select(c => c.Id).ToArray();
        Assert.That(r.Rows.Select(x => x.CaseId), Is.EquivalentTo(expected));
        Assert.That(r.Rows.Select(x => x.Scheme).Distinct(), Is.EqualTo(new[] { "Xavier/Glorot uniform: limit = √(6/(fan_in + fan_out))" }));
        Assert.That(r.Columns.Select(c => c.Id), Is.EqualTo(new[] { "csharp", "stored-keras", "stored-pytorch", "nowhere" }));
        Assert.That(r.Rows.All(x => x.Cells.Count == 4));
    }

    [Test]
    public void Library_cells_carry_the_verdict_and_figures_at_the_catalog_n()
    {
        var row = Small.Value.Rows.Single(x => x.CaseId == "glorot_uniform-3x4-f32");
        var cell = row.Cells[0];
        Assert.That(cell.Status, Is.EqualTo("pass"), cell.Diagnosis);
        Assert.That(cell.N, Is.EqualTo(Catalog.Value.Cases.Single(c => c.Id == row.CaseId).N));
        Assert.That(cell.VarianceRatio, Is.EqualTo(1.0).Within(0.02));
        Assert.That(cell.KsD, Is.Not.Null.And.LessThan(0.01));
        Assert.That(cell.KsP, Is.GreaterThan(1e-3));
        Assert.That(cell.Support, Is.Not.Null.And.Not.Empty);
        Assert.That(EcosystemWriter.CellText(cell, false), Does.StartWith("pass: var ×"));
    }

    [Test]
    public void Stored_data_is_replayed_with_n_equal_to_what_is_stored()
    {
        var data = ReferenceData.Load(ReferenceData.ShippedFolderOf(TestPaths.RepoRoot, Framework.Keras));
        foreach (var row in Small.Value.Rows)
        {
            var cell = row.Cells[1];
            Assert.That(cell.Status, Is.EqualTo("pass"), $"{row.CaseId}: {cell.Diagnosis}");
            Assert.That(cell.N, Is.EqualTo(data.Case(row.CaseId).Values), row.CaseId);
            Assert.That(cell.SampleNote, Does.StartWith("n = stored"), row.CaseId);
            Assert.That(EcosystemWriter.CellText(cell, false), Does.Contain("n = stored"));
            Assert.That(row.Cells[2].Status, Is.EqualTo("not covered"), "the PyTorch data holds no Keras case");
        }
    }

    [Test]
    public void A_partly_stored_deterministic_tensor_is_checked_on_its_stored_prefix()
    {
        // constant-0.5-3x3x64x128-f32: the data keeps 32768 of the 73728 values.
        var r = EcosystemRun.Run(new EcosystemRequest(TestPaths.RepoRoot, Filter: "constant-0.5-3x3x64x128"),
            [EcosystemRun.StoredColumn(TestPaths.RepoRoot, Catalog.Value, Framework.Keras)]);
        var cell = r.Rows.Single().Cells.Single();
        Assert.That(cell.Status, Is.EqualTo("pass"), cell.Diagnosis);
        Assert.That(cell.N, Is.EqualTo(32768));
        Assert.That(cell.SampleNote, Does.Contain("32768 of the tensor's 73728"));
    }

    [Test]
    public void An_absent_implementation_keeps_its_column_with_the_reason()
    {
        var r = Small.Value;
        var info = r.Columns.Single(c => c.Id == "nowhere");
        Assert.That(info.Absent, Is.EqualTo("nowhere is not installed (test column)"));
        Assert.That(r.Rows.Select(x => x.Cells[3].Status), Is.All.EqualTo("absent"));
        Assert.That(r.Rows.Select(x => x.Cells[3].Diagnosis), Is.All.EqualTo("nowhere is not installed (test column)"));
        var md = EcosystemWriter.Render(r).Single(f => f.Path == EcosystemWriter.MarkdownFile).Content;
        Assert.That(md, Does.Contain("absent: nowhere is not installed (test column)"));
        Assert.That(md, Does.Contain("## Findings"));
    }

    [Test]
    public void Replay_returns_the_stored_values_and_NaN_only_past_them()
    {
        var data = ReferenceData.Load(ReferenceData.ShippedFolderOf(TestPaths.RepoRoot, Framework.Keras));
        var sut = new StoredDataSut(data, Catalog.Value, Framework.Keras);
        var c = Catalog.Value.Cases.Single(x => x.Id == "glorot_uniform-5x5x5x8x16-f32");   // 32768 stored = 2.05 tensors of 16000
        var stored = data.Values(c.Id).Single!;
        var batch = (float[])sut.SampleBatch(c.Initializer, c.ConfigJson, c.Shape.ToArray(), c.Seeds!.First, 3, "float32");
        Assert.That(batch.Take(stored.Length), Is.EqualTo(stored));
        Assert.That(batch.Skip(stored.Length), Is.All.NaN);
        var second = (float[])sut.Sample(c.Initializer, c.ConfigJson, c.Shape.ToArray(), c.Seeds.First + 1, "float32");
        Assert.That(second, Is.EqualTo(stored.Skip(16000).Take(16000)));
        Assert.That(() => sut.Sample("GlorotUniform", "{}", [9, 9], 1, "float32"), Throws.InstanceOf<NotApplicableException>().With.Message.Contains("9, 9"));
    }

    [Test]
    public void Live_columns_run_or_say_why_they_are_absent()
    {
        // The zero-size case is cheap on every implementation; each live framework either runs it or is absent with a reason.
        var columns = EcosystemRun.StandardColumns(TestPaths.Suts, TestPaths.RepoRoot, Catalog.Value);
        var r = EcosystemRun.Run(new EcosystemRequest(TestPaths.RepoRoot, Filter: "glorot_uniform-4x0"), columns);
        var row = r.Rows.Single();
        var absent = new List<string>();
        foreach (var (info, cell) in r.Columns.Zip(row.Cells))
        {
            if (info.Absent is not null)
            {
                Assert.That(info.Absent, Is.Not.Empty);
                Assert.That(cell.Status, Is.EqualTo("absent"));
                absent.Add($"{info.Label}: {info.Absent}");
            }
            else if (info.Id != "torch" && info.Id != "stored-pytorch")
                Assert.That(cell.Status, Is.EqualTo("pass"), $"{info.Label}: {cell.Diagnosis}");
            else
                Assert.That(cell.Status, Is.EqualTo("not covered"), info.Label);
        }
        Assert.That(r.Columns.Single(c => c.Id == "csharp").Absent, Is.Null);
        if (absent.Count > 0) Assert.Ignore("live implementation(s) absent, their columns say why: " + string.Join("; ", absent));
    }

    [Test]
    public void Write_replaces_the_folder_atomically_and_a_file_path_fails_cleanly()
    {
        var parent = Directory.CreateTempSubdirectory("eco-write").FullName;
        try
        {
            var dir = Path.Combine(parent, "eco");
            Directory.CreateDirectory(dir);
            File.WriteAllText(Path.Combine(dir, "stale.txt"), "old");
            var files = EcosystemWriter.Write(Small.Value, dir);
            Assert.That(files.Select(Path.GetFileName), Is.EqualTo(new[] { "ecosystem.md", "ecosystem.json", "ecosystem.html" }));
            Assert.That(File.Exists(Path.Combine(dir, "stale.txt")), Is.False, "the folder is replaced as a whole");
            Assert.That(Directory.GetDirectories(parent).Select(Path.GetFileName), Is.EqualTo(new[] { "eco" }), "no temporary folder left");
            Assert.That(File.ReadAllText(files[1]), Does.Contain("\"rows\""));

            var blocker = Path.Combine(parent, "file");
            File.WriteAllText(blocker, "keep");
            Assert.That(() => EcosystemWriter.Write(Small.Value, blocker), Throws.InstanceOf<ReportException>().With.Message.Contains("is a file"));
            Assert.That(File.ReadAllText(blocker), Is.EqualTo("keep"));
            Assert.That(Directory.GetDirectories(parent).Select(Path.GetFileName), Is.EqualTo(new[] { "eco" }));
        }
        finally { Directory.Delete(parent, true); }
    }

    [TestCase("not rescaled", "expected")]
    [TestCase("some other diagnosis", "new")]
    public void Failures_are_labelled_from_the_expectations_file(string diagnosis, string label)
    {
        var check = new WeightInit.Conformance.Checks.CheckResult("he_normal-64x32-f64", WeightInit.Conformance.Checks.CheckId.Variance,
            WeightInit.Conformance.Checks.Verdict.Fail, 0.77, 1e-40, 1000, "ratio 1", "ratio 0.77", "variance 0.77x target: the truncated normal is not rescaled");
        var outcome = new WeightInit.Conformance.Engine.CaseOutcome("he_normal-64x32-f64", "t", "HeNormal", "{}", [64, 32], DType.Float64, "law", 1000,
            [check], new WeightInit.Conformance.Engine.CaseStatistics(0.77, 0.03, 0, 1000), null, null);
        var run = new WeightInit.Conformance.Engine.RunReport(DateTimeOffset.UtcNow, TimeSpan.Zero, "x", new Dictionary<string, string>(), new Dictionary<string, string>(),
            WeightInit.Conformance.Checks.GateThresholds.Default, [outcome]);
        var file = Path.Combine(Directory.CreateTempSubdirectory("eco-exp").FullName, "x.json");
        File.WriteAllText(file, $$"""
            {"schema": "weightinit-expectations/1", "sut": "x", "description": "test",
             "expected": [{"cases": "he_normal-*", "check": "variance", "verdict": "fail", "diagnosis": "{{diagnosis}}",
                           "evidence": "variance ratio 0.77 at n = 1000", "upstream": "https://example.org/issue"}]}
            """);
        try
        {
            var sorted = WeightInit.Conformance.Expectations.ExpectationReport.Sort(run, WeightInit.Conformance.Expectations.ExpectationsFile.Load(file));
            var cell = EcosystemRun.CellOf("x", outcome, null, sorted);
            Assert.That(cell.Status, Is.EqualTo("fail"));
            Assert.That(cell.Expectation, Is.EqualTo(label));
            Assert.That(EcosystemWriter.CellText(cell, false), Does.StartWith($"**FAIL** ({label})"));
            Assert.That(cell.Lead, Does.StartWith("variance: "));
        }
        finally { Directory.Delete(Path.GetDirectoryName(file)!, true); }
    }

    [Test]
    public void A_filter_matching_nothing_is_a_typed_error() =>
        Assert.That(() => EcosystemRun.Run(new EcosystemRequest(TestPaths.RepoRoot, Filter: "no-such-case-xyz"), []),
            Throws.InstanceOf<ReportException>().With.Message.Contains("no-such-case-xyz"));
}
