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
            return new CaseSample([], [], DTypes.Parse(dtype) == DType.Float32);
        }
        long total = Math.Min(n, perTensor * (long)seedCount);
        var values = new double[total];
        var tensors = new List<double[]>();
        long filled = 0;
        bool float32 = DTypes.Parse(dtype) == DType.Float32;
        // Tensors are drawn in batches (one SUT call each) of at most BatchValues values: a 1x1 case is a few calls, not
        // 2^18, and memory stays bounded for large shapes.
        int needed = (int)((total + perTensor - 1) / perTensor);
        int perBatch = (int)Math.Max(1, BatchValues / perTensor);
        for (int k = 0; k < needed; k += perBatch)
        {
            int count = Math.Min(perBatch, needed - k);
            var array = sut.SampleBatch(className, configJson, shape, firstSeed + k, count, dtype);
            CheckLength(array, perTensor * count, className, shape, count);
            if (array is float[] != float32)
                throw new InvalidOperationException($"SUT {sut.Name} returned {(array is float[] ? "float32" : "float64")} for dtype {dtype}.");
            for (int j = 0; j < count && filled < total; j++)
            {
                long take = Math.Min(perTensor, total - filled);
                int from = (int)(j * perTensor);
                switch (array)
                {
                    case float[] f:
                        for (int i = 0; i < take; i++) values[filled + i] = f[from + i];
                        break;
                    case double[] d:
                        Array.Copy(d, from, values, filled, take);
                        break;
                    default:
                        throw new InvalidOperationException($"SUT {sut.Name} returned {array.GetType().Name}; expected float[] or double[].");
                }
                if (keepTensors)
                    tensors.Add(array is float[] ff ? Array.ConvertAll(ff[from..(from + (int)perTensor)], x => (double)x) : ((double[])array)[from..(from + (int)perTensor)]);
                filled += take;
            }
        }
        return new CaseSample(values, tensors, float32);
    }

    /// <summary>The largest batch one SUT call draws (values): 2^22, 16 MiB of float32.</summary>
    public const long BatchValues = 1L << 22;

    private static void CheckLength(Array array, long expected, string className, int[] shape, int tensors = 1)
    {
        if (array.Length != expected)
            throw new InvalidOperationException($"{className} on shape ({string.Join(", ", shape)}) returned {array.Length} values; expected {expected}" +
                (tensors == 1 ? "." : $" ({tensors} tensors)."));
    }
}
