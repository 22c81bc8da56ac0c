using Python.Runtime;

namespace WeightInit.Python;

/// <summary>A test statistic and its p-value, as scipy.stats returns them.</summary>
public readonly record struct ScipyTestResult(double Statistic, double PValue);

/// <summary>
/// Live scipy.stats cross-checks for the statistics library: the same data goes to scipy (copied in bulk through the
/// buffer protocol) and the statistic and p-value come back. Throws <see cref="FrameworkImportException"/> when scipy
/// does not import, <see cref="PythonUnavailableException"/> without Python.
/// </summary>
public static class ScipyStats
{
    /// <summary>
    /// <c>scipy.stats.kstest(sample, dist.cdf)</c>, with <paramref name="distSpec"/> a scipy.stats distribution and
    /// numeric arguments in scipy's own convention: <c>norm(0, 0.5)</c> (loc, scale), <c>uniform(-1, 2)</c>
    /// (loc, scale: the interval [-1, 1]), <c>truncnorm(-2, 2, scale=0.1)</c>. Only a name and numbers are accepted.
    /// </summary>
    public static ScipyTestResult KsTest(double[] sample, string distSpec)
    {
        ArgumentNullException.ThrowIfNull(sample);
        ArgumentNullException.ThrowIfNull(distSpec);
        return PythonHost.CallBridge($"scipy.stats.kstest against {distSpec}", bridge =>
        {
            using var data = NumpyTransfer.FromDoubles(bridge, sample);
            using var r = bridge.InvokeMethod("kstest", data, new PyString(distSpec));
            return ToResult(r);
        });
    }

    /// <summary><c>scipy.stats.ks_2samp(a, b)</c>.</summary>
    public static ScipyTestResult KsTwoSample(double[] a, double[] b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return PythonHost.CallBridge("scipy.stats.ks_2samp", bridge =>
        {
            using var x = NumpyTransfer.FromDoubles(bridge, a);
            using var y = NumpyTransfer.FromDoubles(bridge, b);
            using var r = bridge.InvokeMethod("ks_2samp", x, y);
            return ToResult(r);
        });
    }

    /// <summary>
    /// <c>scipy.stats.chisquare(observed, expected, ddof)</c>. With <paramref name="expected"/> null, scipy assumes equal
    /// frequencies. Note that scipy requires the expected total to match the observed total (relative 1e-8).
    /// </summary>
    public static ScipyTestResult ChiSquare(double[] observed, double[]? expected = null, int ddof = 0)
    {
        ArgumentNullException.ThrowIfNull(observed);
        return PythonHost.CallBridge("scipy.stats.chisquare", bridge =>
        {
            using var o = NumpyTransfer.FromDoubles(bridge, observed);
            using var e = expected is null ? PyObject.None : NumpyTransfer.FromDoubles(bridge, expected);
            using var r = bridge.InvokeMethod("chisquare", o, e, new PyInt(ddof));
            return ToResult(r);
        });
    }

    /// <summary>The CDF of a scipy.stats distribution (same <paramref name="distSpec"/> syntax as <see cref="KsTest"/>) at <paramref name="x"/>.</summary>
    public static double Cdf(string distSpec, double x)
    {
        ArgumentNullException.ThrowIfNull(distSpec);
        return PythonHost.CallBridge($"scipy.stats {distSpec}.cdf", bridge =>
        {
            using var r = bridge.InvokeMethod("dist_cdf", new PyString(distSpec), new PyFloat(x));
            return r.As<double>();
        });
    }

    /// <summary>scipy's version, or null when scipy does not import.</summary>
    public static string? Version => FrameworkSampler.Probe("scipy") is { Available: true } i ? i.Version : null;

    private static ScipyTestResult ToResult(PyObject tuple) =>
        new(tuple[0].As<double>(), tuple[1].As<double>());
}
