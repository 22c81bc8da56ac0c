using System.CommandLine;
using WeightInit;
using WeightInit.Serialization;

namespace Harness.Commands;

/// <summary><c>harness params NAME --shape ...</c>: the derived parameters Keras would compute, as one JSON object.</summary>
internal static class ParamsCommand
{
    public static Command Create()
    {
        var options = new InitializerOptions();
        var command = new Command("params", "Print the derived parameters (fans, stddev, limit, bounds) of an initializer on a shape as JSON.");
        options.AddTo(command);
        command.SetAction(parse =>
        {
            var (initializer, shape) = options.Resolve(parse);
            Console.WriteLine(PythonJson.Dumps(Describe(initializer, shape)));
            return 0;
        });
        return command;
    }

    /// <summary>The JSON object printed by <c>params</c>.</summary>
    public static IReadOnlyList<KeyValuePair<string, object?>> Describe(Initializer initializer, TensorShape shape)
    {
        var p = initializer.DeriveParameters(shape);
        var fields = new List<KeyValuePair<string, object?>>
        {
            new("name", InitializerRegistry.Find(initializer.ClassName).CanonicalName),
            new("class_name", initializer.ClassName),
            new("config", initializer.GetSerializedConfig()),
            new("shape", shape.ToArray()),
            new("fan_in", p.FanIn),
            new("fan_out", p.FanOut),
            new("distribution", p.Distribution.Kind),
        };
        switch (p.Distribution)
        {
            case NormalElements n:
                fields.Add(new("mean", n.Mean)); fields.Add(new("stddev", n.Stddev));
                break;
            case TruncatedNormalElements t:
                fields.Add(new("mean", t.Mean)); fields.Add(new("stddev", t.Stddev));
                fields.Add(new("bounds", new[] { t.Lower, t.Upper }));
                break;
            case UniformElements u:
                if (p.Limit is double limit) fields.Add(new("limit", limit));
                fields.Add(new("minval", u.Minval)); fields.Add(new("maxval", u.Maxval));
                fields.Add(new("bounds", new[] { u.Minval, u.Maxval }));
                break;
            case ConstantElements c:
                fields.Add(new("value", c.Value));
                break;
            case OrthogonalElements o:
                fields.Add(new("gain", o.Gain)); fields.Add(new("rows", o.Rows)); fields.Add(new("cols", o.Cols));
                break;
            case IdentityElements id:
                fields.Add(new("gain", id.Gain)); fields.Add(new("rows", id.Rows)); fields.Add(new("cols", id.Cols));
                break;
        }
        return fields;
    }
}
