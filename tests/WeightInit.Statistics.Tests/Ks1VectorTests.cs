using System.Text.Json.Nodes;
using WeightInit.Statistics;

namespace WeightInit.Statistics.Tests;

/// <summary>One-sample KS against ks1_cases.json: scipy.stats.kstest(x, null.cdf, alternative, method).</summary>
[TestFixture]
public class Ks1VectorTests
{
    public static IEnumerable<TestCaseData> Cases() =>
        Vectors.Load("ks1_cases.json")["cases"]!.AsArray().Select(c => new TestCaseData(c!["id"]!.GetValue<string>()).SetName($"ks1 {c["id"]}"));

    [TestCaseSource(nameof(Cases))]
    public void TwoSided_all_methods(string id)
    {
        var c = Vectors.Ks1Case(id);
        var x = Vectors.Data(c);
        var dist = Vectors.Null(c["null"]!);
        var ks = c["ks"]!;
        var r = StatisticalTests.KolmogorovSmirnov(x, dist);
        Vectors.Close(r.Statistic, Vectors.Num(ks["D"]), 1e-12, "D");
        Vectors.Close(r.DPlus, Vectors.Num(ks["Dplus"]), 1e-12, "D+");
        Vectors.Close(r.DMinus, Vectors.Num(ks["Dminus"]), 1e-12, "D-");
        Assert.That(r.Location, Is.EqualTo(Vectors.Num(ks["statistic_location"])), "location");
        Assert.That(r.Sign, Is.EqualTo(Vectors.Num(ks["statistic_sign"])), "sign");
        Assert.That(r.N, Is.EqualTo(x.Length));
        // p: exact branches 1e-12; 2·smirnov / Pelz–Good regions are ported term by term and also meet 1e-12
        Vectors.Close(r.PValue, Vectors.Num(ks["p_auto"]), 1e-12, "p auto", 1e-300);
        Vectors.Close(StatisticalTests.KolmogorovSmirnov(x, dist, method: KsMethod.Exact).PValue, Vectors.Num(ks["p_exact"]), 1e-12, "p exact", 1e-300);
        // kolmogorov(y) itself agrees to 1e-13; its steep tail amplifies the last-ulp differences of D (y·pdf/sf ≈ 20), so 1e-12
        Vectors.Close(StatisticalTests.KolmogorovSmirnov(x, dist, method: KsMethod.Asymp).PValue, Vectors.Num(ks["p_asymp"]), 1e-12, "p asymp", 1e-300);
        Vectors.Close(StatisticalTests.KolmogorovSmirnov(x, dist, method: KsMethod.Approx).PValue, Vectors.Num(ks["p_approx"]), 1e-12, "p approx", 1e-300);
    }

    [TestCaseSource(nameof(Cases))]
    public void One_sided(string id)
    {
        var c = Vectors.Ks1Case(id);
        var x = Vectors.Data(c);
        var dist = Vectors.Null(c["null"]!);
        var ks = c["ks"]!;
        var g = StatisticalTests.KolmogorovSmirnov(x, dist, Alternative.Greater);
        Vectors.Close(g.Statistic, Vectors.Num(ks["greater"]!["D"]), 1e-12, "D greater");
        Vectors.Close(g.PValue, Vectors.Num(ks["greater"]!["p"]), 1e-12, "p greater", 1e-300);
        Assert.That(g.Sign, Is.EqualTo(1));
        var l = StatisticalTests.KolmogorovSmirnov(x, dist, Alternative.Less);
        Vectors.Close(l.Statistic, Vectors.Num(ks["less"]!["D"]), 1e-12, "D less");
        Vectors.Close(l.PValue, Vectors.Num(ks["less"]!["p"]), 1e-12, "p less", 1e-300);
        Assert.That(l.Sign, Is.EqualTo(-1));
    }

    /// <summary>The cases that carry a decimal copy of the data and scipy's CDF at the sorted data: every case with n ≤ 100.</summary>
    public static IEnumerable<TestCaseData> SmallCases() =>
        Vectors.Load("ks1_cases.json")["cases"]!.AsArray().Where(c => c!["data_decimal"] is JsonArray)
            .Select(c => new TestCaseData(c!["id"]!.GetValue<string>()).SetName($"ks1 small {c["id"]}"));

    [Test]
    public void Every_small_case_carries_decimal_data_and_cdf()
    {
        // The decimal test below runs only on the cases that carry the decimal copy; this keeps it from shrinking
        // silently if a regenerated vector file drops the copy from a small case.
        var cases = Vectors.Load("ks1_cases.json")["cases"]!.AsArray();
        var small = cases.Where(c => Vectors.Num(c!["n"]) <= 100).ToArray();
        Assert.That(small, Is.Not.Empty);
        foreach (var c in small)
        {
            int n = (int)Vectors.Num(c!["n"]);
            Assert.That((c["data_decimal"] as JsonArray)?.Count, Is.EqualTo(n), $"{c["id"]}: data_decimal");
            Assert.That((c["cdf_sorted"] as JsonArray)?.Count, Is.EqualTo(n), $"{c["id"]}: cdf_sorted");
        }
        Assert.That(SmallCases().Count(), Is.EqualTo(small.Length));
    }

    [TestCaseSource(nameof(SmallCases))]
    public void Small_cases_decimal_data_and_cdf(string id)
    {
        var c = Vectors.Ks1Case(id);
        var dec = c["data_decimal"]!.AsArray();
        var x = Vectors.Data(c);
        var dist = Vectors.Null(c["null"]!);
        var sorted = x.OrderBy(v => v).ToArray();
        var cdf = c["cdf_sorted"]!.AsArray().Select(Vectors.Num).ToArray();
        for (int i = 0; i < x.Length; i++)
        {
            Assert.That(Vectors.Num(dec[i]), Is.EqualTo(x[i]), $"data_decimal[{i}]");
            Vectors.Close(dist.Cdf(sorted[i]), cdf[i], 1e-13, $"cdf_sorted[{i}]", 1e-16);
        }
    }

    [TestCaseSource(nameof(Cases))]
    public void Float_overload_equals_double_on_float_values(string id)
    {
        var c = Vectors.Ks1Case(id);
        var f = Vectors.Data(c).Select(v => (float)v).ToArray();
        var d = f.Select(v => (double)v).ToArray();
        var dist = Vectors.Null(c["null"]!);
        var rf = StatisticalTests.KolmogorovSmirnov(f, dist);
        var rd = StatisticalTests.KolmogorovSmirnov(d, dist);
        Assert.That(rf.Statistic, Is.EqualTo(rd.Statistic));
        Assert.That(rf.PValue, Is.EqualTo(rd.PValue));
        Assert.That(rf.Location, Is.EqualTo(rd.Location));
    }
}

/// <summary>Two-sample KS against ks2_cases.json: scipy.stats.ks_2samp(x, y, alternative, method).</summary>
[TestFixture]
public class Ks2VectorTests
{
    public static IEnumerable<TestCaseData> Cases()
    {
        foreach (var c in Vectors.Load("ks2_cases.json")["cases"]!.AsArray())
            foreach (var kv in c!["results"]!.AsObject())
                yield return new TestCaseData(c["id"]!.GetValue<string>(), kv.Key).SetName($"ks2 {c["id"]} {kv.Key}");
    }

    private static readonly Dictionary<string, (double[], double[])> DataCache = new();

    [TestCaseSource(nameof(Cases))]
    public void Matches_scipy(string id, string key)
    {
        var c = Vectors.Load("ks2_cases.json")["cases"]!.AsArray().First(q => q!["id"]!.GetValue<string>() == id)!;
        (double[] x, double[] y) data;
        lock (DataCache)
            if (!DataCache.TryGetValue(id, out data)) DataCache[id] = data = (Vectors.Data(c, "x"), Vectors.Data(c, "y"));
        var exp = c["results"]![key]!;
        var parts = key.Split('/');
        var alt = parts[0] switch { "two-sided" => Alternative.TwoSided, "greater" => Alternative.Greater, _ => Alternative.Less };
        var method = parts[1] switch { "auto" => KsMethod.Auto, "exact" => KsMethod.Exact, _ => KsMethod.Asymp };
        var r = StatisticalTests.KolmogorovSmirnov2(data.x, data.y, alt, method);
        bool fellBack = exp["fell_back_to_asymp"]!.GetValue<bool>();
        Vectors.Close(r.Statistic, Vectors.Num(exp["D"]), 1e-12, "D");
        Assert.That(r.Location, Is.EqualTo(Vectors.Num(exp["statistic_location"])), "location");
        Assert.That(r.Sign, Is.EqualTo(Vectors.Num(exp["statistic_sign"])), "sign");
        Assert.That(r.FellBackToAsymp, Is.EqualTo(fellBack), "fallback");
        Vectors.Close(r.PValue, Vectors.Num(exp["p"]), r.Method == "exact" ? 1e-10 : 1e-12, $"p ({r.Method})", 1e-300);
    }
}
