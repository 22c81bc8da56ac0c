using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using WeightInit.Statistics;

namespace WeightInit.Statistics.Tests;

/// <summary>Access to the scipy 1.10.1 reference vectors copied into Data/scipy-1.10 (see its README.md).</summary>
internal static class Vectors
{
    private static readonly Dictionary<string, JsonNode> Cache = new();

    public static string Dir => Path.Combine(TestContext.CurrentContext?.TestDirectory ?? AppContext.BaseDirectory, "Data", "scipy-1.10");

    public static JsonNode Load(string file)
    {
        lock (Cache)
        {
            if (!Cache.TryGetValue(file, out var node))
            {
                var path = Path.Combine(AppContext.BaseDirectory, "Data", "scipy-1.10", file);
                node = JsonNode.Parse(File.ReadAllText(path))!;
                Cache[file] = node;
            }
            return node;
        }
    }

    /// <summary>A JSON number, or "inf"/"-inf"/"nan", or a decimal string (mpmath) as double.</summary>
    public static double Num(JsonNode? n)
    {
        if (n is null) return double.NaN;
        var v = n.AsValue();
        if (v.TryGetValue<double>(out var d)) return d;
        var s = v.GetValue<string>();
        return s switch
        {
            "inf" => double.PositiveInfinity,
            "-inf" => double.NegativeInfinity,
            "nan" => double.NaN,
            _ => double.Parse(s, CultureInfo.InvariantCulture),
        };
    }

    /// <summary>Decodes *_b64 (little-endian float64) and checks *_sha256.</summary>
    public static double[] Data(JsonNode node, string prefix = "data")
    {
        var bytes = Convert.FromBase64String(node[prefix + "_b64"]!.GetValue<string>());
        var sha = Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant();
        Assert.That(sha, Is.EqualTo(node[prefix + "_sha256"]!.GetValue<string>()), $"sha256 of {prefix}");
        var r = new double[bytes.Length / 8];
        for (int i = 0; i < r.Length; i++) r[i] = BitConverter.ToDouble(bytes, 8 * i);
        return r;
    }

    public static IUnivariateDistribution Null(JsonNode nullNode)
    {
        string family = nullNode["family"]!.GetValue<string>();
        var p = nullNode["params"]!;
        return family switch
        {
            "normal" => new NormalDistribution(Num(p["loc"]), Num(p["scale"])),
            "uniform" => new UniformDistribution(Num(p["low"]), Num(p["high"])),
            "truncnorm" => new TruncatedNormalDistribution(Num(p["loc"]), Num(p["scale"]), Num(p["a"]), Num(p["b"])),
            _ => throw new NotSupportedException(family),
        };
    }

    public static JsonNode Ks1Case(string id) => Load("ks1_cases.json")["cases"]!.AsArray().First(c => c!["id"]!.GetValue<string>() == id)!;

    /// <summary>|actual - expected| ≤ rtol·|expected| + atol; infinities and zeros must match exactly unless atol allows.</summary>
    public static void Close(double actual, double expected, double rtol, string what, double atol = 0)
    {
        if (double.IsNaN(expected)) { Assert.That(actual, Is.NaN, what); return; }
        if (double.IsInfinity(expected)) { Assert.That(actual, Is.EqualTo(expected), what); return; }
        double err = Math.Abs(actual - expected);
        double tol = rtol * Math.Abs(expected) + atol;
        Assert.That(err <= tol, Is.True,
            $"{what}: actual {actual:R}, expected {expected:R}, |diff| {err:R} (rel {(expected != 0 ? err / Math.Abs(expected) : double.NaN):E3}) > tol {tol:E3}");
    }
}
