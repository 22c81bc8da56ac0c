using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using WeightInit.Initializers;
using WeightInit.Random;

namespace WeightInit.Benchmarks;

/// <summary>
/// The quick side-by-side mode: times this library's float32 fills (best of R runs, one output buffer allocated once)
/// and prints one JSON line per measurement. scripts/bench-fill.sh runs torch and numpy on the same machine right after
/// and divides. Usage: <c>ratio [--n 4194304,16777216] [--repeat 5] [--threads 1,2]</c>.
/// </summary>
public static class Ratio
{
    public static int Run(string[] args)
    {
        int[] sizes = [1 << 24];
        int repeat = 5;
        int[] threads = [1, 2];
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--n": sizes = args[++i].Split(',').Select(t => int.Parse(t, CultureInfo.InvariantCulture)).ToArray(); break;
                case "--repeat": repeat = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--threads": threads = args[++i].Split(',').Select(t => int.Parse(t, CultureInfo.InvariantCulture)).ToArray(); break;
                default: Console.Error.WriteLine($"ratio: unknown argument '{args[i]}' (expected --n, --repeat, --threads)"); return 2;
            }
        }
        if (sizes.Any(n => n <= 0) || repeat <= 0 || threads.Any(t => t <= 0))
        {
            Console.Error.WriteLine($"ratio: --n, --repeat and --threads must be positive (n={string.Join(',', sizes)}, repeat={repeat}, threads={string.Join(',', threads)})");
            return 2;
        }
        foreach (int n in sizes) RunSize(n, repeat, threads);
        return 0;
    }

    private static void RunSize(int n, int repeat, int[] threads)
    {
        var shape = new TensorShape(n / 1024, 1024);
        if (shape.Count != n) shape = new TensorShape(n);
        var buffer = new float[n];
        var cases = new (string Name, Initializer Init)[]
        {
            ("normal", new RandomNormal(0, 0.05, SeedSource.Fixed(1))),
            ("uniform", new RandomUniform(-0.05, 0.05, SeedSource.Fixed(1))),
            ("he_normal", new HeNormal(SeedSource.Fixed(1))),
            ("truncated_normal", new TruncatedNormal(0, 0.05, SeedSource.Fixed(1))),
        };
        string isa = Avx512F.IsSupported ? "avx512" : Avx2.IsSupported ? "avx2" : "scalar";
        foreach (var t in threads)
        {
            foreach (var (name, init) in cases)
            {
                var options = new SamplingOptions(t);
                init.Fill(buffer, shape, options);   // warm-up (JIT, pages)
                double best = double.MaxValue, bestCpu = double.MaxValue;
                long allocated = 0;
                for (int r = 0; r < repeat; r++)
                {
                    long before = GC.GetTotalAllocatedBytes(true);
                    double cpu0 = ProcessCpuSeconds();
                    var sw = Stopwatch.StartNew();
                    init.Fill(buffer, shape, options);
                    sw.Stop();
                    double cpu = ProcessCpuSeconds() - cpu0;
                    allocated = Math.Max(allocated, GC.GetTotalAllocatedBytes(true) - before);
                    best = Math.Min(best, sw.Elapsed.TotalSeconds);
                    bestCpu = Math.Min(bestCpu, cpu);
                }
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{{\"impl\": \"weightinit\", \"fill\": \"{name}\", \"threads\": {t}, \"n\": {n}, \"seconds\": {best:R}, \"mvalues_per_s\": {n / best / 1e6:F1}, \"cpu_seconds\": {bestCpu:R}, \"mvalues_per_cpu_s\": {n / bestCpu / 1e6:F1}, \"allocated_bytes\": {allocated}, \"isa\": \"{isa}\", \"stream\": \"{PhiloxStream.Instance.Name}\"}}"));
            }
        }
    }

    // CPU time of the whole process (all threads), nanosecond resolution on Linux: on a machine shared with other jobs a
    // wall-clock time includes waiting for a core, the CPU time does not. Elsewhere: Process.TotalProcessorTime.
    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec { public long Seconds; public long Nanoseconds; }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out Timespec value);

    private const int ClockProcessCpuTime = 2;

    private static double ProcessCpuSeconds()
    {
        if (OperatingSystem.IsLinux() && ClockGetTime(ClockProcessCpuTime, out var ts) == 0)
            return ts.Seconds + ts.Nanoseconds * 1e-9;
        return Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
    }
}
