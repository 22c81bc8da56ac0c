using System.Diagnostics;
using System.Text.Json;
using Python.Runtime;
using WeightInit.IO;

namespace WeightInit.Python;

/// <summary>
/// Result of <see cref="FrameworkSampler.MeasureTransfer"/> in bytes per second: best and median copying into a fresh
/// .NET array each time (allocation and first-touch page faults included), and the median into one reused buffer.
/// </summary>
public sealed record TransferBenchmark(int Count, string DType, double BestBytesPerSecond, double MedianBytesPerSecond, double ReusedMedianBytesPerSecond);

/// <summary>What <see cref="FrameworkSampler.Probe"/> found out about a framework in the embedded Python.</summary>
public sealed record FrameworkInfo(string Framework, bool Available)
{
    /// <summary><c>__version__</c> (e.g. <c>3.15.1</c> for keras, <c>1.13.0a0</c> for torch).</summary>
    public string? Version { get; init; }

    /// <summary>Where it was imported from (a folder; for keras also how it was found).</summary>
    public string? Location { get; init; }

    /// <summary>
    /// Keras only: how it was found: <c>HARNESS_KERAS_PATH</c> (a source checkout named by that variable) or
    /// <c>installed</c> (a keras on the selected Python's own <c>sys.path</c>, e.g. <c>pip install keras</c>).
    /// </summary>
    public string? FoundThrough { get; init; }

    /// <summary>Keras only: <c>keras.backend.backend()</c> (numpy, jax, tensorflow, torch).</summary>
    public string? Backend { get; init; }

    /// <summary>Keras only: the backend module's <c>__version__</c>.</summary>
    public string? BackendVersion { get; init; }

    /// <summary>Torch only: how seeds are applied (<c>generator</c> or <c>fork_rng+manual_seed</c>).</summary>
    public string? Seeding { get; init; }

    /// <summary>The import error when not available.</summary>
    public string? Reason { get; init; }

    /// <summary>How to install it when not available.</summary>
    public string? InstallHint { get; init; }

    /// <summary>One line: <c>keras 3.15.1 (backend numpy 1.24.2)</c> or <c>torch: not available: ... hint</c>.</summary>
    public override string ToString() => Available
        ? $"{Framework} {Version}" + (Backend is null ? "" : $" (backend {Backend} {BackendVersion})")
        : $"{Framework}: not available: {Reason}" + (InstallHint is null ? "" : $" {InstallHint}");
}

/// <summary>
/// Samples a live framework in the embedded Python and returns the values as an <see cref="NpyArray"/> (float32 or
/// float64, C order), copied in bulk through the buffer protocol.
/// </summary>
/// <remarks>
/// <para><b>keras</b>: <c>NAME</c> is any Keras identifier (<c>he_normal</c>, <c>HeNormal</c>, <c>VarianceScaling</c>,
/// ...), <c>configJson</c> the initializer's Keras config. The initializer is built with
/// <c>keras.initializers.get({"class_name": NAME, "config": CONFIG})</c>; an integer <c>seed</c> becomes the config's
/// <c>seed</c> for initializers that take one (Zeros, Ones, Constant and Identity take none and ignore it); a null seed
/// leaves Keras unseeded. It is then called as <c>initializer(shape, dtype=dtype)</c> and converted with
/// <c>keras.ops.convert_to_numpy</c>. Any backend works. Keras is found through <c>HARNESS_KERAS_PATH</c> when it is
/// set (a Keras source checkout, then folders with its missing dependencies, prepended to <c>sys.path</c>; the numpy
/// backend unless <c>KERAS_BACKEND</c> names another), otherwise as the Keras installed in the selected Python
/// (<c>pip install keras</c>, with the user's <c>KERAS_BACKEND</c>); <see cref="FrameworkInfo.FoundThrough"/> says which.</para>
/// <para><b>torch</b>: <c>NAME</c> is a <c>torch.nn.init</c> function (<c>kaiming_normal_</c>, <c>xavier_uniform_</c>,
/// <c>trunc_normal_</c>, <c>orthogonal_</c>, ...; the trailing underscore may be omitted), <c>configJson</c> its
/// keyword arguments (e.g. <c>{"a": 0, "mode": "fan_out", "nonlinearity": "relu"}</c>). It fills
/// <c>torch.empty(shape, dtype=dtype)</c>. A seed is applied as <c>torch.Generator().manual_seed(seed)</c> passed as
/// <c>generator=</c> where the function takes it (torch ≥ 2.3); older torch (Debian's 1.13) has no such parameter,
/// so the global CPU generator is seeded with <c>torch.manual_seed(seed)</c> inside
/// <c>torch.random.fork_rng(devices=[])</c>, which restores the caller's RNG state afterwards. Both give the same
/// values (the same CPU mt19937 generator). <see cref="FrameworkInfo.Seeding"/> tells which is used.</para>
/// <para><b>numpy</b>: the samplers are named explicitly.
/// <list type="table">
/// <item><term><c>generator.standard_normal</c> (alias <c>standard_normal</c>)</term><description><c>np.random.default_rng(seed).standard_normal(shape, dtype=dtype)</c> (numpy's native float32 path for float32)</description></item>
/// <item><term><c>generator.random</c> (alias <c>random</c>)</term><description><c>default_rng(seed).random(shape, dtype=dtype)</c>, [0, 1)</description></item>
/// <item><term><c>generator.normal</c> (alias <c>normal</c>)</term><description><c>default_rng(seed).normal(loc, scale, size=shape)</c> in float64, then cast; config <c>{"loc":0,"scale":1}</c></description></item>
/// <item><term><c>generator.uniform</c> (alias <c>uniform</c>)</term><description><c>default_rng(seed).uniform(low, high, size=shape)</c> in float64, then cast; config <c>{"low":0,"high":1}</c></description></item>
/// <item><term><c>legacy.randn</c> (alias <c>randn</c>)</term><description><c>np.random.seed(seed); np.random.randn(*shape) * scale</c>; config <c>{"scale":1}</c></description></item>
/// <item><term><c>legacy.rand</c> (alias <c>rand</c>)</term><description><c>np.random.seed(seed); np.random.rand(*shape) * scale</c></description></item>
/// <item><term><c>legacy.normal</c>, <c>legacy.uniform</c></term><description><c>np.random.seed(seed); np.random.normal/uniform(..., size=shape)</c></description></item>
/// <item><term><c>article.randn_sqrt_1_over_rows</c> (alias <c>article.xavier</c>)</term><description>the source article's <c>np.random.randn(l, l-1) * np.sqrt(1/l)</c> for a 2-D shape <c>(l, l-1)</c></description></item>
/// <item><term><c>article.randn_sqrt_2_over_sum</c> (alias <c>article.glorot</c>)</term><description>the article's <c>np.random.randn(l, l-1) * np.sqrt(2/(l + l-1))</c></description></item>
/// </list>
/// The legacy names use a private <c>np.random.RandomState(seed)</c>: the exact stream <c>np.random.seed(seed)</c>
/// gives the global functions, without changing the process-wide numpy state. Legacy draws are float64 and are cast
/// for float32. A null seed draws from fresh OS entropy.</para>
/// </remarks>
public sealed class FrameworkSampler
{
    private FrameworkSampler() { }

    /// <summary>The frameworks <see cref="Sample"/> accepts.</summary>
    public static IReadOnlyList<string> Frameworks { get; } = ["keras", "torch", "numpy"];

    /// <summary>Samples <paramref name="framework"/> (keras, torch, numpy) on <paramref name="shape"/>; see the class remarks for the names.</summary>
    /// <exception cref="PythonUnavailableException">No usable Python.</exception>
    /// <exception cref="FrameworkImportException">The framework (or numpy) does not import.</exception>
    /// <exception cref="PythonErrorException">The framework raised (unknown name, bad config, unsupported shape, ...).</exception>
    public static NpyArray Sample(string framework, string name, string? configJson, TensorShape shape, long? seed, string dtype)
    {
        ArgumentNullException.ThrowIfNull(framework);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(dtype);
        framework = framework.Trim().ToLowerInvariant();
        if (!Frameworks.Contains(framework))
            throw new InvalidArgumentValueException("framework", $"Invalid framework '{framework}': expected keras, torch or numpy.");
        if (dtype is not ("float32" or "float64"))
            throw new InvalidArgumentValueException("dtype", $"Invalid dtype '{dtype}': expected float32 or float64.");
        return PythonHost.CallBridge($"{framework} {name} {shape}", bridge =>
        {
            using var dims = new PyTuple(shape.Dimensions.Select(d => (PyObject)new PyInt(d)).ToArray());
            using var array = bridge.InvokeMethod("sample",
                new PyString(framework), new PyString(name),
                configJson is null ? PyObject.None : new PyString(configJson),
                dims, seed is null ? PyObject.None : new PyInt(seed.Value), new PyString(dtype));
            return NumpyTransfer.ToNpyArray(array, shape, dtype);
        });
    }

    /// <summary>
    /// <paramref name="count"/> tensors with the int seeds <paramref name="firstSeed"/> … firstSeed + count − 1 in one call
    /// of the bridge, flattened and concatenated (each tensor equals <see cref="Sample"/>'s).
    /// </summary>
    public static NpyArray SampleBatch(string framework, string name, string? configJson, TensorShape shape, long firstSeed, int count, string dtype)
    {
        ArgumentNullException.ThrowIfNull(framework);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(shape);
        framework = framework.Trim().ToLowerInvariant();
        if (!Frameworks.Contains(framework))
            throw new InvalidArgumentValueException("framework", $"Invalid framework '{framework}': expected keras, torch or numpy.");
        if (dtype is not ("float32" or "float64"))
            throw new InvalidArgumentValueException("dtype", $"Invalid dtype '{dtype}': expected float32 or float64.");
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var batchShape = new TensorShape([count, .. shape.Dimensions]);
        return PythonHost.CallBridge($"{framework} {name} {shape} x{count}", bridge =>
        {
            using var dims = new PyTuple(shape.Dimensions.Select(d => (PyObject)new PyInt(d)).ToArray());
            using var array = bridge.InvokeMethod("sample_batch",
                new PyString(framework), new PyString(name),
                configJson is null ? PyObject.None : new PyString(configJson),
                dims, new PyInt(firstSeed), new PyInt(count), new PyString(dtype));
            return NumpyTransfer.ToNpyArray(array, batchShape, dtype);
        });
    }

    /// <summary>
    /// Like <see cref="Sample"/>, but copies the values into a caller-owned buffer of exactly <c>shape.Count</c>
    /// elements (<see cref="float"/> for float32, <see cref="double"/> for float64): no allocation per call, for loops
    /// that sample many tensors of one size.
    /// </summary>
    public static void SampleInto<T>(string framework, string name, string? configJson, TensorShape shape, long? seed, Span<T> destination)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(framework);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(shape);
        string dtype = typeof(T) == typeof(float) ? "float32" : typeof(T) == typeof(double) ? "float64"
            : throw new NotSupportedException($"only float (float32) and double (float64) buffers are supported, not {typeof(T).Name}");
        framework = framework.Trim().ToLowerInvariant();
        if (!Frameworks.Contains(framework))
            throw new InvalidArgumentValueException("framework", $"Invalid framework '{framework}': expected keras, torch or numpy.");
        if (destination.Length != shape.Count)
            throw new ArgumentException($"destination holds {destination.Length} values but shape {shape} has {shape.Count}.", nameof(destination));
        PythonHost.EnsureStarted();
        using (Py.GIL())
        {
            try
            {
                using var dims = new PyTuple(shape.Dimensions.Select(d => (PyObject)new PyInt(d)).ToArray());
                using var array = PythonHost.Bridge.InvokeMethod("sample",
                    new PyString(framework), new PyString(name),
                    configJson is null ? PyObject.None : new PyString(configJson),
                    dims, seed is null ? PyObject.None : new PyInt(seed.Value), new PyString(dtype));
                NumpyTransfer.CopyTo(array, shape, destination);
            }
            catch (PythonException ex)
            {
                throw PythonHost.Translate(ex, $"{framework} {name} {shape}");
            }
        }
    }

    /// <summary>
    /// Imports <paramref name="framework"/> (python, numpy, scipy, torch, keras) and reports its version (for keras
    /// also the backend and its version). Never throws because something is missing: returns
    /// <see cref="FrameworkInfo.Available"/> = false with the reason and an install hint (also when Python itself is missing).
    /// </summary>
    public static FrameworkInfo Probe(string framework)
    {
        ArgumentNullException.ThrowIfNull(framework);
        framework = framework.Trim().ToLowerInvariant();
        if (!PythonHost.TryStart(out var reason))
            return new FrameworkInfo(framework, false)
            {
                Reason = "no usable Python: " + FirstLine(reason),
                InstallHint = "Run scripts/setup-python.sh (Debian) or set HARNESS_PYTHON to a python executable or venv; see `harness doctor`.",
            };
        var json = PythonHost.CallBridge($"probe {framework}", bridge =>
        {
            using var r = bridge.InvokeMethod("probe", new PyString(framework));
            return r.As<string>();
        });
        var j = JsonDocument.Parse(json).RootElement;
        string? S(string k) => j.TryGetProperty(k, out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;
        return new FrameworkInfo(framework, j.GetProperty("available").GetBoolean())
        {
            Version = S("version"), Location = S("location"), FoundThrough = S("found_through"), Backend = S("backend"), BackendVersion = S("backend_version"),
            Seeding = S("seeding"), Reason = S("error"), InstallHint = S("hint"),
        };
    }

    /// <summary>
    /// Measures the Python→.NET bulk transfer: creates a numpy array of <paramref name="count"/> elements, then copies it
    /// into a new .NET array <paramref name="repeats"/> times (allocation included). Returns the best throughput in bytes per second.
    /// </summary>
    public static double MeasureTransferBytesPerSecond(int count = 10_000_000, string dtype = "float32", int repeats = 10) =>
        MeasureTransfer(count, dtype, repeats).BestBytesPerSecond;

    /// <summary>
    /// Like <see cref="MeasureTransferBytesPerSecond"/>, with the best and the median over fresh destination arrays
    /// (allocation and first-touch page faults included) and the median when copying into one reused buffer.
    /// </summary>
    public static TransferBenchmark MeasureTransfer(int count = 10_000_000, string dtype = "float32", int repeats = 10)
    {
        if (dtype is not ("float32" or "float64"))
            throw new InvalidArgumentValueException("dtype", $"Invalid dtype '{dtype}': expected float32 or float64.");
        var shape = new TensorShape(count);
        double bytes = count * (dtype == "float32" ? 4.0 : 8.0);
        return PythonHost.CallBridge("transfer benchmark", bridge =>
        {
            using var array = bridge.InvokeMethod("bench_array", new PyInt(count), new PyString(dtype));
            int runs = Math.Max(1, repeats);
            var fresh = new double[runs];
            for (int i = 0; i < runs; i++)
            {
                var sw = Stopwatch.StartNew();
                var result = NumpyTransfer.ToNpyArray(array, shape, dtype);
                sw.Stop();
                fresh[i] = sw.Elapsed.TotalSeconds;
                GC.KeepAlive(result);
            }
            var reused = new double[runs];
            var f = dtype == "float32" ? new float[count] : null;
            var d = dtype == "float64" ? new double[count] : null;
            for (int i = 0; i < runs; i++)
            {
                var sw = Stopwatch.StartNew();
                if (f is not null) NumpyTransfer.CopyTo<float>(array, shape, f);
                else NumpyTransfer.CopyTo<double>(array, shape, d!);
                sw.Stop();
                reused[i] = sw.Elapsed.TotalSeconds;
            }
            Array.Sort(fresh);
            Array.Sort(reused);
            return new TransferBenchmark(count, dtype, bytes / fresh[0], bytes / fresh[runs / 2], bytes / reused[runs / 2]);
        });
    }

    private static string FirstLine(string s) => s.Split('\n')[0].Trim();
}
