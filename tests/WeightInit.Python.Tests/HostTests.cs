using NUnit.Framework;
using Python.Runtime;
using WeightInit.IO;

namespace WeightInit.Python.Tests;

[TestFixture]
public sealed class HostTests
{
    [Test]
    public void StartsOnce_AndReportsWhereFrom()
    {
        Live.RequirePython();
        PythonHost.EnsureStarted();
        PythonHost.EnsureStarted();
        Assert.That(PythonHost.IsStarted, Is.True);
        var env = PythonHost.Environment!;
        Assert.That(env.Found, Is.True);
        Assert.That(env.LibPython, Does.Contain("python"));
        var version = PythonHost.Run(() =>
        {
            using var sys = Py.Import("sys");
            return sys.GetAttr("version").As<string>();
        });
        Assert.That(version, Does.StartWith(env.Version!.Split('.')[0] + "." + env.Version!.Split('.')[1]));
    }

    [Test]
    public void EmbeddedSysPath_MatchesTheInterpreter()
    {
        Live.RequirePython();
        var info = FrameworkSampler.Probe("python");
        Assert.That(info.Available, Is.True);
        var sysPath = PythonHost.Run(() =>
        {
            using var sys = Py.Import("sys");
            return ((PyObject)sys.GetAttr("path")).As<string[]>();
        });
        Assert.That(sysPath, Is.SupersetOf(PythonHost.Environment!.SysPath));
    }

    [Test]
    public void ManyThreads_CanUseTheInterpreter_GilIsReleasedBetweenCalls()
    {
        Live.RequirePython();
        var results = new long[16];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            results[i] = PythonHost.Run(() =>
            {
                using var builtins = Py.Import("builtins");
                using var r = builtins.InvokeMethod("sum", builtins.InvokeMethod("range", new PyInt(i * 1000)));
                return r.As<long>();
            });
        });
        for (int i = 0; i < results.Length; i++)
            Assert.That(results[i], Is.EqualTo((long)i * 1000 * (i * 1000 - 1) / 2));
    }

    [Test]
    public void ConcurrentSampling_FromSeveralThreads_IsDeterministic()
    {
        Live.Require("numpy");
        var shape = new TensorShape(64, 32);
        var reference = FrameworkSampler.Sample("numpy", "generator.normal", null, shape, 3, "float32").Single!;
        var arrays = new NpyArray[8];
        Parallel.For(0, arrays.Length, i => arrays[i] = FrameworkSampler.Sample("numpy", "generator.normal", null, shape, 3, "float32"));
        foreach (var a in arrays) Assert.That(a.Single, Is.EqualTo(reference));
    }

    [Test]
    public void PythonException_BecomesTypedErrorWithTraceback()
    {
        Live.Require("numpy");
        var ex = Assert.Throws<PythonErrorException>(() =>
            FrameworkSampler.Sample("numpy", "no_such_sampler", null, new TensorShape(2), 1, "float32"))!;
        Assert.That(ex.PythonType, Is.EqualTo("ValueError"));
        Assert.That(ex.Message, Does.Contain("Unknown numpy sampler 'no_such_sampler'").And.Contain("legacy.randn"));
        Assert.That(ex.PythonTraceback, Does.Contain("Traceback").And.Contain("sample_numpy"));
        Assert.That(ex, Is.InstanceOf<WeightInitException>());
    }

    [Test]
    public void BadArguments_AreRejectedBeforePython()
    {
        Assert.Throws<InvalidArgumentValueException>(() => FrameworkSampler.Sample("jax", "x", null, new TensorShape(2), 1, "float32"));
        Assert.Throws<InvalidArgumentValueException>(() => FrameworkSampler.Sample("numpy", "randn", null, new TensorShape(2), 1, "float16"));
    }

    [Test]
    public void ProbeOfUnknownModule_IsAnError_ProbeOfMissingFrameworkIsNot()
    {
        Live.RequirePython();
        var ex = Assert.Throws<PythonErrorException>(() => FrameworkSampler.Probe("sklearn"))!;
        Assert.That(ex.Message, Does.Contain("Unknown framework"));
    }

    [Test]
    public void BulkTransfer_CopiesEveryValue()
    {
        Live.Require("numpy");
        foreach (var dtype in new[] { "float32", "float64" })
        {
            const int n = 1_000_003;
            var a = PythonHost.CallBridge("test", bridge =>
            {
                using var arr = bridge.InvokeMethod("bench_array", new PyInt(n), new PyString(dtype));
                return NumpyTransfer.ToNpyArray(arr, new TensorShape(n), dtype);
            });
            var values = a.ToDoubleArray();
            Assert.That(values, Has.Length.EqualTo(n));
            for (int i = 0; i < n; i += 9973) Assert.That(values[i], Is.EqualTo((double)i));
            Assert.That(values[^1], Is.EqualTo((double)(n - 1)));
        }
    }

    [Test]
    public void BulkTransfer_DotNetToNumpy_RoundTrips()
    {
        Live.Require("numpy");
        var data = Enumerable.Range(0, 10_001).Select(i => Math.Sin(i) * 1e3).ToArray();
        var sum = PythonHost.CallBridge("test", bridge =>
        {
            using var arr = NumpyTransfer.FromDoubles(bridge, data);
            using var np = Py.Import("numpy");
            using var s = np.InvokeMethod("sum", arr);
            using var first = arr[0];
            Assert.That(first.As<double>(), Is.EqualTo(data[0]));
            return s.As<double>();
        });
        Assert.That(sum, Is.EqualTo(data.Sum()).Within(1e-6));
    }

    [Test]
    public void SampleInto_FillsACallerBuffer_SameValuesAsSample()
    {
        Live.Require("numpy");
        var shape = new TensorShape(30, 20);
        var expected = FrameworkSampler.Sample("numpy", "randn", null, shape, 8, "float32").Single!;
        var buffer = new float[600];
        FrameworkSampler.SampleInto<float>("numpy", "randn", null, shape, 8, buffer);
        Assert.That(buffer, Is.EqualTo(expected));
        var doubles = new double[600];
        FrameworkSampler.SampleInto<double>("numpy", "randn", null, shape, 8, doubles);
        Assert.That(doubles.Select(x => (float)x), Is.EqualTo(expected));
        Assert.Throws<ArgumentException>(() => FrameworkSampler.SampleInto<float>("numpy", "randn", null, shape, 8, new float[5]));
        Assert.Throws<PythonErrorException>(() => FrameworkSampler.SampleInto<float>("numpy", "nope", null, shape, 8, buffer));
    }

    [Test]
    public void TransferBenchmark_Runs()
    {
        Live.Require("numpy");
        // A smoke test of the benchmark code, not a timed assertion (see scripts/bench-bridge.sh for the figure).
        var r = FrameworkSampler.MeasureTransfer(100_000, "float32", 3);
        Assert.That(r.BestBytesPerSecond, Is.GreaterThan(0));
        Assert.That(r.ReusedMedianBytesPerSecond, Is.GreaterThan(0));
    }
}
