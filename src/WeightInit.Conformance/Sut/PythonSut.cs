using System.Runtime.InteropServices;
using Python.Runtime;
using WeightInit.Python;
using WeightInit.Testing;

namespace WeightInit.Conformance.Sut;

/// <summary>
/// A Python function as the system under test (<c>--sut python:MODULE:FUNCTION</c>), run in the bridge's embedded
/// interpreter (<see cref="PythonHost"/>). The function is called as
/// <c>FUNCTION(class_name: str, config: dict, shape: tuple, seed: int, dtype: str)</c> with Keras' class name and config
/// and must return a numpy array of that shape and dtype; the values are copied in bulk through the buffer protocol.
/// A Python exception becomes an exception whose message the runner reports as the case's failure.
/// A case's tensors are drawn in one call (<see cref="SampleBatch"/>): through <c>FUNCTION_batch</c> when the module
/// defines it, otherwise by calling FUNCTION in a loop on the Python side.
/// </summary>
public sealed class PythonSut : IInitializerUnderTest
{
    private const string Helper = """
import importlib, importlib.util, json, os, sys
import numpy as np

def load(module, function, extra_path):
    if extra_path and os.path.isdir(extra_path) and extra_path not in sys.path:
        sys.path.append(extra_path)
    if module.endswith('.py') or os.sep in module:
        path = os.path.abspath(module)
        name = 'weightinit_sut_' + os.path.splitext(os.path.basename(path))[0]
        spec = importlib.util.spec_from_file_location(name, path)
        mod = importlib.util.module_from_spec(spec)
        sys.modules[name] = mod
        spec.loader.exec_module(mod)
    else:
        mod = importlib.import_module(module)
    fn = getattr(mod, function, None)
    if fn is None:
        raise AttributeError(f"module {module!r} has no attribute {function!r}")
    if not callable(fn):
        raise TypeError(f"{module}.{function} is not callable")
    batch = getattr(mod, function + '_batch', None)
    if batch is not None and not callable(batch):
        raise TypeError(f"{module}.{function}_batch is not callable")
    return (fn, batch)

def call_batch(fns, class_name, config_json, shape, first, count, dtype):
    fn, batch = fns
    shape = tuple(int(d) for d in shape)
    config = json.loads(config_json)
    if batch is not None:
        out = batch(class_name, config, shape, int(first), int(count), dtype)
        what = f"{batch.__name__}"
    else:
        # No batch function: the loop runs here, so the batch still costs one crossing of the bridge.
        out = np.stack([fn(class_name, json.loads(config_json), shape, int(first) + k, dtype) for k in range(count)]) if count else np.empty((0,) + shape, dtype)
        what = f"{fn.__name__}"
    if not isinstance(out, np.ndarray):
        raise TypeError(f"{what} returned {type(out).__name__}, expected a numpy array")
    if out.shape != (int(count),) + shape:
        raise ValueError(f"{what} returned shape {out.shape}, expected {(int(count),) + shape}")
    if out.dtype != np.dtype(dtype):
        raise TypeError(f"{what} returned dtype {out.dtype}, expected {dtype}")
    return np.ascontiguousarray(out, dtype=np.dtype(dtype).newbyteorder('<'))

def call(fns, class_name, config_json, shape, seed, dtype):
    fn = fns[0]
    shape = tuple(int(d) for d in shape)
    out = fn(class_name, json.loads(config_json), shape, int(seed), dtype)
    if not isinstance(out, np.ndarray):
        raise TypeError(f"returned {type(out).__name__}, expected a numpy array")
    if out.shape != shape:
        raise ValueError(f"returned shape {out.shape}, expected {shape}")
    if out.dtype != np.dtype(dtype):
        raise TypeError(f"returned dtype {out.dtype}, expected {dtype}")
    return np.ascontiguousarray(out, dtype=np.dtype(dtype).newbyteorder('<'))
""";

    private static PyObject? _helper;
    private readonly PyObject _function;

    private PythonSut(string name, PyObject function)
    {
        Name = name;
        _function = function;
    }

    public string Name { get; }

    /// <summary>Imports MODULE (a module name on sys.path, or a .py file path) and looks up FUNCTION.</summary>
    /// <exception cref="SutResolutionException">No Python, numpy missing, module not importable or function missing.</exception>
    public static PythonSut Load(string module, string function, string repoRoot)
    {
        bool isPath = module.EndsWith(".py", StringComparison.OrdinalIgnoreCase) || module.Contains('/') || module.Contains('\\');
        string target = module;
        if (isPath)
            target = AssemblySut.FindFile(module, repoRoot)
                ?? throw new SutResolutionException($"Python file '{module}' not found (looked in {Directory.GetCurrentDirectory()} and {repoRoot}).");
        if (!PythonHost.TryStart(out var reason))
            throw new SutResolutionException($"--sut python:{module}:{function} needs the Python bridge: {FirstLine(reason)}");
        var fn = PythonHost.Run(() =>
        {
            try
            {
                _helper ??= PyModule.FromString("weightinit_sut_helper", Helper);
                return _helper.InvokeMethod("load", new PyString(target), new PyString(function),
                    new PyString(Path.Combine(repoRoot, "conformance", "sut")));
            }
            catch (PythonException ex)
            {
                throw new SutResolutionException($"Cannot load {module}:{function}: {Describe(ex)}", ex);
            }
        });
        return new PythonSut($"python:{module}:{function}", fn);
    }

    public Array Sample(string className, string configJson, int[] shape, long seed, string dtype) =>
        Invoke(className, shape, 1, dtype, dims => _helper!.InvokeMethod("call", _function, new PyString(className), new PyString(configJson), dims,
            new PyInt(seed), new PyString(dtype)));

    /// <summary>
    /// One call of the bridge for the whole batch: MODULE's <c>FUNCTION_batch(class_name, config, shape, first_seed, count,
    /// dtype)</c> when it defines one (returning an array of shape (count, *shape)), else FUNCTION once per seed inside Python.
    /// </summary>
    public Array SampleBatch(string className, string configJson, int[] shape, long firstSeed, int count, string dtype) =>
        Invoke(className, shape, count, dtype, dims => _helper!.InvokeMethod("call_batch", _function, new PyString(className), new PyString(configJson), dims,
            new PyInt(firstSeed), new PyInt(count), new PyString(dtype)));

    private Array Invoke(string className, int[] shape, int tensors, string dtype, Func<PyTuple, PyObject> call)
    {
        var element = DTypes.Parse(dtype);
        return PythonHost.Run<Array>(() =>
        {
            try
            {
                using var dims = new PyTuple(shape.Select(d => (PyObject)new PyInt(d)).ToArray());
                using var array = call(dims);
                using var buffer = array.GetBuffer(PyBUF.C_CONTIGUOUS);
                long count = shape.Aggregate((long)tensors, (a, d) => a * d);
                int itemSize = element.Size();
                if (buffer.ItemSize != itemSize || buffer.Length != count * itemSize)
                    throw new InvalidOperationException($"{Name} returned a buffer of {buffer.Length} bytes (item size {buffer.ItemSize}); expected {count * itemSize}.");
                if (count > Array.MaxLength)
                    throw new InvalidShapeException($"Shape has {count} elements, more than a .NET array holds.");
                if (itemSize == 4)
                {
                    var values = GC.AllocateUninitializedArray<float>((int)count);
                    if (count > 0) Marshal.Copy(buffer.Buffer, values, 0, (int)count);
                    return values;
                }
                var doubles = GC.AllocateUninitializedArray<double>((int)count);
                if (count > 0) Marshal.Copy(buffer.Buffer, doubles, 0, (int)count);
                return doubles;
            }
            catch (PythonException ex)
            {
                throw new PythonErrorException(SafeType(ex), FirstLine(ex.Message), SafeTraceback(ex), $"{Name}({className}, {string.Join("x", shape)}{(tensors == 1 ? "" : $", {tensors} tensors")})");
            }
        });
    }

    private static string Describe(PythonException ex) => $"{SafeType(ex)}: {FirstLine(ex.Message)}";

    private static string SafeType(PythonException ex)
    {
        try { return ex.Type.Name; }
        catch (Exception) { return "Exception"; }
    }

    private static string SafeTraceback(PythonException ex)
    {
        try { return ex.Format(); }
        catch (Exception) { return ex.StackTrace ?? ""; }
    }

    private static string FirstLine(string text)
    {
        int nl = text.IndexOf('\n');
        return nl < 0 ? text.Trim() : text[..nl].Trim();
    }
}
