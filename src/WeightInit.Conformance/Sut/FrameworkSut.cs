using WeightInit.Python;
using WeightInit.Testing;

namespace WeightInit.Conformance.Sut;

/// <summary>
/// A system under test that implements one framework's catalog: the runner gives it the cases that list
/// <see cref="Implements"/> under <c>reference</c> (Keras' cases for Keras and TF.js, the torch.nn.init cases for PyTorch).
/// Any other SUT implements the Keras API.
/// </summary>
public interface IFrameworkUnderTest : IInitializerUnderTest
{
    Framework Implements { get; }
}

/// <summary>
/// A live framework in the embedded Python as the system under test (<c>--sut keras</c>, <c>--sut torch</c>): the real
/// Keras 3 (numpy backend) or PyTorch, sampled through the bridge (<see cref="FrameworkSampler"/>), gets the same battery
/// as any implementation. Frameworks are measured, not trusted: a divergence fails like any other, and the expectations
/// file of the SUT (conformance/expectations/keras.json, torch.json) records the known ones with their evidence.
/// </summary>
public sealed class LiveFrameworkSut : IFrameworkUnderTest
{
    private LiveFrameworkSut(Framework framework) => Implements = framework;

    public Framework Implements { get; }

    /// <summary>The report name: the CLI name (<c>keras</c>, <c>torch</c>), which also names the expectations file.</summary>
    public string Name => Implements.CliName;

    /// <summary>The SUT kind <c>keras</c> or <c>torch</c>; resolving it checks that the framework imports, with the reason when not.</summary>
    public static SutKind Kind(Framework framework) => new(framework.CliName, framework.CliName, (rest, _) =>
    {
        if (rest.Length > 0) throw new SutResolutionException($"Invalid --sut '{framework.CliName}:{rest}': {framework.CliName} takes no argument.");
        if (!PythonHost.TryStart(out var reason))
            throw new SutResolutionException($"--sut {framework.CliName} needs the Python bridge: {reason.Split('\n')[0]}");
        var info = FrameworkSampler.Probe(framework.CliName);
        if (!info.Available)
            throw new SutResolutionException($"--sut {framework.CliName}: {framework.DisplayName} is not available in the embedded Python ({info.Reason}). {info.InstallHint}".TrimEnd());
        return new LiveFrameworkSut(framework);
    });

    public Array Sample(string className, string configJson, int[] shape, long seed, string dtype)
    {
        var (name, config) = Call(Implements, className, configJson);
        var a = FrameworkSampler.Sample(Implements.CliName, name, config, new TensorShape(shape), seed, dtype);
        return (Array?)a.Single ?? a.Double!;
    }

    /// <summary>All tensors of a batch in one call of the bridge.</summary>
    public Array SampleBatch(string className, string configJson, int[] shape, long firstSeed, int count, string dtype)
    {
        var (name, config) = Call(Implements, className, configJson);
        var a = FrameworkSampler.SampleBatch(Implements.CliName, name, config, new TensorShape(shape), firstSeed, count, dtype);
        return (Array?)a.Single ?? a.Double!;
    }

    /// <summary>
    /// The framework call for a catalog case: the case's initializer and config, except torch's <c>default_linear_</c>
    /// (nn.Linear's reset_parameters), which torch spells <c>kaiming_uniform_(a=√5)</c>.
    /// </summary>
    public static (string Name, string ConfigJson) Call(Framework framework, string className, string configJson) =>
        framework == Framework.PyTorch && className == "default_linear_"
            ? ("kaiming_uniform_", "{\"a\": " + Math.Sqrt(5.0).ToString("R", System.Globalization.CultureInfo.InvariantCulture) + "}")
            : (className, configJson);
}

/// <summary>
/// TensorFlow.js 4.22.0 (tfjs-layers, TensorFlow's own implementation of the Keras initializer API) as the system under
/// test (<c>--sut tfjs</c>), through the Node bridge. It runs the Keras cases; one without a TF.js counterpart (float64,
/// untruncated_normal, explicit axes, non-square Identity) is reported "not applicable" with the reason.
/// </summary>
public static class TfjsSut
{
    public static SutKind Kind { get; } = new("tfjs", "tfjs", (rest, _) =>
    {
        if (rest.Length > 0) throw new SutResolutionException($"Invalid --sut 'tfjs:{rest}': tfjs takes no argument.");
        var info = WeightInit.Node.TfjsSampler.Probe();
        if (!info.Available) throw new SutResolutionException($"--sut tfjs needs node and the TF.js packages: {info.Reason}");
        return new WeightInit.Node.TfjsUnderTest();
    });
}
