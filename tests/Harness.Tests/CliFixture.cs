using NUnit.Framework;

namespace Harness.Tests;

/// <summary>Runs `harness` commands in-process with Console captured, in a fresh temporary folder per test.</summary>
[NonParallelizable] // redirects Console
public abstract class CliFixture
{
    /// <summary>The test's temporary folder (deleted after the test).</summary>
    protected string Dir { get; private set; } = null!;

    [SetUp]
    public void CreateFolder() => Dir = Directory.CreateTempSubdirectory("harness-cli").FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(Dir, true);

    /// <summary>Runs the command line; returns the exit code and what it wrote to stdout and stderr.</summary>
    protected static (int Code, string Out, string Err) Run(params string[] args)
    {
        var (oldOut, oldErr) = (Console.Out, Console.Error);
        var (o, e) = (new StringWriter(), new StringWriter());
        Console.SetOut(o);
        Console.SetError(e);
        try { return (HarnessCli.Run(args), o.ToString(), e.ToString()); }
        finally { Console.SetOut(oldOut); Console.SetError(oldErr); }
    }

    /// <summary>Bad input: a non-zero exit code and exactly one line on stderr, "harness: error: ...", naming <paramref name="named"/>.</summary>
    protected static void AssertOneLineError((int Code, string Out, string Err) result, string named)
    {
        Assert.That(result.Code, Is.Not.Zero);
        var lines = result.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(1), result.Err);
        Assert.That(lines[0], Does.StartWith("harness: error:").And.Contain(named));
        Assert.That(result.Err, Does.Not.Contain("   at "), "no stack trace");
    }
}
