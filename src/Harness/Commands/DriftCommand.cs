using System.CommandLine;
using System.Text;
using WeightInit.Conformance;
using WeightInit.Conformance.Reports;

namespace Harness.Commands;

/// <summary>
/// <c>harness drift OLD NEW</c>: the drift table between two report.json files or two reference-data folders (e.g.
/// after regenerating from a newer Keras): for every case how the variance ratio, KS distance and bound hits moved,
/// significant moves flagged in both directions.
/// </summary>
internal static class DriftCommand
{
    public static Command Create()
    {
        var oldArg = new Argument<string>("OLD") { Description = "Baseline: a report.json or a reference-data folder." };
        var newArg = new Argument<string>("NEW") { Description = "Current: a report.json or a reference-data folder." };
        var alpha = new Option<double>("--alpha") { Description = "Significance level of a move (both directions).", DefaultValueFactory = _ => DriftAnalysis.DefaultAlpha };
        var markdown = new Option<string?>("--md") { Description = "Also write the drift table as Markdown to this file." };
        var failOnDrift = new Option<bool>("--fail-on-drift") { Description = "Exit 1 when a case drifted significantly." };
        var command = new Command("drift", "Compare two report.json files or two reference-data folders: variance ratio, KS distance and bound hits per case, significant moves flagged.")
        {
            oldArg, newArg, alpha, markdown, failOnDrift,
        };
        command.SetAction(parse =>
        {
            var catalog = RepoPaths.Data().LoadCatalog();
            var baseline = DriftAnalysis.Load(parse.GetValue(oldArg)!, catalog);
            var current = DriftAnalysis.Load(parse.GetValue(newArg)!, catalog);
            var report = DriftAnalysis.Compare(baseline, current, parse.GetValue(alpha));
            Console.Write(DriftText.Write(report));
            if (parse.GetValue(markdown) is { } md)
            {
                var sb = new StringBuilder();
                MarkdownReport.AppendDrift(sb, report, "#");
                WeightInit.IO.AtomicFile.WriteAllText(md, sb.ToString());
                Console.WriteLine($"wrote {md}");
            }
            return parse.GetValue(failOnDrift) && report.SignificantCount > 0 ? 1 : 0;
        });
        return command;
    }
}
