using WeightInit.Conformance.Sut;
using WeightInit.Mutants;

namespace Harness;

/// <summary>
/// The SUT kinds this program knows: the engine's own (csharp, assembly, python) and the mutant catalog that
/// <c>harness mutants</c> runs. Every command that takes <c>--sut</c> resolves it here.
/// </summary>
internal static class HarnessSuts
{
    public static SutRegistry Registry { get; } = SutRegistry.Builtin.With(MutantCatalog.SutKind);
}
