using System.CommandLine;
using WeightInit.Conformance.Checks;
using WeightInit.Conformance.Engine;
using WeightInit.Conformance.Reports;

namespace Harness.Commands;

/// <summary>
/// <c>harness check [--sut S] [--reference DIR] [--baseline FILE|DIR|reference|none] [--out DIR] [--thorough] [--filter TEXT]</c>:
/// the main job. Runs the conformance battery (the gate's catalog and checks) on the reference data, shows progress
/// (a bar on a terminal, plain lines in CI or when redirected), writes report.json, report.md, junit.xml and
/// report.html atomically, and exits 1 when any check fails (2 on bad input, with one line and no report).
/// </summary>
internal static class CheckCommand
{
    public static Command Create()
    {
        var sut = new Option<string>("--sut") { Description = $"System under test: {HarnessSuts.Registry.Syntax}.", DefaultValueFactory = _ => "csharp" };
        var reference = new Option<string?>("--reference") { Description = "A reference-data folder used for every case (default: each framework's shipped data under reference-data/)." };
        var baseline = new Option<string?>("--baseline")
        {
            Description = "Drift baseline: an earlier report.json, a reference-data folder, 'reference' (the statistics of the reference samples in use; default) or 'none'.",
        };
        var output = new Option<string?>("--out") { Description = "Output folder for the four reports (default: artifacts/conformance of the repository)." };
        var thorough = new Option<bool>("--thorough") { Description = "Nightly mode: n = 2^22 per case." };
        var filter = new Option<string?>("--filter") { Description = "Only cases whose id contains TEXT." };
        var parallel = new Option<int>("--parallel") { Description = "Cases run concurrently (0: one per processor); results never depend on it.", DefaultValueFactory = _ => 0 };
        var alpha = new Option<double>("--drift-alpha") { Description = "Significance level of a drift move (both directions).", DefaultValueFactory = _ => DriftAnalysis.DefaultAlpha };
        var failOnDrift = new Option<bool>("--fail-on-drift") { Description = "Also exit 1 when a case drifted significantly." };
        var expectations = new Option<string?>("--expectations")
        {
            Description = "Known divergences of the SUT: a file, or 'none' (default: conformance/expectations/<sut>.json when present). Failures are sorted as expected, new or fixed upstream?; only new ones fail.",
        };
        var strict = new Option<bool>("--strict") { Description = "Also exit 1 when a listed divergence now passes (fixed upstream?)." };
        var catalogOption = new Option<string?>("--catalog") { Description = "A case-catalog folder (default: conformance/cases of the repository, or the catalog inside the tool)." };
        var shard = new Option<string?>("--shard") { Description = "Only shard i of N (i/N, 1-based; split by a stable hash of the case id). Join the shards' reports with harness merge." };
        var command = new Command("check", "Main job: run the conformance battery, write report.json/report.md/junit.xml/report.html and the drift table; exit 1 on any new failed check.")
        {
            sut, reference, baseline, output, thorough, filter, parallel, alpha, failOnDrift, expectations, strict, catalogOption, shard,
        };
        command.SetAction(parse =>
        {
            var shardSpec = parse.GetValue(shard) is { } shardText ? ShardSpec.Parse(shardText) : null;
            var data = RepoPaths.Data();
            var request = new CheckRequest(data.Root, parse.GetValue(sut) ?? "csharp", parse.GetValue(reference), parse.GetValue(baseline),
                parse.GetValue(output) ?? RepoPaths.DefaultOut(data), parse.GetValue(thorough), parse.GetValue(filter), parse.GetValue(parallel), parse.GetValue(alpha),
                parse.GetValue(expectations), parse.GetValue(strict), parse.GetValue(catalogOption), shardSpec);
            var progress = new CaseProgress(CaseProgress.Interactive());
            var result = CheckJob.Run(HarnessSuts.Registry, request, progress.Report, total =>
                Console.WriteLine($"harness check: {total} cases{(request.Shard is null ? "" : $" (shard {request.Shard})")} of '{request.Sut}' against {request.ReferenceFolder}{(request.Thorough ? " (thorough)" : "")}, " +
                                  $"{(request.MaxParallelCases > 0 ? request.MaxParallelCases : Environment.ProcessorCount)} in parallel"));
            progress.Finish();

            var b = result.Bundle;
            if (b.Expectations is { } sorted)
            {
                foreach (var i in sorted.Items.OrderBy(i => i.Kind))
                    Console.WriteLine($"{i.Kind switch { WeightInit.Conformance.Expectations.FailureKind.New => "FAIL (new)", WeightInit.Conformance.Expectations.FailureKind.FixedUpstream => "FIXED UPSTREAM?", _ => "expected" }} {i.CaseId} · {i.Check}: {i.Message}");
            }
            else
                foreach (var r in b.Run.AllChecks.Where(r => r.Verdict == Verdict.Fail))
                    Console.WriteLine($"FAIL {r.CaseId} · {r.Check}: {r.Message}");
            foreach (var c in b.NotApplicable)
                Console.WriteLine($"n/a {c.CaseId}: {c.NotApplicable}");
            foreach (var c in b.Run.Cases.Where(c => c.Error is not null))
                Console.WriteLine($"ERROR {c.CaseId}: {c.Error}");
            Console.WriteLine(b.Headline);
            if (b.Drift is { } d) Console.WriteLine(DriftText.Summary(d));
            Console.WriteLine($"wrote {result.OutFolder}: {string.Join(", ", result.Files.Select(Path.GetFileName))} ({b.Run.Duration.TotalSeconds:F1} s)");
            return !result.Passed ? 1 : parse.GetValue(failOnDrift) && result.Drifted ? 1 : 0;
        });
        return command;
    }
}
