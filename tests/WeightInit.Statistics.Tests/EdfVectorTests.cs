using System.Text.Json.Nodes;
using WeightInit.Statistics;

namespace WeightInit.Statistics.Tests;

/// <summary>AD (simple hypothesis), CvM, mean/variance/max|x| tests against edf_stats_cases.json (joined to ks1 data on id).</summary>
[TestFixture]
public class EdfVectorTests
{
    public static IEnumerable<TestCaseData> Cases() =>
        Vectors.Load("edf_stats_cases.json")["cases"]!.AsArray().Select(c => new TestCaseData(c!["id"]!.GetValue<string>()).SetName($"edf {c["id"]}"));

    private static (JsonNode Edf, double[] X, IUnivariateDistribution Dist) Get(string id)
    {
        var e = Vectors.Load("edf_stats_cases.json")["cases"]!.AsArray().First(c => c!["id"]!.GetValue<string>() == id)!;
        var k = Vectors.Ks1Case(id);
        return (e, Vectors.Data(k), Vectors.Null(k["null"]!));
    }

    [TestCaseSource(nameof(Cases))]
    public void AndersonDarling(string id)
    {
        var (e, x, dist) = Get(id);
        var ad = e["anderson_darling_simple"]!;
        var r = StatisticalTests.AndersonDarling(x, dist);
        Vectors.Close(r.Statistic, Vectors.Num(ad["A2"]), 1e-12, "A2");
        double pRef = Vectors.Num(ad["p_asymptotic_series_mp"]);
        if (double.IsPositiveInfinity(r.Statistic)) Assert.That(r.PValue, Is.EqualTo(0.0));
        else Vectors.Close(r.PValue, pRef, 1e-3, "AD p vs the mpmath limit law");
    }

    [TestCaseSource(nameof(Cases))]
    public void CramerVonMises(string id)
    {
        var (e, x, dist) = Get(id);
        var cvm = e["cramervonmises"]!;
        var r = StatisticalTests.CramerVonMises(x, dist);
        Vectors.Close(r.Statistic, Vectors.Num(cvm["W2"]), 1e-12, "W2");
        // report-only p: same series (1e-7 stopping rule) with MathNet's Bessel K; agree to 1e-9 absolute
        Vectors.Close(r.PValue, Vectors.Num(cvm["p"]), 1e-6, "CvM p", 1e-9);
    }

    [TestCaseSource(nameof(Cases))]
    public void Mean_variance_max(string id)
    {
        var (e, x, dist) = Get(id);
        var m = e["moments_and_extremes"]!;
        Vectors.Close(dist.Variance, Vectors.Num(m["null_variance"]), 1e-14, "null variance");
        Vectors.Close(dist.Kurtosis, Vectors.Num(m["null_kurtosis"]), 1e-14, "null kurtosis");

        var mean = StatisticalTests.MeanZ(x, dist);
        Vectors.Close(mean.ObservedMean, Vectors.Num(m["mean"]), 1e-12, "mean", 1e-17);
        Vectors.Close(mean.Z, Vectors.Num(m["z_mean"]), 1e-12, "z_mean", 1e-12);
        Vectors.Close(mean.PValue, Vectors.Num(m["p_mean_two_sided"]), 1e-12, "p_mean", 1e-300);

        var v = StatisticalTests.Variance(x, dist, smallSampleCorrection: false);
        Vectors.Close(v.ObservedVariance, Vectors.Num(m["mean_sq"]), 1e-12, "mean_sq");
        if (m["chi2_var_T"] is not null)
        {
            Assert.That(v.Method, Is.EqualTo("chi2"));
            Vectors.Close(v.Chi2!.Value, Vectors.Num(m["chi2_var_T"]), 1e-12, "chi2 T");
            Assert.That(v.Df!.Value, Is.EqualTo(Vectors.Num(m["chi2_var_df"])));
            Vectors.Close(v.PLower, Vectors.Num(m["p_var_chi2_lower"]), 1e-12, "p lower", 1e-300);
            Vectors.Close(v.PUpper, Vectors.Num(m["p_var_chi2_upper"]), 1e-12, "p upper", 1e-300);
            Vectors.Close(v.PValue, Vectors.Num(m["p_var_chi2_two_sided"]), 1e-12, "p var", 1e-300);
        }
        else
        {
            Vectors.Close(v.Z, Vectors.Num(m["z_var"]), 1e-12, "z_var", 1e-12);
            Vectors.Close(v.PValue, Vectors.Num(m["p_var_two_sided_normal_approx"]), 1e-11, "p var (normal approx)", 1e-300);
            var cf = StatisticalTests.Variance(x, dist);
            Assert.That(cf.PValue, Is.InRange(0.0, 1.0));
        }

        var mx = StatisticalTests.MaxAbs(x, dist);
        Vectors.Close(mx.Statistic, Vectors.Num(m["max_abs"]), 0, "max_abs");
        // (1-q)ⁿ amplifies the last-ulp difference of q = S(t)+F(-t) by n·q/(1-q): tolerance 1e-12 + n·1e-16
        double ptol = 1e-12 + x.Length * 1e-16;
        Vectors.Close(mx.PUpper, Vectors.Num(m["p_max_abs_upper"]), ptol, "p_max upper", 1e-300);
        Vectors.Close(mx.PLower, Vectors.Num(m["p_max_abs_lower"]), ptol, "p_max lower", 1e-300);
        if (mx.OutsideSupport > 0) Assert.That(mx.PValue, Is.EqualTo(0.0));
        else Vectors.Close(mx.PValue, Math.Min(1, 2 * Math.Min(Vectors.Num(m["p_max_abs_upper"]), Vectors.Num(m["p_max_abs_lower"]))), ptol, "p_max", 1e-300);
    }
}

/// <summary>χ² against chisq_cases.json (binning on the ks1 data, statistic and p from the counts, chi2.sf grid).</summary>
[TestFixture]
public class ChiSquareVectorTests
{
    public static IEnumerable<TestCaseData> Cases() =>
        Vectors.Load("chisq_cases.json")["cases"]!.AsArray().Select(c => new TestCaseData(c!["id"]!.GetValue<string>()).SetName($"chisq {c["id"]}"));

    [TestCaseSource(nameof(Cases))]
    public void Counts_statistic_and_p(string id)
    {
        var c = Vectors.Load("chisq_cases.json")["cases"]!.AsArray().First(q => q!["id"]!.GetValue<string>() == id)!;
        var counts = c["counts"]!.AsArray().Select(Vectors.Num).ToArray();
        int k = (int)Vectors.Num(c["k"]);
        var r = StatisticalTests.ChiSquare(counts, Enumerable.Repeat(counts.Sum() / k, k).ToArray());
        Vectors.Close(r.Statistic, Vectors.Num(c["chisq"]), 1e-12, "chisq");
        Assert.That(r.Df, Is.EqualTo(Vectors.Num(c["df"])));
        Vectors.Close(r.PValue, Vectors.Num(c["p"]), 1e-12, "p", 1e-300);
        Vectors.Close(r.Statistic, Vectors.Num(c["chisq_explicit_fexp"]), 1e-12, "chisq explicit f_exp");

        // binning from the raw data when the source case is in this copy
        string src = c["source_case"]!.GetValue<string>();
        var ks1 = Vectors.Load("ks1_cases.json")["cases"]!.AsArray().FirstOrDefault(q => q!["id"]!.GetValue<string>() == src);
        if (ks1 is null) return;
        var dist = Vectors.Null(ks1["null"]!);
        var edges = StatisticalTests.EquiprobableEdges(dist, k);
        var refEdges = c["bin_edges"]!.AsArray().Select(Vectors.Num).ToArray();
        // edges: relative 1e-13, absolute 1e-15·stddev where scipy's ppf rounds the median edge to ±1e-17 instead of 0
        for (int i = 0; i < edges.Length; i++) Vectors.Close(edges[i], refEdges[i], 1e-13, $"edge {i}", 1e-15 * dist.StdDev);
        var x = Vectors.Data(ks1);
        var mine = StatisticalTests.EquiprobableCounts(x, dist, k);
        Assert.That(mine.Select(v => (double)v), Is.EqualTo(counts), "counts");
        var eq = StatisticalTests.ChiSquareEquiprobable(x, dist, k);
        Vectors.Close(eq.Statistic, Vectors.Num(c["chisq"]), 1e-12, "chisq (equiprobable)");
        Vectors.Close(eq.PValue, Vectors.Num(c["p"]), 1e-12, "p (equiprobable)", 1e-300);
        Assert.That(eq.MinExpected!.Value, Is.EqualTo((double)x.Length / k));
    }

    public static IEnumerable<TestCaseData> Synthetic() =>
        Vectors.Load("chisq_cases.json")["synthetic_extreme"]!.AsArray().Select((c, i) => new TestCaseData(i).SetName($"chisq synthetic #{i} (k={c!["k"]}, p={c["p"]})"));

    [TestCaseSource(nameof(Synthetic))]
    public void Synthetic_counts(int i)
    {
        var c = Vectors.Load("chisq_cases.json")["synthetic_extreme"]!.AsArray()[i]!;
        var counts = c["counts"]!.AsArray().Select(Vectors.Num).ToArray();
        int k = counts.Length;
        var r = StatisticalTests.ChiSquare(counts, Enumerable.Repeat(counts.Sum() / k, k).ToArray());
        Vectors.Close(r.Statistic, Vectors.Num(c["chisq"]), 1e-12, "chisq");
        double mp = Vectors.Num(c["sf_mp"]);
        if (mp > 1e-300) Vectors.Close(r.PValue, mp, 1e-12, "p vs mpmath");
        else Assert.That(r.PValue, Is.LessThan(1e-300));
    }

    public static IEnumerable<TestCaseData> Grid() =>
        Vectors.Load("chisq_cases.json")["chi2_sf_grid"]!.AsArray().Select(c => new TestCaseData(Vectors.Num(c!["df"]), Vectors.Num(c["x"]), Vectors.Num(c["sf"]), Vectors.Num(c["sf_mp"]), Vectors.Num(c["cdf"]))
            .SetName($"chi2.sf(x={c["x"]}, df={c["df"]})"));

    [TestCaseSource(nameof(Grid))]
    public void Chi2_sf_grid(double df, double x, double sf, double mp, double cdf)
    {
        double mine = StatisticalTests.ChiSquareSf(x, df);
        if (mp > 1e-300)
        {
            Vectors.Close(mine, sf, 1e-12, "vs scipy");
            Vectors.Close(mine, mp, 1e-12, "vs mpmath");
        }
        else Assert.That(mine, Is.LessThan(1e-300));
        Vectors.Close(StatisticalTests.ChiSquareCdf(x, df), cdf, 1e-12, "cdf", 1e-16);
    }
}

/// <summary>A∞ limit law against ad_reference.json (mpmath, Anderson–Darling 1954 series).</summary>
[TestFixture]
public class AndersonDarlingLawTests
{
    public static IEnumerable<TestCaseData> Law() =>
        Vectors.Load("ad_reference.json")["limit_law"]!.AsArray().Select(c => new TestCaseData(Vectors.Num(c!["z"]), Vectors.Num(c["sf_mp"]), Vectors.Num(c["marsaglia_adinf_short"]), Vectors.Num(c["tail_formula_sqrt3_erfc_1_plus_11_over_36z"]))
            .SetName($"A_inf sf(z={c["z"]})"));

    [TestCaseSource(nameof(Law))]
    public void Sf_matches_limit_law(double z, double sfMp, double marsaglia, double tail)
    {
        Vectors.Close(AndersonDarlingDistribution.Sf(z), sfMp, 1e-3, "A_inf sf");
        Vectors.Close(AndersonDarlingDistribution.MarsagliaAdInf(z), marsaglia, 1e-12, "Marsaglia short ADinf", 1e-300);
        Vectors.Close(AndersonDarlingDistribution.TailSf(z) , Math.Min(1, tail), 1e-12, "tail formula", 1e-300);
    }

    public static IEnumerable<TestCaseData> Critical() =>
        Vectors.Load("ad_reference.json")["critical_values"]!.AsArray().Select(c => new TestCaseData(Vectors.Num(c!["alpha"]), Vectors.Num(c["z_crit"])).SetName($"A_inf critical(alpha={c["alpha"]})"));

    [TestCaseSource(nameof(Critical))]
    public void Critical_values(double alpha, double z) => Vectors.Close(AndersonDarlingDistribution.Sf(z), alpha, 1e-3, "sf(z_crit)");

    /// <summary>
    /// Isf inverts Sf: at the mpmath critical values it is within 1e-3 relative (Sf's own relative error is ≤ 1e-3 in p,
    /// which moves z by about 1e-3/z relative in the erfc tail), and Sf(Isf(p)) = p.
    /// </summary>
    [TestCaseSource(nameof(Critical))]
    public void Isf_gives_the_critical_values(double alpha, double z)
    {
        double zc = AndersonDarlingDistribution.Isf(alpha);
        Vectors.Close(zc, z, 1e-3, "isf(alpha)");
        Vectors.Close(AndersonDarlingDistribution.Sf(zc), alpha, 1e-12, "sf(isf(alpha))");
    }

    [Test]
    public void Isf_at_the_gate_level_and_bad_levels()
    {
        // the gate's failure level 1e-6: the "A² < 12.52" a report states (12.516 in the class remarks)
        Assert.That(AndersonDarlingDistribution.Isf(1e-6).ToString("F2", System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo("12.52"));
        // deep tail: scipy brentq on √3·erfc(√z)(1 + 11/(36z)) = 1e-300 gives 687.4856669936954
        Vectors.Close(AndersonDarlingDistribution.Isf(1e-300), 687.4856669936954, 1e-9, "isf(1e-300)");
        foreach (var bad in new[] { 0.0, 1.0, -0.5, double.NaN })
            Assert.That(() => AndersonDarlingDistribution.Isf(bad), Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("p must be in (0, 1)"), $"{bad}");
    }
}

/// <summary>Exact truncated-normal moments against truncnorm_moments.json (30 digits).</summary>
[TestFixture]
public class TruncatedNormalMomentTests
{
    [Test]
    public void Moments_of_truncnorm_minus2_2()
    {
        var t = Vectors.Load("truncnorm_moments.json")["truncnorm_minus2_2"]!;
        var d = new TruncatedNormalDistribution(0, 1);
        Vectors.Close(d.NormalMass, Vectors.Num(t["Z_mass"]), 1e-15, "Z");
        Vectors.Close(d.Variance, Vectors.Num(t["variance"]), 1e-14, "variance");
        Vectors.Close(d.StdDev, Vectors.Num(t["std"]), 1e-14, "std");
        Vectors.Close(1 / d.StdDev, Vectors.Num(t["inv_std"]), 1e-14, "1/std");
        Vectors.Close(d.FourthCentralMoment, Vectors.Num(t["E_x4"]), 1e-14, "E x^4");
        Vectors.Close(d.SixthCentralMoment, Vectors.Num(t["E_x6"]), 1e-14, "E x^6");
        Vectors.Close(d.MeanAbsoluteDeviation, Vectors.Num(t["E_abs_x"]), 1e-14, "E|x|");
        Vectors.Close(d.Kurtosis, Vectors.Num(t["kurtosis_pearson"]), 1e-14, "kurtosis");
        Assert.That(d.Mean, Is.EqualTo(0.0));
        Vectors.Close(d.StdDev, 0.87962566103423978, 1e-15, "Keras constant");
        Assert.That(d.LowerBound, Is.EqualTo(-2.0)); Assert.That(d.UpperBound, Is.EqualTo(2.0));
    }

    [TestCase(0.05, 1.0)]
    [TestCase(-3.0, 0.02)]
    public void Scaled_moments(double mean, double s)
    {
        var d = new TruncatedNormalDistribution(mean, s);
        Vectors.Close(d.Mean, mean, 1e-15, "mean", 1e-15);
        Vectors.Close(d.Variance, 0.773741303549923247 * s * s, 1e-14, "variance");
        Vectors.Close(d.FourthCentralMoment, 1.416189124849462730 * Math.Pow(s, 4), 1e-14, "mu4");
        Vectors.Close(d.Kurtosis, 2.365536717129649512, 1e-14, "kurtosis");
    }

    [Test]
    public void Others()
    {
        var o = Vectors.Load("truncnorm_moments.json")["others"]!;
        Assert.That(new NormalDistribution(0, 1).Kurtosis, Is.EqualTo(Vectors.Num(o["normal"]!["kurtosis"])));
        var u = new UniformDistribution(-1, 1);
        Vectors.Close(u.Variance, Vectors.Num(o["uniform(-1,1)"]!["variance"]), 1e-15, "uniform variance");
        Vectors.Close(u.Kurtosis, 1.8, 0, "uniform kurtosis");
    }
}
