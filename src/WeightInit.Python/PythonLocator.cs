using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace WeightInit.Python;

/// <summary>
/// Finds a Python the bridge can embed. Order (the first usable one wins):
/// <list type="number">
/// <item>explicit settings: <c>HARNESS_PYTHON</c> (a python executable or a venv folder) and/or
/// <c>PYTHONNET_PYDLL</c> (a libpython path). When either is set, discovery stops there: a broken explicit
/// setting is an error, never silently replaced by another Python;</item>
/// <item><c>python3</c> on <c>PATH</c>, if it has numpy;</item>
/// <item>the Debian default <c>/usr/lib/x86_64-linux-gnu/libpython3.11.so.1.0</c> (with <c>/usr/bin/python3.11</c>);</item>
/// <item>failing both, the first usable Python of rules 2-3 even without numpy (so doctor can say what is missing).</item>
/// </list>
/// An executable is run once (a subprocess, so a broken install can never crash this process) and asked through
/// <c>sysconfig</c> for its shared library, <c>sys.base_prefix</c> and <c>sys.path</c>, so a venv's site-packages
/// are seen by the embedded interpreter. A candidate without a shared libpython (built without
/// <c>--enable-shared</c>) is rejected with that reason.
/// </summary>
internal sealed class PythonLocator
{
    public const string DebianLibPython = "/usr/lib/x86_64-linux-gnu/libpython3.11.so.1.0";
    public const string DebianExecutable = "/usr/bin/python3.11";
    internal static readonly Version MinimumVersion = new(3, 7);
    internal static readonly Version MaximumVersion = new(3, 14);

    private readonly Func<string, string?> _env;
    private readonly string _debianLib;
    private readonly string _debianExe;

    public PythonLocator(Func<string, string?>? environment = null, string? debianLib = null, string? debianExe = null)
    {
        _env = environment ?? System.Environment.GetEnvironmentVariable;
        _debianLib = debianLib ?? DebianLibPython;
        _debianExe = debianExe ?? DebianExecutable;
    }

    /// <summary>Runs discovery. With <paramref name="all"/>, keeps evaluating the later rules after a hit (for doctor).</summary>
    public PythonEnvironmentInfo Locate(bool all = false)
    {
        var tried = new List<PythonCandidate>();
        PythonCandidate? selected = null;
        string? problem = null;

        string? harnessPython = Nonempty(_env("HARNESS_PYTHON"));
        string? pydll = Nonempty(_env("PYTHONNET_PYDLL"));
        if (harnessPython is not null || pydll is not null)
        {
            var c = harnessPython is not null ? FromExecutableSetting(harnessPython, pydll) : FromLibrary("PYTHONNET_PYDLL", pydll!);
            tried.Add(c);
            if (c.Usable) selected = c;
            else problem = $"The explicit setting {c.Source}={c.Location} is not usable: {c.Reason}. Fix it, or unset HARNESS_PYTHON and PYTHONNET_PYDLL to use automatic discovery.";
            if (!all) return new PythonEnvironmentInfo(selected, tried, problem);
        }
        else
        {
            tried.Add(new PythonCandidate("HARNESS_PYTHON", "(unset)", false, "not set"));
            tried.Add(new PythonCandidate("PYTHONNET_PYDLL", "(unset)", false, "not set"));
        }

        // Automatic discovery prefers a Python that has numpy (the bridge's minimum): a bare python3 on PATH (e.g. a
        // pyenv build) must not shadow the Debian stack that scripts/setup-python.sh installed. If none has numpy,
        // the first usable one is taken anyway, so doctor can say what is missing.
        PythonCandidate? withoutNumpy = null;
        foreach (var next in new Func<PythonCandidate>[] { FromPath, FromDebianDefault })
        {
            if (selected is not null && !all) break;
            var c = next();
            if (c.Usable && selected is null && problem is null)
            {
                if (c.Modules.GetValueOrDefault("numpy")) selected = c;
                else
                {
                    c = c with { Reason = c.Reason + " (no numpy: a later rule with numpy is preferred)" };
                    withoutNumpy ??= c;
                }
            }
            tried.Add(c);
        }
        selected ??= problem is null ? withoutNumpy : null;
        if (selected is null && problem is null)
            problem = "No usable Python with a shared libpython was found. Install one (Debian: scripts/setup-python.sh, " +
                      "or apt-get install python3 libpython3.11 python3-numpy python3-scipy python3-torch) and/or point the bridge at it: " +
                      "export HARNESS_PYTHON=/path/to/python-or-venv (or PYTHONNET_PYDLL=/path/to/libpython3.X.so).";
        return new PythonEnvironmentInfo(selected, tried, problem);
    }

    private static string? Nonempty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    private PythonCandidate FromExecutableSetting(string setting, string? pydll)
    {
        const string source = "HARNESS_PYTHON";
        string? exe = setting;
        if (Directory.Exists(setting))
        {
            exe = new[] { "bin/python3", "bin/python", "Scripts/python.exe", "python.exe", "python3" }
                .Select(p => Path.Combine(setting, p)).FirstOrDefault(IsExecutableFile);
            if (exe is null)
                return new PythonCandidate(source, setting, false, "folder has no bin/python3 or bin/python (expected a venv or Python installation folder)");
        }
        else if (!File.Exists(setting))
            return new PythonCandidate(source, setting, false, "no such file or folder");
        var c = FromExecutable(source, setting, exe);
        if (pydll is null || !c.Usable && c.Executable is null) return c;
        // Both set: the library comes from PYTHONNET_PYDLL, sys.path and home from the executable.
        if (!File.Exists(pydll))
            return c with { Usable = false, Reason = $"PYTHONNET_PYDLL={pydll}: no such file" };
        var v = VersionFromLibraryName(pydll);
        if (v is not null && c.Version is not null && !c.Version.StartsWith($"{v.Major}.{v.Minor}.", StringComparison.Ordinal))
            return c with { Usable = false, Reason = $"PYTHONNET_PYDLL={pydll} is Python {v.Major}.{v.Minor} but HARNESS_PYTHON is Python {c.Version}" };
        return c with { Usable = true, LibPython = pydll, Reason = $"libpython from PYTHONNET_PYDLL, sys.path from {c.Executable}" };
    }

    private PythonCandidate FromPath()
    {
        var path = _env("PATH") ?? "";
        string[] names = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? ["python3.exe", "python.exe"] : ["python3"];
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            foreach (var name in names)
            {
                var exe = Path.Combine(dir, name);
                if (IsExecutableFile(exe)) return FromExecutable("PATH", exe, exe);
            }
        return new PythonCandidate("PATH", "python3", false, "no python3 on PATH");
    }

    private PythonCandidate FromDebianDefault()
    {
        const string source = "Debian default";
        if (!File.Exists(_debianLib))
            return new PythonCandidate(source, _debianLib, false, "not installed (apt-get install libpython3.11, or run scripts/setup-python.sh)");
        if (IsExecutableFile(_debianExe))
        {
            var c = FromExecutable(source, _debianLib, _debianExe);
            if (c.Usable) return c with { LibPython = _debianLib };
        }
        return FromLibrary(source, _debianLib);
    }

    /// <summary>Only a library is known: find the matching interpreter for sys.path, or at least the stdlib for the home.</summary>
    private PythonCandidate FromLibrary(string source, string lib)
    {
        if (!File.Exists(lib)) return new PythonCandidate(source, lib, false, "no such file");
        var v = VersionFromLibraryName(lib);
        if (v is null) return new PythonCandidate(source, lib, false, "cannot tell the Python version from the file name (expected libpython3.X.so...)");
        if (v < MinimumVersion || v > MaximumVersion)
            return new PythonCandidate(source, lib, false, $"Python {v.Major}.{v.Minor} is not supported by pythonnet 3.2.1 (needs {MinimumVersion}..{MaximumVersion})");
        var libDir = Path.GetDirectoryName(Path.GetFullPath(lib))!;
        var real = RealPath(lib);
        foreach (var dir in new[] { Path.Combine(libDir, "..", "bin"), Path.Combine(libDir, "..", "..", "bin"), "/usr/bin", "/usr/local/bin" })
        {
            var exe = Path.GetFullPath(Path.Combine(dir, $"python{v.Major}.{v.Minor}"));
            if (!IsExecutableFile(exe)) continue;
            var c = FromExecutable(source, lib, exe);
            if (c.Usable && c.LibPython is not null && RealPath(c.LibPython) == real)
                return c with { LibPython = lib, Reason = $"sys.path from matching interpreter {exe}" };
        }
        for (var dir = new DirectoryInfo(libDir); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "lib", $"python{v.Major}.{v.Minor}", "os.py")))
                return new PythonCandidate(source, lib, true, $"no matching interpreter found; home {dir.FullName}")
                { LibPython = lib, Home = dir.FullName, Prefix = dir.FullName, Version = $"{v.Major}.{v.Minor}" };
        }
        return new PythonCandidate(source, lib, false,
            $"found no python{v.Major}.{v.Minor} executable or standard library (lib/python{v.Major}.{v.Minor}/os.py) for it; set HARNESS_PYTHON to the matching python executable");
    }

    internal static Version? VersionFromLibraryName(string lib)
    {
        var m = Regex.Match(Path.GetFileName(lib), @"python(\d)\.?(\d+)", RegexOptions.IgnoreCase);
        return m.Success ? new Version(int.Parse(m.Groups[1].Value), int.Parse(m.Groups[2].Value)) : null;
    }

    private const string ProbeScript = """
import sys, json
try:
    import sysconfig
    v = sysconfig.get_config_var
except Exception:
    v = lambda k: None
mods = {}
try:
    import importlib.util
    for m in ("numpy", "scipy", "torch", "keras"):
        try:
            mods[m] = importlib.util.find_spec(m) is not None
        except Exception:
            mods[m] = False
except Exception:
    pass
print(json.dumps({"version": "%d.%d.%d" % tuple(sys.version_info[:3]), "executable": sys.executable,
    "prefix": sys.prefix, "base_prefix": getattr(sys, "base_prefix", sys.prefix),
    "libdir": v("LIBDIR"), "ldlibrary": v("LDLIBRARY"), "instsoname": v("INSTSONAME"), "multiarch": v("MULTIARCH"),
    "shared": v("Py_ENABLE_SHARED"), "gil_disabled": v("Py_GIL_DISABLED"), "path": [p for p in sys.path if p],
    "modules": mods, "platform": sys.platform, "version_nodot": "%d%d" % tuple(sys.version_info[:2])}))
""";

    /// <summary>Runs the interpreter once and asks sysconfig where its shared library and sys.path are.</summary>
    internal static PythonCandidate FromExecutable(string source, string location, string exe)
    {
        string stdout, stderr;
        try
        {
            var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            psi.ArgumentList.Add("-c");
            psi.ArgumentList.Add(ProbeScript);
            psi.Environment.Remove("PYTHONHOME");
            using var p = Process.Start(psi)!;
            var outTask = p.StandardOutput.ReadToEndAsync();
            var errTask = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(60_000))
            {
                try { p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
                return new PythonCandidate(source, location, false, $"{exe} did not answer within 60 s") { Executable = exe };
            }
            stdout = outTask.Result;
            stderr = errTask.Result;
            if (p.ExitCode != 0)
                return new PythonCandidate(source, location, false, $"{exe} exited with code {p.ExitCode}: {FirstLines(stderr)}") { Executable = exe };
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or IOException or InvalidOperationException)
        {
            return new PythonCandidate(source, location, false, $"cannot run {exe}: {ex.Message}") { Executable = exe };
        }

        JsonElement j;
        try
        {
            var line = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "";
            j = JsonDocument.Parse(line).RootElement;
        }
        catch (JsonException)
        {
            return new PythonCandidate(source, location, false, $"{exe} did not answer the sysconfig query (is it a Python 3?): {FirstLines(stdout + stderr)}") { Executable = exe };
        }

        string? Str(string k) => j.TryGetProperty(k, out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;
        string version = Str("version") ?? "?";
        var realExe = Str("executable") is { Length: > 0 } se ? se : exe;
        var modules = new Dictionary<string, bool>();
        if (j.TryGetProperty("modules", out var mods) && mods.ValueKind == JsonValueKind.Object)
            foreach (var m in mods.EnumerateObject()) modules[m.Name] = m.Value.ValueKind == JsonValueKind.True;
        var sysPath = j.TryGetProperty("path", out var pa) && pa.ValueKind == JsonValueKind.Array
            ? pa.EnumerateArray().Select(e => e.GetString() ?? "").Where(s => s.Length > 0).ToArray() : [];
        var baseCandidate = new PythonCandidate(source, location, false, "")
        {
            Executable = realExe, Version = version, Home = Str("base_prefix"), Prefix = Str("prefix"), SysPath = sysPath, Modules = modules,
        };

        if (!System.Version.TryParse(version, out var v) || v < MinimumVersion || new Version(v.Major, v.Minor) > MaximumVersion)
            return baseCandidate with { Reason = $"Python {version} ({realExe}) is not supported by pythonnet 3.2.1 (needs {MinimumVersion}..{MaximumVersion})" };
        if (j.TryGetProperty("gil_disabled", out var gd) && gd.ValueKind == JsonValueKind.Number && gd.GetInt32() == 1)
            return baseCandidate with { Reason = $"Python {version} ({realExe}) is a free-threaded build, which pythonnet does not support" };

        var lib = FindLibPython(j, Str);
        if (lib is null)
        {
            bool shared = j.TryGetProperty("shared", out var sh) && sh.ValueKind == JsonValueKind.Number && sh.GetInt32() == 1;
            return baseCandidate with
            {
                Reason = shared
                    ? $"Python {version} ({realExe}) reports a shared library ({Str("instsoname")}) that is not on disk in {Str("libdir")} (Debian: apt-get install libpython{v.Major}.{v.Minor})"
                    : $"Python {version} ({realExe}) has no shared libpython (built without --enable-shared; pyenv: PYTHON_CONFIGURE_OPTS=--enable-shared pyenv install {version})",
            };
        }
        return baseCandidate with { Usable = true, LibPython = lib, Reason = "ok" };
    }

    private static string? FindLibPython(JsonElement j, Func<string, string?> str)
    {
        var libdir = str("libdir");
        var baseRoot = str("base_prefix");
        var names = new[] { str("instsoname"), str("ldlibrary") }
            .Where(n => n is not null && (n.Contains(".so") || n.EndsWith(".dylib", StringComparison.Ordinal) || n.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)))
            .Cast<string>().ToList();
        if (str("platform") == "win32" && str("version_nodot") is { } nd) names.Add($"python{nd}.dll");
        var dirs = new List<string>();
        if (libdir is not null)
        {
            dirs.Add(libdir);
            if (str("multiarch") is { Length: > 0 } ma) dirs.Add(Path.Combine(libdir, ma));
        }
        if (baseRoot is not null) { dirs.Add(Path.Combine(baseRoot, "lib")); dirs.Add(baseRoot); }
        foreach (var d in dirs)
            foreach (var n in names)
            {
                var p = Path.Combine(d, n);
                if (File.Exists(p)) return p;
            }
        return null;
    }

    private static string FirstLines(string s)
    {
        var lines = s.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var text = string.Join(" | ", lines.TakeLast(3));
        return text.Length == 0 ? "(no output)" : text.Length > 300 ? text[..300] + "..." : text;
    }

    internal static bool IsExecutableFile(string path)
    {
        try
        {
            if (!File.Exists(path)) return false;
            if (OperatingSystem.IsWindows()) return true;
            return (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { return false; }
    }

    internal static string RealPath(string path)
    {
        try
        {
            var target = File.ResolveLinkTarget(path, returnFinalTarget: true);
            return Path.GetFullPath(target?.FullName ?? path);
        }
        catch (IOException) { return Path.GetFullPath(path); }
    }
}
