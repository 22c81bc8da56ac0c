using WeightInit.Initializers;
using WeightInit.Random;
using WeightInit.Testing;

namespace WeightInit.Mutants;

/// <summary>
/// A deliberately broken initializer implementation: the correct library with one realistic bug. Each mutant
/// names the framework or report where the bug was seen (see the project's peers survey). The conformance gate
/// must kill every one of them; a survivor is a defect of the gate.
/// </summary>
public abstract class Mutant : IInitializerUnderTest
{
    /// <summary>Kebab-case name used on the command line (<c>harness check --sut mutant:NAME</c>).</summary>
    public abstract string Name { get; }

    /// <summary>What the bug is and where it comes from.</summary>
    public abstract string Description { get; }

    public Array Sample(string className, string configJson, int[] shape, long seed, string dtype)
    {
        var tensorShape = new TensorShape(shape);
        var init = InitializerRegistry.Create(className, configJson, SeedSource.Fixed(seed));
        var values = new double[tensorShape.Count];
        if (values.Length > 0) Draw(init, tensorShape, new SeedPair((ulong)seed, 0), values);
        return dtype == "float64" ? values : Array.ConvertAll(values, v => (float)v);
    }

    /// <summary>Fills <paramref name="values"/>; the default is the correct library plus <see cref="Mutate"/>.</summary>
    protected virtual void Draw(Initializer init, TensorShape shape, SeedPair seed, double[] values)
    {
        var law = init is VarianceScaling vs ? Mutate(vs, shape) : null;
        if (law is null)
        {
            init.Fill(values, shape);
            return;
        }
        DrawLaw(law, seed, values);
    }

    /// <summary>The broken element law of a variance-scaling scheme, or null to keep the correct behaviour.</summary>
    protected virtual ElementDistribution? Mutate(VarianceScaling init, TensorShape shape) => null;

    protected static void DrawLaw(ElementDistribution law, SeedPair seed, double[] values)
    {
        var stream = PhiloxStream.Instance;
        switch (law)
        {
            case NormalElements n: stream.FillNormal(values, seed, n.Mean, n.Stddev); break;
            case TruncatedNormalElements t: stream.FillTruncatedNormal(values, seed, t.Mean, t.Stddev, t.Lower, t.Upper); break;
            case UniformElements u: stream.FillUniform(values, seed, u.Minval, u.Maxval); break;
            default: throw new InvalidOperationException($"cannot draw {law.Kind}");
        }
    }

    /// <summary>Keras' variance-scaling arithmetic with a replaceable divisor n, and the uniform/normal branches.</summary>
    protected static ElementDistribution VarianceScalingLaw(VarianceScaling init, double n, Func<double, double>? truncatedStddev = null, Func<double, double>? uniformLimit = null)
    {
        double s = init.Scale / Math.Max(1.0, n);
        return init.Distribution switch
        {
            VarianceDistribution.TruncatedNormal => Truncated(truncatedStddev?.Invoke(s) ?? Math.Sqrt(s) / VarianceScaling.TruncatedStandardNormalStddev, 2),
            VarianceDistribution.UntruncatedNormal => new NormalElements(0, Math.Sqrt(s)),
            _ => Symmetric(uniformLimit?.Invoke(s) ?? Math.Sqrt(3 * s)),
        };
    }

    protected static double ModeFan(VarianceScaling init, Fans fans) => init.Mode.Fan(fans.FanIn, fans.FanOut);

    /// <summary>Keras' fans of a variance-scaling initializer on a shape (its explicit axes included).</summary>
    protected static Fans KerasFans(VarianceScaling init, TensorShape shape) => FanCalculator.Keras(shape, init.InputAxes, init.OutputAxes);

    protected static TruncatedNormalElements Truncated(double stddev, double cut) => new(0, stddev, -cut * stddev, cut * stddev);

    protected static UniformElements Symmetric(double limit) => new(-limit, limit);
}

/// <summary>A mutant of the truncation step only: schemes whose law is not a truncated normal are drawn correctly.</summary>
public abstract class TruncationMutant : Mutant
{
    protected sealed override void Draw(Initializer init, TensorShape shape, SeedPair seed, double[] values)
    {
        if (init.DeriveParameters(shape).Distribution is TruncatedNormalElements t) DrawTruncated(t, seed, values);
        else init.Fill(values, shape);
    }

    /// <summary>Fills <paramref name="values"/> for the correct truncated-normal law <paramref name="t"/>, with the bug.</summary>
    protected abstract void DrawTruncated(TruncatedNormalElements t, SeedPair seed, double[] values);
}
