// Times one-sample KS and Anderson–Darling (statistic + p) on a float32 .npy sample against N(0, stddev),
// best of --repeat runs, and prints one JSON line per test. scripts/bench-stats.sh runs scipy on the same file.
using System.Diagnostics;
using System.Globalization;
using WeightInit.IO;
using WeightInit.Statistics;

string path = args.Length > 0 ? args[0] : throw new ArgumentException("usage: Statistics.Benchmarks SAMPLE.npy [stddev] [repeat]");
double stddev = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 0.05;
int repeat = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3;
var npy = NpyFile.Read(path);
float[] x = npy.Single ?? throw new ArgumentException("expected a float32 .npy");
var law = new NormalDistribution(0, stddev);

void Time(string name, Func<TestResult> f)
{
    f(); // warm-up (JIT)
    double best = double.MaxValue; TestResult? r = null;
    for (int i = 0; i < repeat; i++)
    {
        var sw = Stopwatch.StartNew();
        r = f();
        sw.Stop();
        best = Math.Min(best, sw.Elapsed.TotalSeconds);
    }
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{{\"impl\": \"csharp\", \"test\": \"{name}\", \"n\": {x.Length}, \"seconds\": {best:R}, \"statistic\": {r!.Statistic:R}, \"p_value\": {r.PValue:R}, \"cores\": {Environment.ProcessorCount}}}"));
}

if (Environment.GetEnvironmentVariable("BENCH_BREAKDOWN") == "1")
{
    var sw = Stopwatch.StartNew(); var c = (float[])x.Clone(); Array.Sort(c); Console.WriteLine($"sort: {sw.Elapsed.TotalSeconds}");
    sw.Restart(); double s = 0; foreach (var v in c) s += law.Cdf(v); Console.WriteLine($"cdf: {sw.Elapsed.TotalSeconds} {s}");
    sw.Restart(); s = 0; foreach (var v in c) s += law.LogCdf(v); Console.WriteLine($"logcdf: {sw.Elapsed.TotalSeconds} {s}");
}
Time("ks", () => StatisticalTests.KolmogorovSmirnov(x, law));
Time("ad", () => StatisticalTests.AndersonDarling(x, law));
