namespace WeightInit;

/// <summary>The fan-in and fan-out of a weight tensor, as integers (Keras' <c>compute_fans</c> returns ints).</summary>
public readonly record struct Fans(long FanIn, long FanOut)
{
    /// <summary>(fan_in + fan_out) / 2 in float64, exactly as Keras computes it (never integer division).</summary>
    public double FanAvg => (FanIn + FanOut) / 2.0;
}

/// <summary>
/// Fan arithmetic. Each framework reads a kernel layout differently; the functions here are named
/// after the layout they assume so a HWIO/OIHW mix-up is visible at the call site.
/// </summary>
public static class FanCalculator
{
    /// <summary>
    /// Keras 3 <c>compute_fans(shape, input_axes, output_axes)</c> (keras/src/initializers/random_initializers.py).
    /// With both axis lists given, fans are the products of the listed dimensions (Keras ≥ 3.15).
    /// Otherwise: rank 0 → (1, 1); rank 1 → (n, n); rank 2 (in, out) → (in, out);
    /// rank ≥ 3 is channels-last <c>(k1, …, kr, in, out)</c> → (in·∏k, out·∏k).
    /// </summary>
    public static Fans Keras(TensorShape shape, IReadOnlyList<int>? inputAxes = null, IReadOnlyList<int>? outputAxes = null)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (inputAxes is not null && outputAxes is not null)
            return new Fans(AxesProduct(shape, inputAxes, "input_axes"), AxesProduct(shape, outputAxes, "output_axes"));

        switch (shape.Rank)
        {
            case 0: return new Fans(1, 1);
            case 1: return new Fans(shape[0], shape[0]);
            case 2: return new Fans(shape[0], shape[1]);
            default:
                long receptive = 1;
                for (int i = 0; i < shape.Rank - 2; i++) receptive *= shape[i];
                return new Fans(shape[^2] * receptive, shape[^1] * receptive);
        }
    }

    /// <summary>
    /// PyTorch <c>_calculate_fan_in_and_fan_out</c>: weights are (out, in, *kernel), so
    /// fan_in = size(1)·∏kernel and fan_out = size(0)·∏kernel. Fewer than 2 dimensions is an error.
    /// </summary>
    public static Fans Torch(TensorShape shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Rank < 2)
            throw new UnsupportedShapeException($"Fan in and fan out can not be computed for tensor with fewer than 2 dimensions (shape={shape}).");
        long receptive = 1;
        for (int i = 2; i < shape.Rank; i++) receptive *= shape[i];
        return new Fans(shape[1] * receptive, shape[0] * receptive);
    }

    /// <summary>
    /// TF1 <c>tf.contrib.layers.variance_scaling_initializer</c>: channels-last like Keras for rank ≥ 2,
    /// but a rank-1 shape uses shape[-1] for both fans and a scalar has no fans at all (TF1 crashes).
    /// </summary>
    public static Fans Tf1Contrib(TensorShape shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Rank == 0)
            throw new UnsupportedShapeException("tf.contrib variance_scaling_initializer needs a shape of rank >= 1; received shape=() of rank 0.");
        return Keras(shape);
    }

    private static long AxesProduct(TensorShape shape, IReadOnlyList<int> axes, string name)
    {
        long product = 1;
        foreach (var axis in axes)
        {
            int a = axis < 0 ? axis + shape.Rank : axis;
            if (a < 0 || a >= shape.Rank)
                throw new InvalidArgumentValueException(name, $"Invalid `{name}`: axis {axis} is out of range for shape={shape} of rank {shape.Rank}.");
            product *= shape[a];
        }
        return product;
    }
}
