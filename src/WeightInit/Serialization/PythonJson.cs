using System.Globalization;
using System.Text;

namespace WeightInit.Serialization;

/// <summary>
/// Writes JSON the way Python's <c>json.dumps</c> does with default settings (", " and ": " separators,
/// floats as <c>repr(float)</c>: <c>1.0</c>, <c>0.05</c>, <c>1e-05</c>, <c>1e+16</c>), so configs written here
/// are byte-identical to the ones Keras writes.
/// </summary>
public static class PythonJson
{
    /// <summary>Serializes null, bool, string, integers, doubles, lists of ints, ordered key/value lists and <see cref="SeedGeneratorConfig"/>.</summary>
    public static string Dumps(object? value)
    {
        var sb = new StringBuilder();
        Write(sb, value);
        return sb.ToString();
    }

    /// <summary>Python-style repr used in messages and ToString (None, True, 'text', 1.0).</summary>
    public static string Repr(object? value) => value switch
    {
        null => "None",
        bool b => b ? "True" : "False",
        string s => "'" + s + "'",
        _ => Dumps(value),
    };

    private static void Write(StringBuilder sb, object? value)
    {
        switch (value)
        {
            case null: sb.Append("null"); break;
            case bool b: sb.Append(b ? "true" : "false"); break;
            case string s: WriteString(sb, s); break;
            case double d: sb.Append(FormatFloat(d)); break;
            case float f: sb.Append(FormatFloat(f)); break;
            case int i: sb.Append(i.ToString(CultureInfo.InvariantCulture)); break;
            case long l: sb.Append(l.ToString(CultureInfo.InvariantCulture)); break;
            case SeedGeneratorConfig g: Write(sb, g.ToConfig()); break;
            case IEnumerable<KeyValuePair<string, object?>> dict:
                sb.Append('{');
                bool first = true;
                foreach (var kv in dict)
                {
                    if (!first) sb.Append(", ");
                    first = false;
                    WriteString(sb, kv.Key);
                    sb.Append(": ");
                    Write(sb, kv.Value);
                }
                sb.Append('}');
                break;
            case System.Collections.IEnumerable list:
                sb.Append('[');
                bool firstItem = true;
                foreach (var item in list)
                {
                    if (!firstItem) sb.Append(", ");
                    firstItem = false;
                    Write(sb, item);
                }
                sb.Append(']');
                break;
            default:
                throw new ArgumentException($"Cannot serialize a value of type {value.GetType().Name} to JSON.", nameof(value));
        }
    }

    /// <summary>Python's <c>repr(float)</c> (shortest round-trip digits; exponent form below 1e-4 or from 1e16).</summary>
    public static string FormatFloat(double value)
    {
        if (double.IsNaN(value)) return "NaN";
        if (double.IsPositiveInfinity(value)) return "Infinity";
        if (double.IsNegativeInfinity(value)) return "-Infinity";
        if (value == 0) return double.IsNegative(value) ? "-0.0" : "0.0";
        // .NET "R" gives the shortest round-trip digits; re-lay them out as Python's repr does.
        string shortest = Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
        ParseDigits(shortest, out var digits, out int exponent);   // value = 0.d1d2... × 10^exponent
        string sign = value < 0 ? "-" : "";
        int decpt = exponent;                                         // position of the decimal point
        if (decpt > -4 && decpt <= 16)
        {
            string body;
            if (decpt <= 0) body = "0." + new string('0', -decpt) + digits;
            else if (decpt >= digits.Length) body = digits + new string('0', decpt - digits.Length) + ".0";
            else body = digits[..decpt] + "." + digits[decpt..];
            return sign + body;
        }
        string mantissa = digits.Length == 1 ? digits : digits[0] + "." + digits[1..];
        int e = decpt - 1;
        return sign + mantissa + "e" + (e < 0 ? "-" : "+") + Math.Abs(e).ToString("00", CultureInfo.InvariantCulture);
    }

    /// <summary>Splits a .NET round-trip string into significant digits and a decimal-point position.</summary>
    private static void ParseDigits(string s, out string digits, out int decpt)
    {
        int exp = 0;
        int eIndex = s.IndexOfAny(['E', 'e']);
        if (eIndex >= 0)
        {
            exp = int.Parse(s[(eIndex + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            s = s[..eIndex];
        }
        int dot = s.IndexOf('.');
        string intPart = dot >= 0 ? s[..dot] : s;
        string fracPart = dot >= 0 ? s[(dot + 1)..] : "";
        string all = intPart + fracPart;
        int point = intPart.Length + exp;
        int lead = 0;
        while (lead < all.Length - 1 && all[lead] == '0') { lead++; point--; }
        all = all[lead..].TrimEnd('0');
        if (all.Length == 0) all = "0";
        digits = all;
        decpt = point;
    }

    private static void WriteString(StringBuilder sb, string s)
    {
        sb.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (c < 0x20 || c > 0x7e) sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else sb.Append(c);
                    break;
            }
        }
        sb.Append('"');
    }
}

/// <summary>The serialized form of a <c>keras.random.SeedGenerator(seed)</c> used as an initializer seed.</summary>
public sealed record SeedGeneratorConfig(long Seed)
{
    public IReadOnlyList<KeyValuePair<string, object?>> ToConfig() =>
    [
        new("module", "keras.random"),
        new("class_name", "SeedGenerator"),
        new("config", new KeyValuePair<string, object?>[] { new("seed", Seed) }),
        new("registered_name", null),
    ];
}
