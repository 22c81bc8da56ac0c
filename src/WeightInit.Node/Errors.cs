namespace WeightInit.Node;

/// <summary>
/// No usable <c>node</c> executable: <c>HARNESS_NODE</c> points at nothing runnable, or there is no <c>node</c> on
/// <c>PATH</c>. The message names each place tried and why it was rejected.
/// </summary>
public sealed class NodeUnavailableException : WeightInitException
{
    public NodeUnavailableException(string message, IReadOnlyList<string> tried) : base(message) => Tried = tried;

    /// <summary>Each place looked at, with the reason it was rejected.</summary>
    public IReadOnlyList<string> Tried { get; }
}

/// <summary>
/// Node runs, but the pinned TF.js packages are not installed (no <c>node_modules</c> in the bridge's package folder,
/// a wrong version, or a require error). The fix is always the same: run <c>scripts/setup-node.sh</c>.
/// </summary>
public sealed class TfjsPackagesMissingException : WeightInitException
{
    public const string Hint = "Run scripts/setup-node.sh (npm ci of the pinned @tensorflow/tfjs-core, tfjs-layers and tfjs-backend-cpu 4.22.0).";

    public TfjsPackagesMissingException(string problem, string? packageFolder)
        : base($"TF.js packages missing: {problem}. {Hint}")
    {
        Problem = problem;
        PackageFolder = packageFolder;
    }

    public string Problem { get; }

    /// <summary>The folder that should hold <c>node_modules</c>, when one was found.</summary>
    public string? PackageFolder { get; }
}

/// <summary>
/// The node child process ended while a request was in flight (crash, out of memory, killed by a signal). Carries
/// the exit code, the signal when the code says so (128 + n on Unix), and the last lines node wrote to stderr.
/// The next request starts a fresh process.
/// </summary>
public sealed class NodeProcessDiedException : WeightInitException
{
    public NodeProcessDiedException(string operation, int? exitCode, string stderrTail)
        : base($"node died during '{operation}': {Describe(exitCode)}; last stderr: {(stderrTail.Length == 0 ? "(none)" : stderrTail)}")
    {
        Operation = operation;
        ExitCode = exitCode;
        StderrTail = stderrTail;
    }

    public string Operation { get; }

    /// <summary>The process exit code, or null when it could not be read.</summary>
    public int? ExitCode { get; }

    /// <summary>The signal number when the exit code is 128 + n (how .NET reports a signal death on Unix).</summary>
    public int? Signal => ExitCode is > 128 and < 160 ? ExitCode - 128 : null;

    /// <summary>The last lines of node's stderr (joined with " | ").</summary>
    public string StderrTail { get; }

    internal static string Describe(int? code)
    {
        if (code is null) return "exit status unknown";
        if (code is > 128 and < 160)
        {
            int sig = code.Value - 128;
            string name = sig switch { 1 => "SIGHUP", 2 => "SIGINT", 6 => "SIGABRT", 9 => "SIGKILL", 11 => "SIGSEGV", 15 => "SIGTERM", _ => $"signal {sig}" };
            return $"exit code {code} (killed by {name})";
        }
        return $"exit code {code}";
    }
}

/// <summary>
/// Something other than a bridge frame arrived on node's stdout (a stray <c>console.log</c> of a modified script,
/// a wrong script, a corrupted stream). The process is killed, since the stream can no longer be trusted.
/// </summary>
public sealed class NodeProtocolException : WeightInitException
{
    public NodeProtocolException(string message, string seen) : base($"{message}; bytes seen: {seen}") => Seen = seen;

    /// <summary>The offending bytes, printable characters kept and the rest as \xNN.</summary>
    public string Seen { get; }
}

/// <summary>A request got no complete answer within its timeout. The process is killed (its state is unknown).</summary>
public sealed class NodeTimeoutException : WeightInitException
{
    public NodeTimeoutException(string operation, TimeSpan timeout)
        : base($"node did not answer '{operation}' within {timeout.TotalSeconds:0.###} s; the process was killed (raise the timeout for large batches)")
    {
        Operation = operation;
        Timeout = timeout;
    }

    public string Operation { get; }
    public TimeSpan Timeout { get; }
}

/// <summary>TF.js threw while building or applying an initializer. Carries the JavaScript error class and message.</summary>
public sealed class TfjsErrorException : WeightInitException
{
    public TfjsErrorException(string context, string errorType, string jsMessage)
        : base($"{context}: TF.js raised {errorType}: {jsMessage}")
    {
        ErrorType = errorType;
        JsMessage = jsMessage;
    }

    /// <summary>The JavaScript error class, e.g. <c>ValueError</c>, <c>NotImplementedError</c>.</summary>
    public string ErrorType { get; }

    public string JsMessage { get; }
}

/// <summary>
/// A Keras case has no TF.js counterpart (see <see cref="TfjsMapping"/>). Only thrown by the convenience calls that
/// must return values (the CLI); <see cref="TfjsMapping.TryMap"/> returns the reason instead.
/// </summary>
public sealed class TfjsNotApplicableException : WeightInit.Testing.NotApplicableException
{
    public TfjsNotApplicableException(string kerasName, TfjsNotApplicable result)
        : base($"{kerasName} has no TF.js counterpart here ({result.Kind}): {result.Reason}") => Result = result;

    public TfjsNotApplicable Result { get; }
}
