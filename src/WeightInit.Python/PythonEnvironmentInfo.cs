using System.Text;

namespace WeightInit.Python;

/// <summary>One place discovery looked at, and what it found there.</summary>
/// <param name="Source">Which rule produced it: <c>HARNESS_PYTHON</c>, <c>PYTHONNET_PYDLL</c>, <c>PATH</c> or <c>Debian default</c>.</param>
/// <param name="Location">The executable, folder or library path that was looked at (or "(unset)").</param>
/// <param name="Usable">True when the bridge can embed this Python.</param>
/// <param name="Reason">Why it was rejected, or a short description when usable.</param>
public sealed record PythonCandidate(string Source, string Location, bool Usable, string Reason)
{
    public string? Executable { get; init; }
    public string? LibPython { get; init; }
    public string? Version { get; init; }

    /// <summary>Python home (<c>sys.base_prefix</c>) handed to the embedded interpreter.</summary>
    public string? Home { get; init; }

    /// <summary><c>sys.prefix</c> of the interpreter (differs from <see cref="Home"/> in a venv).</summary>
    public string? Prefix { get; init; }

    /// <summary>The interpreter's <c>sys.path</c> (empty when only a library was given).</summary>
    public IReadOnlyList<string> SysPath { get; init; } = [];

    /// <summary>Which of numpy, scipy, torch, keras the interpreter can find (<c>importlib.util.find_spec</c>), when known.</summary>
    public IReadOnlyDictionary<string, bool> Modules { get; init; } = new Dictionary<string, bool>();

    public override string ToString() =>
        $"{Source} {Location}: " + (Usable ? $"ok, Python {Version} ({LibPython})" : Reason);
}

/// <summary>
/// The result of Python discovery: the Python the bridge embeds (executable, libpython, home, <c>sys.path</c>),
/// which rule found it, and every place tried.
/// </summary>
public sealed class PythonEnvironmentInfo
{
    internal PythonEnvironmentInfo(PythonCandidate? selected, IReadOnlyList<PythonCandidate> tried, string? problem)
    {
        Selected = selected;
        Tried = tried;
        Problem = problem;
    }

    /// <summary>True when a usable Python was found.</summary>
    public bool Found => Selected is not null;

    /// <summary>The chosen candidate, or null.</summary>
    public PythonCandidate? Selected { get; }

    /// <summary>Every place looked at, in discovery order.</summary>
    public IReadOnlyList<PythonCandidate> Tried { get; }

    /// <summary>Why nothing usable was found (null when <see cref="Found"/>).</summary>
    public string? Problem { get; }

    public string? Source => Selected?.Source;
    public string? Executable => Selected?.Executable;
    public string? LibPython => Selected?.LibPython;
    public string? Version => Selected?.Version;
    public string? Home => Selected?.Home;
    public IReadOnlyList<string> SysPath => Selected?.SysPath ?? [];

    /// <summary>A multi-line description: what was selected and every place tried.</summary>
    public string Describe()
    {
        var sb = new StringBuilder();
        if (Selected is { } s)
            sb.AppendLine($"Python {s.Version} from {s.Source} ({s.Location}): executable {s.Executable ?? "(none)"}, libpython {s.LibPython}");
        else
            sb.AppendLine(Problem ?? "No usable Python found.");
        sb.AppendLine("Places tried:");
        foreach (var c in Tried) sb.AppendLine("  - " + c);
        return sb.ToString().TrimEnd();
    }

    public override string ToString() => Describe();
}
