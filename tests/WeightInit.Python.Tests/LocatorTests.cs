using NUnit.Framework;

namespace WeightInit.Python.Tests;

/// <summary>Discovery order and rejection reasons, with a controlled environment (no interpreter is started).</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class LocatorTests
{
    private static Func<string, string?> Env(params (string Key, string? Value)[] vars)
    {
        var d = vars.ToDictionary(v => v.Key, v => v.Value);
        return k => d.GetValueOrDefault(k);
    }

    private static string TempDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "wi-py-loc-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        return dir;
    }

    private static string WriteScript(string dir, string name, string body)
    {
        if (OperatingSystem.IsWindows()) Assert.Ignore("skipped: shell-script stand-ins need a Unix host");
        var path = Path.Combine(dir, name);
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    [Test]
    public void NothingFound_ListsEveryPlaceTried()
    {
        var info = new PythonLocator(Env(("PATH", "/nonexistent-dir")), debianLib: "/nonexistent/libpython3.11.so.1.0").Locate();
        Assert.That(info.Found, Is.False);
        Assert.That(info.Tried.Select(t => t.Source), Is.EqualTo(new[] { "HARNESS_PYTHON", "PYTHONNET_PYDLL", "PATH", "Debian default" }));
        var text = info.Describe();
        Assert.That(text, Does.Contain("no python3 on PATH"));
        Assert.That(text, Does.Contain("/nonexistent/libpython3.11.so.1.0"));
        Assert.That(text, Does.Contain("HARNESS_PYTHON"));
        Assert.That(info.Problem, Does.Contain("setup-python.sh"));
    }

    [Test]
    public void ExplicitSetting_Broken_IsAnErrorAndNotSilentlyReplaced()
    {
        var info = new PythonLocator(Env(("HARNESS_PYTHON", "/no/such/python"), ("PATH", Environment.GetEnvironmentVariable("PATH")))).Locate();
        Assert.That(info.Found, Is.False);
        Assert.That(info.Tried, Has.Count.EqualTo(1));
        Assert.That(info.Problem, Does.Contain("HARNESS_PYTHON=/no/such/python").And.Contain("no such file"));
    }

    [Test]
    public void ExplicitSetting_NotAPython_SaysSo()
    {
        var dir = TempDir();
        var fake = WriteScript(dir, "python3", "echo hello; exit 0");
        var info = new PythonLocator(Env(("HARNESS_PYTHON", fake))).Locate();
        Assert.That(info.Found, Is.False);
        Assert.That(info.Problem, Does.Contain("did not answer the sysconfig query"));
    }

    [Test]
    public void ExplicitSetting_FolderWithoutInterpreter()
    {
        var dir = TempDir();
        var info = new PythonLocator(Env(("HARNESS_PYTHON", dir))).Locate();
        Assert.That(info.Found, Is.False);
        Assert.That(info.Problem, Does.Contain("no bin/python3"));
    }

    [Test]
    public void PythonNetPyDll_Missing_IsAnError()
    {
        var info = new PythonLocator(Env(("PYTHONNET_PYDLL", "/no/libpython3.11.so"))).Locate();
        Assert.That(info.Found, Is.False);
        Assert.That(info.Problem, Does.Contain("PYTHONNET_PYDLL=/no/libpython3.11.so"));
    }

    [Test]
    public void PathPythonWithoutSharedLibrary_IsRejected_ThenDebianDefaultIsTried()
    {
        var dir = TempDir();
        WriteScript(dir, "python3",
            """echo '{"version": "3.11.9", "executable": "/opt/static/bin/python3", "prefix": "/opt/static", "base_prefix": "/opt/static", "libdir": "/opt/static/lib", "ldlibrary": "libpython3.11.a", "instsoname": "libpython3.11.a", "shared": 0, "path": [], "modules": {}}'""");
        var info = new PythonLocator(Env(("PATH", dir)), debianLib: "/nonexistent/libpython3.11.so.1.0").Locate();
        var path = info.Tried.Single(t => t.Source == "PATH");
        Assert.That(path.Usable, Is.False);
        Assert.That(path.Reason, Does.Contain("no shared libpython").And.Contain("--enable-shared"));
        Assert.That(info.Tried[^1].Source, Is.EqualTo("Debian default"));
    }

    [Test]
    public void PathPythonWithoutNumpy_YieldsToTheDebianDefaultWithNumpy()
    {
        if (!File.Exists(PythonLocator.DebianLibPython)) Assert.Ignore("skipped: Debian libpython3.11 is not installed");
        var dir = TempDir();
        var lib = Path.Combine(dir, "libpython3.11.so.1.0");
        File.WriteAllText(lib, "");
        WriteScript(dir, "python3",
            $$$"""echo '{"version": "3.11.7", "executable": "{{{dir}}}/python3", "prefix": "{{{dir}}}", "base_prefix": "{{{dir}}}", "libdir": "{{{dir}}}", "ldlibrary": "libpython3.11.so", "instsoname": "libpython3.11.so.1.0", "shared": 1, "path": [], "modules": {"numpy": false}}'""");
        var info = new PythonLocator(Env(("PATH", dir))).Locate();
        var path = info.Tried.Single(t => t.Source == "PATH");
        Assert.That(path.Usable, Is.True, path.Reason);
        Assert.That(path.Reason, Does.Contain("no numpy"));
        if (info.Tried.Single(t => t.Source == "Debian default").Modules.GetValueOrDefault("numpy"))
            Assert.That(info.Source, Is.EqualTo("Debian default"), info.Describe());
        else
            Assert.That(info.Source, Is.EqualTo("PATH"), "without numpy anywhere, the first usable Python is still taken");
    }

    [Test]
    public void UnsupportedVersion_IsRejected()
    {
        var dir = TempDir();
        var fake = WriteScript(dir, "python3",
            """echo '{"version": "2.7.18", "executable": "/usr/bin/python2", "shared": 1, "path": [], "modules": {}}'""");
        var info = new PythonLocator(Env(("HARNESS_PYTHON", fake))).Locate();
        Assert.That(info.Problem, Does.Contain("2.7.18").And.Contain("not supported"));
    }

    [TestCase("libpython3.11.so.1.0", 3, 11)]
    [TestCase("libpython3.9.so", 3, 9)]
    [TestCase("python312.dll", 3, 12)]
    [TestCase("libpython3.13.dylib", 3, 13)]
    public void VersionFromLibraryName(string name, int major, int minor) =>
        Assert.That(PythonLocator.VersionFromLibraryName("/x/" + name), Is.EqualTo(new Version(major, minor)));

    [Test]
    public void DebianDefault_WhenInstalled_FindsInterpreterAndSysPath()
    {
        if (!File.Exists(PythonLocator.DebianLibPython)) Assert.Ignore("skipped: Debian libpython3.11 is not installed");
        var info = new PythonLocator(Env(("PATH", "/nonexistent-dir"))).Locate();
        Assert.That(info.Found, Is.True, info.Describe());
        Assert.That(info.Source, Is.EqualTo("Debian default"));
        Assert.That(info.LibPython, Is.EqualTo(PythonLocator.DebianLibPython));
        Assert.That(info.Version, Does.StartWith("3.11."));
        Assert.That(info.SysPath, Has.Some.Contains("/usr/lib/python3.11"));
    }

    [Test]
    public void PythonNetPyDll_Alone_FindsMatchingInterpreter()
    {
        if (!File.Exists(PythonLocator.DebianLibPython)) Assert.Ignore("skipped: Debian libpython3.11 is not installed");
        var info = new PythonLocator(Env(("PYTHONNET_PYDLL", PythonLocator.DebianLibPython))).Locate();
        Assert.That(info.Found, Is.True, info.Describe());
        Assert.That(info.Source, Is.EqualTo("PYTHONNET_PYDLL"));
        Assert.That(info.Executable, Does.StartWith("/usr/bin/python3"));
        Assert.That(info.SysPath, Is.Not.Empty);
    }

    [Test]
    public void HarnessPython_Venv_UsesTheVenvSysPath()
    {
        if (!File.Exists("/usr/bin/python3")) Assert.Ignore("skipped: /usr/bin/python3 is not installed");
        var dir = Path.Combine(TempDir(), "venv");
        try
        {
            Live.RunPython("/usr/bin/python3", "", args: ["-m", "venv", "--without-pip", "--system-site-packages", dir]);
        }
        catch (AssertionException ex)
        {
            Assert.Ignore("skipped: cannot create a venv with /usr/bin/python3 -m venv: " + ex.Message.Split('\n')[0]);
        }
        var info = new PythonLocator(Env(("HARNESS_PYTHON", dir))).Locate();
        Assert.That(info.Found, Is.True, info.Describe());
        Assert.That(info.Selected!.Prefix, Is.EqualTo(dir));
        Assert.That(info.Home, Is.EqualTo("/usr"));
        Assert.That(info.SysPath, Has.Some.StartsWith(dir + "/lib/python3"));
        Assert.That(info.LibPython, Does.Contain("libpython3"));
    }
}
