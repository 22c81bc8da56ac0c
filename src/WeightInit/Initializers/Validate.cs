using System.Globalization;

namespace WeightInit.Initializers;

/// <summary>Argument checks written positively, so NaN never slips through a `&lt;= 0` test.</summary>
internal static class Validate
{
    public static double Finite(double value, string name)
    {
        if (!double.IsFinite(value))
            throw new InvalidArgumentValueException(name, $"Argument `{name}` must be a finite number. Received: {name}={Fmt(value)}");
        return value;
    }

    public static double Positive(double value, string name, string? kerasMessage = null)
    {
        if (!(value > 0 && double.IsFinite(value)))
            throw new InvalidArgumentValueException(name, (kerasMessage ?? $"Argument `{name}` must be a positive finite number.") + $" Received: {name}={Fmt(value)}");
        return value;
    }

    public static double NonNegative(double value, string name)
    {
        if (!(value >= 0 && double.IsFinite(value)))
            throw new InvalidArgumentValueException(name, $"Argument `{name}` must be a non-negative finite number. Received: {name}={Fmt(value)}");
        return value;
    }

    public static string Fmt(double v) => Serialization.PythonJson.FormatFloat(v);

    public static string Fmt(long v) => v.ToString(CultureInfo.InvariantCulture);
}
