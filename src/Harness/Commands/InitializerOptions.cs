using System.CommandLine;
using System.Globalization;
using WeightInit;
using WeightInit.Random;

namespace Harness.Commands;

/// <summary>The options shared by <c>params</c> and <c>sample</c>: NAME, --shape, --config, --seed.</summary>
internal sealed class InitializerOptions
{
    public Argument<string> Name { get; } = new("NAME") { Description = "Initializer name or alias (he_normal, HeNormal, VarianceScaling, ...)." };
    public Option<string> Shape { get; } = new("--shape") { Description = "Tensor shape, e.g. 3,3,16,32 (empty for a scalar).", Required = true };
    public Option<string?> Config { get; } = new("--config") { Description = "Keras config JSON, e.g. '{\"scale\":2,\"mode\":\"fan_out\"}'." };

    public void AddTo(Command command)
    {
        command.Arguments.Add(Name);
        command.Options.Add(Shape);
        command.Options.Add(Config);
    }

    public (Initializer Initializer, TensorShape Shape) Resolve(ParseResult parse, SeedSource? seed = null, IRandomStream? stream = null)
    {
        var shape = TensorShape.Parse(parse.GetValue(Shape) ?? "");
        var initializer = InitializerRegistry.Create(parse.GetValue(Name)!, parse.GetValue(Config), seed, stream);
        return (initializer, shape);
    }

    /// <summary>Parses a --seed value: an integer, or "none" for Keras' unseeded behaviour.</summary>
    public static SeedSource ParseSeed(string? text)
    {
        if (text is null || text.Equals("none", StringComparison.OrdinalIgnoreCase)) return SeedSource.Unseeded();
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seed)) return SeedSource.Fixed(seed);
        throw new InvalidArgumentValueException("seed", $"Invalid seed '{text}': expected an integer or 'none'.");
    }
}
