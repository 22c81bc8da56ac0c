using WeightInit.Testing;

namespace WeightInit.Node;

/// <summary>
/// TensorFlow.js 4.22.0 as a system under test (for <c>--sut tfjs</c>): each Keras case is mapped by
/// <see cref="TfjsMapping.TryMap"/> and drawn through the shared Node bridge.
/// </summary>
/// <remarks>
/// <para>A case without TF.js counterpart throws <see cref="TfjsNotApplicableException"/> (its
/// <see cref="TfjsNotApplicableException.Result"/> carries the kind and the reason): a runner reports it as "not
/// applicable", never as a pass. Call <see cref="Map"/> first to know without sampling.</para>
/// <para><see cref="SampleBatch"/> draws all tensors of a case in one bridge request (seeds first … first+count−1);
/// <see cref="Sample"/> is the one-tensor form of <see cref="IInitializerUnderTest"/>.</para>
/// </remarks>
public sealed class TfjsUnderTest : IInitializerUnderTest
{
    private readonly NodeHost? _host;

    /// <param name="host">The bridge to use; null is <see cref="NodeHost.Shared"/>.</param>
    public TfjsUnderTest(NodeHost? host = null) => _host = host;

    public string Name => "tfjs";

    /// <summary>What TF.js would run for a Keras case, or why it has no counterpart.</summary>
    public static TfjsMappingResult Map(string className, string configJson, int[] shape, string dtype) =>
        TfjsMapping.TryMap(className, configJson, new TensorShape(shape), dtype);

    public Array Sample(string className, string configJson, int[] shape, long seed, string dtype) =>
        SampleBatch(className, configJson, shape, seed, 1, dtype);

    /// <summary>
    /// <paramref name="count"/> tensors of the case, tensor j with seed <paramref name="firstSeed"/> + j, flattened in C
    /// order and concatenated: a <c>float[]</c> of count·∏shape values (TF.js has only float32).
    /// </summary>
    public float[] SampleBatch(string className, string configJson, int[] shape, long firstSeed, int count, string dtype)
    {
        var mapped = Map(className, configJson, shape, dtype);
        if (mapped is TfjsNotApplicable na) throw new TfjsNotApplicableException(className, na);
        return TfjsSampler.SampleBatch((TfjsCall)mapped, firstSeed, count, _host);
    }

    /// <summary>The harness draws every case through this: one bridge request per batch.</summary>
    Array IInitializerUnderTest.SampleBatch(string className, string configJson, int[] shape, long firstSeed, int count, string dtype) =>
        SampleBatch(className, configJson, shape, firstSeed, count, dtype);
}
