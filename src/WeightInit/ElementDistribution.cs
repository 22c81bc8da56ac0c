namespace WeightInit;

/// <summary>
/// The law every element of an initialized tensor follows (the derived parameters Keras hands its random
/// backend). The conformance checks test samples against exactly this law.
/// </summary>
public abstract record ElementDistribution
{
    /// <summary>Keras backend name of the law: normal, truncated_normal, uniform, constant, orthogonal, identity.</summary>
    public abstract string Kind { get; }
}

/// <summary>N(mean, stddev²), untruncated.</summary>
public sealed record NormalElements(double Mean, double Stddev) : ElementDistribution
{
    public override string Kind => "normal";
}

/// <summary>
/// N(mean, stddev²) conditioned on [Lower, Upper] (closed; Keras cuts at mean ± 2·stddev). <see cref="Stddev"/>
/// is the parent (pre-truncation) standard deviation.
/// </summary>
public sealed record TruncatedNormalElements(double Mean, double Stddev, double Lower, double Upper) : ElementDistribution
{
    public override string Kind => "truncated_normal";
}

/// <summary>U[Minval, Maxval): Keras draws minval + (maxval − minval)·u, u ∈ [0, 1).</summary>
public sealed record UniformElements(double Minval, double Maxval) : ElementDistribution
{
    public override string Kind => "uniform";
}

/// <summary>Every element equals <see cref="Value"/> (Zeros, Ones, Constant).</summary>
public sealed record ConstantElements(double Value) : ElementDistribution
{
    public override string Kind => "constant";
}

/// <summary>
/// gain · Q, with Q Haar-distributed orthonormal on the (Rows × Cols) flattening (Rows = ∏shape[:-1]).
/// A single entry of a Haar-orthogonal n×n matrix has mean 0 and variance 1/n.
/// </summary>
public sealed record OrthogonalElements(double Gain, long Rows, long Cols) : ElementDistribution
{
    public override string Kind => "orthogonal";
}

/// <summary>gain · eye(Rows, Cols).</summary>
public sealed record IdentityElements(double Gain, long Rows, long Cols) : ElementDistribution
{
    public override string Kind => "identity";
}

/// <summary>
/// The derived parameters of one initializer on one shape: what Keras computes before it draws
/// (fans, the variance-scaling divisor, stddev or limit) and the resulting element law.
/// </summary>
/// <param name="Shape">The tensor shape.</param>
/// <param name="FanIn">fan_in, for variance-scaling schemes.</param>
/// <param name="FanOut">fan_out, for variance-scaling schemes.</param>
/// <param name="Distribution">The element law.</param>
/// <remarks>
/// The scheme's own inputs (scale, mode, gain) stay on the initializer, typed (<see cref="Initializers.VarianceScaling.Mode"/>):
/// a scale slot here meant the gain for Xavier and gain² for Kaiming, and nothing read it.
/// </remarks>
public sealed record InitializerParameters(
    TensorShape Shape,
    long? FanIn,
    long? FanOut,
    ElementDistribution Distribution)
{
    /// <summary>For uniform schemes of the form U(−limit, limit): the limit.</summary>
    public double? Limit => Distribution is UniformElements u && u.Minval == -u.Maxval ? u.Maxval : null;
}

/// <summary>
/// PyTorch <c>sparse_</c>: N(0, Std²) with exactly <see cref="ZerosPerColumn"/> zeros in each column (positions random).
/// </summary>
public sealed record SparseElements(double Std, double Sparsity, long Rows, long Cols, long ZerosPerColumn) : ElementDistribution
{
    public override string Kind => "sparse";
}

/// <summary>PyTorch <c>dirac_</c>: zeros except ones at w[g·(out/groups) + d, d, centre…].</summary>
public sealed record DiracElements(int[] Shape, int Groups) : ElementDistribution
{
    public override string Kind => "dirac";

    /// <summary>The flat C-order indices that hold 1.</summary>
    public IEnumerable<long> OneIndices()
    {
        int outPerGroup = Shape[0] / Groups;
        int minDim = Math.Min(outPerGroup, Shape[1]);
        long spatial = 1, centreOffset = 0;
        for (int k = 2; k < Shape.Length; k++) spatial *= Shape[k];
        long stride = spatial;
        for (int k = 2; k < Shape.Length; k++)
        {
            stride /= Shape[k];
            centreOffset += Shape[k] / 2 * stride;
        }
        for (int g = 0; g < Groups; g++)
            for (int d = 0; d < minDim; d++)
                yield return ((long)(g * outPerGroup + d) * Shape[1] + d) * spatial + centreOffset;
    }
}
