using WeightInit.Statistics;

namespace WeightInit.Conformance.Checks;

/// <summary>
/// Checks for the Orthogonal initializer, which cannot be bit-exact (Keras runs LAPACK QR in float32):
/// orthonormality of every drawn matrix, and Haar distribution. For a Haar-distributed orthogonal matrix each
/// column (rows ≥ cols; rows otherwise) is uniform on the unit sphere of R^m, m = max(rows, cols), so one fixed
/// entry q[0,0] follows the sphere-coordinate law: (x + 1)/2 ~ Beta((m−1)/2, (m−1)/2). Testing q[0,0] across many
/// independent draws is exact (entries of one matrix are dependent and are not pooled). A QR without the
/// sign(diag R) fix (Mezzadri 2007) is not Haar: q[0,0] then has one sign, which the mean and KS tests catch.
/// </summary>
public static class OrthogonalChecks
{

    /// <summary>The checks <see cref="Run"/> produces for <paramref name="draws"/> independent matrices.</summary>
    public static IEnumerable<CheckId> Planned(OrthogonalElements law, int draws)
    {
        yield return CheckId.Orthonormal;
        if (law.Rows == 0 || law.Cols == 0 || draws == 0 || Math.Max(law.Rows, law.Cols) < 2 || draws < 20) yield break;
        yield return CheckId.HaarKs;
        yield return CheckId.HaarMean;
    }

    /// <param name="caseId">Case name.</param>
    /// <param name="law">Gain and flattened size.</param>
    /// <param name="matrices">Independent draws, each rows×cols in C order.</param>
    /// <param name="float32">Whether the values were float32 (sets the orthonormality tolerance).</param>
    /// <param name="thresholds">Gate thresholds.</param>
    public static IReadOnlyList<CheckResult> Run(string caseId, OrthogonalElements law, IReadOnlyList<double[]> matrices, bool float32, GateThresholds? thresholds = null)
    {
        thresholds ??= GateThresholds.Default;
        var results = new List<CheckResult>();
        int rows = (int)law.Rows, cols = (int)law.Cols;
        if (rows == 0 || cols == 0 || matrices.Count == 0)
        {
            results.Add(new(caseId, CheckId.Orthonormal, Verdict.Pass, null, null, 0, "empty", "empty", "zero-size tensor: nothing to test"));
            return results;
        }
        bool byRows = rows < cols;
        int k = byRows ? rows : cols, len = byRows ? cols : rows;
        double g2 = law.Gain * law.Gain;
        // float32 rounding of each entry perturbs a dot product of `len` terms by about len·2^-24·g²; allow 8x.
        double tolerance = (float32 ? 8 * len * Math.Pow(2, -24) : 1e-10 * len) * Math.Max(g2, 1e-300) + 1e-300;
        double worst = 0;
        foreach (var w in matrices)
        {
            for (int a = 0; a < k; a++)
                for (int b = a; b < k; b++)
                {
                    double dot = 0;
                    for (int e = 0; e < len; e++)
                        dot += (byRows ? w[a * cols + e] : w[e * cols + a]) * (byRows ? w[b * cols + e] : w[e * cols + b]);
                    worst = Math.Max(worst, Math.Abs(dot - (a == b ? g2 : 0.0)));
                }
        }
        string product = byRows ? "W·Wᵀ" : "Wᵀ·W";
        results.Add(new(caseId, CheckId.Orthonormal, worst <= tolerance ? Verdict.Pass : Verdict.Fail, worst, null, matrices.Count,
            $"{product} = {TheoreticalLaw.F(g2)}·I within {TheoreticalLaw.F(tolerance)}", $"max deviation {TheoreticalLaw.F(worst)}",
            worst <= tolerance ? $"{product} = gain²·I" : $"{product} deviates from gain²·I by {TheoreticalLaw.F(worst)}: not orthonormal or wrong gain"));

        int m = Math.Max(rows, cols);
        if (m < 2 || matrices.Count < 20) return results;   // m = 1: q is ±gain, nothing continuous to test
        var first = matrices.Select(w => w[0]).ToArray();
        var law00 = new SphereCoordinateDistribution(m, law.Gain);
        var ks = StatisticalTests.KolmogorovSmirnov(first, law00);
        var ksVerdict = thresholds.Classify(ks.PValue);
        results.Add(new(caseId, CheckId.HaarKs, ksVerdict, ks.Statistic, ks.PValue, ks.N, $"gain·(2·Beta({(m - 1) / 2.0}, {(m - 1) / 2.0}) − 1)", $"D = {TheoreticalLaw.F(ks.Statistic)}",
            ksVerdict == Verdict.Pass ? "q[0,0] follows the Haar law" : "q[0,0] does not follow the Haar law: QR sign convention (sign(diag R)) missing, or wrong gain"));
        var mean = StatisticalTests.MeanZ(first, law00);
        var meanVerdict = thresholds.Classify(mean.PValue);
        results.Add(new(caseId, CheckId.HaarMean, meanVerdict, mean.Statistic, mean.PValue, mean.N, "0", TheoreticalLaw.F(first.Average()),
            meanVerdict == Verdict.Pass ? "q[0,0] symmetric about 0" : "q[0,0] is biased to one sign: the QR factor is not multiplied by sign(diag R)"));
        return results;
    }
}

/// <summary>
/// The law of one coordinate of a point uniform on the unit sphere of R^m, scaled by gain:
/// X = gain·(2B − 1), B ~ Beta((m−1)/2, (m−1)/2). Mean 0, variance gain²/m, kurtosis 3m/(m+2).
/// </summary>
public sealed class SphereCoordinateDistribution : IUnivariateDistribution
{
    private readonly double _alpha;

    public SphereCoordinateDistribution(int dimension, double gain)
    {
        if (dimension < 2) throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "The sphere-coordinate law needs a dimension m >= 2.");
        if (!(gain > 0 && double.IsFinite(gain))) throw new ArgumentOutOfRangeException(nameof(gain), gain, "gain must be positive and finite.");
        Dimension = dimension;
        Gain = gain;
        _alpha = (dimension - 1) / 2.0;
    }

    public int Dimension { get; }
    public double Gain { get; }
    public double Mean => 0;
    public double Variance => Gain * Gain / Dimension;
    public double StdDev => Math.Sqrt(Variance);
    public double Kurtosis => 3.0 * Dimension / (Dimension + 2.0);
    public double LowerBound => -Gain;
    public double UpperBound => Gain;

    public double Pdf(double x) => Math.Abs(x) > Gain ? 0 : MathNet.Numerics.Distributions.Beta.PDF(_alpha, _alpha, (x / Gain + 1) / 2) / (2 * Gain);
    public double Cdf(double x) => x <= -Gain ? 0 : x >= Gain ? 1 : MathNet.Numerics.SpecialFunctions.BetaRegularized(_alpha, _alpha, (x / Gain + 1) / 2);
    public double Sf(double x) => Cdf(-x);   // symmetric
    public double InvCdf(double p) => Gain * (2 * MathNet.Numerics.Distributions.Beta.InvCDF(_alpha, _alpha, p) - 1);
    public double LogCdf(double x) => Math.Log(Cdf(x));
    public double LogSf(double x) => Math.Log(Sf(x));
    public override string ToString() => $"SphereCoordinate(m = {Dimension}, gain = {Gain})";
}
