using WeightInit.Testing;

namespace WeightInit.Conformance.Engine;

/// <summary>The values drawn for one case: the concatenation of several seeded tensors.</summary>
/// <param name="Values">All values, widened to float64, truncated to the case's sample size.</param>
/// <param name="Tensors">The individual tensors (for checks that need whole matrices, e.g. orthogonality).</param>
/// <param name="Float32">True when the SUT produced float32.</param>
public sealed record CaseSample(double[] Values, IReadOnlyList<double[]> Tensors, bool Float32);

/// <summary>
/// Draws a case's sample from a system under test: tensors with seeds first, first+1, … until n values are
/// collected, so small shapes still reach the full sample size. Seeds are fixed and recorded in the catalog,
/// so a run is deterministic.
/// </summary>
public static class CaseSampler
{
    /// <param name="sut">The implementation under test.</param>
    /// <param name="className">Keras class name (or this library's name).</param>
    /// <param name="configJson">The config dict as JSON (its seed is replaced by each draw's seed).</param>
    /// <param name="shape">Tensor shape.</param>
    /// <param name="dtype">float32 or float64.</param>
    /// <param name="firstSeed">Seed of the first tensor.</param>
    /// <param name="seedCount">Maximum number of tensors (seeds firstSeed … firstSeed + seedCount − 1).</param>
    /// <param name="n">Target sample size.</param>
    /// <param name="keepTensors">Keep each tensor (costs memory; needed for matrix checks).</param>
    public static CaseSample Draw(IInitializerUnderTest sut, string className, string configJson, int[] shape, string dtype,
        long firstSeed, int seedCount, long n, bool keepTensors = false)
    {
        ArgumentNullException.ThrowIfNull(sut);
        long perTensor = 1;
        foreach (var d in shape) perTensor *= d;
        if (perTensor == 0 || n == 0)
        {
            var empty = sut.Sample(className, configJson, shape, firstSeed, dtype);
            CheckLength(empty, 0, className, shape);
            return new CaseSample([], [], dtype == "float32");
        }
        long total = Math.Min(n, perTensor * (long)seedCount);
        var values = new double[total];
        var tensors = new List<double[]>();
        long filled = 0;
        bool float32 = dtype == "float32";
        for (int k = 0; filled < total; k++)
        {
            var array = sut.Sample(className, configJson, shape, firstSeed + k, dtype);
            CheckLength(array, perTensor, className, shape);
            double[] wide = array switch
            {
                float[] f => Array.ConvertAll(f, x => (double)x),
                double[] d => d,
                _ => throw new InvalidOperationException($"SUT {sut.Name} returned {array.GetType().Name}; expected float[] or double[]."),
            };
            if (array is float[] != float32)
                throw new InvalidOperationException($"SUT {sut.Name} returned {(array is float[] ? "float32" : "float64")} for dtype {dtype}.");
            long take = Math.Min(wide.Length, total - filled);
            Array.Copy(wide, 0, values, filled, take);
            filled += take;
            if (keepTensors) tensors.Add(wide);
        }
        return new CaseSample(values, tensors, float32);
    }

    private static void CheckLength(Array array, long expected, string className, int[] shape)
    {
        if (array.Length != expected)
            throw new InvalidOperationException($"{className} on shape ({string.Join(", ", shape)}) returned {array.Length} values; expected {expected}.");
    }
}
