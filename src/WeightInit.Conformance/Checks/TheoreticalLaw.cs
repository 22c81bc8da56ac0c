using WeightInit.Statistics;

namespace WeightInit.Conformance.Checks;

/// <summary>Maps an initializer's element law to the distribution object the statistical tests take.</summary>
public static class TheoreticalLaw
{
    /// <summary>The law of one element, or null when the elements are not i.i.d. draws from a univariate law.</summary>
    public static IUnivariateDistribution? For(ElementDistribution distribution) => distribution switch
    {
        NormalElements n => new NormalDistribution(n.Mean, n.Stddev),
        TruncatedNormalElements t => new TruncatedNormalDistribution(t.Mean, t.Stddev,
            (t.Lower - t.Mean) / t.Stddev, (t.Upper - t.Mean) / t.Stddev),
        UniformElements u => new UniformDistribution(u.Minval, u.Maxval),
        _ => null,
    };

    /// <summary>Human description for messages: N(0, 0.0471²), TN(0, 0.053²; ±0.107), U(-0.0884, 0.0884).</summary>
    public static string Describe(ElementDistribution distribution) => distribution switch
    {
        NormalElements n => $"N({F(n.Mean)}, {F(n.Stddev)}²)",
        TruncatedNormalElements t => $"TN({F(t.Mean)}, {F(t.Stddev)}²) on [{F(t.Lower)}, {F(t.Upper)}]",
        UniformElements u => $"U[{F(u.Minval)}, {F(u.Maxval)})",
        ConstantElements c => $"constant {F(c.Value)}",
        OrthogonalElements o => $"{F(o.Gain)}·Haar-orthogonal {o.Rows}x{o.Cols}",
        IdentityElements i => $"{F(i.Gain)}·eye({i.Rows}, {i.Cols})",
        _ => distribution.Kind,
    };

    internal static string F(double v) => v.ToString("G6", System.Globalization.CultureInfo.InvariantCulture);
}
