using NUnit.Framework;
using WeightInit.Conformance.NUnit;
using WeightInit.Testing;

namespace WeightInit.Conformance.Gate;

/// <summary>
/// The statistical gate: every catalog case is drawn from this library (n = 2^18, fixed recorded seeds) and put
/// through the battery against the exact theoretical law and the Keras 3.15.1 reference samples. One NUnit test per
/// case × check, named as a sentence ("he_normal-3x3x64x128-f32 · HeNormal 3x3x64x128: variance"). A check fails at
/// p &lt; 1e-6; p &lt; 1e-3 is reported as suspect in the test output. Each case is computed once and shared by its checks.
/// <para>
/// The gate is the packaged fixture (WeightInit.Conformance.NUnit) applied to this library, so the fixture users derive
/// from is exercised on every run: the test names, assertions and messages are the fixture's.
/// </para>
/// </summary>
[TestFixture]
[Category("Gate")]
[Parallelizable(ParallelScope.Children)]
public class StatisticalGateTests : CatalogConformanceFixture<LibraryUnderTest>
{
}
