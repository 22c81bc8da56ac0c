using System.Collections.Concurrent;
using NUnit.Framework;
using WeightInit.Conformance.Checks;
using WeightInit.Conformance.Engine;
using WeightInit.Testing;

namespace WeightInit.Conformance.NUnit;

/// <summary>Which catalog cases a fixture runs.</summary>
public enum CaseScope
{
    /// <summary>The cases the engine's runner covers for the SUT (<see cref="ConformanceRunner.Cases"/>): every case for this library, the Keras cases for any other SUT. This project's own gate.</summary>
    Runner,

    /// <summary>The cases checked against Keras reference data.</summary>
    Keras,

    /// <summary>The cases checked against PyTorch reference data.</summary>
    PyTorch,
}

/// <summary>
/// The machinery behind the fixtures, one instance per (SUT type, scope): the catalog and the shipped reference data
/// (found by <see cref="ConformanceData.Locate"/>: a repository clone, else the data inside the WeightInit.Conformance
/// package), the planned checks of every case (test names are built from them before anything runs), and each case's
/// outcome, computed once and shared by its checks.
/// </summary>
public sealed class ConformanceSuite
{
    private static readonly ConcurrentDictionary<(Type Sut, CaseScope Scope), Lazy<ConformanceSuite>> Suites = new();

    private readonly ConcurrentDictionary<string, Lazy<CaseOutcome>> _outcomes = new(StringComparer.Ordinal);
    private readonly RunOptions _options = new();

    private ConformanceSuite(IInitializerUnderTest sut, CaseScope scope)
    {
        Data = ConformanceData.Locate();
        var catalog = Data.LoadCatalog();
        var golden = File.Exists(Data.GoldenPath) ? GoldenOutputs.Load(Data.GoldenPath) : null;
        // Each framework's cases against its shipped reference data (Keras 3.15.1, PyTorch 1.13), as harness check does.
        Runner = new ConformanceRunner(catalog, ReferenceStore.Shipped(Data.Root, catalog), sut, golden);
        Expectations = WeightInit.Conformance.Expectations.ExpectationsFile.ForSut(Data.Root, sut.Name);
        Scope = scope;
        Cases = (scope switch
        {
            CaseScope.Keras => catalog.Cases.Where(c => c.HasReference(Framework.Keras)),
            CaseScope.PyTorch => catalog.Cases.Where(c => c.HasReference(Framework.PyTorch)),
            _ => Runner.Cases(_options),
        }).Where(c => sut is not IConformanceScope scoped || scoped.Covers(c)).ToArray();
    }

    /// <summary>The suite of SUT type <typeparamref name="T"/> and <paramref name="scope"/> (one per test run).</summary>
    public static ConformanceSuite For<T>(CaseScope scope) where T : IInitializerUnderTest, new() =>
        Suites.GetOrAdd((typeof(T), scope), key => new Lazy<ConformanceSuite>(() => new ConformanceSuite(new T(), key.Scope))).Value;

    /// <summary>Where the catalog and reference data came from.</summary>
    public ConformanceData Data { get; }

    /// <summary>The runner (catalog, reference store, SUT).</summary>
    public ConformanceRunner Runner { get; }

    /// <summary>
    /// The SUT's known divergences (<c>conformance/expectations/&lt;sut&gt;.json</c>, the file <c>harness check</c> reads), or
    /// null: a listed failure passes its test with a message naming the divergence, its evidence and upstream reference.
    /// </summary>
    public WeightInit.Conformance.Expectations.ExpectationsFile? Expectations { get; }

    /// <summary>The scope of the suite.</summary>
    public CaseScope Scope { get; }

    /// <summary>The cases of the suite, in catalog order.</summary>
    public IReadOnlyList<ConformanceCase> Cases { get; }

    /// <summary>"&lt;id&gt; · &lt;Initializer&gt; &lt;shape&gt;: &lt;check&gt;", the gate's test name of one case × check.</summary>
    public static string TestName(ConformanceCase c, CheckId check)
    {
        ArgumentNullException.ThrowIfNull(c);
        return $"{c.Id} · {c.Initializer} {c.Shape.ToCompactString()}: {check}";
    }

    /// <summary>One NUnit test case per case × planned check, named by <see cref="TestName"/>.</summary>
    public IEnumerable<TestCaseData> TestCases()
    {
        foreach (var c in Cases)
            foreach (var check in Runner.PlanChecks(c, _options))
                yield return new TestCaseData(c, check).SetName(TestName(c, check));
    }

    /// <summary>The outcome of <paramref name="c"/>, run once and shared by its checks.</summary>
    public CaseOutcome Outcome(ConformanceCase c)
    {
        ArgumentNullException.ThrowIfNull(c);
        return _outcomes.GetOrAdd(c.Id, _ => new Lazy<CaseOutcome>(() => Runner.RunCase(c, _options))).Value;
    }

    /// <summary>
    /// Asserts that <paramref name="check"/> of <paramref name="c"/> did not fail. The test output carries the check's
    /// line (statistic, p-value, n); a failure's message is the same line, the diagnosis the gate prints. A suspect
    /// result (p below the suspect threshold) is logged and does not fail.
    /// </summary>
    public void AssertPasses(ConformanceCase c, CheckId check)
    {
        var outcome = Outcome(c);
        Assert.That(outcome.Error, Is.Null, outcome.Error);
        var result = outcome.Checks.SingleOrDefault(r => r.Check == check);
        Assert.That(result, Is.Not.Null, $"check '{check}' was planned but not produced; produced: {string.Join(", ", outcome.Checks.Select(r => r.Check))}");
        TestContext.Out.WriteLine(result!.ToString());
        if (result.Verdict == Verdict.Suspect)
            TestContext.Out.WriteLine($"SUSPECT (p < {GateThresholds.Default.SuspectP}): logged, does not fail the gate");
        var listed = Expectations?.Entries.Where(e => e.Covers(c.Id, check)).ToList() ?? [];
        if (result.Verdict == Verdict.Fail)
        {
            // Sorted exactly as harness check sorts it: a listed failure with the recorded diagnosis is expected.
            var entry = listed.FirstOrDefault(e => result.Message.Contains(e.Diagnosis, StringComparison.OrdinalIgnoreCase));
            if (entry is not null)
            {
                var text = $"expected divergence: {entry.Diagnosis}; evidence: {entry.Evidence}; upstream: {entry.Upstream}";
                TestContext.Out.WriteLine(text);
                Assert.Pass(text);
            }
            if (listed.Count > 0)
                TestContext.Out.WriteLine($"listed in {Expectations!.Path} with the diagnosis \"{listed[0].Diagnosis}\", which this failure does not contain");
        }
        else if (listed.Count > 0)
            TestContext.Out.WriteLine($"fixed upstream? {c.Id} · {check} is listed as an expected divergence (\"{listed[0].Diagnosis}\", {listed[0].Upstream}) but passes now");
        Assert.That(result.Verdict, Is.Not.EqualTo(Verdict.Fail), result.ToString());
    }

    /// <summary>Asserts that every expectations entry matches a planned check (a renamed case or check must update it).</summary>
    public void AssertExpectationsNamePlannedChecks()
    {
        if (Expectations is not { } file) { Assert.Ignore($"no expectations file for {Runner.Sut.Name}"); return; }
        var planned = Runner.Cases(_options).SelectMany(c => Runner.PlanChecks(c, _options).Select(k => (c.Id, k))).ToList();
        foreach (var e in file.Entries)
            Assert.That(planned.Any(p => e.Covers(p.Id, p.k)), Is.True, $"{file.Path}: entry {e.Cases} · {e.Check} matches no planned check");
    }

    /// <summary>Asserts that every case produced exactly the checks planned for it (the test names are honest).</summary>
    public void AssertPlansMatchRuns()
    {
        foreach (var c in Cases)
        {
            var produced = Outcome(c).Checks.Where(r => r.Verdict != Verdict.Info).Select(r => r.Check).ToArray();
            Assert.That(produced, Is.EquivalentTo(Runner.PlanChecks(c, _options)), c.Id);
        }
    }
}
