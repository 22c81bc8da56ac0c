using System.Text.Json;
using System.Text.Json.Nodes;
using WeightInit.Random;

namespace WeightInit.Serialization;

/// <summary>
/// Keras <c>keras.initializers.serialize</c>/<c>deserialize</c>:
/// <c>{"module": "keras.initializers", "class_name": "HeNormal", "config": {...}, "registered_name": null}</c>,
/// written exactly as Python's <c>json.dumps</c> writes Keras' dict, so an initializer can be taken out of a
/// saved Keras model config and reproduced here, and written back.
/// </summary>
public static class KerasConfig
{
    public static string Serialize(Initializer initializer)
    {
        ArgumentNullException.ThrowIfNull(initializer);
        return PythonJson.Dumps(new KeyValuePair<string, object?>[]
        {
            new("module", initializer.Module),
            new("class_name", initializer.ClassName),
            new("config", initializer.GetSerializedConfig()),
            new("registered_name", null),
        });
    }

    /// <summary>
    /// Reads a serialized initializer: the full dict above, a bare class name string (<c>"he_normal"</c>), or the
    /// Keras 2 form <c>{"class_name": ..., "config": ...}</c>.
    /// </summary>
    public static Initializer Deserialize(string json, IRandomStream? stream = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonNode? node;
        try { node = JsonNode.Parse(json); }
        catch (JsonException ex) { throw new InvalidConfigException($"Malformed initializer JSON ({ex.Message}).", ex); }
        switch (node)
        {
            case JsonValue v when v.TryGetValue<string>(out var name):
                return InitializerRegistry.Create(name, (string?)null, null, stream);
            case JsonObject o:
                if (o["class_name"] is not JsonValue cn || !cn.TryGetValue<string>(out var className))
                    throw new InvalidConfigException("Serialized initializer has no string `class_name`.");
                if (o["module"] is JsonValue mv && mv.TryGetValue<string>(out var module)
                    && module is not ("keras.initializers" or "weightinit.variants" or "torch.nn.init"))
                    throw new InvalidConfigException($"Serialized initializer module '{module}' is not keras.initializers.");
                var config = o["config"] switch
                {
                    null => new JsonObject(),
                    JsonObject c => (JsonObject)c.DeepClone(),
                    var other => throw new InvalidConfigException($"`config` must be an object; received {other.ToJsonString()}."),
                };
                return InitializerRegistry.Create(className, config, null, stream);
            default:
                throw new InvalidConfigException($"Expected a serialized initializer object or name; received {json}.");
        }
    }
}
