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
        foreach (var (name, init) in cases)
        {
            // The thread counts take turns inside each repetition, so a burst of load from elsewhere on the machine
            // hits all of them alike instead of one thread count's whole series.
            var best = threads.ToDictionary(t => t, _ => double.MaxValue);
            var bestCold = threads.ToDictionary(t => t, _ => double.MaxValue);
            var bestCpu = threads.ToDictionary(t => t, _ => double.MaxValue);
            var allocated = threads.ToDictionary(t => t, _ => 0L);
            foreach (var t in threads) init.Fill(buffer, shape, new SamplingOptions(t));   // warm-up (JIT, pages, pool)
            for (int r = 0; r < repeat; r++)
            {
                foreach (var t in threads)
                {
                    var options = new SamplingOptions(t);
                    // Cold: the first fill with t threads after the other thread counts' turn, so its pool threads have
                    // been idle for a fill's time and must be woken. Warm: the next fill right after it, as when a
                    // model's layers are filled one after another; that is the throughput figure.
                    var sw = Stopwatch.StartNew();
                    init.Fill(buffer, shape, options);
                    bestCold[t] = Math.Min(bestCold[t], sw.Elapsed.TotalSeconds);
                    long before = GC.GetTotalAllocatedBytes(true);
                    double cpu0 = ProcessCpuSeconds();
                    sw.Restart();
                    init.Fill(buffer, shape, options);
                    sw.Stop();
                    double cpu = ProcessCpuSeconds() - cpu0;
                    allocated[t] = Math.Max(allocated[t], GC.GetTotalAllocatedBytes(true) - before);
                    best[t] = Math.Min(best[t], sw.Elapsed.TotalSeconds);
                    bestCpu[t] = Math.Min(bestCpu[t], cpu);
                }
            }
            foreach (var t in threads)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{{\"impl\": \"weightinit\", \"fill\": \"{name}\", \"threads\": {t}, \"n\": {n}, \"seconds\": {best[t]:R}, \"mvalues_per_s\": {n / best[t] / 1e6:F1}, \"cold_seconds\": {bestCold[t]:R}, \"cpu_seconds\": {bestCpu[t]:R}, \"mvalues_per_cpu_s\": {n / bestCpu[t] / 1e6:F1}, \"allocated_bytes\": {allocated[t]}, \"isa\": \"{isa}\", \"stream\": \"{PhiloxStream.Instance.Name}\"}}"));
            if (threads.Contains(2))
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{{\"impl\": \"platform\", \"fill\": \"{name}\", \"threads\": 2, \"n\": {n}, \"ceiling\": {PlatformCeiling(init, n, repeat):R}}}"));
        }
    }

    /// <summary>
    /// What this machine gives two threads running this kernel, with nothing shared: two dedicated threads, each filling
    /// its own private buffer of n/2 values one-threaded, four times back to back, against one thread doing one such
    /// series; throughput ratio, best of <paramref name="repeat"/> for each, taking turns. No Parallel.For, no shared
    /// output, no wake-up per fill: what the machine itself gives two threads at that moment (below 2 on a VM whose two
    /// vCPUs share a core's resources or its clock budget, or with a busy neighbour on the host). Measured in turn with
    /// the fills, not at the same instant, so on a noisy machine a fill can come out above it.
    /// </summary>
    private static double PlatformCeiling(Initializer init, int n, int repeat)
    {
        int half = n / 2;
        var shape = new TensorShape(half);
        var one = new SamplingOptions(1);
        var buffers = new[] { new float[half], new float[half] };
        void Series(float[] b) { for (int k = 0; k < 4; k++) init.Fill(b, shape, one); }
        Series(buffers[0]);
        double best1 = double.MaxValue, best2 = double.MaxValue;
        using var go = new Barrier(2);
        for (int r = 0; r < repeat; r++)
        {
            var sw = Stopwatch.StartNew();
            Series(buffers[0]);
            best1 = Math.Min(best1, sw.Elapsed.TotalSeconds);

            var other = new Thread(() => { go.SignalAndWait(); Series(buffers[1]); });
            other.Start();
            go.SignalAndWait();
            sw.Restart();
            Series(buffers[0]);
            other.Join();
            best2 = Math.Min(best2, sw.Elapsed.TotalSeconds);
        }
        return 2 * best1 / best2;
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
