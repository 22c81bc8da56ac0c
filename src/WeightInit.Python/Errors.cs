namespace WeightInit.Python;

/// <summary>
/// No usable Python was found, or the embedded interpreter could not start. The message lists every place
/// that was tried and why each was rejected, and says how to point the bridge at a Python.
/// </summary>
public sealed class PythonUnavailableException : WeightInitException
{
    public PythonUnavailableException(string message, PythonEnvironmentInfo? environment = null, Exception? inner = null)
        : base(message, inner ?? new InvalidOperationException(message)) => Environment = environment;

    /// <summary>What discovery saw (places tried), when discovery ran.</summary>
    public PythonEnvironmentInfo? Environment { get; }
}

/// <summary>A framework (numpy, scipy, torch, keras) does not import in the embedded Python.</summary>
public sealed class FrameworkImportException : WeightInitException
{
    public FrameworkImportException(string framework, string importError, string installHint)
        : base($"{framework} does not import in the embedded Python ({importError}). {installHint}")
    {
        Framework = framework;
        ImportError = importError;
        InstallHint = installHint;
    }

    public string Framework { get; }

    /// <summary>The Python import error, e.g. <c>ModuleNotFoundError: No module named 'torch'</c>.</summary>
    public string ImportError { get; }

    /// <summary>How to install the framework.</summary>
    public string InstallHint { get; }
}

/// <summary>Python raised an exception while sampling or computing. Carries the Python type, message and traceback.</summary>
public sealed class PythonErrorException : WeightInitException
{
    public PythonErrorException(string pythonType, string pythonMessage, string traceback, string? context = null)
        : base((context is null ? "" : context + ": ") + $"Python raised {pythonType}: {pythonMessage}")
    {
        PythonType = pythonType;
        PythonMessage = pythonMessage;
        PythonTraceback = traceback;
    }

    /// <summary>The Python exception class name, e.g. <c>ValueError</c>.</summary>
    public string PythonType { get; }

    public string PythonMessage { get; }

    /// <summary>The formatted Python traceback (as <c>traceback.format_exception</c> prints it).</summary>
    public string PythonTraceback { get; }

    public override string ToString() => base.ToString() + System.Environment.NewLine + "Python traceback:" + System.Environment.NewLine + PythonTraceback;
}
