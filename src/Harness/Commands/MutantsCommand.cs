using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using WeightInit.Conformance;
using WeightInit.Conformance.Checks;
using WeightInit.Conformance.Engine;
using WeightInit.Conformance.Sut;
using WeightInit.Mutants;
using WeightInit.Testing;

namespace Harness.Commands;

/// <summary>
/// <c>harness mutants</c>: runs the default gate (n = 2^18, the catalog's fixed seeds, the Keras cases) on every mutant of
/// <c>conformance/WeightInit.Mutants</c> and prints the kill matrix, mutant × check, with the number of cases in which
/// that check failed. Exits 1 if any mutant survives: a surviving mutant is a defect of the gate.
/// </summary>
internal static class MutantsCommand
{
    public static Command Create()
    {
        var only = new Option<string[]>("--mutant") { Description = "Run only these mutants (repeatable; default: all).", AllowMultipleArgumentsPerToken = true };
        var filter = new Option<string?>("--filter") { Description = "Only cases whose id contains this text (default: every Keras case — the default gate)." };
        var parallel = new Option<int>("--parallel") { Description = "Cases run concurrently.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var json = new Option<string?>("--json") { Description = "Also write the kill matrix as JSON to this file." };
        var command = new Command("mutants", "Run the default gate on every mutant and print the kill matrix (mutant x check that caught it); exit 1 if a mutant survives.")
        {
            only, filter, parallel, json,
        };
        command.SetAction(parse =>
        {
            var root = RepoPaths.Root();
            var catalog = CaseCatalog.LoadFromRepository(root);
            var reference = ReferenceStore.ShippedFor(root, catalog, Framework.Keras);
            var wanted = parse.GetValue(only) ?? [];
            var mutants = MutantCatalog.All.Where(m => wanted.Length == 0 || wanted.Contains(m.Name, StringComparer.OrdinalIgnoreCase)).ToList();
            if (mutants.Count == 0)
                throw new SutResolutionException($"No mutant matches {string.Join(", ", wanted)}; known: {string.Join(", ", MutantCatalog.All.Select(m => m.Name))}.");
            var options = new RunOptions(Filter: parse.GetValue(filter), MaxParallelCases: Math.Max(1, parse.GetValue(parallel)));
            var rows = new List<KillRow>();
            var total = Stopwatch.StartNew();
            // Control: the correct library through the same external-SUT path. A (case, check) that fails for it too is a
            // false alarm of the gate, not a kill, and is reported separately.
            var control = KillMatrix.Failures(new ConformanceRunner(catalog, reference, new ExternalLibrary()).Run(options));
            Console.WriteLine(control.Count == 0
                ? $"control (correct library, same cases and seeds): passes"
                : $"control (correct library, same cases and seeds): {control.Count} false alarm(s), not credited as kills: {string.Join(", ", control.Order())}");
            foreach (var mutant in mutants)
            {
                var row = KillMatrix.Run(catalog, reference, mutant, options, control);
                rows.Add(row);
                Console.WriteLine($"{mutant.Name,-30} {(row.Killed ? "KILLED " : "SURVIVED")} in {row.Seconds,5:F1} s: " +
                    (row.Killed ? string.Join(", ", row.Caught.Select(kv => $"{kv.Key} ({kv.Value})")) : "no check failed"));
            }
            Console.WriteLine();
            Console.Write(KillMatrix.Render(rows));
            int survivors = rows.Count(r => !r.Killed);
            Console.WriteLine();
            Console.WriteLine(survivors == 0
                ? $"all {rows.Count} mutants killed by the default gate ({rows[0].Cases} cases each; {total.Elapsed.TotalSeconds:F0} s)"
                : $"{survivors} of {rows.Count} mutants SURVIVED: {string.Join(", ", rows.Where(r => !r.Killed).Select(r => r.Mutant))} — a defect of the gate");
            if (parse.GetValue(json) is { } path)
            {
                File.WriteAllText(path, JsonSerializer.Serialize(rows, new JsonSerializerOptions { WriteIndented = true }));
                Console.WriteLine($"wrote {path}");
            }
            return survivors == 0 ? 0 : 1;
        });
        return command;
    }
}

/// <summary>One mutant's line of the kill matrix.</summary>
/// <param name="Mutant">Mutant name.</param>
/// <param name="Cases">Cases run.</param>
/// <param name="Caught">Check name → number of cases in which it failed (errors count under "SUT error").</param>
/// <param name="FailedCases">Cases with at least one failed check.</param>
/// <param name="Seconds">Wall time.</param>
internal sealed record KillRow(string Mutant, int Cases, SortedDictionary<string, int> Caught, int FailedCases, double Seconds)
{
    public bool Killed => Caught.Count > 0;
}

internal static class KillMatrix
{
    public const string ErrorColumn = "SUT error";

    /// <summary>Runs the gate on <paramref name="sut"/>; only checks of the SUT's own values count (not "reference …").</summary>
    public static KillRow Run(CaseCatalog catalog, ReferenceStore reference, IInitializerUnderTest sut, RunOptions options, IReadOnlySet<string>? control = null)
    {
        var watch = Stopwatch.StartNew();
        var report = new ConformanceRunner(catalog, reference, sut).Run(options);
        var caught = new SortedDictionary<string, int>(StringComparer.Ordinal);
        int failedCases = 0;
        foreach (var c in report.Cases)
        {
            var failed = c.Checks.Where(r => r.Verdict == Verdict.Fail && !r.Check.OnReference)
                .Where(r => control is null || !control.Contains($"{c.CaseId} · {r.Check}"))
                .Select(r => r.Check.ToString()).Distinct().ToList();
            if (c.Error is not null) failed.Add(ErrorColumn);
            foreach (var f in failed) caught[f] = caught.GetValueOrDefault(f) + 1;
            if (failed.Count > 0) failedCases++;
        }
        return new KillRow(sut.Name, report.Cases.Count, caught, failedCases, watch.Elapsed.TotalSeconds);
    }

    /// <summary>"case · check" of every failed check of the SUT's own values (not the reference samples' self-checks).</summary>
    public static HashSet<string> Failures(RunReport report) => report.Cases
        .SelectMany(c => c.Checks.Where(r => r.Verdict == Verdict.Fail && !r.Check.OnReference)
            .Select(r => $"{c.CaseId} · {r.Check}")
            .Concat(c.Error is null ? [] : [$"{c.CaseId} · {ErrorColumn}"]))
        .ToHashSet(StringComparer.Ordinal);

    /// <summary>The matrix as text: one row per mutant, one column per check that killed something, cells = failing cases.</summary>
    public static string Render(IReadOnlyList<KillRow> rows)
    {
        var order = new[]
        {
            CheckId.Support, CheckId.MaxAbs, CheckId.Mean, CheckId.Variance, CheckId.Ks, CheckId.AndersonDarling,
            CheckId.ChiSquare, CheckId.TwoSample, CheckId.Exact, CheckId.Orthonormal, CheckId.HaarKs,
            CheckId.HaarMean, CheckId.SameSeed, CheckId.NewSeed,
        }.Select(id => id.ToString()).Append(ErrorColumn).ToArray();
        var present = rows.SelectMany(r => r.Caught.Keys).Distinct().ToHashSet();
        var columns = order.Where(present.Contains).Concat(present.Except(order).Order()).ToList();
        var sb = new System.Text.StringBuilder();
        int nameWidth = Math.Max(6, rows.Max(r => r.Mutant.Length));
        sb.AppendLine("kill matrix: cells = number of cases in which the check failed (p < 1e-6 or a violated property)");
        for (int i = 0; i < columns.Count; i++) sb.AppendLine($"  [{i + 1}] {columns[i]}");
        sb.Append("mutant".PadRight(nameWidth)).Append("  cases");
        for (int i = 0; i < columns.Count; i++) sb.Append($"[{i + 1}]".PadLeft(6));
        sb.AppendLine("  verdict");
        foreach (var r in rows)
        {
            sb.Append(r.Mutant.PadRight(nameWidth)).Append($"{r.FailedCases,4}/{r.Cases,-2}");
            foreach (var col in columns)
                sb.Append((r.Caught.TryGetValue(col, out var k) ? k.ToString(CultureInfo.InvariantCulture) : ".").PadLeft(6));
            sb.AppendLine(r.Killed ? "  killed" : "  SURVIVED");
        }
        return sb.ToString();
    }
}

/// <summary>The correct library seen as an external SUT (Keras cases, no derived-parameter or golden checks): the mutants' control.</summary>
internal sealed class ExternalLibrary : IInitializerUnderTest
{
    private readonly LibraryUnderTest _library = new();
    public string Name => "csharp (control)";
    public Array Sample(string className, string configJson, int[] shape, long seed, string dtype) => _library.Sample(className, configJson, shape, seed, dtype);
}
