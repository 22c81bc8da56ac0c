using WeightInit.Random;

namespace WeightInit.Initializers;

/// <summary>
/// Orthogonal initializer (Saxe et al. 2014): flatten the shape to (rows = ∏shape[:-1], cols = shape[-1]),
/// draw a standard normal (max(rows, cols) × min(rows, cols)) matrix A, take its reduced QR, make the
/// factorization unique by multiplying Q's columns by sign(diag(R)) (Mezzadri 2007: this makes Q Haar
/// distributed), transpose if rows &lt; cols, and scale by gain.
/// Keras: <c>keras.initializers.Orthogonal(gain=1.0, seed=None)</c>. Keras runs LAPACK QR in float32, so values
/// match Keras in law, not bit for bit; with <see cref="KerasNumpyStream"/> the normal matrix is Keras' bit for bit
/// and Q agrees within 1e-6·gain (measured in the gate's BitExactKerasTests).
/// </summary>
public sealed class Orthogonal : RandomInitializer
{
    public Orthogonal(double gain = 1.0, SeedSource? seed = null, IRandomStream? stream = null) : base(seed, stream)
    {
        Gain = Validate.Finite(gain, "gain");
    }

    public double Gain { get; }

    public override string ClassName => "Orthogonal";

    public override IReadOnlyList<KeyValuePair<string, object?>> GetConfig() =>
    [
        new("seed", SeedConfigValue),
        new("gain", Gain),
    ];

    public override InitializerParameters DeriveParameters(TensorShape shape)
    {
        if (shape.Rank < 2)
            throw new UnsupportedShapeException($"The tensor to initialize must be at least two-dimensional. Received: shape={shape} of rank {shape.Rank}.");
        long rows = 1;
        for (int i = 0; i < shape.Rank - 1; i++) rows *= shape[i];
        long cols = shape[^1];
        return new(shape, null, null, new OrthogonalElements(Gain, rows, cols));
    }

    protected override void Generate(Span<double> destination, TensorShape shape, InitializerParameters parameters, SamplingOptions options)
    {
        var o = (OrthogonalElements)parameters.Distribution;
        int rows = checked((int)o.Rows), cols = checked((int)o.Cols);
        int m = Math.Max(rows, cols), n = Math.Min(rows, cols);
        if ((long)m * n > Array.MaxLength)
            throw new InvalidShapeException($"Orthogonal on shape {shape} needs a {m}x{n} matrix, too large to factorize in memory.");
        var a = new double[m * n];                         // row-major m×n
        Stream.FillNormal(a, Seed.Next(), 0.0, 1.0, options.MaxThreads);
        var q = HouseholderQ(a, m, n);                     // m×n with orthonormal columns, R diag ≥ 0
        if (rows < cols)
        {
            // destination is rows×cols = n×m: the transpose of q.
            for (int i = 0; i < n; i++)
                for (int j = 0; j < m; j++)
                    destination[i * m + j] = Gain * q[j * n + i];
        }
        else
        {
            for (int k = 0; k < q.Length; k++) destination[k] = Gain * q[k];
        }
    }

    /// <summary>
    /// Reduced QR of the row-major m×n matrix <paramref name="a"/> (m ≥ n) by Householder reflections, returning
    /// Q (m×n) with the sign convention diag(R) ≥ 0, i.e. Q·diag(sign(diag R)) in LAPACK terms.
    /// </summary>
    public static double[] HouseholderQ(double[] a, int m, int n) => HouseholderQ(a, m, n, signFix: true);

    /// <summary>
    /// As <see cref="HouseholderQ(double[], int, int)"/>; with <paramref name="signFix"/> false, Q is returned with
    /// LAPACK's raw convention (diag R of either sign), which is <em>not</em> Haar distributed (kept for the mutant catalog).
    /// </summary>
    public static double[] HouseholderQ(double[] a, int m, int n, bool signFix)
    {
        var r = (double[])a.Clone();
        var vs = new double[n][];
        var signs = new double[n];
        for (int k = 0; k < n; k++)
        {
            double norm = 0;
            for (int i = k; i < m; i++) norm += r[i * n + k] * r[i * n + k];
            norm = Math.Sqrt(norm);
            double alpha = r[k * n + k] >= 0 ? -norm : norm;   // reflect away from the diagonal entry: no cancellation
            var v = new double[m - k];
            for (int i = k; i < m; i++) v[i - k] = r[i * n + k];
            v[0] -= alpha;
            double vnorm2 = 0;
            foreach (var x in v) vnorm2 += x * x;
            if (vnorm2 > 0)
            {
                for (int j = k; j < n; j++)
                {
                    double dot = 0;
                    for (int i = k; i < m; i++) dot += v[i - k] * r[i * n + j];
                    double f = 2 * dot / vnorm2;
                    for (int i = k; i < m; i++) r[i * n + j] -= f * v[i - k];
                }
            }
            vs[k] = v;
            signs[k] = r[k * n + k] < 0 ? -1.0 : 1.0;          // R[k,k] after the reflection
        }
        // Q = H0·H1·…·H(n-1) applied to the first n columns of the identity.
        var q = new double[m * n];
        for (int j = 0; j < n; j++) q[j * n + j] = 1.0;
        for (int k = n - 1; k >= 0; k--)
        {
            var v = vs[k];
            double vnorm2 = 0;
            foreach (var x in v) vnorm2 += x * x;
            if (vnorm2 == 0) continue;
            for (int j = 0; j < n; j++)
            {
                double dot = 0;
                for (int i = k; i < m; i++) dot += v[i - k] * q[i * n + j];
                double f = 2 * dot / vnorm2;
                for (int i = k; i < m; i++) q[i * n + j] -= f * v[i - k];
            }
        }
        for (int j = 0; j < n && signFix; j++)
            if (signs[j] < 0)
                for (int i = 0; i < m; i++) q[i * n + j] = -q[i * n + j];
        return q;
    }
}
