using static WeightInit.Conformance.Checks.TheoreticalLaw;

namespace WeightInit.Conformance.Checks;

/// <summary>
/// Turns a statistic into domain words: which implementation error produces a variance ratio, a support
/// violation or a shape difference like the one observed (docs/keras-semantics.md §6, docs/peers.md §3).
/// </summary>
public static class Diagnosis
{
    /// <summary>Variance of N(0,1) truncated to (−2, 2): what a missing 1/0.8796 rescaling leaves.</summary>
    public const double UncorrectedTruncationRatio = 0.773741303549923;

    /// <summary>TF1 contrib's 1.3 / (1/0.8796²) = 1.3 · 0.7737.</summary>
    public const double ContribRatio = 1.3 * UncorrectedTruncationRatio;

    public static string VarianceRatio(double ratio, ElementDistribution law)
    {
        string r = ratio.ToString("F4", System.Globalization.CultureInfo.InvariantCulture);
        if (law is TruncatedNormalElements or NormalElements && Near(ratio, UncorrectedTruncationRatio, 0.015))
            return $"variance {r}x target: the truncated normal is not rescaled by 1/0.87962566 (uncorrected truncation gives 0.7737x)";
        if (law is TruncatedNormalElements or NormalElements && Near(ratio, 1 / UncorrectedTruncationRatio, 0.02))
            return $"variance {r}x target: the truncation correction 1/0.87962566 is applied where no truncation happens, or twice";
        if (law is TruncatedNormalElements && Near(ratio, ContribRatio, 0.003))
            return $"variance {r}x target: TF1 contrib's sqrt(1.3) factor instead of Keras' exact 1/0.87962566";
        if (law is UniformElements && Near(ratio, 2, 0.05))
            return $"variance {r}x target: uniform limit sqrt(6/n) where sqrt(3·scale/n) is expected (e.g. LeCun uniform)";
        if (Near(ratio, 2, 0.05) || Near(ratio, 0.5, 0.03) || Near(ratio, 4, 0.1) || Near(ratio, 0.25, 0.02))
            return $"variance {r}x target: fan mode or scale mismatch (fan_avg without /2, scale off by a factor 2)";
        if (ratio < 0.9 || ratio > 1.1)
            return $"variance {r}x target: fan mode or scale mismatch (fan_in/fan_out swapped, receptive field ignored, wrong layout or scale)";
        return $"variance {r}x target";
    }

    public static string Support(long outside, long n, ElementDistribution law, double maxAbs) => law switch
    {
        TruncatedNormalElements t => $"truncation clips or leaks: {outside} of {n} values outside [{F(t.Lower)}, {F(t.Upper)}] (max|x - mean| {F(maxAbs)}); mean ± 2 stddev is the Keras cut",
        UniformElements u => $"{outside} of {n} values outside the uniform support [{F(u.Minval)}, {F(u.Maxval)}] (max|x| {F(maxAbs)}): limit too wide",
        _ => $"{outside} of {n} values are not finite",
    };

    public static string MaxTooSmall(double maxAbs, double bound) =>
        $"max|x - mean| {F(maxAbs)} is too small for this n against the support half-width {F(bound)}: the support is narrower than the target (cut below 2 stddev, or limit too small)";

    public static string MaxTooLarge(double maxAbs) =>
        $"max|x - mean| {F(maxAbs)} is too large for this n: tails heavier than the target (untruncated where truncation is expected, or scale too large)";

    public static string Shape(CheckId test, bool variancePassed) => variancePassed
        ? $"{test}: distribution shape differs at the target variance (e.g. uniform drawn for a normal scheme, untruncated for truncated, clipping instead of resampling)"
        : $"{test}: distribution differs from the target (see the variance check)";

    public static string ClippedOntoBounds(long atBounds, long n) =>
        $"{atBounds} of {n} values sit exactly on the truncation bounds: values are clipped instead of resampled";

    private static bool Near(double value, double target, double tolerance) => Math.Abs(value - target) <= tolerance;
}
