using NUnit.Framework;
using WeightInit.Conformance.Checks;
using WeightInit.Testing;

namespace WeightInit.Conformance.NUnit;

// The three fixtures differ only in their case scope. Each declares its own static case source because NUnit reads
// sources from static members, which a generic base cannot vary per derived class.

/// <summary>
/// The conformance gate on the Keras cases for <typeparamref name="T"/>: derive
/// <c>public sealed class MyGate : KerasConformanceFixture&lt;MyInitializers&gt; { }</c> and <c>dotnet test</c> shows one
/// test per case × check ("he_normal-3x3x64x128-f32 · HeNormal 3x3x64x128: variance"). Every case is drawn from
/// <typeparamref name="T"/> at n = 2^18 with the catalog's fixed seeds and checked against the exact theoretical law and
/// the Keras 3.15.1 reference samples; a check fails at p &lt; 1e-6 with the diagnosis (statistic, p-value, n).
/// </summary>
/// <typeparam name="T">The implementation under test (a parameterless constructor is used once per test run).</typeparam>
[TestFixture]
[Parallelizable(ParallelScope.Children)]
public abstract class KerasConformanceFixture<T> where T : IInitializerUnderTest, new()
{
    /// <summary>The test cases: one per Keras case × planned check.</summary>
    public static IEnumerable<TestCaseData> CaseChecks() => ConformanceSuite.For<T>(CaseScope.Keras).TestCases();

    /// <summary>One check of one case: fails with the check's diagnosis.</summary>
    [TestCaseSource(nameof(CaseChecks))]
    public void Check_passes(ConformanceCase c, CheckId check) => ConformanceSuite.For<T>(CaseScope.Keras).AssertPasses(c, check);

    /// <summary>Every case produced exactly its planned checks.</summary>
    [Test]
    public void Every_case_produces_exactly_its_planned_checks() => ConformanceSuite.For<T>(CaseScope.Keras).AssertPlansMatchRuns();
}

/// <summary>
/// The conformance gate on the PyTorch cases (checked against the PyTorch 1.13 reference samples) for
/// <typeparamref name="T"/>; used as <see cref="KerasConformanceFixture{T}"/>. The SUT receives the catalog's torch
/// initializer names and configs (e.g. <c>torch.kaiming_normal_</c>).
/// </summary>
/// <typeparam name="T">The implementation under test.</typeparam>
[TestFixture]
[Parallelizable(ParallelScope.Children)]
public abstract class TorchConformanceFixture<T> where T : IInitializerUnderTest, new()
{
    /// <summary>The test cases: one per PyTorch case × planned check.</summary>
    public static IEnumerable<TestCaseData> CaseChecks() => ConformanceSuite.For<T>(CaseScope.PyTorch).TestCases();

    /// <summary>One check of one case: fails with the check's diagnosis.</summary>
    [TestCaseSource(nameof(CaseChecks))]
    public void Check_passes(ConformanceCase c, CheckId check) => ConformanceSuite.For<T>(CaseScope.PyTorch).AssertPasses(c, check);

    /// <summary>Every case produced exactly its planned checks.</summary>
    [Test]
    public void Every_case_produces_exactly_its_planned_checks() => ConformanceSuite.For<T>(CaseScope.PyTorch).AssertPlansMatchRuns();
}

/// <summary>
/// The gate on every case the engine's runner covers for <typeparamref name="T"/> (<see cref="CaseScope.Runner"/>): for
/// this library all catalog cases, with its derived-parameter and golden-output checks. This project's own gate is one.
/// </summary>
/// <typeparam name="T">The implementation under test.</typeparam>
[TestFixture]
[Parallelizable(ParallelScope.Children)]
public abstract class CatalogConformanceFixture<T> where T : IInitializerUnderTest, new()
{
    /// <summary>The test cases: one per case × planned check.</summary>
    public static IEnumerable<TestCaseData> CaseChecks() => ConformanceSuite.For<T>(CaseScope.Runner).TestCases();

    /// <summary>One check of one case: fails with the check's diagnosis.</summary>
    [TestCaseSource(nameof(CaseChecks))]
    public void Check_passes(ConformanceCase c, CheckId check) => ConformanceSuite.For<T>(CaseScope.Runner).AssertPasses(c, check);

    /// <summary>Every case produced exactly its planned checks.</summary>
    [Test]
    public void Every_case_produces_exactly_its_planned_checks() => ConformanceSuite.For<T>(CaseScope.Runner).AssertPlansMatchRuns();

    /// <summary>Every entry of the SUT's expectations file matches a planned check.</summary>
    [Test]
    public void Every_expected_divergence_names_a_planned_check() => ConformanceSuite.For<T>(CaseScope.Runner).AssertExpectationsNamePlannedChecks();
}
