using NUnit.Framework;
using WeightInit.Conformance.Checks;
using WeightInit.Conformance.Engine;
using WeightInit.Conformance.Expectations;
using WeightInit.Conformance.Gate;

namespace WeightInit.Conformance.Tests;

/// <summary>Expectations files: every shipped one loads, and a run's failures sort into expected, new and fixed upstream?.</summary>
[TestFixture]
public class ExpectationsTests
{
    private string _temp = null!;

    [SetUp]
    public void CreateTemp() => Directory.CreateDirectory(_temp = Path.Combine(Path.GetTempPath(), "weightinit-exp-" + Guid.NewGuid().ToString("N")[..10]));

    [TearDown]
    public void DeleteTemp() { try { Directory.Delete(_temp, true); } catch (IOException) { } }

    public static IEnumerable<string> ShippedFiles() =>
        Directory.GetFiles(ExpectationsFile.FolderOf(TestPaths.RepoRoot), "*.json").Select(Path.GetFileName)!;

    [TestCaseSource(nameof(ShippedFiles))]
    public void Shipped_expectations_load_and_name_real_cases_and_checks(string file)
    {
        var catalog = CaseCatalog.LoadFromRepository(TestPaths.RepoRoot);
        var e = ExpectationsFile.Load(Path.Combine(ExpectationsFile.FolderOf(TestPaths.RepoRoot), file));
        // The checks the library's runner plans with every shipped reference (the secondary-reference checks included).
        var runner = new ConformanceRunner(catalog, ReferenceStore.Shipped(TestPaths.RepoRoot, catalog), new WeightInit.Testing.LibraryUnderTest());
        var checks = catalog.Cases.SelectMany(c => runner.PlanChecks(c)).Select(k => k.ToString()).Concat(CheckId.Known.Select(k => k.ToString())).ToHashSet();
        Assert.That(e.Sut, Is.EqualTo(Path.GetFileNameWithoutExtension(file)), "the file is named after its SUT");
        Assert.That(e.Entries, Is.Not.Empty);
        foreach (var entry in e.Entries)
        {
            Assert.That(catalog.Cases.Any(c => entry.MatchesCase(c.Id)), Is.True, $"{file}: '{entry.Cases}' matches no catalog case");
            if (entry.Check is not null)
                Assert.That(checks, Does.Contain(entry.Check), $"{file}: unknown check '{entry.Check}'");
            Assert.That(entry.Upstream, Does.Contain("http").Or.Contain(".py").Or.Contain(".ts"), $"{file}: upstream reference");
        }
    }

    private static CheckResult R(string caseId, CheckId check, Verdict v, string message) => new(caseId, check, v, 1.0, v == Verdict.Fail ? 1e-9 : 0.5, 100, "e", "o", message);

    private static RunReport Run(params CaseOutcome[] cases) =>
        new(DateTimeOffset.UnixEpoch, TimeSpan.Zero, "demo", new Dictionary<string, string>(), new Dictionary<string, string>(), GateThresholds.Default, cases);

    private static CaseOutcome Case(string id, params CheckResult[] checks) =>
        new(id, id, "HeNormal", "{}", [4], DType.Float32, "law", 100, checks, new CaseStatistics(null, null, null, 100), null, null);

    private string Write(string json)
    {
        var path = Path.Combine(_temp, "demo.json");
        File.WriteAllText(path, json);
        return path;
    }

    private const string Entry = """
        {"schema": "weightinit-expectations/1", "sut": "demo", "description": "d", "expected": [
          {"cases": "he_normal-*", "check": "variance", "verdict": "fail", "diagnosis": "not rescaled",
           "evidence": "variance ratio 0.7737, n=262144", "upstream": "https://example.org/issue/1"}]}
        """;

    [Test]
    public void Failures_sort_into_expected_new_and_fixed_upstream()
    {
        var file = ExpectationsFile.Load(Write(Entry));
        var run = Run(
            Case("he_normal-a", R("he_normal-a", CheckId.Variance, Verdict.Fail, "variance 0.7737x target: the truncated normal is not rescaled by 1/0.87962566")),
            Case("he_normal-b", R("he_normal-b", CheckId.Variance, Verdict.Fail, "variance 2.0x target: fan mode or scale mismatch")),
            Case("he_normal-c", R("he_normal-c", CheckId.Variance, Verdict.Pass, "variance 1.0001x target")),
            Case("glorot-d", R("glorot-d", CheckId.Ks, Verdict.Fail, "KS: distribution differs")));
        var sorted = ExpectationReport.Sort(run, file);
        Assert.That(sorted.Expected.Select(i => i.CaseId), Is.EqualTo(new[] { "he_normal-a" }));
        Assert.That(sorted.New.Select(i => i.CaseId), Is.EqualTo(new[] { "he_normal-b", "glorot-d" }), "another diagnosis, or unlisted, is new");
        Assert.That(sorted.New.First().Message, Does.Contain("listed in the expectations, but with the diagnosis"));
        Assert.That(sorted.FixedUpstream.Select(i => i.CaseId), Is.EqualTo(new[] { "he_normal-c" }));
        Assert.That(sorted.Passed(strict: false), Is.False);
        var onlyListed = ExpectationReport.Sort(Run(Case("he_normal-a", R("he_normal-a", CheckId.Variance, Verdict.Fail, "… not rescaled …")),
            Case("he_normal-c", R("he_normal-c", CheckId.Variance, Verdict.Pass, "ok"))), file);
        Assert.That(onlyListed.Passed(strict: false), Is.True, "expected failures and fixed-upstream ones do not fail by default");
        Assert.That(onlyListed.Passed(strict: true), Is.False, "--strict fails on fixed upstream?");
    }

    [TestCase("""{"schema": "weightinit-expectations/1", "sut": "demo", "description": "d", "expected": [{"cases": "x", "check": "variance", "verdict": "fail", "diagnosis": "d", "evidence": "short", "upstream": "https://x.org/1"}]}""", "evidence")]
    [TestCase("""{"schema": "weightinit-expectations/1", "sut": "demo", "description": "d", "expected": [{"cases": "x", "check": "variance", "verdict": "maybe", "diagnosis": "d", "evidence": "long enough evidence", "upstream": "https://x.org/1"}]}""", "verdict must be")]
    [TestCase("""{"schema": "weightinit-expectations/1", "sut": "demo", "description": "d", "expected": [{"cases": "x", "check": null, "verdict": "fail", "diagnosis": "d", "evidence": "long enough evidence", "upstream": "https://x.org/1"}]}""", "names its check")]
    [TestCase("""{"schema": "other/1", "sut": "demo", "description": "d", "expected": []}""", "schema")]
    public void A_bad_file_is_a_typed_error_naming_it(string json, string expected)
    {
        var path = Write(json);
        var ex = Assert.Throws<ConformanceDataException>(() => ExpectationsFile.Load(path))!;
        Assert.That(ex.Message, Does.StartWith(path).And.Contain(expected));
    }

    [Test]
    public void Only_plain_sut_names_have_files() =>
        Assert.That(ExpectationsFile.ForSut(TestPaths.RepoRoot, "python:conformance/sut/x.py:sample"), Is.Null);

    [Test]
    public void A_not_applicable_case_is_neither_pass_nor_failure()
    {
        var na = Case("x") with { NotApplicable = "no float64 in TF.js" };
        var run = Run(na);
        Assert.That(run.Passed, Is.True);
        Assert.That(Reports.ReportBundle.CaseVerdict(na), Is.EqualTo("not applicable"));
        var bundle = Reports.ReportBundle.Create(run, null, null);
        Assert.That(bundle.Headline, Does.Contain("1 case(s) not applicable"));
        Assert.That(Reports.MarkdownReport.Write(bundle), Does.Contain("## Not applicable (1").And.Contain("no float64 in TF.js"));
        Assert.That(Reports.JUnitReport.Write(bundle), Does.Contain("<skipped message=\"not applicable: no float64 in TF.js\""));
    }
}
