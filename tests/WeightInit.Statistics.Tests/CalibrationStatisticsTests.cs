using WeightInit.Statistics;

namespace WeightInit.Statistics.Tests;

/// <summary>
/// The statistics behind `harness calibrate`: the Clopper–Pearson intervals of the README's false-alarm figures and the
/// analytic power table, checked against closed forms, scipy values and simulation.
/// </summary>
[TestFixture]
public class CalibrationStatisticsTests
{
    /// <summary>Row labels as the gate names its checks (the table takes them from the caller).</summary>
    private static readonly PowerTable.CheckNames Names = new("variance", "KS", "chi-square(100)", "max|x|", "support", "Anderson-Darling");

    [Test]
    public void Clopper_pearson_intervals_match_the_beta_quantiles()
    {
        // 0 of n: upper = 1 - (alpha/2)^(1/n), the "rule of three" bound ~3.7/n at 95 %
        var (lo, hi) = ClopperPearson.Interval(0, 1000);
        Assert.That(lo, Is.Zero);
        Assert.That(hi, Is.EqualTo(1 - Math.Pow(0.025, 1.0 / 1000)).Within(1e-12));
        // 5 of 10 (scipy.stats.binomtest(5, 10).proportion_ci(): 0.1870860284474045, 0.8129139715525955)
        (lo, hi) = ClopperPearson.Interval(5, 10);
        Assert.That(lo, Is.EqualTo(0.1870860284474045).Within(1e-10));
        Assert.That(hi, Is.EqualTo(0.8129139715525955).Within(1e-10));
        (lo, hi) = ClopperPearson.Interval(10, 10);
        Assert.That(hi, Is.EqualTo(1));
        Assert.That(lo, Is.EqualTo(Math.Pow(0.025, 1.0 / 10)).Within(1e-12));
    }

    [Test]
    public void Clopper_pearson_matches_scipy_at_other_levels_and_without_trials()
    {
        // scipy.stats.binomtest(3, 100).proportion_ci(0.90): 0.008225829107865196, 0.0757107937498301
        var (lo, hi) = ClopperPearson.Interval(3, 100, alpha: 0.10);
        Assert.That(lo, Is.EqualTo(0.008225829107865196).Within(1e-10));
        Assert.That(hi, Is.EqualTo(0.0757107937498301).Within(1e-10));
        // a quantile far in the tail, where bisection on I_t(a, b) keeps its relative accuracy (Beta(1, b) has the closed
        // form q = 1 - (1-p)^(1/b)): scipy.stats.beta.ppf(1e-6, 1, 1e6). Measured: 2.3e-11 relative, the accuracy of
        // MathNet's incomplete beta there; tolerance 1e-10 relative.
        Assert.That(ClopperPearson.BetaQuantile(1, 1e6, 1e-6), Is.EqualTo(1.0000004999998333e-12).Within(1e-8).Percent);
        Assert.That(ClopperPearson.Interval(0, 0), Is.EqualTo((0.0, 1.0)), "no trials: no information");
    }

    [Test]
    public void Power_table_shrinks_like_one_over_root_n_and_uniform_bounds_catch_leaks()
    {
        var rows = PowerTable.Compute(Names);
        var variance = rows.Where(r => r.Family == "normal" && r.Check == "variance").OrderBy(r => r.N).ToArray();
        Assert.That(variance, Has.Length.EqualTo(PowerTable.Sizes.Length));
        for (int i = 1; i < variance.Length; i++)   // n x4 -> detectable error /2
            Assert.That(variance[i].WiderPercent!.Value / variance[i - 1].WiderPercent!.Value, Is.EqualTo(0.5).Within(0.02));
        // a correct variance test at n = 2^18 on a normal law: z(1e-6/2) + z(0.999) = 8.0 sd of sqrt(2/n) -> ~1.1 %
        var at18 = variance.Single(r => r.N == 1L << 18);
        Assert.That(at18.WiderPercent, Is.EqualTo(100 * (Math.Sqrt(1 + (4.8916 + 3.0902) * Math.Sqrt(2.0 / (1 << 18))) - 1)).Within(0.05));
        // support: one leak among n values fails, so P(detect) = 1-(1-q)^n = 0.999 -> q = 1 - 0.001^(1/n) ≈ 6.9/n
        var support = rows.Single(r => r.Family == "uniform" && r.Check == "support" && r.N == 1L << 18);
        Assert.That(support.LeakRate, Is.EqualTo(1 - Math.Pow(0.001, 1.0 / (1 << 18))).Within(1e-6).Percent);
    }

    [Test]
    public void Power_table_rows_carry_the_callers_check_names_and_the_header_states_the_level()
    {
        var rows = PowerTable.Compute(Names with { Ks = "ks-renamed" });
        Assert.That(rows.Select(r => r.Check).Distinct(), Is.EquivalentTo(new[] { "variance", "ks-renamed", "chi-square(100)", "max|x|", "support", "Anderson-Darling" }));
        // bounded laws get support and AD rows, the normal does not; every law has every size
        Assert.That(rows.Count(r => r.Check == "support"), Is.EqualTo(2 * PowerTable.Sizes.Length));
        Assert.That(rows, Has.Count.EqualTo(3 * 4 * PowerTable.Sizes.Length + 2 * 2 * PowerTable.Sizes.Length));
        string text = PowerTable.Render(rows);
        Assert.That(text, Does.StartWith("power table (analytic, one check on one case of n values; detect = two-sided p < 1e-6 with probability 0.999):"));
        Assert.That(text, Does.Match(@"(?m)^uniform +ks-renamed +2\^18 "));
        Assert.That(() => PowerTable.Compute(null!), Throws.ArgumentNullException);
    }

    /// <summary>
    /// The analytic power table checked by simulation at its smallest n (2^14), 300 fixed-seed replicates per row: at the
    /// tabulated stddev error the check detects (p &lt; 1e-6) at least 99 % of the time (table: 99.9 %; KS is a lower bound
    /// on power, so it may detect more), and at 0.7× that error the variance and chi-square checks detect clearly less —
    /// so the figures are neither optimistic nor loose.
    /// </summary>
    [TestCase("normal", "variance")]
    [TestCase("normal", "KS")]
    [TestCase("normal", "chi-square(100)")]
    [TestCase("truncnorm(±2)", "variance")]
    [TestCase("truncnorm(±2)", "chi-square(100)")]
    [TestCase("uniform", "variance")]
    [TestCase("uniform", "KS")]
    [TestCase("uniform", "chi-square(100)")]
    public void Power_table_holds_by_simulation(string family, string check)
    {
        const int n = 1 << 14, reps = 300;
        var row = PowerTable.Compute(Names).Single(r => r.Family == family && r.Check == check && r.N == n);
        double epsilon = row.WiderPercent!.Value / 100;
        IUnivariateDistribution Law(double f) => family switch
        {
            "normal" => new NormalDistribution(0, f),
            "truncnorm(±2)" => new TruncatedNormalDistribution(0, f),
            _ => new UniformDistribution(-f, f),
        };
        var null0 = Law(1);
        double Detection(double eps, int seed)
        {
            var law = Law(1 + eps);
            var rng = new Random(seed);
            var x = new double[n];
            int detected = 0;
            for (int rep = 0; rep < reps; rep++)
            {
                for (int i = 0; i < n; i++) x[i] = law.InvCdf((rng.Next(1 << 30) + 0.5) / (1 << 30));
                double p = check switch
                {
                    "variance" => StatisticalTests.Variance(x, null0).PValue,
                    "KS" => StatisticalTests.KolmogorovSmirnov(x, null0).PValue,
                    _ => StatisticalTests.ChiSquareEquiprobable(x, null0, 100).PValue,
                };
                if (p < PowerTable.Alpha) detected++;
            }
            return detected / (double)reps;
        }
        double atTable = Detection(epsilon, 1), below = Detection(0.7 * epsilon, 2);
        TestContext.Out.WriteLine($"{family} {check} n=2^14: detected {atTable:P1} at +{row.WiderPercent:F2} %, {below:P1} at 0.7x");
        Assert.That(atTable, Is.GreaterThanOrEqualTo(0.99), $"{family} {check}: stddev +{row.WiderPercent:F2} % at n = 2^14");
        if (check != "KS")
            Assert.That(below, Is.LessThan(0.97), $"{family} {check}: 0.7 x the tabulated error should not be detected reliably");
    }
}
