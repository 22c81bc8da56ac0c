using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using NUnit.Framework;
using WeightInit.Conformance.Checks;
using WeightInit.Conformance.Engine;
using WeightInit.Conformance.Reports;

using WeightInit.Conformance.Gate;

namespace WeightInit.Conformance.Tests;

/// <summary>
/// The report writers of <c>harness check</c> (report.json, report.md, junit.xml, report.html), the drift table, and
/// bad input (missing or corrupt reference data, unwritable output folder, unknown SUT, unreadable baseline): one clear
/// message, no report left behind. Runs a few filtered cases (a few seconds) and hand-built reports.
/// </summary>
[TestFixture]
[Category("Reports")]
public class ReportTests
{
    private const string Filter = "he_normal";
    private const string DriftCase = "he_normal-64x32-f64";

    private string _temp = null!;
    private CheckOutcome _outcome = null!;
    private CaseCatalog _catalog = null!;

    [OneTimeSetUp]
    public void RunFilteredCheck()
    {
        _temp = Path.Combine(Path.GetTempPath(), "weightinit-reports-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(_temp);
        _catalog = CaseCatalog.LoadFromRepository(TestPaths.RepoRoot);
        _outcome = CheckJob.Run(TestPaths.Suts, new CheckRequest(TestPaths.RepoRoot, Out: Path.Combine(_temp, "out"), Filter: Filter, MaxParallelCases: Environment.ProcessorCount));
    }

    [OneTimeTearDown]
    public void DeleteTemp()
    {
        try { Directory.Delete(_temp, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private string Out(string file) => Path.Combine(_outcome.OutFolder, file);

    private string NewFolder(string name)
    {
        var dir = Path.Combine(_temp, name + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        return dir;
    }

    // ------------------------------------------------------------------ the four files

    [Test]
    public void Check_writes_the_four_files_and_nothing_else()
    {
        Assert.That(_outcome.Passed, Is.True, _outcome.Bundle.Headline);
        Assert.That(Directory.GetFiles(_outcome.OutFolder).Select(Path.GetFileName), Is.EquivalentTo(ReportWriter.Files));
        Assert.That(Directory.GetFileSystemEntries(_temp).Select(Path.GetFileName).Where(n => n!.StartsWith('.')), Is.Empty, "temporary folders left behind");
        Assert.That(_outcome.Bundle.Run.Cases.Select(c => c.CaseId), Has.All.Contains(Filter));
        Assert.That(_outcome.Bundle.Run.Cases.Count, Is.GreaterThanOrEqualTo(3));
    }

    [Test]
    public void Report_json_parses_and_has_every_case_and_check()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Out(ReportWriter.JsonFile)));
        var root = doc.RootElement;
        Assert.That(root.GetProperty("schema").GetString(), Is.EqualTo(ReportJson.Schema));
        Assert.That(root.GetProperty("passed").GetBoolean(), Is.True);
        Assert.That(root.GetProperty("environment").GetProperty("runtime").GetString(), Is.Not.Empty);
        Assert.That(root.GetProperty("reference").GetProperty("framework_version").GetString(), Is.EqualTo("3.15.1"));
        var cases = root.GetProperty("cases").EnumerateArray().ToList();
        Assert.That(cases.Select(c => c.GetProperty("id").GetString()), Is.EqualTo(_outcome.Bundle.Run.Cases.Select(c => c.CaseId)));
        int checks = 0;
        foreach (var c in cases)
            foreach (var r in c.GetProperty("checks").EnumerateArray())
            {
                checks++;
                foreach (var key in new[] { "check", "verdict", "statistic", "p_value", "n", "expected", "observed", "message" })
                    Assert.That(r.TryGetProperty(key, out _), Is.True, $"{c.GetProperty("id")}: check lacks '{key}'");
            }
        Assert.That(checks, Is.EqualTo(_outcome.Bundle.TotalChecks));
        Assert.That(root.GetProperty("summary").GetProperty("checks").GetInt32(), Is.EqualTo(checks));
        var stats = cases.Single(c => c.GetProperty("id").GetString() == DriftCase).GetProperty("statistics");
        Assert.That(stats.GetProperty("variance_ratio").GetDouble(), Is.EqualTo(1).Within(0.02));
        Assert.That(stats.GetProperty("kurtosis").GetDouble(), Is.EqualTo(2.3655367171296495).Within(1e-9));
        Assert.That(stats.GetProperty("n").GetInt64(), Is.EqualTo(1L << 18));
    }

    [Test]
    public void Junit_is_valid_xml_with_one_testcase_per_case_and_check()
    {
        var doc = XDocument.Parse(File.ReadAllText(Out(ReportWriter.JUnitFile)));
        var suites = doc.Root!;
        Assert.That(suites.Name.LocalName, Is.EqualTo("testsuites"));
        var testcases = suites.Descendants("testcase").ToList();
        Assert.That(testcases, Has.Count.EqualTo(_outcome.Bundle.TotalChecks));
        Assert.That((int)suites.Attribute("tests")!, Is.EqualTo(testcases.Count));
        Assert.That((int)suites.Attribute("failures")!, Is.EqualTo(0));
        Assert.That(suites.Elements("testsuite").Count(), Is.EqualTo(_outcome.Bundle.Run.Cases.Count));
        var keys = testcases.Select(t => (string)t.Attribute("classname")! + "/" + (string)t.Attribute("name")!).ToList();
        Assert.That(keys, Is.Unique);
        Assert.That(keys, Does.Contain($"conformance.{DriftCase}/{CheckId.Variance}"));
    }

    [Test]
    public void Html_is_one_self_contained_page_with_histograms_and_qq_plots()
    {
        var html = File.ReadAllText(Out(ReportWriter.HtmlFile));
        int plotted = _outcome.Bundle.Run.Cases.Count(c => c.Plot is not null);
        Assert.That(plotted, Is.GreaterThanOrEqualTo(3));
        Assert.That(Count(html, "<svg"), Is.EqualTo(2 * plotted));
        Assert.That(Count(html, "class=\"plot histogram\""), Is.EqualTo(plotted));
        Assert.That(Count(html, "class=\"plot qq\""), Is.EqualTo(plotted));
        Assert.That(Count(html, "class=\"theory\""), Is.EqualTo(plotted), "theoretical density on every histogram");
        Assert.That(Count(html, "<polyline class=\"reference\""), Is.EqualTo(plotted), "reference samples overlaid on every histogram (all he_normal cases have Keras data)");
        Assert.That(html, Does.Contain("<table class=\"summary\">"));
        Assert.That(html.IndexOf("<table class=\"summary\">", StringComparison.Ordinal), Is.LessThan(html.IndexOf("<svg", StringComparison.Ordinal)));
        Assert.That(html, Does.Not.Contain("<script"));
        Assert.That(html.Replace("xmlns=\"http://www.w3.org/2000/svg\"", ""), Does.Not.Contain("http://").And.Not.Contain("https://"), "nothing fetched from the network");
    }

    [Test]
    public void Markdown_lists_failures_first_with_their_diagnosis_then_drift()
    {
        var run = _outcome.Bundle.Run;
        // Break the last case by hand: its variance check fails with the diagnosis of a missing truncation correction.
        int index = run.Cases.ToList().FindLastIndex(c => c.Checks.Any(r => r.Check == CheckId.Variance));
        var last = run.Cases[index];
        var broken = last with
        {
            Checks = last.Checks.Select(r => r.Check == CheckId.Variance
                ? r with { Verdict = Verdict.Fail, PValue = 1e-40, Message = Diagnosis.VarianceRatio(0.7737, new TruncatedNormalElements(0, 1, -2, 2)) }
                : r).ToList(),
        };
        var failing = run with { Cases = run.Cases.Select((c, i) => i == index ? broken : c).ToList() };
        var bundle = ReportBundle.Create(failing, _catalog, _outcome.Bundle.Drift);
        var md = MarkdownReport.Write(bundle);
        Assert.That(md, Does.StartWith("# Conformance ❌ FAILED"));
        // The filtered run already holds the library's expected divergences from TF.js' reference (he_normal: the
        // uncorrected truncated normal, conformance/expectations/csharp.json); the hand-broken check comes on top.
        int already = run.AllChecks.Count(r => r.Verdict == Verdict.Fail);
        int failures = md.IndexOf($"## Failures ({already + 1})", StringComparison.Ordinal);
        int drift = md.IndexOf("## Drift", StringComparison.Ordinal);
        int cases = md.IndexOf("## Cases", StringComparison.Ordinal);
        Assert.That(failures, Is.GreaterThan(0));
        Assert.That(failures, Is.LessThan(drift));
        Assert.That(drift, Is.LessThan(cases));
        var failureSection = md[failures..drift];
        Assert.That(failureSection, Does.Contain($"{broken.CaseId} · {CheckId.Variance}"));
        Assert.That(failureSection, Does.Contain("not rescaled by 1/0.87962566"));
        // The case table puts the failing case first; JUnit reports it as a failure; the HTML summary lists it first.
        var table = md[cases..];
        var passing = run.Cases.First(c => c.Error is null && c.Checks.All(r => r.Verdict != Verdict.Fail) && c.CaseId != broken.CaseId);
        Assert.That(table.IndexOf(broken.CaseId, StringComparison.Ordinal), Is.LessThan(table.IndexOf(passing.CaseId, StringComparison.Ordinal)));
        var junit = XDocument.Parse(JUnitReport.Write(bundle));
        Assert.That((int)junit.Root!.Attribute("failures")!, Is.EqualTo(already + 1));
        var html = HtmlReport.Write(bundle);
        var summary = html[html.IndexOf("<table class=\"summary\">", StringComparison.Ordinal)..];
        Assert.That(summary.IndexOf(broken.CaseId, StringComparison.Ordinal), Is.LessThan(summary.IndexOf(passing.CaseId, StringComparison.Ordinal)));
        Assert.That(html, Does.Contain("Conformance FAILED"));
    }

    // ------------------------------------------------------------------ drift

    [Test]
    public void The_same_report_as_baseline_shows_no_drift()
    {
        var baseline = DriftAnalysis.FromReportJson(Out(ReportWriter.JsonFile));
        var drift = DriftAnalysis.Compare(baseline, DriftAnalysis.FromRun(_outcome.Bundle.Run, _catalog));
        Assert.That(drift.SignificantCount, Is.Zero);
        Assert.That(drift.ComparedCount, Is.GreaterThanOrEqualTo(3));
        Assert.That(drift.Rows.Where(r => r.Status == DriftRow.Compared).Select(r => r.VarianceRatio.Statistic), Is.All.EqualTo(0.0));
    }

    [Test]
    public void Default_drift_is_against_the_reference_samples_and_shows_no_move()
    {
        var drift = _outcome.Bundle.Drift!;
        Assert.That(drift.BaselineLabel, Does.Contain("keras 3.15.1"));
        Assert.That(drift.SignificantCount, Is.Zero, DriftText.Write(drift));
        var row = drift.Rows.Single(r => r.CaseId == DriftCase);
        Assert.That(row.Status, Is.EqualTo(DriftRow.Compared));
        Assert.That(row.OldN, Is.EqualTo(32768));
        Assert.That(row.NewN, Is.EqualTo(1L << 18));
    }

    [Test]
    public void A_perturbed_baseline_shows_up_as_drift_in_report_md_in_both_directions()
    {
        // Baseline = this run's report.json with one case's variance ratio raised 5%, KS distance raised by 0.02, and
        // another case's variance ratio lowered 5% and 40 bound hits.
        var json = JsonNode.Parse(File.ReadAllText(Out(ReportWriter.JsonFile)))!.AsObject();
        var cases = json["cases"]!.AsArray().Select(n => n!.AsObject()).ToList();
        var up = cases.Single(c => (string)c["id"]! == DriftCase)["statistics"]!.AsObject();
        up["variance_ratio"] = (double)up["variance_ratio"]! * 1.05;
        up["ks_distance"] = (double)up["ks_distance"]! + 0.02;
        var otherId = cases.Select(c => (string)c["id"]!).First(id => id != DriftCase && _outcome.Bundle.Figures[id].VarianceRatio is not null);
        var down = cases.Single(c => (string)c["id"]! == otherId)["statistics"]!.AsObject();
        down["variance_ratio"] = (double)down["variance_ratio"]! * 0.95;
        down["bound_hits"] = 40;
        var baselinePath = Path.Combine(NewFolder("baseline"), "report.json");
        File.WriteAllText(baselinePath, json.ToJsonString());

        var outDir = Path.Combine(NewFolder("perturbed"), "out");
        var result = CheckJob.Run(TestPaths.Suts, new CheckRequest(TestPaths.RepoRoot, Baseline: baselinePath, Out: outDir, Filter: Filter, MaxParallelCases: 2));
        var drift = result.Bundle.Drift!;
        Assert.That(drift.SignificantRows.Select(r => r.CaseId), Is.EquivalentTo(new[] { DriftCase, otherId }), DriftText.Write(drift));
        var a = drift.Rows.Single(r => r.CaseId == DriftCase);
        Assert.That(a.VarianceRatio.Significant && a.KsDistance.Significant, Is.True);
        Assert.That(a.VarianceRatio.Direction, Is.EqualTo(-1), "the current run is 5% below the baseline");
        Assert.That(a.BoundHits.Significant, Is.False);
        var b = drift.Rows.Single(r => r.CaseId == otherId);
        Assert.That(b.VarianceRatio.Direction, Is.EqualTo(1), "the current run is 5% above the baseline");
        Assert.That(b.VarianceRatio.Significant && b.BoundHits.Significant, Is.True);
        Assert.That(result.Passed, Is.True, "drift is reported, it does not fail the checks");

        var md = File.ReadAllText(Path.Combine(outDir, ReportWriter.MarkdownFile));
        Assert.That(md, Does.Contain("**2 case(s) drifted:**"));
        var drifted = md[md.IndexOf("**2 case(s) drifted:**", StringComparison.Ordinal)..md.IndexOf("<details>", md.IndexOf("## Drift", StringComparison.Ordinal), StringComparison.Ordinal)];
        Assert.That(drifted, Does.Contain(DriftCase).And.Contain(otherId).And.Contain("**DRIFT**").And.Contain("▼").And.Contain("▲"));
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, ReportWriter.JsonFile)));
        Assert.That(doc.RootElement.GetProperty("drift").GetProperty("significant").GetInt32(), Is.EqualTo(2));
    }

    [Test]
    public void Drift_tests_flag_moves_in_both_directions_and_ignore_noise()
    {
        CaseFigures F(double ratio, double ks, long hits, long n) => new("x", ratio, ks, hits, n, 2.3655);
        const long n = 1 << 18;
        // Variance ratio: se ≈ √(1.37/n) ≈ 0.0023 per side; a 0.5% move is ~1.5 sigma, a 3% move ~9 sigma.
        Assert.That(DriftAnalysis.VarianceMove(F(1, 0, 0, n), F(1.005, 0, 0, n), 1e-4).Significant, Is.False);
        var up = DriftAnalysis.VarianceMove(F(1, 0, 0, n), F(1.03, 0, 0, n), 1e-4);
        var down = DriftAnalysis.VarianceMove(F(1.03, 0, 0, n), F(1, 0, 0, n), 1e-4);
        Assert.That(up.Significant && down.Significant, Is.True);
        Assert.That((up.Direction, down.Direction), Is.EqualTo((1, -1)));
        Assert.That(up.PValue, Is.EqualTo(down.PValue).Within(1e-3));
        // KS distance: the two-sample critical value at these sizes is ≈ 1.95·√(2/n) ≈ 0.0054 at 1e-3.
        Assert.That(DriftAnalysis.KsMove(F(1, 0.002, 0, n), F(1, 0.004, 0, n), 1e-4).Significant, Is.False);
        Assert.That(DriftAnalysis.KsMove(F(1, 0.002, 0, n), F(1, 0.02, 0, n), 1e-4).Significant, Is.True);
        Assert.That(DriftAnalysis.KsMove(F(1, 0.02, 0, n), F(1, 0.002, 0, n), 1e-4).Direction, Is.EqualTo(-1));
        // Bound hits: Poisson; 0 → 2 is noise, 0 → 30 is not, and neither is 30 → 0.
        Assert.That(DriftAnalysis.HitsMove(F(1, 0, 0, n), F(1, 0, 2, n), 1e-4).Significant, Is.False);
        Assert.That(DriftAnalysis.HitsMove(F(1, 0, 0, n), F(1, 0, 30, n), 1e-4).Significant, Is.True);
        Assert.That(DriftAnalysis.HitsMove(F(1, 0, 30, n), F(1, 0, 0, n), 1e-4).Significant, Is.True);
        Assert.That(DriftAnalysis.HitsMove(F(1, 0, 0, n), F(1, 0, 0, n), 1e-4).PValue, Is.EqualTo(1));
    }

    [Test]
    public void Reference_folder_figures_equal_the_runs_reference_checks()
    {
        var folder = ReferenceData.FolderOf(TestPaths.RepoRoot, "keras", "3.15.1");
        var fromFolder = DriftAnalysis.FromReferenceFolder(folder, _catalog);
        var fromRun = DriftAnalysis.FromRunReference(_outcome.Bundle.Run, _catalog);
        Assert.That(fromRun.Cases.Keys, Is.Not.Empty);
        foreach (var (id, f) in fromRun.Cases)
            Assert.That(fromFolder.Cases[id], Is.EqualTo(f), id);
        var same = DriftAnalysis.Compare(fromFolder, fromFolder);
        Assert.That(same.SignificantCount, Is.Zero);
        Assert.That(same.ComparedCount, Is.GreaterThan(30));
    }

    [Test]
    public void PyTorch_cases_run_against_the_pytorch_reference_data_as_in_the_gate()
    {
        const string torchFilter = "torch.xavier_uniform_";
        if (!_catalog.Cases.Any(c => c.Id.Contains(torchFilter) && c.HasReference(Framework.PyTorch)))
            Assert.Ignore("no PyTorch cases with reference data in the catalog");
        var outDir = Path.Combine(NewFolder("torch"), "out");
        var result = CheckJob.Run(TestPaths.Suts, new CheckRequest(TestPaths.RepoRoot, Out: outDir, Filter: torchFilter, MaxParallelCases: 2));
        Assert.That(result.Passed, Is.True, result.Bundle.Headline);
        foreach (var c in result.Bundle.Run.Cases)
        {
            Assert.That(c.Checks.Select(r => r.Check), Does.Contain(CheckId.TwoSample), $"{c.CaseId}: compared with the PyTorch samples");
            Assert.That(result.Bundle.ReferenceOf(c.CaseId), Does.StartWith("pytorch "));
        }
        Assert.That(result.Bundle.Run.ReferenceProvenance.Keys, Does.Contain("pytorch.framework_version"));
        Assert.That(ReportBundle.ReferenceName(result.Bundle.Run), Does.Contain("keras 3.15.1 and pytorch"));
        Assert.That(File.ReadAllText(Path.Combine(outDir, ReportWriter.HtmlFile)), Does.Contain("pytorch 1.13"));
        Assert.That(result.Bundle.Drift!.ComparedCount, Is.EqualTo(result.Bundle.Run.Cases.Count), "drift against the PyTorch reference samples");
    }

    // ------------------------------------------------------------------ bad input: one line, no report

    private void AssertOneLineAndNoReport(Exception ex, string outDir, string mustMention)
    {
        Assert.That(ex, Is.InstanceOf<WeightInitException>(), "the CLI turns WeightInitExceptions into one line and exit code 2");
        Assert.That(ex.Message, Does.Not.Contain("\n"));
        Assert.That(ex.Message, Does.Contain(mustMention));
        Assert.That(Directory.Exists(outDir), Is.False, "no report folder");
        var parent = Path.GetDirectoryName(outDir)!;
        if (Directory.Exists(parent))
            Assert.That(Directory.GetFileSystemEntries(parent), Is.Empty, "no temporary or partial folder left");
    }

    [Test]
    public void Missing_reference_folder_fails_with_one_line_and_no_report()
    {
        var outDir = Path.Combine(NewFolder("missing-ref"), "out");
        var missing = Path.Combine(_temp, "no-such-reference");
        var ex = Assert.Catch(() => CheckJob.Run(TestPaths.Suts, new CheckRequest(TestPaths.RepoRoot, Reference: missing, Out: outDir, Filter: Filter)))!;
        AssertOneLineAndNoReport(ex, outDir, missing);
    }

    [Test]
    public void Corrupt_reference_folder_fails_with_one_line_and_no_report()
    {
        var source = ReferenceData.FolderOf(TestPaths.RepoRoot, "keras", "3.15.1");
        var copy = NewFolder("corrupt-ref");
        foreach (var f in Directory.GetFiles(source)) File.Copy(f, Path.Combine(copy, Path.GetFileName(f)));
        var victim = Path.Combine(copy, DriftCase + ".npy");
        var bytes = File.ReadAllBytes(victim);
        bytes[^3] ^= 0x40;
        File.WriteAllBytes(victim, bytes);
        var outDir = Path.Combine(NewFolder("corrupt-out"), "out");
        var ex = Assert.Catch(() => CheckJob.Run(TestPaths.Suts, new CheckRequest(TestPaths.RepoRoot, Reference: copy, Out: outDir, Filter: Filter)))!;
        Assert.That(ex, Is.InstanceOf<ReferenceDataException>());
        AssertOneLineAndNoReport(ex, outDir, "sha256 mismatch");
    }

    [Test]
    public void Unwritable_output_folder_fails_before_the_run_with_one_line()
    {
        // A regular file where a parent folder should be: not writable even for root.
        var blocker = Path.Combine(NewFolder("unwritable"), "a-file");
        File.WriteAllText(blocker, "not a folder");
        var outDir = Path.Combine(blocker, "out");
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var ex = Assert.Catch<ReportException>(() => CheckJob.Run(TestPaths.Suts, new CheckRequest(TestPaths.RepoRoot, Out: outDir, Filter: Filter)))!;
        Assert.That(ex.Message, Does.Contain(outDir).And.Not.Contain("\n"));
        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(20)), "fails before running the battery");
        Assert.That(Directory.GetFileSystemEntries(Path.GetDirectoryName(blocker)!), Is.EqualTo(new[] { blocker }));
    }

    [Test]
    public void An_output_path_that_is_a_file_is_refused_and_left_alone()
    {
        var file = Path.Combine(NewFolder("out-is-file"), "report");
        File.WriteAllText(file, "keep me");
        var ex = Assert.Catch<ReportException>(() => ReportWriter.WriteAll(_outcome.Bundle, file))!;
        Assert.That(ex.Message, Does.Contain("is a file"));
        Assert.That(File.ReadAllText(file), Is.EqualTo("keep me"));
        Assert.That(Directory.GetFileSystemEntries(Path.GetDirectoryName(file)!), Is.EqualTo(new[] { file }));
    }

    [Test]
    public void Unknown_sut_fails_with_one_line_and_no_report()
    {
        var outDir = Path.Combine(NewFolder("unknown-sut"), "out");
        var ex = Assert.Catch(() => CheckJob.Run(TestPaths.Suts, new CheckRequest(TestPaths.RepoRoot, Sut: "fortran", Out: outDir, Filter: Filter)))!;
        AssertOneLineAndNoReport(ex, outDir, "fortran");
    }

    [Test]
    public void Unreadable_baseline_fails_with_one_line_and_no_report()
    {
        var dir = NewFolder("bad-baseline");
        var bad = Path.Combine(dir, "report.json");
        File.WriteAllText(bad, "{\"not\": \"a report\"}");
        var outDir = Path.Combine(dir, "out");
        var ex = Assert.Catch<ReportException>(() => CheckJob.Run(TestPaths.Suts, new CheckRequest(TestPaths.RepoRoot, Baseline: bad, Out: outDir, Filter: Filter)))!;
        Assert.That(ex.Message, Does.Contain(bad).And.Contain("not a harness report.json").And.Not.Contain("\n"));
        Assert.That(Directory.Exists(outDir), Is.False);
        Assert.Catch<ReportException>(() => DriftAnalysis.Load(Path.Combine(dir, "missing.json"), _catalog));
    }

    [Test]
    public void Writing_replaces_an_earlier_report_as_a_whole()
    {
        var outDir = Path.Combine(NewFolder("replace"), "out");
        Directory.CreateDirectory(outDir);
        File.WriteAllText(Path.Combine(outDir, "stale.txt"), "from an earlier run");
        var files = ReportWriter.WriteAll(_outcome.Bundle, outDir);
        Assert.That(files.Select(Path.GetFileName), Is.EqualTo(ReportWriter.Files));
        Assert.That(Directory.GetFiles(outDir).Select(Path.GetFileName), Is.EquivalentTo(ReportWriter.Files));
        Assert.That(Directory.GetFileSystemEntries(Path.GetDirectoryName(outDir)!), Is.EqualTo(new[] { outDir }), "no temporary or old folder left");
    }

    private static int Count(string text, string what)
    {
        int count = 0;
        for (int at = text.IndexOf(what, StringComparison.Ordinal); at >= 0; at = text.IndexOf(what, at + what.Length, StringComparison.Ordinal)) count++;
        return count;
    }
}
