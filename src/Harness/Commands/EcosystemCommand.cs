using System.CommandLine;
using WeightInit.Conformance;
using WeightInit.Conformance.Checks;
using WeightInit.Conformance.Ecosystem;
using WeightInit.Conformance.Engine;
using WeightInit.Conformance.Reports;

namespace Harness.Commands;

/// <summary>
/// <c>harness ecosystem [--out artifacts/ecosystem] [--thorough] [--filter TEXT] [--tfjs-orthogonal-n N]</c>: the conformance
/// battery on every implementation that can be reached (this library, live Keras, live PyTorch, live TF.js, each
/// framework's stored reference data), written as one table (ecosystem.md, ecosystem.json, ecosystem.html) whose rows are
/// the source article's schemes and the catalog's cases. An implementation that cannot be reached keeps its column, with
/// the reason. Bad input (an unwritable --out, a filter matching nothing) fails with one line and exit 2 before any run.
/// </summary>
internal static class EcosystemCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "Output folder.", DefaultValueFactory = _ => "artifacts/ecosystem" };
        var thorough = new Option<bool>("--thorough") { Description = "n = 2^22 per case for the library and the live frameworks (stored data is always n = stored)." };
        var filter = new Option<string?>("--filter") { Description = "Only cases whose id contains TEXT." };
        var slow = new Option<long>("--tfjs-orthogonal-n")
        {
            Description = $"Sample size of the orthogonal cases on TF.js, whose Orthogonal is slow (0: the catalog's n; default {EcosystemRequest.DefaultSlowOrthogonalN}).",
            DefaultValueFactory = _ => EcosystemRequest.DefaultSlowOrthogonalN,
        };
        var parallel = new Option<int>("--parallel") { Description = "Cases of one implementation run concurrently (0: one per processor).", DefaultValueFactory = _ => 0 };
        var command = new Command("ecosystem", "Run the battery on every reachable implementation (library, live Keras/PyTorch/TF.js, stored reference data) and write the ecosystem table with its findings.")
        {
            output, thorough, filter, slow, parallel,
        };
        command.SetAction(parse =>
        {
            var root = RepoPaths.Root();
            var dir = Path.GetFullPath(parse.GetValue(output)!, root);
            long slowN = parse.GetValue(slow);
            if (slowN < 0) throw new ReportException($"--tfjs-orthogonal-n {slowN}: must be 0 (the catalog's n) or a positive sample size.");
            ReportWriter.EnsureWritable(dir);   // fail in a second, before minutes of sampling
            var request = new EcosystemRequest(root, parse.GetValue(thorough), parse.GetValue(filter), slowN, parse.GetValue(parallel));
            var catalog = CaseCatalog.LoadFromRepository(root);
            var columns = EcosystemRun.StandardColumns(HarnessSuts.Registry, root, catalog);
            Console.WriteLine($"harness ecosystem: {columns.Count} implementations{(request.Filter is null ? "" : $", cases containing '{request.Filter}'")}" +
                              $"{(request.Thorough ? ", thorough" : "")}; TF.js orthogonal cases at n = {(slowN == 0 ? "the catalog's" : slowN.ToString(System.Globalization.CultureInfo.InvariantCulture))}");
            var progress = new CaseProgress(CaseProgress.Interactive(), barWidth: 24);
            var report = EcosystemRun.Run(request, columns,
                (label, message) => { progress.Finish(); Console.WriteLine($"{label}: {message}"); },
                (col, outcome, done, total) => progress.Report(col.Label, outcome, done, total));
            progress.Finish();
            var files = EcosystemWriter.Write(report, dir);
            foreach (var f in report.Findings)
                Console.WriteLine($"finding{(f.Expectation is null ? "" : $" ({f.Expectation})")}: {f.ColumnLabel} · {f.CaseId}: {f.Evidence}");
            int ran = report.Columns.Count(c => c.Absent is null);
            Console.WriteLine($"{ran} of {report.Columns.Count} implementations reached, {report.Rows.Count} cases, {report.Findings.Count} finding(s), {report.Seconds:F0} s");
            Console.WriteLine($"wrote {files[0]}, {Path.GetFileName(files[1])}, {Path.GetFileName(files[2])}");
            return 0;
        });
        return command;
    }
}
