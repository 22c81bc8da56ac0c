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
}

/// <summary>This library as a system under test (the harness' default SUT, <c>--sut csharp</c>).</summary>
public sealed class LibraryUnderTest : IInitializerUnderTest
{
    public string Name => "csharp";

    public Array Sample(string className, string configJson, int[] shape, long seed, string dtype)
    {
        var init = InitializerRegistry.Create(className, configJson, Random.SeedSource.Fixed(seed));
        var tensorShape = new TensorShape(shape);
        return dtype switch
        {
            "float32" => init.Sample(tensorShape),
            "float64" => init.SampleDouble(tensorShape),
            _ => throw new InvalidArgumentValueException("dtype", $"Invalid dtype '{dtype}': expected float32 or float64."),
        };
    }
}
