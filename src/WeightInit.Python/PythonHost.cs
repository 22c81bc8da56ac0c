using System.Reflection;
using Python.Runtime;

namespace WeightInit.Python;

/// <summary>
/// The embedded CPython (pythonnet 3.2.1) shared by the whole process: found by <see cref="Locate"/>, started
/// once by <see cref="EnsureStarted"/> (thread-safe), and used through <see cref="Run{T}(Func{T})"/>, which holds
/// the GIL only while the Python work runs. The GIL is released as soon as the interpreter has started, so any
/// thread (for example parallel NUnit workers) can call in.
/// </summary>
/// <remarks>
/// Named <c>PythonHost</c> rather than <c>PythonEngine</c> so that it does not clash with
/// <c>Python.Runtime.PythonEngine</c> in code that uses both.
/// </remarks>
public static class PythonHost
{
    private static readonly object Gate = new();
    private static volatile bool _started;
    private static PythonUnavailableException? _failure;
    private static PythonEnvironmentInfo? _environment;
    private static PyObject? _bridge;

    /// <summary>Environment variables copied from .NET into the embedded Python's <c>os.environ</c> at start.</summary>
    internal static readonly string[] ForwardedVariables =
        ["HARNESS_KERAS_PATH", "HARNESS_KERAS_COMMIT", "KERAS_BACKEND", "KERAS_HOME"];

    /// <summary>Finds the Python the bridge would embed (see <see cref="PythonLocator"/> for the order); never throws.</summary>
    public static PythonEnvironmentInfo Locate() => new PythonLocator().Locate();

    /// <summary>Like <see cref="Locate"/>, but evaluates every rule even after a hit (used by <c>harness doctor</c>).</summary>
    public static PythonEnvironmentInfo LocateAll() => new PythonLocator().Locate(all: true);

    /// <summary>True once the interpreter runs in this process.</summary>
    public static bool IsStarted => _started;

    /// <summary>The environment the running interpreter was started from (null before the first start attempt).</summary>
    public static PythonEnvironmentInfo? Environment => _environment;

    /// <summary>
    /// Starts the embedded interpreter once per process. Throws <see cref="PythonUnavailableException"/> (listing
    /// the places tried) when no usable Python exists; a failed start is remembered and reported again on every call.
    /// </summary>
    public static void EnsureStarted()
    {
        if (_started) return;
        lock (Gate)
        {
            if (_started) return;
            if (_failure is not null) throw new PythonUnavailableException(_failure.Message, _failure.Environment, _failure);
            try
            {
                Start();
                _started = true;
            }
            catch (PythonUnavailableException ex)
            {
                _failure = ex;
                throw;
            }
        }
    }

    /// <summary>Starts Python if possible; on failure returns false and the one-paragraph reason. Never throws.</summary>
    public static bool TryStart(out string reason)
    {
        try
        {
            EnsureStarted();
            reason = "";
            return true;
        }
        catch (PythonUnavailableException ex)
        {
            reason = ex.Message;
            return false;
        }
    }

    /// <summary>Runs <paramref name="pythonWork"/> holding the GIL (starting Python first if needed) and releases it afterwards.</summary>
    public static T Run<T>(Func<T> pythonWork)
    {
        ArgumentNullException.ThrowIfNull(pythonWork);
        EnsureStarted();
        using (Py.GIL())
            return pythonWork();
    }

    /// <inheritdoc cref="Run{T}(Func{T})"/>
    public static void Run(Action pythonWork)
    {
        ArgumentNullException.ThrowIfNull(pythonWork);
        Run<object?>(() => { pythonWork(); return null; });
    }

    /// <summary>
    /// Calls a function of the bridge module (<c>bridge.py</c>) under the GIL, turning Python exceptions into typed
    /// errors: a framework that does not import becomes <see cref="FrameworkImportException"/>, anything else
    /// <see cref="PythonErrorException"/> with the traceback.
    /// </summary>
    internal static T CallBridge<T>(string context, Func<PyObject, T> work) => Run(() =>
    {
        try
        {
            return work(_bridge!);
        }
        catch (PythonException ex)
        {
            throw Translate(ex, context);
        }
    });

    /// <summary>The bridge module (call only with the GIL held, after <see cref="EnsureStarted"/>).</summary>
    internal static PyObject Bridge => _bridge ?? throw new InvalidOperationException("Python is not started");

    internal static Exception Translate(PythonException ex, string? context)
    {
        string type = SafeTypeName(ex);
        if (type == "FrameworkMissing")
        {
            using var value = ex.Value;
            string fw = value?.GetAttr("framework").As<string>() ?? "framework";
            string error = value?.GetAttr("error").As<string>() ?? ex.Message;
            string hint = value?.GetAttr("hint").As<string>() ?? "";
            return new FrameworkImportException(fw, error, hint);
        }
        string traceback;
        try { traceback = ex.Format(); }
        catch (Exception) { traceback = ex.StackTrace ?? ""; }
        return new PythonErrorException(type, ex.Message, traceback, context);
    }

    private static string SafeTypeName(PythonException ex)
    {
        try { return ex.Type.Name; }
        catch (Exception) { return "Exception"; }
    }

    private static void Start()
    {
        var env = Locate();
        _environment = env;
        if (!env.Found)
            throw new PythonUnavailableException(OneLine(env), env);
        var sel = env.Selected!;
        try
        {
            Runtime.PythonDLL = sel.LibPython;
            if (sel.Home is not null) PythonEngine.PythonHome = sel.Home;
            PythonEngine.Initialize(setSysArgv: true, initSigs: false);
        }
        catch (Exception ex)
        {
            throw new PythonUnavailableException(
                $"Python {sel.Version} from {sel.Source} ({sel.LibPython}) failed to start in this process: {ex.GetBaseException().GetType().Name}: {ex.GetBaseException().Message}", env, ex);
        }

        // The interpreter holds the GIL on this thread now: set sys.path and load the bridge module, then release it.
        try
        {
            using var sys = Py.Import("sys");
            using var wanted = new PyList();
            foreach (var p in sel.SysPath) wanted.Append(new PyString(p));
            using var ns = new PyDict();
            ns.SetItem("wanted", wanted);
            ns.SetItem("exe", sel.Executable is null ? PyObject.None : new PyString(sel.Executable));
            // .NET keeps its own copy of the environment on Unix, so variables set with Environment.SetEnvironmentVariable
            // after start-up would not reach Python's os.environ; forward the ones the bridge and Keras read.
            using var forwarded = new PyDict();
            foreach (var name in ForwardedVariables)
                if (System.Environment.GetEnvironmentVariable(name) is { } value)
                    forwarded.SetItem(name, new PyString(value));
            ns.SetItem("forwarded", forwarded);
            PythonEngine.Exec("""
import sys
sys.path[:] = list(wanted) + [p for p in sys.path if p not in wanted]
if exe:
    sys.executable = exe
if not getattr(sys, "argv", None):
    sys.argv = [""]
import os
os.environ.update(dict(forwarded))
""", ns);
            _bridge = PyModule.FromString("weightinit_bridge", ReadBridgeSource());
        }
        catch (PythonException ex)
        {
            throw new PythonUnavailableException($"Python started but the bridge module failed to load: {ex.Message}", env, ex);
        }
        finally
        {
            PythonEngine.BeginAllowThreads();
        }
    }

    /// <summary>One line for the CLI: the problem and every place tried.</summary>
    internal static string OneLine(PythonEnvironmentInfo env) =>
        "No usable Python for the bridge: " + (env.Problem ?? "none found.") + " Tried: " +
        string.Join("; ", env.Tried.Select(t => $"{t.Source} {t.Location}: {(t.Usable ? "usable" : t.Reason)}")) +
        ". Run `harness doctor` for details.";

    private static string ReadBridgeSource()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("WeightInit.Python.bridge.py")
            ?? throw new InvalidOperationException("embedded resource bridge.py is missing");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
