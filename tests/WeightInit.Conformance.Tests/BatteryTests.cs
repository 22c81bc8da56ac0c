using NUnit.Framework;
using WeightInit.Conformance.Checks;

namespace WeightInit.Conformance.Tests;

/// <summary>
/// The battery on hand-made samples: its plan equals what it produces, a correct sample passes, and each kind of defect
/// is caught with its diagnosis. Samples come from System.Random with fixed seeds, so every run is identical.
/// </summary>
[TestFixture]
public class BatteryTests
{
    private static double[] Uniform(int n, double lo, double hi, int seed)
    {
        var rng = new System.Random(seed);
        return Enumerable.Range(0, n).Select(_ => lo + (hi - lo) * rng.NextDouble()).ToArray();
    }

    private static double[] Normal(int n, double sd, int seed)
    {
        var rng = new System.Random(seed);
        var x = new double[n];
        for (int i = 0; i < n; i++)
            x[i] = sd * Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        return x;
    }

    private static IEnumerable<CheckId> Gated(IEnumerable<CheckResult> results) => results.Where(r => r.Verdict != Verdict.Info).Select(r => r.Check);

    [TestCase(0)]
    [TestCase(500)]
    [TestCase(1000)]
    [TestCase(20_000)]
    public void The_plan_lists_exactly_the_checks_run_produces(int n)
    {
        var law = new UniformElements(-0.5, 0.5);
        var values = Uniform(n, -0.5, 0.5, 1);
        var reference = SortedSampleOf(Uniform(4000, -0.5, 0.5, 2));
        Assert.That(Gated(Battery.Run("u", law, values, false, reference)), Is.EquivalentTo(Battery.Plan(law, n, withReference: true)));
        Assert.That(Gated(Battery.Run("u", law, values, false)), Is.EquivalentTo(Battery.Plan(law, n, withReference: false)));
    }

    [Test]
    public void Chi_square_needs_at_least_its_minimum_n()
    {
        var law = new NormalElements(0, 1);
        Assert.That(Battery.Plan(law, Battery.ChiSquareMinimumN - 1, false), Does.Not.Contain(CheckId.ChiSquare));
        Assert.That(Battery.Plan(law, Battery.ChiSquareMinimumN, false), Does.Contain(CheckId.ChiSquare));
    }

    [Test]
    public void A_deterministic_law_is_compared_exactly() =>
        Assert.That(Battery.Plan(new ConstantElements(1), 12, withReference: true), Is.EqualTo(new[] { CheckId.Exact }));

    /// <summary>
    /// Regression for c0973db: float32 rounding puts about 6e-8 of uniform draws exactly on the bound of U[-l, l) when l is
    /// a power of two. Such values are legal (float32(l) is the support's float32 bound) and must not make A² infinite.
    /// </summary>
    [Test]
    public void Float32_values_rounded_onto_a_power_of_two_bound_do_not_fail_the_shape_tests()
    {
        const double limit = 0.0625;   // 2^-4: float32 rounding of values just below it lands on it
        var values = Uniform(200_000, -limit, limit, 3).Select(v => (double)(float)v).ToArray();
        values[17] = limit;   // as float32 rounding does, about once per 2^24 draws near the edge
        values[4242] = -limit;
        var results = Battery.Run("u32", new UniformElements(-limit, limit), values, float32: true);
        Assert.That(results.Single(r => r.Check == CheckId.Support).Verdict, Is.EqualTo(Verdict.Pass), "float32(limit) is inside the closed float32 support");
        var ad = results.Single(r => r.Check == CheckId.AndersonDarling);
        Assert.That(ad.Statistic, Is.Not.NaN.And.LessThan(double.PositiveInfinity), "A² finite");
        Assert.That(ad.Verdict, Is.Not.EqualTo(Verdict.Fail), ad.ToString());
        Assert.That(results.Where(r => r.Verdict == Verdict.Fail), Is.Empty);
    }

    [Test]
    public void The_same_values_as_float64_beyond_the_bound_do_fail_support()
    {
        var values = Uniform(10_000, -0.0625, 0.0625, 4);
        values[5] = 0.07;
        var support = Battery.Run("u64", new UniformElements(-0.0625, 0.0625), values, float32: false).Single(r => r.Check == CheckId.Support);
        Assert.That(support.Verdict, Is.EqualTo(Verdict.Fail));
        Assert.That(support.Message, Does.Contain("outside"));
    }

    [Test]
    public void A_correct_normal_sample_passes_and_a_scaled_one_fails_with_the_variance_ratio()
    {
        var law = new NormalElements(0, 0.5);
        Assert.That(Battery.Run("ok", law, Normal(100_000, 0.5, 5), false).Where(r => r.Verdict == Verdict.Fail), Is.Empty);
        var wrong = Battery.Run("x", law, Normal(100_000, 0.5 * Math.Sqrt(2), 6), false);
        var variance = wrong.Single(r => r.Check == CheckId.Variance);
        Assert.That(variance.Verdict, Is.EqualTo(Verdict.Fail));
        Assert.That(variance.Message, Does.StartWith("variance 1.9").And.Contain("fan mode or scale mismatch"));
        Assert.That(variance.PValue, Is.LessThan(1e-6));
        Assert.That(variance.N, Is.EqualTo(100_000));
    }

    [Test]
    public void Threshold_texts_come_from_the_thresholds()
    {
        var strict = new GateThresholds(FailP: 1e-9, SuspectP: 1e-4);
        var results = Battery.Run("n", new NormalElements(0, 1), Normal(10_000, 1, 7), false, thresholds: strict);
        Assert.That(results.Single(r => r.Check == CheckId.Ks).Expected, Does.Contain("at 1e-4"));
        Assert.That(results.Single(r => r.Check == CheckId.AndersonDarling).Expected, Does.Contain("(1e-9)"));
        Assert.That(GateThresholds.Default.AdFailStatistic, Is.EqualTo(12.516).Within(5e-3));
        Assert.That(GateThresholds.Default.KsSuspectDistance(1), Is.EqualTo(1.9495).Within(1e-4));
    }

    private static WeightInit.Statistics.SortedSample SortedSampleOf(double[] x) => WeightInit.Statistics.SortedSample.Of(x);
}
