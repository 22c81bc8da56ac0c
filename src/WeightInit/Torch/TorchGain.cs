namespace WeightInit.Torch;

/// <summary>
/// PyTorch <c>torch.nn.init.calculate_gain(nonlinearity, param=None)</c>: the recommended gain for a nonlinearity.
/// <code>
/// linear, conv1d/2d/3d, conv_transpose1d/2d/3d, sigmoid → 1
/// tanh → 5/3          relu → √2          selu → 3/4 (empirical, PyTorch PR #50664)
/// leaky_relu → √(2 / (1 + slope²)), slope = param, 0.01 when param is None
/// </code>
/// </summary>
public static class TorchGain
{
    public static readonly IReadOnlyList<string> Nonlinearities =
        ["linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d", "sigmoid", "tanh", "relu", "leaky_relu", "selu"];

    public static double Calculate(string nonlinearity, double? param = null)
    {
        ArgumentNullException.ThrowIfNull(nonlinearity);
        switch (nonlinearity)
        {
            case "linear" or "conv1d" or "conv2d" or "conv3d" or "conv_transpose1d" or "conv_transpose2d" or "conv_transpose3d" or "sigmoid":
                return 1.0;
            case "tanh":
                return 5.0 / 3;
            case "relu":
                return Math.Sqrt(2.0);
            case "leaky_relu":
                double slope = param ?? 0.01;
                if (!double.IsFinite(slope))
                    throw new InvalidArgumentValueException("param", $"negative_slope {slope} not a valid number");
                return Math.Sqrt(2.0 / (1 + slope * slope));
            case "selu":
                return 3.0 / 4;
            default:
                throw new InvalidArgumentValueException("nonlinearity", $"Unsupported nonlinearity {nonlinearity}");
        }
    }
}
