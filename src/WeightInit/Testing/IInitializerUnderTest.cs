namespace WeightInit.Testing;

/// <summary>
/// An initializer implementation the harness can check (<c>harness check --sut assembly:PATH[:TYPE]</c>).
/// Implement it in your own assembly (a public class with a public parameterless constructor), and the harness
/// runs the Keras cases of its catalog through it with every statistical, bound and shape check, plus the two
/// seed checks (same seed twice gives identical values; different seeds give different values).
/// </summary>
/// <example>
/// <code>
/// public sealed class MyInitializers : IInitializerUnderTest
/// {
///     public string Name => "my-initializers";
///     public Array Sample(string className, string configJson, int[] shape, long seed, string dtype) =&gt; ...;
/// }
/// </code>
/// </example>
public interface IInitializerUnderTest
{
    /// <summary>A short name for reports.</summary>
    string Name { get; }

    /// <summary>
    /// Draws one tensor. <paramref name="className"/> and <paramref name="configJson"/> are Keras' (e.g. "HeNormal",
    /// <c>{"seed": null, "input_axes": null, "output_axes": null}</c>); the seed to use is <paramref name="seed"/>.
    /// Returns a <c>float[]</c> (dtype "float32") or <c>double[]</c> (dtype "float64") of ∏shape values in C order.
    /// Throw to report that the case is not supported; the harness fails that case with the message.
    /// </summary>
    Array Sample(string className, string configJson, int[] shape, long seed, string dtype);

    /// <summary>
    /// Draws <paramref name="count"/> tensors with the seeds <paramref name="firstSeed"/> … firstSeed + count − 1, concatenated
    /// in seed order: a <c>float[]</c> or <c>double[]</c> of count·∏shape values. The harness draws every case through this
    /// call, so a tiny shape costs one call per case rather than one per tensor. The default calls <see cref="Sample"/>
    /// once per seed; override it when a batch is cheaper (a bridge to another process, a framework with per-call overhead).
    /// </summary>
    Array SampleBatch(string className, string configJson, int[] shape, long firstSeed, int count, string dtype)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        long perTensor = 1;
        foreach (var d in shape) perTensor *= d;
        if (perTensor * count > Array.MaxLength)
            throw new InvalidShapeException($"{count} tensors of shape ({string.Join(", ", shape)}) hold more values than one array can.");
        Array? result = null;
        for (int k = 0; k < count; k++)
        {
            var one = Sample(className, configJson, shape, firstSeed + k, dtype);
            if (one.Length != perTensor)
                throw new InvalidOperationException($"{Name}: {className} on shape ({string.Join(", ", shape)}) returned {one.Length} values; expected {perTensor}.");
            result ??= Array.CreateInstance(one.GetType().GetElementType()!, perTensor * count);
            Array.Copy(one, 0, result, perTensor * k, perTensor);
        }
        return result ?? (DTypes.Parse(dtype) == DType.Float64 ? Array.Empty<double>() : Array.Empty<float>());
    }
}

/// <summary>
/// Thrown by a system under test that has no counterpart for a case (an initializer, config, dtype or shape its framework
/// does not offer). The harness reports the case as "not applicable" with <see cref="Exception.Message"/> as the reason:
/// never a pass, never silently skipped.
/// </summary>
public class NotApplicableException(string reason) : WeightInitException(reason);

/// <summary>This library as a system under test (the harness' default SUT, <c>--sut csharp</c>).</summary>
public sealed class LibraryUnderTest : IInitializerUnderTest
{
    public string Name => "csharp";

    public Array Sample(string className, string configJson, int[] shape, long seed, string dtype)
    {
        var init = InitializerRegistry.Create(className, configJson, Random.SeedSource.Fixed(seed));
        var tensorShape = new TensorShape(shape);
        return DTypes.Parse(dtype) == DType.Float32 ? init.Sample(tensorShape) : init.SampleDouble(tensorShape);
    }

    /// <summary>The batch without a new array per tensor: the config is parsed once and each tensor fills its slice.</summary>
    public Array SampleBatch(string className, string configJson, int[] shape, long firstSeed, int count, string dtype)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var tensorShape = new TensorShape(shape);
        var config = string.IsNullOrWhiteSpace(configJson) ? new System.Text.Json.Nodes.JsonObject()
            : System.Text.Json.Nodes.JsonNode.Parse(configJson) as System.Text.Json.Nodes.JsonObject
              ?? throw new InvalidConfigException($"Config must be a JSON object; received: {configJson}");
        long perTensor = tensorShape.Count, total = perTensor * count;
        if (total > Array.MaxLength)
            throw new InvalidShapeException($"{count} tensors of shape {tensorShape} hold more values than one array can.");
        Initializer Create(int k) => InitializerRegistry.Create(className, config, Random.SeedSource.Fixed(firstSeed + k));
        switch (DTypes.Parse(dtype))
        {
            case DType.Float32:
            {
                var values = new float[total];
                for (int k = 0; k < count; k++) Create(k).Fill(values.AsSpan((int)(k * perTensor), (int)perTensor), tensorShape);
                return values;
            }
            default:
            {
                var values = new double[total];
                for (int k = 0; k < count; k++) Create(k).Fill(values.AsSpan((int)(k * perTensor), (int)perTensor), tensorShape);
                return values;
            }
        }
    }
}
