using System.Diagnostics;
using NUnit.Framework;

namespace WeightInit.Testing.Shared;

/// <summary>
/// Runs a child process for a test (a Python with <c>-c CODE</c>, or git) and asserts that it exits 0 within the time
/// limit; a failure names the command and carries its stderr. Linked into each test project that starts processes, so
/// the tests do not each keep their own copy.
/// </summary>
internal static class ChildProcess
{
    /// <summary>
    /// Runs <paramref name="exe"/> with <c>-c <paramref name="code"/></c> (when code is not empty) and then
    /// <paramref name="args"/>; each environment entry is set, or removed when its value is null. Returns stdout.
    /// </summary>
    public static string Run(string exe, string code, IEnumerable<KeyValuePair<string, string?>>? environment = null,
        IEnumerable<string>? args = null, int timeoutMs = 300_000)
    {
        var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (code.Length > 0) { psi.ArgumentList.Add("-c"); psi.ArgumentList.Add(code); }
        foreach (var a in args ?? []) psi.ArgumentList.Add(a);
        foreach (var (k, v) in environment ?? [])
            if (v is null) psi.Environment.Remove(k); else psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        // Both pipes are drained concurrently, so a child that fills one of them cannot block on it.
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        string command = $"{exe} {string.Join(' ', args ?? [])}".TrimEnd();
        if (!p.WaitForExit(timeoutMs))
        {
            try { p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            Assert.Fail($"{command} did not finish within {timeoutMs / 1000} s");
        }
        Assert.That(p.ExitCode, Is.Zero, $"{command} failed: {stderr.Result}");
        return stdout.Result;
    }
}
