using System.Diagnostics;
using System.Globalization;

namespace WeightInit.Benchmarks;

/// <summary>
/// How long a 2-way Parallel.For (what a 2-thread fill uses) waits before its second share starts, after the calling
/// thread has been busy or asleep for a given gap. On a virtual machine an idle vCPU can take milliseconds to wake, and
/// a fill of 2^22 values takes about 2 ms per thread, so this latency bounds its 2-thread speed-up: 2T / (T + latency).
/// Usage: <c>wake [--repeat 100]</c>; prints one line per (gap, caller state) with the median and 90th percentile.
/// </summary>
public static class Wake
{
    public static int Run(string[] args)
    {
        int repeat = 100;
        if (args.Length == 2 && args[0] == "--repeat" && int.TryParse(args[1], NumberStyles.None, CultureInfo.InvariantCulture, out int r) && r >= 10)
            repeat = r;
        else if (args.Length != 0)
        {
            Console.Error.WriteLine($"wake: expected [--repeat N] with N >= 10, got '{string.Join(' ', args)}'");
            return 2;
        }
        const double shareMs = 5;   // each share spins this long, so a late worker still finds the second share waiting
        foreach (bool callerBusy in new[] { true, false })
        {
            foreach (int gapMs in new[] { 0, 1, 3, 10, 30 })
            {
                var latency = new double[repeat];
                for (int i = 0; i < repeat; i++)
                {
                    long t0 = Stopwatch.GetTimestamp();
                    var start = new long[2];
                    Parallel.For(0, 2, new ParallelOptions { MaxDegreeOfParallelism = 2 }, k =>
                    {
                        start[k] = Stopwatch.GetTimestamp();
                        Spin(shareMs);
                    });
                    latency[i] = (Math.Max(start[0], start[1]) - t0) * 1e6 / Stopwatch.Frequency;
                    if (gapMs > 0) { if (callerBusy) Spin(gapMs); else Thread.Sleep(gapMs); }
                }
                Array.Sort(latency);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"gap {gapMs,2} ms, caller {(callerBusy ? "busy  " : "asleep")}: second share starts after median {latency[repeat / 2],6:F0} µs, 90th percentile {latency[repeat * 9 / 10],6:F0} µs (≥ {shareMs * 1000:F0} µs: the caller ran both)"));
            }
        }
        return 0;
    }

    private static void Spin(double ms)
    {
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed.TotalMilliseconds < ms) { }
    }
}
