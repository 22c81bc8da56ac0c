using System.CommandLine;
using WeightInit.Conformance.Matrix;

namespace Harness.Commands;

/// <summary>
/// <c>harness matrix [--out artifacts/matrix]</c>: runs every named scheme of the source article across the
/// implementations present (this library's Keras and PyTorch families and variants, live Keras and PyTorch through the
/// bridge, the committed reference data, the article's numpy snippets) and writes matrix.md, matrix.json and matrix.html.
/// </summary>
internal static class MatrixCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "Output folder.", DefaultValueFactory = _ => "artifacts/matrix" };
        var command = new Command("matrix", "Cross-framework matrix: which implementations of each named scheme agree on variance, bounds and shape, and by how much they differ.") { output };
        command.SetAction(parse =>
        {
            var root = RepoPaths.Root();
            var dir = Path.GetFullPath(parse.GetValue(output)!, root);
            Directory.CreateDirectory(dir);
            var report = CrossFrameworkMatrix.Run(root, Console.Error);
            File.WriteAllText(Path.Combine(dir, "matrix.json"), CrossFrameworkMatrix.ToJson(report) + "\n");
            var md = CrossFrameworkMatrix.ToMarkdown(report);
            File.WriteAllText(Path.Combine(dir, "matrix.md"), md);
            File.WriteAllText(Path.Combine(dir, "matrix.html"), CrossFrameworkMatrix.ToHtml(report));
            Console.WriteLine(md);
            Console.WriteLine($"wrote {Path.Combine(dir, "matrix.md")}, matrix.json, matrix.html");
            int absent = report.Rows.Sum(r => r.Cells.Count(c => c.Absent is not null));
            if (absent > 0) Console.Error.WriteLine($"{absent} implementation(s) absent (see the verdict column).");
            return 0;
        });
        return command;
    }
}
