using NUnit.Framework;
using WeightInit.Conformance.NUnit;
using WeightInit.Testing;

namespace WeightInit.Conformance.Gate;

/// <summary>
/// The packaged fixtures as a user derives them, on an implementation that is not this library's own type (so the runner
/// treats it as an external SUT: no derived-parameter or golden checks): this library's initializers behind a wrapper
/// covering two Keras and two PyTorch cases. The gate (<see cref="StatisticalGateTests"/>) covers the library itself.
/// </summary>
public sealed class WrappedLibrary : IInitializerUnderTest, IConformanceScope
{
    private static readonly HashSet<string> Covered =
    [
        "he_normal-3x3x64x128-f32", "glorot_uniform-256x128-f64",
        "torch.xavier_uniform_-256x128-f32", "torch.xavier_normal_-gain2-128x64x3x3-f64",
    ];

    private readonly LibraryUnderTest _library = new();

    public string Name => "csharp (wrapped, as a user's SUT)";

    public bool Covers(ConformanceCase c) => Covered.Contains(c.Id);

    public Array Sample(string className, string configJson, int[] shape, long seed, string dtype) => _library.Sample(className, configJson, shape, seed, dtype);

    public Array SampleBatch(string className, string configJson, int[] shape, long firstSeed, int count, string dtype) =>
        _library.SampleBatch(className, configJson, shape, firstSeed, count, dtype);
}

/// <summary>KerasConformanceFixture on the wrapped library.</summary>
[Category("Gate")]
public sealed class KerasFixtureOnWrappedLibraryTests : KerasConformanceFixture<WrappedLibrary>
{
    [Test]
    public void Runs_the_covered_Keras_cases_with_the_gate_names()
    {
        var suite = ConformanceSuite.For<WrappedLibrary>(CaseScope.Keras);
        Assert.That(suite.Cases.Select(c => c.Id), Is.EquivalentTo(new[] { "he_normal-3x3x64x128-f32", "glorot_uniform-256x128-f64" }));
        var names = suite.TestCases().Select(t => t.TestName).ToArray();
        Assert.That(names, Does.Contain("he_normal-3x3x64x128-f32 · HeNormal 3x3x64x128: variance"));
        Assert.That(names, Has.None.Contains("derived parameters").And.None.Contains("golden"), "an external SUT has no library-only checks");
    }
}

/// <summary>TorchConformanceFixture on the wrapped library: the PyTorch cases against the PyTorch 1.13 reference samples.</summary>
[Category("Gate")]
public sealed class TorchFixtureOnWrappedLibraryTests : TorchConformanceFixture<WrappedLibrary>
{
    [Test]
    public void Runs_the_covered_PyTorch_cases_against_the_PyTorch_reference()
    {
        var suite = ConformanceSuite.For<WrappedLibrary>(CaseScope.PyTorch);
        Assert.That(suite.Cases.Select(c => c.Id), Is.EquivalentTo(new[] { "torch.xavier_uniform_-256x128-f32", "torch.xavier_normal_-gain2-128x64x3x3-f64" }));
        var names = suite.TestCases().Select(t => t.TestName).ToArray();
        Assert.That(names, Does.Contain("torch.xavier_uniform_-256x128-f32 · xavier_uniform_ 256x128: two-sample KS vs reference"));
        Assert.That(suite.Runner.References.LabelFor(suite.Cases[0]), Does.StartWith("pytorch"));
    }
}
