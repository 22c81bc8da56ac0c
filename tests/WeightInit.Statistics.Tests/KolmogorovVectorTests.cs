using System.Text.Json.Nodes;
using WeightInit.Statistics;

namespace WeightInit.Statistics.Tests;

/// <summary>kolmogorov, kolmogi, kstwo sf/cdf/isf and smirnov against kolmogorov_reference.json (scipy 1.10.1 + mpmath).</summary>
[TestFixture]
public class KolmogorovVectorTests
{
    private static JsonNode Ref => Vectors.Load("kolmogorov_reference.json");
    private static IEnumerable<JsonNode> Items(string key) => Ref[key]!.AsArray().Select(x => x!);
    private static string R(double v) => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture);

    public static IEnumerable<TestCaseData> KolmogorovSfCases() =>
        Items("kolmogorov_sf").Select(c => new TestCaseData(Vectors.Num(c["y"]), Vectors.Num(c["kolmogorov"]), Vectors.Num(c["kstwobign_cdf"]), Vectors.Num(c["kstwobign_pdf"]))
            .SetName($"kolmogorov(y={R(Vectors.Num(c["y"]))})"));

    [TestCaseSource(nameof(KolmogorovSfCases))]
    public void Kolmogorov_matches_scipy(double y, double sf, double cdf, double pdf)
    {
        Vectors.Close(Kolmogorov.KolmogorovSf(y), sf, 1e-13, "kolmogorov sf", 1e-300);
        Vectors.Close(Kolmogorov.KolmogorovCdf(y), cdf, 1e-13, "kstwobign cdf", 1e-300);
        Vectors.Close(Kolmogorov.KolmogorovPdf(y), pdf, 1e-12, "kstwobign pdf", 1e-300);
    }

    public static IEnumerable<TestCaseData> KolmogiCases() =>
        Items("kolmogi").Select(c => new TestCaseData(Vectors.Num(c["p"]), Vectors.Num(c["kolmogi"]), Vectors.Num(c["roundtrip_kolmogorov"]))
            .SetName($"kolmogi(p={R(Vectors.Num(c["p"]))})"));

    [TestCaseSource(nameof(KolmogiCases))]
    public void Kolmogi_matches_scipy(double p, double y, double roundtrip)
    {
        double mine = Kolmogorov.KolmogorovInverse(p);
        Vectors.Close(mine, y, 1e-13, "kolmogi");
        Vectors.Close(Kolmogorov.KolmogorovSf(mine), roundtrip, 1e-13, "kolmogorov(kolmogi(p))", 1e-300);
    }

    public static IEnumerable<TestCaseData> KolmogorovMpCases() =>
        Items("kolmogorov_sf_mp_reference").Select(c => new TestCaseData(Vectors.Num(c["y"]), Vectors.Num(c["sf_mp"]), Vectors.Num(c["scipy"]))
            .SetName($"kolmogorov_vs_mpmath(y={R(Vectors.Num(c["y"]))})"));

    [TestCaseSource(nameof(KolmogorovMpCases))]
    public void Kolmogorov_matches_mpmath(double y, double mp, double scipy)
    {
        double mine = Kolmogorov.KolmogorovSf(y);
        Vectors.Close(mine, scipy, 1e-13, "vs scipy");
        Vectors.Close(mine, mp, 1e-13, "vs mpmath");
    }

    /// <summary>The kstwo branch scipy takes for the SF at (n, d) (docs/statistics.md §1.2).</summary>
    public static string KstwoBranch(int n, double d)
    {
        double t = n * d, nx2 = t * d;
        if (d >= 1 || d <= 0 || t <= 1 || t >= n - 1) return "closed";
        if (d >= 0.5) return "2smirnov";
        if (n <= 140) return nx2 <= 0.754693 ? "durbin" : nx2 <= 4 ? "pomeranz" : "2smirnov";
        if (nx2 >= 370) return "zero";
        if (nx2 >= 2.2) return "2smirnov";
        if (nx2 >= 18) return "closed";
        return n <= 100000 && n * Math.Pow(d, 1.5) <= 1.4 ? "durbin" : "pelzgood";
    }

    public static IEnumerable<TestCaseData> KstwoGridCases() =>
        Items("kstwo_grid").Select(c =>
        {
            int n = (int)Vectors.Num(c["n"]); double d = Vectors.Num(c["d"]);
            return new TestCaseData(n, d, Vectors.Num(c["sf"]), Vectors.Num(c["cdf"]), Vectors.Num(c["ksone_sf_smirnov"]), Vectors.Num(c["kstwobign_sf_sqrt_n_d"]))
                .SetName($"kstwo(n={n}, d={R(d)}) [{KstwoBranch(n, d)}]");
        });

    /// <summary>
    /// kstwo sf/cdf on every grid point. Tolerance 1e-12 relative in all branches (our smirnov is the exact
    /// double-double Birnbaum–Tingey sum as scipy's, and Pelz–Good is ported term by term), with an absolute floor of
    /// 1e-15 on the complementary probability where scipy computes it as 1 - x.
    /// </summary>
    [TestCaseSource(nameof(KstwoGridCases))]
    public void Kstwo_matches_scipy(int n, double d, double sf, double cdf, double smirnov, double kolmog)
    {
        string branch = KstwoBranch(n, d);
        double rtol = branch is "2smirnov" or "pelzgood" ? 1e-12 : 1e-12;
        Vectors.Close(Kolmogorov.KsTwoSf(n, d), sf, rtol, $"kstwo.sf [{branch}]", 1e-16);
        Vectors.Close(Kolmogorov.KsTwoCdf(n, d), cdf, rtol, $"kstwo.cdf [{branch}]", 1e-16);
        Vectors.Close(Kolmogorov.SmirnovSf(n, d), smirnov, 1e-12, "smirnov", 1e-300);
        Vectors.Close(Kolmogorov.KolmogorovSf(d * Math.Sqrt(n)), kolmog, 1e-13, "kolmogorov(sqrt(n) d)", 1e-300);
    }

    public static IEnumerable<TestCaseData> KstwoIsfCases() =>
        Items("kstwo_isf").Select(c =>
        {
            int n = (int)Vectors.Num(c["n"]); double a = Vectors.Num(c["alpha"]);
            return new TestCaseData(n, a, Vectors.Num(c["d_crit"]), Vectors.Num(c["sf_at_d_crit"]), Vectors.Num(c["asymptotic_d_crit"]))
                .SetName($"kstwo.isf(n={n}, alpha={R(a)})");
        });

    /// <summary>
    /// isf is a brentq root (xtol 1e-14, as scipy) of cdf(d) - (1-α). In the far tail the CDF is 1 - sf, flat to within
    /// one ulp over |Δd| ≈ ε/pdf(d) (≈ 3e-13 at n=1000, α=1e-6), so d is compared at 1e-11 relative (the root is not
    /// determined more finely by either implementation), and sf(d) at 1e-6 relative to sf(d_crit).
    /// </summary>
    [TestCaseSource(nameof(KstwoIsfCases))]
    public void KstwoIsf_matches_scipy(int n, double alpha, double dcrit, double sfAt, double asym)
    {
        double d = Kolmogorov.KsTwoIsf(n, alpha);
        Vectors.Close(d, dcrit, 1e-11, "kstwo.isf", 2e-14);
        Vectors.Close(Kolmogorov.KsTwoSf(n, d), sfAt, 1e-6, "kstwo.sf(isf)", 1e-300);
        Vectors.Close(Kolmogorov.KsTwoSf(n, dcrit), sfAt, 1e-12, "kstwo.sf(d_crit)", 1e-300);
        Vectors.Close(Kolmogorov.KolmogorovInverse(alpha) / Math.Sqrt(n), asym, 1e-13, "kolmogi(alpha)/sqrt(n)");
    }

    public static IEnumerable<TestCaseData> DurbinMpCases() =>
        Items("kstwo_sf_mp_durbin_reference").Select(c =>
        {
            int n = (int)Vectors.Num(c["n"]); double d = Vectors.Num(c["d"]);
            return new TestCaseData(n, d, Vectors.Num(c["sf_mp"]), Vectors.Num(c["sf_scipy"]))
                .SetName($"kstwo_vs_mp_durbin(n={n}, d={R(d)}) [{KstwoBranch(n, d)}]");
        });

    /// <summary>Against scipy at 1e-12 and against the 60-digit Durbin matrix at scipy's own measured error (≤ 5e-6).</summary>
    [TestCaseSource(nameof(DurbinMpCases))]
    public void Kstwo_matches_mp_durbin(int n, double d, double mp, double scipy)
    {
        double mine = Kolmogorov.KsTwoSf(n, d);
        Vectors.Close(mine, scipy, 1e-12, "vs scipy", 1e-300);
        Vectors.Close(mine, mp, 5e-6, "vs mpmath Durbin", 1e-300);
    }

    public static IEnumerable<TestCaseData> SmirnovCases() =>
        Items("smirnov_grid").Select(c =>
        {
            int n = (int)Vectors.Num(c["n"]); double d = Vectors.Num(c["d"]);
            return new TestCaseData(n, d, Vectors.Num(c["smirnov_sf"]), Vectors.Num(c["ksone_cdf"]))
                .SetName($"smirnov(n={n}, d={R(d)})");
        });

    [TestCaseSource(nameof(SmirnovCases))]
    public void Smirnov_matches_scipy(int n, double d, double sf, double cdf)
    {
        Vectors.Close(Kolmogorov.SmirnovSf(n, d), sf, 1e-12, "smirnov sf", 1e-300);
        Vectors.Close(Kolmogorov.SmirnovCdf(n, d), cdf, 1e-12, "ksone cdf", 1e-16);
    }
}
