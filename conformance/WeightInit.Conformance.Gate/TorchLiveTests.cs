using NUnit.Framework;
using WeightInit.Conformance.Checks;
using WeightInit.Conformance.Engine;
using WeightInit.Conformance.Regeneration;
using WeightInit.Python;
using WeightInit.Testing;

namespace WeightInit.Conformance.Gate;

/// <summary>Live PyTorch as a system under test: <c>torch.nn.init</c> functions sampled through the Python bridge.</summary>
/// <summary>
/// The PyTorch family against <b>live PyTorch</b> (torch 1.13 here, through the pythonnet bridge): for every case of
/// <c>conformance/cases/torch.json</c>, torch's own values (the catalog's seeds, 2^16 values per case) go through the
/// same battery as the library's — support, max|x|, mean, variance, KS, Anderson–Darling, chi-square against the
/// theoretical law this library derives; orthonormality and Haar checks for <c>orthogonal_</c>; exact values for
/// <c>eye_</c>, <c>dirac_</c>, <c>constant_</c> — so the law the library implements is shown to be torch's law. Each case
/// also checks that live torch still reproduces the committed reference data (reference-data/pytorch/1.13.x) bit for
/// bit. Without Python or torch every test is ignored with the reason ("skipped: ..."), never passed silently.
/// </summary>
[TestFixture]
[Category("Gate")]
[Category("LiveTorch")]
[NonParallelizable]
public class TorchLiveTests
{
    private const long LiveN = 1 << 16;

    private static readonly Lazy<string?> SkipReason = new(() =>
    {
        try
        {
            var info = FrameworkSampler.Probe("torch");
            if (!info.Available) return $"torch is not available in the embedded Python: {info.Reason}. {info.InstallHint}";
            return null;
        }
        catch (Exception ex) { return $"Python bridge unavailable: {ex.GetType().Name}: {ex.Message.Split('\n')[0]}"; }
    });

    private static readonly Lazy<ReferenceData> Reference = new(() =>
        ReferenceData.Load(ReferenceData.FolderOf(TestPaths.RepoRoot, "pytorch", "1.13.x")));

    public static IEnumerable<TestCaseData> TorchCases() =>
        CaseCatalog.LoadFromRepository(TestPaths.RepoRoot).Cases
            .Where(c => c.HasReference(Framework.PyTorch))
            .Select(c => new TestCaseData(c).SetName($"live torch · {c.Id}: same law as the library's {c.Initializer}"));

    private static void RequireTorch()
    {
        if (SkipReason.Value is { } reason) Assert.Ignore("skipped: " + reason);
    }

    [Test]
    public void Live_torch_is_1_13_as_recorded_in_the_reference_data()
    {
        RequireTorch();
        var info = FrameworkSampler.Probe("torch");
        TestContext.Out.WriteLine($"live: torch {info.Version} ({info.Location}), seeding {info.Seeding}; reference: {Reference.Value.Manifest.Framework} {Reference.Value.Manifest.FrameworkVersion}");
        Assert.That(ReferenceRegenerator.VersionFolder("pytorch", info.Version!), Is.EqualTo("1.13.x"),
            "the committed torch reference data is for 1.13.x; regenerate with `scripts/harness regenerate --framework torch` for another version");
    }

    [TestCaseSource(nameof(TorchCases))]
    public void Live_torch_case(ConformanceCase c)
    {
        RequireTorch();
        var sut = WeightInit.Conformance.Sut.LiveFrameworkSut.Kind(Framework.PyTorch).Create("", TestPaths.RepoRoot);
        var law = c.CreateInitializer().DeriveParameters(c.Shape).Distribution;
        long n = c.IsDeterministic ? c.Shape.Count : Math.Min(c.N, LiveN);
        int perTensor = (int)Math.Max(1, c.Shape.Count);
        int seeds = c.IsDeterministic ? 1 : (int)((n + perTensor - 1) / perTensor);
        var sample = CaseSampler.Draw(sut, c.Initializer, c.ConfigJson, c.Shape.ToArray(), c.DType.Name(), c.Seeds?.First ?? 0, seeds, n,
            keepTensors: law is OrthogonalElements);

        var results = law is OrthogonalElements o
            ? OrthogonalChecks.Run(c.Id, o, sample.Tensors, sample.Float32)
            : Battery.Run(c.Id, law, sample.Values, sample.Float32);
        foreach (var r in results) TestContext.Out.WriteLine(r.ToString());

        // Live torch reproduces the committed reference prefix (same seeds) bit for bit.
        var reference = Reference.Value.Values(c.Id).ToDoubleArray();
        int common = (int)Math.Min(reference.Length, sample.Values.Length);
        int firstDiff = Enumerable.Range(0, common).FirstOrDefault(i => BitConverter.DoubleToInt64Bits(reference[i]) != BitConverter.DoubleToInt64Bits(sample.Values[i]), -1);
        TestContext.Out.WriteLine($"reference prefix: {common} values compared, {(firstDiff < 0 ? "bit-identical" : $"first difference at {firstDiff}")}");

        var failed = results.Where(r => r.Verdict == Verdict.Fail).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(failed, Is.Empty, $"live torch {c.Id} fails the library's law {TheoreticalLaw.Describe(law)}:\n" + string.Join("\n", failed));
            Assert.That(firstDiff, Is.EqualTo(-1), $"live torch no longer reproduces reference-data/pytorch/1.13.x/{c.Id}.npy (first difference at value {firstDiff}); torch changed or the data is stale");
        });
    }
}

/// <summary>The committed PyTorch reference data: loads (schema + sha256), matches the catalog, stays small.</summary>
[TestFixture]
[Category("Gate")]
public class TorchReferenceDataTests
{
    [Test]
    public void PyTorch_reference_data_loads_and_matches_the_catalog()
    {
        var root = TestPaths.RepoRoot;
        var data = ReferenceData.Load(ReferenceData.FolderOf(root, "pytorch", "1.13.x"));
        data.CheckAgainst(CaseCatalog.LoadFromRepository(root));
        var m = data.Manifest;
        Assert.Multiple(() =>
        {
            Assert.That(m.Framework, Is.EqualTo("pytorch"));
            Assert.That(m.FrameworkVersion, Does.StartWith("1.13"));
            Assert.That(m.Command, Does.Contain("regenerate --framework torch"));
            Assert.That(m.Cases.All(c => c.Values <= ReferenceRegenerator.ValuesPerCase), "at most 2^15 values per case");
            Assert.That(data.TotalBytes, Is.LessThan(5_000_000), "pytorch reference data stays small");
        });
    }

    [Test]
    public void Whole_reference_data_tree_is_at_most_25_MB()
    {
        var tree = new DirectoryInfo(Path.Combine(TestPaths.RepoRoot, "reference-data"));
        long bytes = tree.EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);
        TestContext.Out.WriteLine($"reference-data: {bytes / 1e6:F2} MB");
        Assert.That(bytes, Is.LessThanOrEqualTo(25_000_000));
    }
}
