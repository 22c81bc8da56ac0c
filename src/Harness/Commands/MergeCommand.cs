using System.CommandLine;
using WeightInit.Conformance.Reports;

namespace Harness.Commands;

/// <summary>
/// <c>harness merge A/report.json B/report.json ... [--out DIR] [--catalog DIR] [--baseline ...]</c>: joins the reports of
/// the shards of one run (<c>harness check --shard i/N</c>) into the four reports of the whole run, with the drift table.
/// Exit 1 when a merged check failed, 2 with one line naming the file when the shards do not form one run.
/// </summary>
internal static class MergeCommand
{
    public static Command Create()
    {
        var reports = new Argument<string[]>("reports") { Description = "The report.json of every shard.", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string?>("--out") { Description = "Output folder for the four merged reports (default: artifacts/conformance)." };
        var catalog = new Option<string?>("--catalog") { Description = "The case-catalog folder the shards ran (default: the repository's, or the one inside the tool)." };
        var baseline = new Option<string?>("--baseline") { Description = "Drift baseline, as for harness check: a report.json, a reference-data folder, 'reference' (default) or 'none'." };
        var alpha = new Option<double>("--drift-alpha") { Description = "Significance level of a drift move.", DefaultValueFactory = _ => DriftAnalysis.DefaultAlpha };
        var command = new Command("merge", "Join the report.json files of the shards of one run (harness check --shard i/N) into the reports of the whole run.")
        {
            reports, output, catalog, baseline, alpha,
        };
        command.SetAction(parse =>
        {
            var data = RepoPaths.Data();
            var result = ReportMerge.Run(parse.GetValue(reports)!, parse.GetValue(catalog) ?? data.CatalogFolder,
                parse.GetValue(output) ?? RepoPaths.DefaultOut(data), parse.GetValue(baseline), parse.GetValue(alpha));
            var b = result.Bundle;
            Console.WriteLine(b.Headline);
            if (b.Drift is { } d) Console.WriteLine(DriftText.Summary(d));
            Console.WriteLine($"wrote {result.OutFolder}: {string.Join(", ", result.Files.Select(Path.GetFileName))}");
            return result.Passed ? 0 : 1;
        });
        return command;
    }
}
