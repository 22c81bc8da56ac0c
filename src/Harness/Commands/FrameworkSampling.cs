using System.Globalization;
using WeightInit;
using WeightInit.IO;
using WeightInit.Python;

namespace Harness.Commands;

/// <summary>
/// <c>harness sample NAME --framework keras|torch|numpy ...</c>: samples the live framework in the embedded Python
/// (see <see cref="FrameworkSampler"/> for the names each framework takes) and writes the same .npy format as the C#
/// sampler. One line on stderr records the framework version (for keras also the backend and its version).
/// </summary>
internal static class FrameworkSampling
{
    public static int Sample(string framework, string name, string? configJson, string shape, string? seed, string dtype, string outPath)
    {
        var fw = framework.Trim().ToLowerInvariant();
        if (fw == "tfjs") return TfjsSampling.Sample(name, configJson, shape, ParseSeed(seed), dtype, outPath);
        if (!FrameworkSampler.Frameworks.Contains(fw))
            throw new InvalidArgumentValueException("framework", $"Invalid framework '{framework}': expected csharp, keras, torch, numpy or tfjs.");
        var tensorShape = TensorShape.Parse(shape);
        long? seedValue = ParseSeed(seed);
        var full = Path.GetFullPath(outPath);
        if (!Directory.Exists(Path.GetDirectoryName(full)))
            throw new DirectoryNotFoundException($"Output folder does not exist: {Path.GetDirectoryName(full)}");

        var array = FrameworkSampler.Sample(fw, name, configJson, tensorShape, seedValue, dtype);
        if (array.Single is { } single) NpyFile.Write(outPath, single, array.Shape);
        else NpyFile.Write(outPath, array.Double!, array.Shape);

        var info = FrameworkSampler.Probe(fw);
        Console.Error.WriteLine($"harness: sampled {info} {name} {tensorShape} {dtype} seed {(seedValue?.ToString(CultureInfo.InvariantCulture) ?? "none")} -> {outPath}");
        return 0;
    }

    private static long? ParseSeed(string? text)
    {
        if (text is null || text.Equals("none", StringComparison.OrdinalIgnoreCase)) return null;
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var s)) return s;
        throw new InvalidArgumentValueException("seed", $"Invalid seed '{text}': expected an integer or 'none'.");
    }
}
