namespace WeightInit.Conformance;

/// <summary>
/// A framework whose initializers the harness knows: the one place that names it. The catalog's <c>reference</c> lists,
/// the reference-data folders (<c>reference-data/&lt;Id&gt;/&lt;version&gt;</c>), the CLI's <c>--framework</c> values and the
/// shipped reference version all come from here, so "torch" and "pytorch" can no longer drift apart.
/// </summary>
public sealed class Framework : IEquatable<Framework>
{
    /// <summary>Keras 3 (the numpy backend): the law every Keras case is held to.</summary>
    public static readonly Framework Keras = new("keras", "keras", "Keras", "3.15.1");

    /// <summary>PyTorch's <c>torch.nn.init</c>; its reference data folder is <c>pytorch/1.13.x</c> (any 1.13 patch release).</summary>
    public static readonly Framework PyTorch = new("pytorch", "torch", "PyTorch", "1.13.x");

    /// <summary>
    /// TensorFlow.js (<c>@tensorflow/tfjs-layers</c>' Keras-API initializers, cpu backend) through the Node bridge: a
    /// secondary reference of the Keras cases it has a counterpart for (docs/frameworks/tfjs.md lists where it diverges).
    /// </summary>
    public static readonly Framework TfJs = new("tfjs", "tfjs", "TensorFlow.js", "4.22.0");

    /// <summary>Every framework a case may list under <c>reference</c>, in catalog order.</summary>
    public static IReadOnlyList<Framework> All { get; } = [Keras, PyTorch, TfJs];

    private Framework(string id, string cliName, string displayName, string shippedVersion)
    {
        Id = id;
        CliName = cliName;
        DisplayName = displayName;
        ShippedVersion = shippedVersion;
    }

    /// <summary>The catalog and folder name: <c>keras</c>, <c>pytorch</c>, <c>tfjs</c>.</summary>
    public string Id { get; }

    /// <summary>The name the CLI and the bridges use: <c>keras</c>, <c>torch</c>, <c>tfjs</c>.</summary>
    public string CliName { get; }

    public string DisplayName { get; }

    /// <summary>The version folder of the reference data this repository ships for the framework.</summary>
    public string ShippedVersion { get; }

    /// <summary>Finds a framework by its id or CLI name (case-insensitive), or null.</summary>
    public static Framework? TryParse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var t = text.Trim();
        return All.FirstOrDefault(f => f.Id.Equals(t, StringComparison.OrdinalIgnoreCase) || f.CliName.Equals(t, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Finds a framework by its id or CLI name; throws <see cref="InvalidArgumentValueException"/> naming the bad value.</summary>
    public static Framework Parse(string? text, string argument = "framework") =>
        TryParse(text) ?? throw new InvalidArgumentValueException(argument,
            $"Unknown framework '{text}' (known: {string.Join(", ", All.Select(f => f.CliName == f.Id ? f.Id : $"{f.CliName} ({f.Id})"))}).");

    public bool Equals(Framework? other) => ReferenceEquals(this, other);
    public override bool Equals(object? obj) => ReferenceEquals(this, obj);
    public override int GetHashCode() => Id.GetHashCode(StringComparison.Ordinal);
    public override string ToString() => Id;
}
