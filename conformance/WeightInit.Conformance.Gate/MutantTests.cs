using NUnit.Framework;
using WeightInit.Conformance.Checks;
using WeightInit.Conformance.Engine;
using WeightInit.Conformance.Sut;
using WeightInit.Mutants;
using WeightInit.Python;
using WeightInit.Testing;

namespace WeightInit.Conformance.Gate;

/// <summary>
/// The gate proves itself: every mutant of <c>conformance/WeightInit.Mutants</c> is killed (at least one check of the
/// mutant's own values fails, p &lt; 1e-6 or a violated property) on a fast subset of cases chosen for it, and the correct
/// library passes the same cases. <c>harness mutants</c> runs the full default gate on every mutant instead.
/// </summary>
[TestFixture]
[Category("Gate")]
[Parallelizable(ParallelScope.Children)]
public class MutantTests
{
    private const string HeNormalConv = "he_normal-3x3x64x128-f32";

    /// <summary>For each mutant, the cases (from the default gate, same n and seeds) that kill it in CI.</summary>
    private static readonly Dictionary<string, string[]> KillerCases = new()
    {
        ["uncorrected-truncation"] = [HeNormalConv],
        ["integer-fan-avg"] = ["glorot_uniform-3x4-f32"],
        ["xavier-normal-draws-uniform"] = ["glorot_normal-64x32-f32"],
        ["fans-swapped"] = [HeNormalConv],
        ["oihw-fans-on-hwio"] = [HeNormalConv],
        ["receptive-field-ignored"] = [HeNormalConv],
        ["contrib-sqrt-1.3"] = [HeNormalConv],
        ["clip-instead-of-resample"] = [HeNormalConv],
        ["cut-at-3-sigma"] = [HeNormalConv],
        ["fan-avg-without-half"] = ["glorot_normal-64x32-f32"],
        ["uniform-limit-sqrt6"] = ["lecun_uniform-3x4-f32"],   // not lecun_uniform-3x64x128-f32: its gate seeds put a float32 value on the bound, and AD then gives A² = ∞ for the correct library (a gate defect, see README)
        ["torch-backend-leaks"] = ["truncated_normal-default-64x32-f32"],   // fixed seeds: 1 leak in 2^18 here (expected 1.1 per case)
        ["seed-ignored"] = ["random_normal-default-3x4-f32"],
        ["mean-shift"] = ["random_normal-m0.5-s2-64x32-f32"],
        ["untruncated-normal"] = [HeNormalConv],
        ["orthogonal-no-sign-fix"] = ["orthogonal-64x32-f32"],
        ["identity-ignores-gain"] = ["identity-gain2-3x5-f64"],
        ["glorot-uses-fan-in"] = ["glorot_normal-3x3x64x128-f32"],
    };

    private static readonly Lazy<(CaseCatalog Catalog, ReferenceStore Reference)> Data = new(() =>
    {
        var root = TestPaths.RepoRoot;
        var catalog = CaseCatalog.LoadFromRepository(root);
        return (catalog, ReferenceStore.ShippedFor(root, catalog, Framework.Keras));
    });

    private static ConformanceCase Case(string id) =>
        Data.Value.Catalog.Cases.SingleOrDefault(c => c.Id == id) ?? throw new AssertionException($"case {id} is not in the catalog");

    /// <summary>Checks of the SUT's own values that failed (not the reference samples' self-checks), plus a case error.</summary>
    private static List<string> Failures(IInitializerUnderTest sut, IEnumerable<string> caseIds)
    {
        var runner = new ConformanceRunner(Data.Value.Catalog, Data.Value.Reference, sut);
        var failures = new List<string>();
        foreach (var id in caseIds)
        {
            var outcome = runner.RunCase(Case(id), new RunOptions());
            if (outcome.Error is not null) failures.Add($"{id}: error: {outcome.Error}");
            failures.AddRange(outcome.Checks
                .Where(r => r.Verdict == Verdict.Fail && !r.Check.OnReference)
                .Select(r => $"{id}: {r}"));
        }
        return failures;
    }

    public static IEnumerable<TestCaseData> Mutants() =>
        MutantCatalog.All.Select(m => new TestCaseData(m.Name).SetName($"mutant {m.Name} is killed ({m.Description})"));

    [TestCaseSource(nameof(Mutants))]
    public void Mutant_is_killed(string name)
    {
        Assert.That(KillerCases.ContainsKey(name), Is.True, $"mutant {name} has no CI cases in {nameof(KillerCases)}");
        var sut = TestPaths.Suts.Resolve($"mutant:{name}", TestPaths.RepoRoot);
        Assert.That(sut.Name, Is.EqualTo(name));
        var failures = Failures(sut, KillerCases[name]);
        foreach (var f in failures) TestContext.Out.WriteLine(f);
        Assert.That(failures, Is.Not.Empty, $"mutant {name} SURVIVED on {string.Join(", ", KillerCases[name])}: a defect of the gate");
    }

    [Test]
    public void The_correct_library_passes_every_killer_case()
    {
        var ids = KillerCases.Values.SelectMany(v => v).Distinct().ToArray();
        var failures = Failures(TestPaths.Suts.Resolve("csharp", TestPaths.RepoRoot), ids);
        Assert.That(failures, Is.Empty, string.Join(Environment.NewLine, failures));
    }

    [Test]
    public void Every_mutant_has_a_unique_name_and_a_description()
    {
        var names = MutantCatalog.All.Select(m => m.Name).ToArray();
        Assert.That(names, Is.Unique);
        Assert.That(names.Length, Is.GreaterThanOrEqualTo(15));
        Assert.That(MutantCatalog.All.All(m => m.Description.Length > 10), Is.True);
        Assert.That(TestPaths.Suts.Kinds.Select(k => k.Name), Does.Contain("mutant"));
    }
}


/// <summary>
/// <c>--sut python:conformance/sut/numpy_initializers.py:sample</c>: a plain numpy implementation written from the formulas
/// passes every Keras case of the gate (all statistical, bound, shape and seed checks). Skipped, with the reason, when the
/// bridge has no Python or numpy.
/// </summary>
[TestFixture]
[Category("Gate")]
[Parallelizable(ParallelScope.Children)]
public class PythonSutTests
{
    private const string Spec = "python:conformance/sut/numpy_initializers.py:sample";

    private static readonly Lazy<(IInitializerUnderTest? Sut, string Reason)> Sut = new(() =>
    {
        if (!PythonHost.TryStart(out var reason)) return (null, "skipped: no usable Python for the bridge: " + reason.Split('\n')[0]);
        var numpy = FrameworkSampler.Probe("numpy");
        if (!numpy.Available) return (null, $"skipped: numpy does not import in the embedded Python ({numpy.Reason}); run scripts/setup-python.sh");
        return (TestPaths.Suts.Resolve(Spec, TestPaths.RepoRoot), "");
    });

    private static readonly Lazy<ConformanceRunner> Runner = new(() =>
    {
        var root = TestPaths.RepoRoot;
        var catalog = CaseCatalog.LoadFromRepository(root);
        return new ConformanceRunner(catalog, ReferenceStore.ShippedFor(root, catalog, Framework.Keras), Sut.Value.Sut!);
    });

    private static IInitializerUnderTest Require()
    {
        if (Sut.Value.Sut is null) Assert.Ignore(Sut.Value.Reason);
        return Sut.Value.Sut!;
    }

    public static IEnumerable<TestCaseData> KerasCases() =>
        CaseCatalog.LoadFromRepository(TestPaths.RepoRoot).Cases.Where(c => c.HasReference(Framework.Keras))
            .Select(c => new TestCaseData(c.Id).SetName($"numpy SUT passes {c.Id}"));

    [TestCaseSource(nameof(KerasCases))]
    public void Numpy_implementation_passes(string caseId)
    {
        Require();
        var c = CaseCatalog.LoadFromRepository(TestPaths.RepoRoot).Cases.Single(x => x.Id == caseId);
        var outcome = Runner.Value.RunCase(c, new RunOptions());
        Assert.That(outcome.Error, Is.Null);
        foreach (var r in outcome.Checks) TestContext.Out.WriteLine(r);
        var failed = outcome.Checks.Where(r => r.Verdict == Verdict.Fail).ToList();
        Assert.That(failed, Is.Empty, string.Join(Environment.NewLine, failed));
        Assert.That(outcome.Checks.Any(r => r.Check == CheckId.SameSeed), Is.EqualTo(c.Shape.Count > 0));
        Assert.That(outcome.Checks.Any(r => r.Check == CheckId.Parameters || r.Check == CheckId.Golden), Is.False,
            "derived-parameter and golden checks do not apply to an external SUT");
    }

    [Test]
    public void A_python_exception_fails_the_case_with_its_message()
    {
        Require();
        var file = Path.Combine(Path.GetTempPath(), $"raising_sut_{Environment.ProcessId}.py");
        File.WriteAllText(file, "def sample(class_name, config, shape, seed, dtype):\n    raise NotImplementedError(f'no {class_name} here')\n");
        try
        {
            var sut = TestPaths.Suts.Resolve($"python:{file}:sample", TestPaths.RepoRoot);
            var c = CaseCatalog.LoadFromRepository(TestPaths.RepoRoot).Cases.First(x => x.Id == "glorot_normal-64x32-f32");
            var root = TestPaths.RepoRoot;
            var outcome = new ConformanceRunner(CaseCatalog.LoadFromRepository(root), ReferenceStore.None, sut).RunCase(c, new RunOptions());
            Assert.That(outcome.Failed, Is.True);
            Assert.That(outcome.Error, Does.Contain("NotImplementedError").And.Contain("no GlorotNormal here"));
        }
        finally { File.Delete(file); }
    }

    [Test]
    public void A_missing_function_is_a_resolution_error()
    {
        Require();
        var ex = Assert.Throws<SutResolutionException>(() => TestPaths.Suts.Resolve("python:conformance/sut/numpy_initializers.py:nope", TestPaths.RepoRoot));
        Assert.That(ex!.Message, Does.Contain("AttributeError").And.Contain("nope"));
    }

    [Test]
    public void Module_name_on_sys_path_resolves()
    {
        Require();
        var sut = TestPaths.Suts.Resolve("python:numpy_initializers:sample", TestPaths.RepoRoot);
        var values = (float[])sut.Sample("HeUniform", "{}", [8, 4], 7, "float32");
        Assert.That(values, Has.Length.EqualTo(32));
        Assert.That(values.Max(v => Math.Abs(v)), Is.LessThanOrEqualTo((float)Math.Sqrt(6.0 / 8)));
    }
}
