using WeightInit.Initializers;
using WeightInit.Random;

namespace WeightInit.Torch;

/// <summary>
/// Base of the PyTorch family (<c>torch.nn.init.*_</c>). Weights use PyTorch's layout (out, in, *kernel), so
/// fans come from <see cref="FanCalculator.Torch"/>. Config keys are the function's keyword arguments.
/// Values are drawn from this library's streams: the same law as PyTorch, not PyTorch's bits.
/// </summary>
public abstract class TorchRandomInitializer(SeedSource? seed, IRandomStream? stream) : RandomInitializer(seed, stream)
{
    public override string Module => "torch.nn.init";

    /// <summary>The PyTorch function name, e.g. <c>kaiming_normal_</c>.</summary>
    public abstract string FunctionName { get; }

    public override string ClassName => FunctionName;

    protected static Fans TorchFans(TensorShape shape) => FanCalculator.Torch(shape);

    /// <summary>PyTorch's <c>_calculate_correct_fan</c>: mode is lower-cased, then fan_in or fan_out.</summary>
    protected static (string Mode, long Fan) CorrectFan(TensorShape shape, string mode)
    {
        var m = mode.ToLowerInvariant();
        if (m is not ("fan_in" or "fan_out"))
            throw new InvalidArgumentValueException("mode", $"Mode {mode} not supported, please use one of fan_in, fan_out");
        var fans = TorchFans(shape);
        return (m, m == "fan_in" ? fans.FanIn : fans.FanOut);
    }
}

/// <summary><c>xavier_uniform_(tensor, gain=1.0)</c>: U(±gain·√(6/(fan_in + fan_out))). Glorot &amp; Bengio 2010.</summary>
public sealed class TorchXavierUniform(double gain = 1.0, SeedSource? seed = null, IRandomStream? stream = null) : TorchRandomInitializer(seed, stream)
{
    public double Gain { get; } = Validate.Finite(gain, "gain");
    public override string FunctionName => "xavier_uniform_";
    public override IReadOnlyList<KeyValuePair<string, object?>> GetConfig() => [new("gain", Gain)];

    public override InitializerParameters DeriveParameters(TensorShape shape)
    {
        var f = TorchFans(shape);
        double std = Gain * Math.Sqrt(2.0 / (f.FanIn + f.FanOut));
        double a = Math.Sqrt(3.0) * std;
        return new(shape, f.FanIn, f.FanOut, new UniformElements(-a, a));
    }
}

/// <summary><c>xavier_normal_(tensor, gain=1.0)</c>: N(0, (gain·√(2/(fan_in + fan_out)))²), <em>untruncated</em> (Keras truncates).</summary>
public sealed class TorchXavierNormal(double gain = 1.0, SeedSource? seed = null, IRandomStream? stream = null) : TorchRandomInitializer(seed, stream)
{
    public double Gain { get; } = Validate.Finite(gain, "gain");
    public override string FunctionName => "xavier_normal_";
    public override IReadOnlyList<KeyValuePair<string, object?>> GetConfig() => [new("gain", Gain)];

    public override InitializerParameters DeriveParameters(TensorShape shape)
    {
        var f = TorchFans(shape);
        return new(shape, f.FanIn, f.FanOut, new NormalElements(0, Gain * Math.Sqrt(2.0 / (f.FanIn + f.FanOut))));
    }
}

/// <summary>
/// The shared part of <c>kaiming_uniform_</c> and <c>kaiming_normal_</c> (He et al. 2015): gain =
/// calculate_gain(nonlinearity, a), fan chosen by mode (fan_in | fan_out, lower-cased as PyTorch does), std = gain/√fan.
/// </summary>
public abstract class TorchKaiming : TorchRandomInitializer
{
    protected TorchKaiming(double a, string mode, string nonlinearity, SeedSource? seed, IRandomStream? stream) : base(seed, stream)
    {
        A = Validate.Finite(a, "a");
        Mode = mode ?? throw new ArgumentNullException(nameof(mode));
        Nonlinearity = nonlinearity ?? throw new ArgumentNullException(nameof(nonlinearity));
        Gain = TorchGain.Calculate(nonlinearity, a);
        _ = CorrectFan(new TensorShape(1, 1), mode); // validate the mode now, not at the first draw
    }

    public double A { get; }
    public string Mode { get; }
    public string Nonlinearity { get; }
    public double Gain { get; }
    public override IReadOnlyList<KeyValuePair<string, object?>> GetConfig() => [new("a", A), new("mode", Mode), new("nonlinearity", Nonlinearity)];

    public override InitializerParameters DeriveParameters(TensorShape shape)
    {
        var (mode, fan) = CorrectFan(shape, Mode);
        var f = TorchFans(shape);
        return new(shape, f.FanIn, f.FanOut, Elements(Gain / Math.Sqrt(fan)));
    }

    /// <summary>The element law for the standard deviation gain/√fan.</summary>
    protected abstract ElementDistribution Elements(double std);
}

/// <summary>
/// <c>kaiming_uniform_(tensor, a=0, mode='fan_in', nonlinearity='leaky_relu')</c>: U(±√3·gain/√fan). With the defaults
/// the bound is √(6/fan_in), as Keras' he_uniform.
/// </summary>
public sealed class TorchKaimingUniform(double a = 0, string mode = "fan_in", string nonlinearity = "leaky_relu", SeedSource? seed = null, IRandomStream? stream = null)
    : TorchKaiming(a, mode, nonlinearity, seed, stream)
{
    public override string FunctionName => "kaiming_uniform_";
    protected override ElementDistribution Elements(double std) => new UniformElements(-Math.Sqrt(3.0) * std, Math.Sqrt(3.0) * std);
}

/// <summary>
/// <c>kaiming_normal_(tensor, a=0, mode='fan_in', nonlinearity='leaky_relu')</c>: N(0, (gain/√fan)²), <em>untruncated</em>
/// (Keras' he_normal is truncated at ±2σ with the 1/0.8796 correction: same variance, different kurtosis and support).
/// </summary>
public sealed class TorchKaimingNormal(double a = 0, string mode = "fan_in", string nonlinearity = "leaky_relu", SeedSource? seed = null, IRandomStream? stream = null)
    : TorchKaiming(a, mode, nonlinearity, seed, stream)
{
    public override string FunctionName => "kaiming_normal_";
    protected override ElementDistribution Elements(double std) => new NormalElements(0, std);
}

/// <summary>
/// <c>trunc_normal_(tensor, mean=0, std=1, a=-2, b=2)</c>: N(mean, std²) restricted to the <em>absolute</em> bounds
/// [a, b] (not multiples of std, unlike Keras). PyTorch samples by inverse CDF and clamps; this library resamples,
/// which gives the same law.
/// </summary>
public sealed class TorchTruncNormal : TorchRandomInitializer
{
    public TorchTruncNormal(double mean = 0, double std = 1, double a = -2, double b = 2, SeedSource? seed = null, IRandomStream? stream = null) : base(seed, stream)
    {
        Mean = Validate.Finite(mean, "mean");
        Std = Validate.Positive(std, "std");
        A = Validate.Finite(a, "a");
        B = Validate.Finite(b, "b");
        if (!(a < b)) throw new InvalidArgumentValueException("a", $"trunc_normal_ needs a < b. Received: a={Validate.Fmt(a)}, b={Validate.Fmt(b)}");
        // Rejection needs a reachable window; PyTorch warns from 2 std outside, we refuse beyond 6 std (acceptance < 1e-9).
        if (mean < a - 6 * std || mean > b + 6 * std)
            throw new InvalidArgumentValueException("mean", $"mean={Validate.Fmt(mean)} is more than 6 std outside [a, b] = [{Validate.Fmt(a)}, {Validate.Fmt(b)}]: the truncated normal is numerically empty.");
    }

    public double Mean { get; }
    public double Std { get; }
    public double A { get; }
    public double B { get; }
    public override string FunctionName => "trunc_normal_";
    public override IReadOnlyList<KeyValuePair<string, object?>> GetConfig() => [new("mean", Mean), new("std", Std), new("a", A), new("b", B)];
    public override InitializerParameters DeriveParameters(TensorShape shape) => new(shape, null, null, new TruncatedNormalElements(Mean, Std, A, B));
}

/// <summary><c>uniform_(tensor, a=0, b=1)</c>: U[a, b).</summary>
public sealed class TorchUniform : TorchRandomInitializer
{
    public TorchUniform(double a = 0, double b = 1, SeedSource? seed = null, IRandomStream? stream = null) : base(seed, stream)
    {
        A = Validate.Finite(a, "a");
        B = Validate.Finite(b, "b");
        if (!(a <= b)) throw new InvalidArgumentValueException("a", $"uniform_ expects a <= b. Received: a={Validate.Fmt(a)}, b={Validate.Fmt(b)}");
    }

    public double A { get; }
    public double B { get; }
    public override string FunctionName => "uniform_";
    public override IReadOnlyList<KeyValuePair<string, object?>> GetConfig() => [new("a", A), new("b", B)];
    public override InitializerParameters DeriveParameters(TensorShape shape) => new(shape, null, null, new UniformElements(A, B));
}

/// <summary><c>normal_(tensor, mean=0, std=1)</c>: N(mean, std²).</summary>
public sealed class TorchNormal(double mean = 0, double std = 1, SeedSource? seed = null, IRandomStream? stream = null) : TorchRandomInitializer(seed, stream)
{
    public double Mean { get; } = Validate.Finite(mean, "mean");
    public double Std { get; } = Validate.NonNegative(std, "std");
    public override string FunctionName => "normal_";
    public override IReadOnlyList<KeyValuePair<string, object?>> GetConfig() => [new("mean", Mean), new("std", Std)];
    public override InitializerParameters DeriveParameters(TensorShape shape) => new(shape, null, null, new NormalElements(Mean, Std));
}

/// <summary>
/// <c>orthogonal_(tensor, gain=1)</c> (Saxe et al. 2014): PyTorch flattens to (shape[0], numel/shape[0]) — the first
/// dimension is rows — whereas Keras flattens to (∏shape[:-1], shape[-1]). QR of a normal matrix with the sign(diag R) fix.
/// </summary>
public sealed class TorchOrthogonal(double gain = 1.0, SeedSource? seed = null, IRandomStream? stream = null) : TorchRandomInitializer(seed, stream)
{
    public double Gain { get; } = Validate.Finite(gain, "gain");
    public override string FunctionName => "orthogonal_";
    public override IReadOnlyList<KeyValuePair<string, object?>> GetConfig() => [new("gain", Gain)];

    public override InitializerParameters DeriveParameters(TensorShape shape)
    {
        if (shape.Rank < 2) throw new UnsupportedShapeException($"Only tensors with 2 or more dimensions are supported (shape={shape}).");
        long rows = shape[0], cols = 1;
        for (int i = 1; i < shape.Rank; i++) cols *= shape[i];
        return new(shape, null, null, new OrthogonalElements(Gain, rows, cols));
    }

    protected override void Generate(Span<double> destination, TensorShape shape, InitializerParameters parameters, SamplingOptions options)
    {
        var o = (OrthogonalElements)parameters.Distribution;
        int rows = checked((int)o.Rows), cols = checked((int)o.Cols);
        int m = Math.Max(rows, cols), n = Math.Min(rows, cols);
        var a = new double[m * n];
        Stream.FillNormal(a, Seed.Next(), 0, 1, options.MaxThreads);
        var q = Orthogonal.HouseholderQ(a, m, n);
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
                destination[i * cols + j] = Gain * (rows < cols ? q[j * n + i] : q[i * n + j]);
    }
}

/// <summary>
/// <c>sparse_(tensor, sparsity, std=0.01)</c> (Martens 2010): a 2-D (rows, cols) tensor drawn from N(0, std²), then in
/// every column ⌈sparsity·rows⌉ rows chosen at random are set to zero.
/// </summary>
public sealed class TorchSparse : TorchRandomInitializer
{
    public TorchSparse(double sparsity, double std = 0.01, SeedSource? seed = null, IRandomStream? stream = null) : base(seed, stream)
    {
        if (!(sparsity >= 0 && sparsity <= 1)) throw new InvalidArgumentValueException("sparsity", $"sparsity must be in [0, 1]. Received: sparsity={Validate.Fmt(sparsity)}");
        Sparsity = sparsity;
        Std = Validate.NonNegative(std, "std");
    }

    public double Sparsity { get; }
    public double Std { get; }
    public override string FunctionName => "sparse_";
    public override IReadOnlyList<KeyValuePair<string, object?>> GetConfig() => [new("sparsity", Sparsity), new("std", Std)];

    public override InitializerParameters DeriveParameters(TensorShape shape)
    {
        if (shape.Rank != 2) throw new UnsupportedShapeException($"Only tensors with 2 dimensions are supported (shape={shape}).");
        return new(shape, null, null, new SparseElements(Std, Sparsity, shape[0], shape[1], (long)Math.Ceiling(Sparsity * shape[0])));
    }

    protected override void Generate(Span<double> destination, TensorShape shape, InitializerParameters parameters, SamplingOptions options)
    {
        var s = (SparseElements)parameters.Distribution;
        var pair = Seed.Next();
        Stream.FillNormal(destination, pair, 0, Std, options.MaxThreads);
        int rows = (int)s.Rows, cols = (int)s.Cols, zeros = (int)s.ZerosPerColumn;
        // A per-column random permutation from the uniform stream under a separate call index (Fisher–Yates, first `zeros`).
        var pick = new SeedPair(pair.Seed, pair.Counter ^ 0x80000000u);
        var order = new int[rows];
        for (int c = 0; c < cols; c++)
        {
            for (int r = 0; r < rows; r++) order[r] = r;
            for (int k = 0; k < zeros; k++)
            {
                long counter = (long)c * rows + k;
                int j = k + (int)(PhiloxStream.Uniform01(pick, counter) * (rows - k));
                (order[k], order[j]) = (order[j], order[k]);
                destination[order[k] * cols + c] = 0.0;
            }
        }
    }
}

/// <summary>
/// PyTorch's default <c>nn.Linear</c>/<c>nn.ConvNd</c> weight initialization: <c>kaiming_uniform_(w, a=√5)</c>, i.e.
/// U(±1/√fan_in) with variance 1/(3·fan_in) (pytorch/pytorch#15314).
/// </summary>
public sealed class TorchDefaultLinear(SeedSource? seed = null, IRandomStream? stream = null) : TorchRandomInitializer(seed, stream)
{
    public override string FunctionName => "default_linear_";
    public override IReadOnlyList<KeyValuePair<string, object?>> GetConfig() => [];

    public override InitializerParameters DeriveParameters(TensorShape shape)
    {
        var f = TorchFans(shape);
        double gain = TorchGain.Calculate("leaky_relu", Math.Sqrt(5.0));
        double bound = Math.Sqrt(3.0) * gain / Math.Sqrt(f.FanIn);
        return new(shape, f.FanIn, f.FanOut, new UniformElements(-bound, bound));
    }
}

/// <summary><c>constant_(tensor, val)</c>, <c>ones_</c>, <c>zeros_</c>.</summary>
public sealed class TorchConstant(double val, string functionName = "constant_") : DeterministicInitializer
{
    public double Value { get; } = Validate.Finite(val, "val");
    public override string Module => "torch.nn.init";
    public override string ClassName => functionName;
    public override IReadOnlyList<KeyValuePair<string, object?>> GetConfig() => functionName == "constant_" ? [new("val", Value)] : [];
    public override InitializerParameters DeriveParameters(TensorShape shape) => new(shape, null, null, new ConstantElements(Value));
}

/// <summary><c>eye_(tensor)</c>: the 2-D identity (rectangular allowed, no gain).</summary>
public sealed class TorchEye : DeterministicInitializer
{
    public override string Module => "torch.nn.init";
    public override string ClassName => "eye_";
    public override IReadOnlyList<KeyValuePair<string, object?>> GetConfig() => [];

    public override InitializerParameters DeriveParameters(TensorShape shape)
    {
        if (shape.Rank != 2) throw new UnsupportedShapeException($"Only tensors with 2 dimensions are supported (shape={shape}).");
        return new(shape, null, null, new IdentityElements(1.0, shape[0], shape[1]));
    }
}

/// <summary>
/// <c>dirac_(tensor, groups=1)</c>: a 3-, 4- or 5-D conv weight (out, in, *k) that preserves the identity of the inputs:
/// w[g·(out/groups) + d, d, centre…] = 1 for d &lt; min(out/groups, in).
/// </summary>
public sealed class TorchDirac : DeterministicInitializer
{
    public TorchDirac(int groups = 1)
    {
        if (groups < 1) throw new InvalidArgumentValueException("groups", $"groups must be >= 1. Received: groups={groups}");
        Groups = groups;
    }

    public int Groups { get; }
    public override string Module => "torch.nn.init";
    public override string ClassName => "dirac_";
    public override IReadOnlyList<KeyValuePair<string, object?>> GetConfig() => [new("groups", (long)Groups)];

    public override InitializerParameters DeriveParameters(TensorShape shape)
    {
        if (shape.Rank is < 3 or > 5) throw new UnsupportedShapeException($"Only tensors with 3, 4, or 5 dimensions are supported (shape={shape}).");
        if (shape[0] % Groups != 0) throw new InvalidArgumentValueException("groups", $"dim 0 must be divisible by groups (shape={shape}, groups={Groups}).");
        return new(shape, null, null, new DiracElements(shape.ToArray(), Groups));
    }

    protected override void Generate(Span<double> destination, TensorShape shape, InitializerParameters parameters, SamplingOptions options)
    {
        var d = (DiracElements)parameters.Distribution;
        destination.Clear();
        foreach (var index in d.OneIndices()) destination[(int)index] = 1.0;
    }
}
