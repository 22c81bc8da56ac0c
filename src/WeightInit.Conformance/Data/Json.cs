using System.Text.Json;
using System.Text.Json.Nodes;

namespace WeightInit.Conformance;

/// <summary>Strict typed reads from a JSON object; every failure names the key and what was found.</summary>
internal sealed class JsonFields(JsonObject obj, Func<string, Exception> fail)
{
    public JsonObject Object => obj;

    public void OnlyKeys(IReadOnlyCollection<string> allowed)
    {
        foreach (var kv in obj)
            if (!allowed.Contains(kv.Key))
                throw fail($"unknown key `{kv.Key}` (allowed: {string.Join(", ", allowed)})");
    }

    public bool Has(string key) => obj.ContainsKey(key);

    public bool IsNull(string key) => obj.TryGetPropertyValue(key, out var n) && n is null;

    public JsonNode Required(string key) =>
        obj.TryGetPropertyValue(key, out var n) ? n ?? throw fail($"`{key}` must not be null") : throw fail($"missing required key `{key}`");

    public string String(string key, bool allowEmpty = false)
    {
        var n = Required(key);
        if (n is not JsonValue v || v.GetValueKind() != JsonValueKind.String) throw fail($"`{key}` must be a string; found {n.ToJsonString()}");
        var s = v.GetValue<string>();
        if (!allowEmpty && string.IsNullOrWhiteSpace(s)) throw fail($"`{key}` must not be empty");
        return s;
    }

    public string? OptionalString(string key) => obj.TryGetPropertyValue(key, out var n) && n is not null ? String(key, allowEmpty: true) : null;

    public long Integer(string key, long min = long.MinValue, long max = long.MaxValue)
    {
        var n = Required(key);
        if (n is not JsonValue v || v.GetValueKind() != JsonValueKind.Number || !v.TryGetValue<long>(out var x))
            throw fail($"`{key}` must be an integer; found {n.ToJsonString()}");
        if (x < min || x > max) throw fail($"`{key}` is {x}; it must be in [{min}, {max}]");
        return x;
    }

    public long? OptionalInteger(string key) => obj.TryGetPropertyValue(key, out var n) && n is not null ? Integer(key) : null;

    public double Number(string key)
    {
        var n = Required(key);
        if (n is not JsonValue v || v.GetValueKind() != JsonValueKind.Number) throw fail($"`{key}` must be a number; found {n.ToJsonString()}");
        return v.GetValue<double>();
    }

    public double? OptionalNumber(string key) => obj.TryGetPropertyValue(key, out var n) && n is not null ? Number(key) : null;

    public JsonObject Obj(string key) =>
        Required(key) as JsonObject ?? throw fail($"`{key}` must be an object; found {obj[key]!.ToJsonString()}");

    public JsonArray Array(string key) =>
        Required(key) as JsonArray ?? throw fail($"`{key}` must be an array; found {obj[key]!.ToJsonString()}");

    public int[] IntArray(string key, int min = int.MinValue)
    {
        var arr = Array(key);
        var result = new int[arr.Count];
        for (int i = 0; i < arr.Count; i++)
        {
            if (arr[i] is not JsonValue v || v.GetValueKind() != JsonValueKind.Number || !v.TryGetValue<int>(out var x))
                throw fail($"`{key}`[{i}] must be an integer; found {arr[i]?.ToJsonString() ?? "null"}");
            if (x < min) throw fail($"`{key}`[{i}] is {x}; it must be >= {min}");
            result[i] = x;
        }
        return result;
    }

    public string[] StringArray(string key)
    {
        var arr = Array(key);
        var result = new string[arr.Count];
        for (int i = 0; i < arr.Count; i++)
        {
            if (arr[i] is not JsonValue v || v.GetValueKind() != JsonValueKind.String)
                throw fail($"`{key}`[{i}] must be a string; found {arr[i]?.ToJsonString() ?? "null"}");
            result[i] = v.GetValue<string>();
        }
        return result;
    }

    public static JsonObject ParseObject(string text, Func<string, Exception> fail)
    {
        JsonNode? node;
        try { node = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow }); }
        catch (JsonException ex) { throw fail($"malformed JSON ({ex.Message})"); }
        return node as JsonObject ?? throw fail("the document must be a JSON object");
    }
}
