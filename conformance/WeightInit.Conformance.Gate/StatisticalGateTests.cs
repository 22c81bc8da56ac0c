using System.Collections.Concurrent;
using NUnit.Framework;
using WeightInit.Conformance.Checks;
using WeightInit.Conformance.Engine;
using WeightInit.Testing;

namespace WeightInit.Conformance.Gate;

/// <summary>
/// The statistical gate: every catalog case is drawn from this library (n = 2^18, fixed recorded seeds) and put
/// through the battery against the exact theoretical law and the Keras 3.15.1 reference samples. One NUnit test per
/// case × check, named as a sentence ("he_normal-3x3x64x128-f32 · HeNormal 3x3x64x128: variance"). A check fails at
/// p &lt; 1e-6; p &lt; 1e-3 is reported as suspect in the test output. Each case is computed once and shared by its checks.
/// </summary>
[TestFixture]
[Category("Gate")]
[Parallelizable(ParallelScope.Children)]
public class StatisticalGateTests
{
    private static readonly Lazy<ConformanceRunner> Runner = new(() =>
    {
        var root = TestPaths.RepoRoot;
        var catalog = CaseCatalog.LoadFromRepository(root);
        var golden = GoldenOutputs.Load(GoldenOutputs.DefaultPath(root));
        // Each framework's cases against its shipped reference data (Keras 3.15.1, PyTorch 1.13), as harness check does.
        return new ConformanceRunner(catalog, ReferenceStore.Shipped(root, catalog), new LibraryUnderTest(), golden);
    });

    private static ConformanceRunner RunnerFor(ConformanceCase c) => Runner.Value;

    private static readonly ConcurrentDictionary<string, Lazy<CaseOutcome>> Outcomes = new();

    private static CaseOutcome Outcome(ConformanceCase c) =>
        Outcomes.GetOrAdd(c.Id, _ => new Lazy<CaseOutcome>(() => RunnerFor(c).RunCase(c, new RunOptions()))).Value;

    public static IEnumerable<TestCaseData> CaseChecks()
    {
        foreach (var c in Runner.Value.Cases(new RunOptions()))
        {
            string title = $"{c.Id} · {c.Initializer} {c.Shape.ToCompactString()}";
            foreach (var check in RunnerFor(c).PlanChecks(c))
                yield return new TestCaseData(c, check).SetName($"{title}: {check}");
        }
    }

    [TestCaseSource(nameof(CaseChecks))]
    public void Check_passes(ConformanceCase c, CheckId check)
    {
        var outcome = Outcome(c);
        Assert.That(outcome.Error, Is.Null, outcome.Error);
        var result = outcome.Checks.SingleOrDefault(r => r.Check == check);
        Assert.That(result, Is.Not.Null, $"check '{check}' was planned but not produced; produced: {string.Join(", ", outcome.Checks.Select(r => r.Check))}");
        TestContext.Out.WriteLine(result!.ToString());
        if (result.Verdict == Verdict.Suspect)
            TestContext.Out.WriteLine($"SUSPECT (p < {GateThresholds.Default.SuspectP}): logged, does not fail the gate");
        Assert.That(result.Verdict, Is.Not.EqualTo(Verdict.Fail), result.ToString());
    }

    [Test]
    public void Every_case_produces_exactly_its_planned_checks()
    {
        foreach (var c in Runner.Value.Cases(new RunOptions()))
        {
            var produced = Outcome(c).Checks.Where(r => r.Verdict != Verdict.Info).Select(r => r.Check).ToArray();
            Assert.That(produced, Is.EquivalentTo(RunnerFor(c).PlanChecks(c)), c.Id);
        }
    }
}
