using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;
using WeightInit.IO;
using WeightInit.Serialization;
using WeightInit.Statistics;

namespace Harness.Commands;

/// <summary>
/// <c>harness stats ks|ks2|chisq|ad|cvm|mean|var|max --sample A.npy [--sample2 B.npy] --dist SPEC ...</c>: runs one
/// goodness-of-fit test of WeightInit.Statistics on a .npy dump and prints one JSON object
/// (test, statistic, p_value, n, method, plus the test's details).
/// </summary>
internal static class StatsCommand
{
    private static readonly string[] Tests = { "ks", "ks2", "chisq", "ad", "cvm", "mean", "var", "max" };

    public static Command Create()
    {
        var test = new Argument<string>("test") { Description = "Test: " + string.Join(", ", Tests) + "." };
        var sample = new Option<string>("--sample") { Description = "Sample .npy file (float32 or float64, any shape; flattened).", Required = true };
        var sample2 = new Option<string?>("--sample2") { Description = "Second sample .npy file (ks2 only)." };
        var dist = new Option<string?>("--dist")
        {
            Description = "Null law: normal(mean=..,stddev=..), uniform(minval=..,maxval=..), truncated_normal(mean=..,stddev=..[,a=-2,b=2]) " +
                          "(cut at mean±2·stddev as Keras; a, b in stddev units). Omitted parameters take the Keras defaults.",
        };
        var bins = new Option<int>("--bins") { Description = "Equiprobable bins for chisq.", DefaultValueFactory = _ => 100 };
        var method = new Option<string>("--method") { Description = "KS p-value method: auto, exact, asymp (approx for ks).", DefaultValueFactory = _ => "auto" };
        var alternative = new Option<string>("--alternative") { Description = "KS alternative: two-sided, greater, less.", DefaultValueFactory = _ => "two-sided" };
        var resolution = new Option<double>("--resolution") { Description = "max: tolerance on the support bound (e.g. float32 rounding).", DefaultValueFactory = _ => 0.0 };

        var command = new Command("stats", "Run one statistical test (scipy 1.10-compatible) on a .npy sample and print the result as JSON.");
        command.Arguments.Add(test);
        foreach (var o in new Option[] { sample, sample2, dist, bins, method, alternative, resolution }) command.Options.Add(o);
        command.SetAction(parse =>
        {
            string name = parse.GetValue(test)!.Trim().ToLowerInvariant();
            if (!Tests.Contains(name)) throw new ArgumentException($"unknown test '{name}'; expected one of: {string.Join(", ", Tests)}.");
            var a = NpyFile.Read(parse.GetValue(sample)!);
            var alt = ParseAlternative(parse.GetValue(alternative)!);
            var ksMethod = ParseMethod(parse.GetValue(method)!);
            string? distSpec = parse.GetValue(dist);
            IUnivariateDistribution? law = null;
            if (name != "ks2")
            {
                if (string.IsNullOrWhiteSpace(distSpec)) throw new ArgumentException($"--dist is required for '{name}'.");
                law = ParseDistribution(distSpec);
            }
            TestResult r;
            if (name == "ks2")
            {
                string? p2 = parse.GetValue(sample2);
                if (string.IsNullOrWhiteSpace(p2)) throw new ArgumentException("--sample2 is required for 'ks2'.");
                var b = NpyFile.Read(p2);
                r = a.Single is not null && b.Single is not null
                    ? StatisticalTests.KolmogorovSmirnov2(a.Single, b.Single, alt, ksMethod)
                    : StatisticalTests.KolmogorovSmirnov2(a.ToDoubleArray(), b.ToDoubleArray(), alt, ksMethod);
            }
            else if (a.Single is float[] f)
                r = Run(name, (ReadOnlySpan<float>)f, law!, parse.GetValue(bins), alt, ksMethod, parse.GetValue(resolution));
            else
                r = Run(name, (ReadOnlySpan<double>)a.Double!, law!, parse.GetValue(bins), alt, ksMethod, parse.GetValue(resolution));

            var fields = new List<KeyValuePair<string, object?>>
            {
                new("test", name),
                new("statistic", r.Statistic),
                new("p_value", r.PValue),
                new("n", r.N),
                new("method", r.Method),
                new("dtype", a.DType),
            };
            if (law is not null) fields.Add(new("dist", law.ToString()));
            if (name is "ks" or "ks2") fields.Add(new("alternative", parse.GetValue(alternative)!.ToLowerInvariant()));
            foreach (var kv in r.Details)
            {
                object? v = kv.Key is "sign" or "outside_support" or "bins" or "df" or "n1" or "n2" && kv.Value == Math.Floor(kv.Value) && Math.Abs(kv.Value) < 1e15
                    ? (object)(long)kv.Value : kv.Value;
                if (kv.Key == "fell_back_to_asymp") v = kv.Value != 0;
                fields.Add(new(kv.Key, v));
            }
            Console.WriteLine(PythonJson.Dumps(fields));
            return 0;
        });
        return command;
    }

    private static TestResult Run<T>(string name, ReadOnlySpan<T> x, IUnivariateDistribution law, int bins, Alternative alt, KsMethod method, double resolution) where T : struct
    {
        if (typeof(T) == typeof(float))
        {
            var s = System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(x);
            return name switch
            {
                "ks" => StatisticalTests.KolmogorovSmirnov(s, law, alt, method),
                "chisq" => StatisticalTests.ChiSquareEquiprobable(s, law, bins),
                "ad" => StatisticalTests.AndersonDarling(s, law),
                "cvm" => StatisticalTests.CramerVonMises(s, law),
                "mean" => StatisticalTests.MeanZ(s, law),
                "var" => StatisticalTests.Variance(s, law),
                _ => StatisticalTests.MaxAbs(s, law, resolution),
            };
        }
        var d = System.Runtime.InteropServices.MemoryMarshal.Cast<T, double>(x);
        return name switch
        {
            "ks" => StatisticalTests.KolmogorovSmirnov(d, law, alt, method),
            "chisq" => StatisticalTests.ChiSquareEquiprobable(d, law, bins),
            "ad" => StatisticalTests.AndersonDarling(d, law),
            "cvm" => StatisticalTests.CramerVonMises(d, law),
            "mean" => StatisticalTests.MeanZ(d, law),
            "var" => StatisticalTests.Variance(d, law),
            _ => StatisticalTests.MaxAbs(d, law, resolution),
        };
    }

    private static Alternative ParseAlternative(string s) => s.Trim().ToLowerInvariant() switch
    {
        "two-sided" or "two_sided" or "twosided" => Alternative.TwoSided,
        "greater" => Alternative.Greater,
        "less" => Alternative.Less,
        _ => throw new ArgumentException($"unknown --alternative '{s}'; expected two-sided, greater or less."),
    };

    private static KsMethod ParseMethod(string s) => s.Trim().ToLowerInvariant() switch
    {
        "auto" => KsMethod.Auto,
        "exact" => KsMethod.Exact,
        "asymp" => KsMethod.Asymp,
        "approx" => KsMethod.Approx,
        _ => throw new ArgumentException($"unknown --method '{s}'; expected auto, exact, asymp or approx."),
    };

    /// <summary>Parses <c>name(key=value, ...)</c>; omitted parameters take the Keras defaults.</summary>
    public static IUnivariateDistribution ParseDistribution(string spec)
    {
        var m = Regex.Match(spec.Trim(), @"^([A-Za-z_]+)\s*(?:\((.*)\))?$");
        if (!m.Success) throw new ArgumentException($"cannot parse --dist '{spec}'; expected e.g. truncated_normal(mean=0,stddev=0.05).");
        string family = m.Groups[1].Value.ToLowerInvariant();
        var args = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase);
        string inner = m.Groups[2].Value;
        foreach (var part in inner.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var kv = part.Split('=', 2, StringSplitOptions.TrimEntries);
            if (kv.Length != 2 || kv[0].Length == 0)
                throw new ArgumentException($"--dist '{spec}': parameter '{part}' must be key=value.");
            if (!double.TryParse(kv[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double v))
                throw new ArgumentException($"--dist '{spec}': value of '{kv[0]}' is not a number: '{kv[1]}'.");
            if (args.ContainsKey(kv[0])) throw new ArgumentException($"--dist '{spec}': parameter '{kv[0]}' given twice.");
            args[kv[0]] = v;
        }
        string[] allowed = family switch
        {
            "normal" or "random_normal" => new[] { "mean", "stddev" },
            "uniform" or "random_uniform" => new[] { "minval", "maxval" },
            "truncated_normal" or "truncnorm" => new[] { "mean", "stddev", "a", "b" },
            _ => throw new ArgumentException($"unknown --dist family '{family}'; expected normal, uniform or truncated_normal."),
        };
        foreach (var k in args.Keys)
            if (!allowed.Contains(k, StringComparer.OrdinalIgnoreCase))
                throw new ArgumentException($"--dist '{spec}': unknown parameter '{k}' for {family}; expected {string.Join(", ", allowed)}.");
        double Get(string k, double def) => args.TryGetValue(k, out var v) ? v : def;
        return family switch
        {
            "normal" or "random_normal" => new NormalDistribution(Get("mean", 0.0), Get("stddev", 0.05)),
            "uniform" or "random_uniform" => new UniformDistribution(Get("minval", -0.05), Get("maxval", 0.05)),
            _ => new TruncatedNormalDistribution(Get("mean", 0.0), Get("stddev", 0.05), Get("a", -2), Get("b", 2)),
        };
    }
}
