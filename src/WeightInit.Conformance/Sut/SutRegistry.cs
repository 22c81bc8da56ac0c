using WeightInit.Testing;

namespace WeightInit.Conformance.Sut;

/// <summary>
/// One kind of system under test, written <c>NAME</c> or <c>NAME:ARGUMENT</c> on the command line.
/// </summary>
/// <param name="Name">The prefix before the first colon: <c>csharp</c>, <c>assembly</c>, <c>python</c>, <c>mutant</c>.</param>
/// <param name="Syntax">The form shown in help and errors: <c>assembly:PATH[:TYPE]</c>.</param>
/// <param name="Create">Builds the SUT from the argument (the text after the first colon, "" when absent) and the
/// repository root; throws <see cref="SutResolutionException"/> when the argument is wrong.</param>
public sealed record SutKind(string Name, string Syntax, Func<string, string, IInitializerUnderTest> Create);

/// <summary>
/// The SUT kinds a program knows, registered in one place: <see cref="Builtin"/> holds the engine's own, and a program adds
/// its others with <see cref="With"/> (the CLI adds the mutants). A new kind is one <see cref="SutKind"/>, not a branch in
/// every command.
/// </summary>
public sealed class SutRegistry
{
    private readonly IReadOnlyList<SutKind> _kinds;

    private SutRegistry(IReadOnlyList<SutKind> kinds) => _kinds = kinds;

    /// <summary>This library (<c>csharp</c>, the default).</summary>
    public static SutKind Library { get; } = new("csharp", "csharp", (rest, _) => rest.Length == 0 ? new LibraryUnderTest()
        : throw new SutResolutionException($"Invalid --sut 'csharp:{rest}': csharp takes no argument."));

    /// <summary>A user's .NET assembly (<see cref="AssemblySut"/>).</summary>
    public static SutKind Assembly { get; } = new("assembly", "assembly:PATH[:TYPE]", AssemblySut.Load);

    /// <summary>
    /// A Python function <c>FUNCTION(class_name, config, shape, seed, dtype)</c> returning a numpy array, with an optional
    /// batch function (<see cref="PythonSut"/>).
    /// </summary>
    public static SutKind Python { get; } = new("python", "python:MODULE:FUNCTION", (rest, root) =>
    {
        int last = rest.LastIndexOf(':');
        if (last <= 0 || last == rest.Length - 1)
            throw new SutResolutionException($"Invalid --sut 'python:{rest}': expected python:MODULE:FUNCTION (e.g. python:conformance/sut/numpy_initializers.py:sample).");
        return PythonSut.Load(rest[..last], rest[(last + 1)..], root);
    });

    /// <summary>The engine's own kinds: this library, a user's assembly or Python function, and the live frameworks.</summary>
    public static SutRegistry Builtin { get; } = new([Library, Assembly, Python, LiveFrameworkSut.Kind(Framework.Keras), LiveFrameworkSut.Kind(Framework.PyTorch), TfjsSut.Kind]);

    /// <summary>The registered kinds, in registration order.</summary>
    public IReadOnlyList<SutKind> Kinds => _kinds;

    /// <summary>The accepted forms, for help texts and error messages: <c>csharp | assembly:PATH[:TYPE] | …</c>.</summary>
    public string Syntax => string.Join(" | ", _kinds.Select(k => k.Syntax));

    /// <summary>A registry with <paramref name="kinds"/> added (a name registered twice is a programming error).</summary>
    public SutRegistry With(params SutKind[] kinds)
    {
        var all = _kinds.Concat(kinds).ToArray();
        var twice = all.GroupBy(k => k.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null) throw new ArgumentException($"SUT kind '{twice.Key}' is registered twice.", nameof(kinds));
        return new SutRegistry(all);
    }

    /// <summary>The SUT for a specification (blank means <c>csharp</c>).</summary>
    /// <param name="spec">NAME or NAME:ARGUMENT.</param>
    /// <param name="repoRoot">The repository root: relative paths are tried against the working directory, then it.</param>
    /// <exception cref="SutResolutionException">The specification cannot be resolved; the message says why, in one line.</exception>
    public IInitializerUnderTest Resolve(string? spec, string repoRoot)
    {
        if (string.IsNullOrWhiteSpace(spec)) return Library.Create("", repoRoot);
        spec = spec.Trim();
        int colon = spec.IndexOf(':');
        string name = colon < 0 ? spec : spec[..colon];
        string rest = colon < 0 ? "" : spec[(colon + 1)..];
        var kind = _kinds.FirstOrDefault(k => k.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
            ?? throw new SutResolutionException($"Invalid --sut '{spec}': expected {Syntax}.");
        return kind.Create(rest, repoRoot);
    }
}
