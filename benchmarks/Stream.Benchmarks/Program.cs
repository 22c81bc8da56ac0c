using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using WeightInit.Random;

// Usage: Stream.Benchmarks N SEED REPEAT
// Fills N float64 values from each stream law with Keras' seed pair [SEED, 0], REPEAT times after a warm-up, and prints
// one JSON line per law: the best time and the sha256 of the values' little-endian bytes (to compare with numpy's).
int n = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1 << 24;
ulong seed = args.Length > 1 ? ulong.Parse(args[1], CultureInfo.InvariantCulture) : 42;
int repeat = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 5;
var values = new double[n];
var pair = new SeedPair(seed, 0);

void Run(string law, Action fill)
{
    fill(); // warm-up: JIT tiers, page faults
    double best = double.MaxValue;
    for (int r = 0; r < repeat; r++)
    {
        var sw = Stopwatch.StartNew();
        fill();
        best = Math.Min(best, sw.Elapsed.TotalSeconds);
        Console.Error.Write($"\r{law}: run {r + 1}/{repeat}, best {best:F4} s   ");
    }
    Console.Error.WriteLine();
    var sha = Convert.ToHexStringLower(SHA256.HashData(MemoryMarshal.AsBytes(values.AsSpan())));
    Console.WriteLine(FormattableString.Invariant($"{{\"impl\": \"csharp keras-numpy\", \"law\": \"{law}\", \"n\": {n}, \"seconds\": {best:R}, \"sha256\": \"{sha}\"}}"));
}

Run("normal", () => KerasNumpyStream.Instance.FillNormal(values, pair, 0.0, 1.0));
Run("uniform", () => KerasNumpyStream.Instance.FillUniform(values, pair, -1.0, 1.0));
