namespace WeightInit;

/// <summary>
/// The element types the library writes. Keras draws in float64 and rounds once with <c>astype(dtype)</c>; so does the
/// library. Text spellings ("float32", "float64", numpy's names) are parsed once at the edges with <see cref="DTypes.Parse"/>.
/// </summary>
public enum DType
{
    Float32,
    Float64,
}

/// <summary>Names and parsing of <see cref="DType"/>.</summary>
public static class DTypes
{
    /// <summary>numpy's and Keras' name: <c>float32</c>, <c>float64</c>.</summary>
    public static string Name(this DType dtype) => dtype switch
    {
        DType.Float32 => "float32",
        DType.Float64 => "float64",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, null),
    };

    /// <summary>Bytes per element.</summary>
    public static int Size(this DType dtype) => dtype == DType.Float32 ? 4 : 8;

    /// <summary>The dtype called <paramref name="text"/> (exactly float32 or float64), or null.</summary>
    public static DType? TryParse(string? text) => text switch
    {
        "float32" => DType.Float32,
        "float64" => DType.Float64,
        _ => null,
    };

    /// <summary>The dtype called <paramref name="text"/>.</summary>
    /// <exception cref="InvalidArgumentValueException">Not float32 or float64; the message names the value.</exception>
    public static DType Parse(string? text, string argument = "dtype") =>
        TryParse(text) ?? throw new InvalidArgumentValueException(argument, $"Invalid dtype '{text}': expected float32 or float64.");
}
