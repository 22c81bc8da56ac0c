namespace Harness.Commands;

// Placeholder: sampling a live framework (keras, torch, numpy) through the Python bridge.
internal static class FrameworkSampling
{
    public static int Sample(string framework, string name, string? configJson, string shape, string? seed, string dtype, string outPath)
    {
        Console.Error.WriteLine($"harness: sample --framework {framework}: the Python bridge is not wired in yet");
        return 2;
    }
}
