using WeightInit.Initializers;
using WeightInit.Random;
using WeightInit.Conformance.Sut;

namespace WeightInit.Mutants;

/// <summary>Every mutant, in the order `harness mutants` runs them.</summary>
public static class MutantCatalog
{
    public static IReadOnlyList<Mutant> All { get; } =
    [
        new UncorrectedTruncation(), new IntegerFanAvg(), new XavierNormalDrawsUniform(), new FansSwapped(),
        new OihwFansOnHwio(), new ReceptiveFieldIgnored(), new ContribSqrt13(), new ClipInsteadOfResample(),
        new CutAtThreeSigma(), new FanAvgWithoutHalf(), new UniformLimitSqrt6(), new TorchBackendLeaks(),
        new SeedIgnored(), new MeanShift(), new UntruncatedNormal(), new OrthogonalWithoutSignFix(),
        new IdentityIgnoresGain(), new GlorotUsesFanIn(),
    ];

    public static Mutant Find(string name) =>
        All.FirstOrDefault(m => m.Name == name)
        ?? throw new UnknownInitializerException(name, All.Select(m => m.Name));

    /// <summary>The <c>mutant:NAME</c> SUT kind, for a program's <see cref="SutRegistry"/> (the CLI and the gate register it).</summary>
    public static SutKind SutKind { get; } = new("mutant", "mutant:NAME", (name, _) =>
    {
        if (name.Length == 0)
            throw new SutResolutionException($"Invalid --sut 'mutant:': expected mutant:NAME; known mutants: {string.Join(", ", All.Select(m => m.Name))}.");
        return All.FirstOrDefault(m => m.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
            ?? throw new SutResolutionException($"Unknown mutant '{name}'; known mutants: {string.Join(", ", All.Select(m => m.Name))}.");
    });
}

/// <summary>TF.js initializers.ts:346: <c>stddev = Math.sqrt(scale)</c>, no 1/0.8796 ⇒ variance 0.774× target.</summary>
public sealed class UncorrectedTruncation : Mutant
{
    public override string Name => "uncorrected-truncation";
    public override string Description => "truncated normal not rescaled by 1/0.87962566 (TF.js, Keras ≤ 2.1.6, TF1 core ≤ 1.8)";
    protected override ElementDistribution? Mutate(VarianceScaling init, TensorShape shape) =>
        VarianceScalingLaw(init, ModeFan(init, KerasFans(init, shape)), truncatedStddev: Math.Sqrt);
}

/// <summary>TensorFlow.NET VarianceScaling.cs:88: <c>(fan_in + fan_out) / 2</c> on ints ⇒ n floored for odd sums.</summary>
public sealed class IntegerFanAvg : Mutant
{
    public override string Name => "integer-fan-avg";
    public override string Description => "fan_avg by integer division (TensorFlow.NET)";
    protected override ElementDistribution? Mutate(VarianceScaling init, TensorShape shape)
    {
        var fans = KerasFans(init, shape);
        return VarianceScalingLaw(init, init.Mode == FanMode.FanAvg ? (fans.FanIn + fans.FanOut) / 2 : ModeFan(init, fans));
    }
}

/// <summary>TorchSharp Init.cs:192: <c>xavier_normal_</c> calls the uniform kernel ⇒ U(±√(6/(fi+fo))) at the normal's variance.</summary>
public sealed class XavierNormalDrawsUniform : Mutant
{
    public override string Name => "xavier-normal-draws-uniform";
    public override string Description => "Glorot/Xavier normal draws the uniform distribution (TorchSharp)";
    protected override ElementDistribution? Mutate(VarianceScaling init, TensorShape shape)
    {
        if (init is not GlorotNormal) return null;
        var fans = KerasFans(init, shape);
        return Symmetric(Math.Sqrt(6.0 / Math.Max(1.0, fans.FanIn + fans.FanOut)));
    }
}

/// <summary>Porting a (in, out) kernel as (out, in) without transposing (pytorch/pytorch#129834).</summary>
public sealed class FansSwapped : Mutant
{
    public override string Name => "fans-swapped";
    public override string Description => "fan_in and fan_out swapped (layout ported without transposing)";
    protected override ElementDistribution? Mutate(VarianceScaling init, TensorShape shape)
    {
        var f = KerasFans(init, shape);
        return VarianceScalingLaw(init, ModeFan(init, new Fans(f.FanOut, f.FanIn)));
    }
}

/// <summary>PyTorch's (out, in, *k) fan rule applied to Keras' HWIO kernels.</summary>
public sealed class OihwFansOnHwio : Mutant
{
    public override string Name => "oihw-fans-on-hwio";
    public override string Description => "OIHW (PyTorch) fan rule on HWIO (Keras) kernels";
    protected override ElementDistribution? Mutate(VarianceScaling init, TensorShape shape) =>
        shape.Rank < 2 ? null : VarianceScalingLaw(init, ModeFan(init, FanCalculator.Torch(shape)));
}

/// <summary>Rank ≥ 3 fans computed from the channel dims only (docs/keras-semantics.md §6 mutation d).</summary>
public sealed class ReceptiveFieldIgnored : Mutant
{
    public override string Name => "receptive-field-ignored";
    public override string Description => "receptive field ignored in conv fans (fans = channels only)";
    protected override ElementDistribution? Mutate(VarianceScaling init, TensorShape shape) =>
        shape.Rank < 3 ? null : VarianceScalingLaw(init, ModeFan(init, new Fans(shape[^2], shape[^1])));
}

/// <summary>TF1 contrib: <c>trunc_stddev = sqrt(1.3 * factor / n)</c> ⇒ std +0.29%, bound 2.2804·s instead of 2.2737·s.</summary>
public sealed class ContribSqrt13 : Mutant
{
    public override string Name => "contrib-sqrt-1.3";
    public override string Description => "TF1 contrib's sqrt(1.3) truncation factor instead of 1/0.87962566";
    protected override ElementDistribution? Mutate(VarianceScaling init, TensorShape shape) =>
        VarianceScalingLaw(init, ModeFan(init, KerasFans(init, shape)), truncatedStddev: s => Math.Sqrt(1.3 * s));
}

/// <summary>Theano backend of Keras 2.0: clipped at ±2σ instead of resampling.</summary>
public sealed class ClipInsteadOfResample : TruncationMutant
{
    public override string Name => "clip-instead-of-resample";
    public override string Description => "truncation by clipping onto ±2σ instead of resampling (Keras 2.0 Theano backend)";
    protected override void DrawTruncated(TruncatedNormalElements t, SeedPair seed, double[] values)
    {
        PhiloxStream.Instance.FillNormal(values, seed, t.Mean, t.Stddev);
        for (int i = 0; i < values.Length; i++) values[i] = Math.Clamp(values[i], t.Lower, t.Upper);
    }
}

/// <summary>Truncation at ±3σ instead of ±2σ (docs/keras-semantics.md §6 mutation f).</summary>
public sealed class CutAtThreeSigma : TruncationMutant
{
    public override string Name => "cut-at-3-sigma";
    public override string Description => "truncated normal cut at ±3σ instead of ±2σ";
    protected override void DrawTruncated(TruncatedNormalElements t, SeedPair seed, double[] values)
    {
        PhiloxStream.Instance.FillTruncatedNormal(values, seed, t.Mean, t.Stddev, t.Mean - 3 * t.Stddev, t.Mean + 3 * t.Stddev);
    }
}

/// <summary>fan_avg = fan_in + fan_out (docs/keras-semantics.md §6 mutation e).</summary>
public sealed class FanAvgWithoutHalf : Mutant
{
    public override string Name => "fan-avg-without-half";
    public override string Description => "fan_avg = fan_in + fan_out, without the /2";
    protected override ElementDistribution? Mutate(VarianceScaling init, TensorShape shape)
    {
        var f = KerasFans(init, shape);
        return init.Mode == FanMode.FanAvg ? VarianceScalingLaw(init, f.FanIn + f.FanOut) : null;
    }
}

/// <summary>A hard-coded uniform limit sqrt(6/n) (right only for He and Glorot uniform; docs/keras-semantics.md §6 mutation c).</summary>
public sealed class UniformLimitSqrt6 : Mutant
{
    public override string Name => "uniform-limit-sqrt6";
    public override string Description => "uniform limit sqrt(6/n) instead of sqrt(3·scale/n) (wrong for LeCun uniform and custom scales)";
    protected override ElementDistribution? Mutate(VarianceScaling init, TensorShape shape)
    {
        if (init.Distribution != VarianceDistribution.Uniform) return null;
        double n = Math.Max(1.0, ModeFan(init, KerasFans(init, shape)));
        return Symmetric(Math.Sqrt(6.0 / n));
    }
}

/// <summary>Keras 3 torch backend: 4 normal draws per element, the first with |z| &lt; 2, else the first draw unclipped (~4.3e-6 leak).</summary>
public sealed class TorchBackendLeaks : TruncationMutant
{
    public override string Name => "torch-backend-leaks";
    public override string Description => "rare out-of-bound values (~4.3 per million) from Keras' torch backend truncated_normal";
    protected override void DrawTruncated(TruncatedNormalElements t, SeedPair seed, double[] values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            double first = PhiloxStream.StandardNormal(seed, i, 0), chosen = first;
            bool found = false;
            for (uint k = 0; k < 4 && !found; k++)
            {
                double z = k == 0 ? first : PhiloxStream.StandardNormal(seed, i, k);
                if (Math.Abs(z) < 2) { chosen = z; found = true; }
            }
            values[i] = t.Mean + t.Stddev * chosen;
        }
    }
}

/// <summary>TensorFlow.NET drops the seed: every call draws fresh values.</summary>
public sealed class SeedIgnored : Mutant
{
    public override string Name => "seed-ignored";
    public override string Description => "the seed is ignored: the same seed gives different values (TensorFlow.NET)";
    protected override void Draw(Initializer init, TensorShape shape, SeedPair seed, double[] values)
    {
        var p = init.DeriveParameters(shape);
        if (p.Distribution is NormalElements or TruncatedNormalElements or UniformElements)
            DrawLaw(p.Distribution, new SeedPair((ulong)System.Random.Shared.NextInt64(), 0), values);
        else init.Fill(values, shape);
    }
}

/// <summary>A location error: the draw is shifted by 5% of its scale (e.g. an off-by-one in the uniform bounds).</summary>
public sealed class MeanShift : Mutant
{
    public override string Name => "mean-shift";
    public override string Description => "values shifted by 0.05·scale (location error)";
    protected override void Draw(Initializer init, TensorShape shape, SeedPair seed, double[] values)
    {
        init.Fill(values, shape);
        var p = init.DeriveParameters(shape);
        double scale = p.Distribution switch
        {
            NormalElements n => n.Stddev,
            TruncatedNormalElements t => t.Stddev,
            UniformElements u => (u.Maxval - u.Minval) / 2,
            _ => 0,
        };
        for (int i = 0; i < values.Length; i++) values[i] += 0.05 * scale;
    }
}

/// <summary>PyTorch kaiming_normal_/xavier_normal_ semantics where Keras truncates: N(0, s), no cut.</summary>
public sealed class UntruncatedNormal : Mutant
{
    public override string Name => "untruncated-normal";
    public override string Description => "untruncated normal at the target variance where Keras truncates (PyTorch kaiming_normal_)";
    protected override ElementDistribution? Mutate(VarianceScaling init, TensorShape shape)
    {
        if (init.Distribution != VarianceDistribution.TruncatedNormal) return null;
        double n = ModeFan(init, KerasFans(init, shape));
        return new NormalElements(0, Math.Sqrt(init.Scale / Math.Max(1.0, n)));
    }
}

/// <summary>QR without multiplying Q by sign(diag R): orthonormal, but not Haar (Mezzadri 2007).</summary>
public sealed class OrthogonalWithoutSignFix : Mutant
{
    public override string Name => "orthogonal-no-sign-fix";
    public override string Description => "Orthogonal without the sign(diag R) correction: orthonormal but not Haar distributed";
    protected override void Draw(Initializer init, TensorShape shape, SeedPair seed, double[] values)
    {
        if (init is not Orthogonal o) { init.Fill(values, shape); return; }
        var p = (OrthogonalElements)o.DeriveParameters(shape).Distribution;
        int rows = (int)p.Rows, cols = (int)p.Cols, m = Math.Max(rows, cols), n = Math.Min(rows, cols);
        var a = new double[m * n];
        PhiloxStream.Instance.FillNormal(a, seed, 0, 1);
        var q = Orthogonal.HouseholderQ(a, m, n, signFix: false);
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
                values[i * cols + j] = o.Gain * (rows < cols ? q[j * n + i] : q[i * n + j]);
    }
}

/// <summary>Identity that forgets its gain (the value Keras' own config round trip loses).</summary>
public sealed class IdentityIgnoresGain : Mutant
{
    public override string Name => "identity-ignores-gain";
    public override string Description => "Identity ignores gain (as after Keras' lossy get_config round trip)";
    protected override void Draw(Initializer init, TensorShape shape, SeedPair seed, double[] values)
    {
        if (init is Identity) new Identity(1.0).Fill(values, shape);
        else init.Fill(values, shape);
    }
}

/// <summary>Glorot computed from fan_in alone (a common hand-written shortcut).</summary>
public sealed class GlorotUsesFanIn : Mutant
{
    public override string Name => "glorot-uses-fan-in";
    public override string Description => "Glorot schemes use fan_in instead of (fan_in + fan_out)/2";
    protected override ElementDistribution? Mutate(VarianceScaling init, TensorShape shape) =>
        init is GlorotNormal or GlorotUniform ? VarianceScalingLaw(init, KerasFans(init, shape).FanIn) : null;
}
