using NUnit.Framework;
using WeightInit.Conformance;
using WeightInit.Conformance.NUnit;
using WeightInit.Testing;

namespace MyInitializers.Gate;

/// <summary>
/// A user's own initializers, written without the WeightInit library: Keras' HeNormal (He et al. 2015: a normal of
/// stddev sqrt(2 / fan_in) truncated at two standard deviations, the stddev divided by 0.87962566103423978, the
/// standard deviation of N(0, 1) truncated to (-2, 2), so that the variance stays 2 / fan_in) and GlorotUniform (Glorot
/// and Bengio 2010: U(-l, l) with l = sqrt(6 / (fan_in + fan_out))). Values come from SplitMix64 (Steele, Lea and Flood
/// 2014) started at the seed. (A first version used System.Random(seed): the gate failed its he_normal-1x1 chi-square
/// test, because the first values of System.Random for consecutive seeds are correlated, and a 1x1 case draws 2^18 tensors
/// with consecutive seeds.)
/// <para>
/// Setting MYINIT_BUG=uncorrected-truncation reproduces a classic bug: the truncated normal without the 0.8796 correction,
/// whose variance is 0.774 of the target. The gate must catch it with a variance diagnosis.
/// </para>
/// </summary>
public sealed class MyInitializers : IInitializerUnderTest, IConformanceScope
{
    private const double TruncatedStd = 0.87962566103423978;
    private readonly bool _uncorrected = Environment.GetEnvironmentVariable("MYINIT_BUG") == "uncorrected-truncation";

    public string Name => _uncorrected ? "my-initializers (uncorrected truncation)" : "my-initializers";

    /// <summary>This library implements two schemes; the gate runs their cases only.</summary>
    public bool Covers(ConformanceCase c) => c.Initializer is "HeNormal" or "GlorotUniform";

    public Array Sample(string className, string configJson, int[] shape, long seed, string dtype)
    {
        var (fanIn, fanOut) = Fans(shape);
        long count = 1;
        foreach (var d in shape) count *= d;
        var random = new SplitMix64(seed);
        var values = new double[count];
        switch (className)
        {
            case "HeNormal":
                double stddev = Math.Sqrt(2.0 / Math.Max(1.0, fanIn)) / (_uncorrected ? 1.0 : TruncatedStd);
                for (long i = 0; i < count; i++)
                {
                    double z;
                    do z = Normal(random); while (Math.Abs(z) >= 2.0);   // truncation at ±2σ by resampling
                    values[i] = z * stddev;
                }
                break;
            case "GlorotUniform":
                double limit = Math.Sqrt(3.0 / Math.Max(1.0, (fanIn + fanOut) / 2.0));   // = sqrt(6 / (fan_in + fan_out))
                for (long i = 0; i < count; i++) values[i] = (2 * random.NextDouble() - 1) * limit;
                break;
            default:
                throw new NotSupportedException($"MyInitializers does not implement {className}.");
        }
        return dtype == "float32" ? values.Select(v => (float)v).ToArray() : values;
    }

    /// <summary>Keras' fans: rank 2 (in, out); rank ≥ 3 channels-last (k…, in, out) multiplies by the receptive field.</summary>
    private static (double FanIn, double FanOut) Fans(int[] shape)
    {
        if (shape.Length == 0) return (1, 1);
        if (shape.Length == 1) return (shape[0], shape[0]);
        double receptive = 1;
        for (int i = 0; i < shape.Length - 2; i++) receptive *= shape[i];
        return (shape[^2] * receptive, shape[^1] * receptive);
    }

    /// <summary>SplitMix64: a 64-bit counter advanced by the golden-ratio increment, then mixed (Steele et al. 2014).</summary>
    private sealed class SplitMix64(long seed)
    {
        private ulong _state = unchecked((ulong)seed);

        /// <summary>A uniform double in [0, 1) from the top 53 bits.</summary>
        public double NextDouble()
        {
            ulong z = unchecked(_state += 0x9E3779B97F4A7C15UL);
            z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
            z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
            z ^= z >> 31;
            return (z >> 11) * (1.0 / (1UL << 53));
        }
    }

    /// <summary>A standard normal by the Box–Muller transform.</summary>
    private static double Normal(SplitMix64 random)
    {
        double u1 = 1.0 - random.NextDouble();
        double u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}

/// <summary>
/// The gate: one NUnit test per Keras case × check of the two schemes, from the packaged fixture. The [TestFixture]
/// attribute makes this assembly reference NUnit itself, which is how the NUnit test adapter recognises a test assembly.
/// </summary>
[TestFixture]
public sealed class MyGate : KerasConformanceFixture<MyInitializers> { }
