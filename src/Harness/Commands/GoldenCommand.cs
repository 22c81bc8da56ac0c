using System.CommandLine;
using WeightInit.Conformance;
using WeightInit.Conformance.Engine;
using WeightInit.Random;

namespace Harness.Commands;

/// <summary><c>harness golden --bless</c>: rewrites the golden outputs of this library's stream (explicitly only).</summary>
internal static class GoldenCommand
{
    public static Command Create()
    {
        var bless = new Option<bool>("--bless") { Description = "Rewrite conformance/golden/csharp-philox.json from the current library (review the diff!)." };
        var command = new Command("golden", "Check or re-bless the golden outputs of the C# stream.") { bless };
        command.SetAction(parse =>
        {
            var root = RepoPaths.Root();
            var catalog = CaseCatalog.LoadFromRepository(root);
            var path = GoldenOutputs.DefaultPath(root);
            if (parse.GetValue(bless))
            {
                GoldenOutputs.Bless(catalog, path, PhiloxStream.Instance.Name);
                Console.WriteLine($"wrote {path} ({catalog.Cases.Count} cases)");
                return 0;
            }
            var golden = GoldenOutputs.Load(path);
            int failed = 0;
            foreach (var c in catalog.Cases)
            {
                var r = golden.Check(c);
                if (r.Verdict == WeightInit.Conformance.Checks.Verdict.Fail) { failed++; Console.WriteLine($"{c.Id}: {r.Message}"); }
            }
            Console.WriteLine(failed == 0 ? $"golden outputs: all {catalog.Cases.Count} cases byte-identical" : $"golden outputs: {failed} case(s) changed");
            return failed == 0 ? 0 : 1;
        });
        return command;
    }
}
