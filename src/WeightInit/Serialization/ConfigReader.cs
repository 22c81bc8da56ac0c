using System.Text.Json;
using System.Text.Json.Nodes;
using WeightInit.Random;

namespace WeightInit.Serialization;

/// <summary>Typed access to a Keras <c>config</c> dict that remembers which keys were read, so unknown keys are an error.</summary>
internal sealed class ConfigReader(string className, JsonObject config)
{
    private readonly HashSet<string> _used = new(StringComparer.Ordinal) { "seed" };

    /// <summary>Numeric keys whose JSON value was an integer literal (<c>2</c>, not <c>2.0</c>): Keras echoes them as ints.</summary>
    public HashSet<string> IntegerKeys { get; } = new(StringComparer.Ordinal);

    public double Double(string key, double fallback)
    {
        _used.Add(key);
        if (!config.TryGetPropertyValue(key, out var node) || node is null) return fallback;
        if (node is JsonValue v && v.TryGetValue<double>(out var d))
        {
            if (v.GetValueKind() == JsonValueKind.Number && IsIntegerLiteral(v.ToJsonString())) IntegerKeys.Add(key);
            return d;
        }
        if (node is JsonValue s && s.TryGetValue<string>(out var text) && text is "NaN" or "Infinity" or "-Infinity")
            return text == "NaN" ? double.NaN : text == "Infinity" ? double.PositiveInfinity : double.NegativeInfinity;
        throw new InvalidConfigException($"{className}: config key `{key}` must be a number; received {node.ToJsonString()}.");
    }

    public string String(string key, string fallback)
    {
        _used.Add(key);
        if (!config.TryGetPropertyValue(key, out var node) || node is null) return fallback;
        if (node is JsonValue v && v.TryGetValue<string>(out var s)) return s;
        throw new InvalidConfigException($"{className}: config key `{key}` must be a string; received {node.ToJsonString()}.");
    }

    public bool Bool(string key, bool fallback)
    {
        _used.Add(key);
        if (!config.TryGetPropertyValue(key, out var node) || node is null) return fallback;
        if (node is JsonValue v && v.TryGetValue<bool>(out var b)) return b;
        throw new InvalidConfigException($"{className}: config key `{key}` must be true or false; received {node.ToJsonString()}.");
    }

    public int[]? Axes(string key)
    {
        _used.Add(key);
        if (!config.TryGetPropertyValue(key, out var node) || node is null) return null;
        if (node is JsonValue single && single.TryGetValue<int>(out var one)) return [one];
        if (node is JsonArray arr)
        {
            var axes = new int[arr.Count];
            for (int i = 0; i < arr.Count; i++)
            {
                if (arr[i] is JsonValue av && av.TryGetValue<int>(out var a)) axes[i] = a;
                else throw new InvalidConfigException($"{className}: config key `{key}` must be a list of integer axes; received {node.ToJsonString()}.");
            }
            return axes;
        }
        throw new InvalidConfigException($"{className}: config key `{key}` must be a list of integer axes; received {node.ToJsonString()}.");
    }

    /// <summary>
    /// The <c>seed</c> entry: an int, null (unseeded) or a serialized SeedGenerator dict. Anything else is
    /// rejected, as Keras rejects e.g. 1.5.
    /// </summary>
    public SeedSource? Seed()
    {
        if (!config.TryGetPropertyValue("seed", out var node) || node is null) return null;
        if (node is JsonValue v)
        {
            if (v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<long>(out var s)) return SeedSource.Fixed(s);
            throw new InvalidArgumentValueException("seed", $"{className}: `seed` must be an integer, None or a SeedGenerator. Received: seed={node.ToJsonString()}");
        }
        if (node is JsonObject o)
        {
            var inner = o["config"] as JsonObject ?? o;
            if (inner["seed"] is JsonValue sv && sv.TryGetValue<long>(out var gs)) return SeedSource.Generator(gs);
            throw new InvalidArgumentValueException("seed", $"{className}: a SeedGenerator seed needs an integer `seed`. Received: seed={node.ToJsonString()}");
        }
        throw new InvalidArgumentValueException("seed", $"{className}: `seed` must be an integer, None or a SeedGenerator. Received: seed={node.ToJsonString()}");
    }

    private static bool IsIntegerLiteral(string text) => text.IndexOfAny(['.', 'e', 'E']) < 0;

    public void ThrowOnUnknownKeys()
    {
        var unknown = config.Select(kv => kv.Key).Where(k => !_used.Contains(k)).ToArray();
        if (unknown.Length > 0)
            throw new InvalidConfigException($"{className}: unrecognized config key(s): {string.Join(", ", unknown)}.");
    }
}
