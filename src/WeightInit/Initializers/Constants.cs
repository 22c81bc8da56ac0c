namespace WeightInit.Initializers;

/// <summary>Base of the deterministic initializers (no seed, no stream).</summary>
public abstract class DeterministicInitializer : Initializer
{
    protected override void Generate(Span<double> destination, TensorShape shape, InitializerParameters parameters, SamplingOptions options)
    {
        switch (parameters.Distribution)
        {
            case ConstantElements c:
                destination.Fill(c.Value);
                break;
            case IdentityElements id:
                destination.Clear();
                long diagonal = Math.Min(id.Rows, id.Cols);
                for (long i = 0; i < diagonal; i++) destination[(int)(i * id.Cols + i)] = id.Gain;
                break;
            default:
                throw new InvalidOperationException($"{ClassName} cannot produce {parameters.Distribution.Kind} elements.");
        }
    }
}

/// <summary>All zeros. Keras: <c>keras.initializers.Zeros()</c> (aliases <c>zeros</c>, <c>zero</c>).</summary>
public sealed class Zeros : DeterministicInitializer
{
    public override string ClassName => "Zeros";
    public override IReadOnlyList<KeyValuePair<string, object?>> GetConfig() => [];
    public override InitializerParameters DeriveParameters(TensorShape shape) => new(shape, null, null, new ConstantElements(0.0));
}

/// <summary>All ones. Keras: <c>keras.initializers.Ones()</c> (aliases <c>ones</c>, <c>one</c>).</summary>
public sealed class Ones : DeterministicInitializer
{
    public override string ClassName => "Ones";
    public override IReadOnlyList<KeyValuePair<string, object?>> GetConfig() => [];
    public override InitializerParameters DeriveParameters(TensorShape shape) => new(shape, null, null, new ConstantElements(1.0));
}

/// <summary>Every element equals <c>value</c> (cast to the output dtype). Keras: <c>keras.initializers.Constant(value=0.0)</c>.</summary>
public sealed class Constant(double value = 0.0) : DeterministicInitializer
{
    public double Value { get; } = Validate.Finite(value, "value");
    public override string ClassName => "Constant";
    public override IReadOnlyList<KeyValuePair<string, object?>> GetConfig() => [new("value", Value)];
    public override InitializerParameters DeriveParameters(TensorShape shape) => new(shape, null, null, new ConstantElements(Value));
}

/// <summary>
/// gain · eye(rows, cols) for 2-D shapes only (non-square allowed).
/// Keras: <c>keras.initializers.Identity(gain=1.0)</c>. Keras' <c>get_config()</c> returns <c>{}</c> (gain is not
/// serialized, a Keras bug this library reproduces on write so configs stay byte-compatible; reading accepts gain).
/// </summary>
public sealed class Identity(double gain = 1.0) : DeterministicInitializer
{
    public double Gain { get; } = Validate.Finite(gain, "gain");
    public override string ClassName => "Identity";
    public override IReadOnlyList<KeyValuePair<string, object?>> GetConfig() => [];

    public override InitializerParameters DeriveParameters(TensorShape shape)
    {
        if (shape.Rank != 2)
            throw new UnsupportedShapeException($"Identity matrix initializer can only be used for 2D matrices. Received: shape={shape} of rank {shape.Rank}.");
        return new(shape, null, null, new IdentityElements(Gain, shape[0], shape[1]));
    }
}
