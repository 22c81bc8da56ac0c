using System.Diagnostics;
using System.Text.Json.Nodes;
using NUnit.Framework;

namespace WeightInit.Node.Tests;

/// <summary>Bad input and broken processes give typed errors that name the cause, never a hang.</summary>
public sealed class BridgeFailureTests
{
    private static NodeHost NewHost(TimeSpan? timeout = null, string? script = null) => new(new NodeHostOptions
    {
        Environment = Live.RequireEnvironment(), ScriptPath = script, RequestTimeout = timeout ?? TimeSpan.FromSeconds(60),
    });

    [Test, CancelAfter(60_000)]
    public void UnknownInitializerIsTyped()
    {
        Live.RequireTfjs();
        Assert.That(() => TfjsSampler.SampleRaw("kaimingNormal", null, new TensorShape(2, 2), 1),
            Throws.TypeOf<UnknownInitializerException>().With.Message.Contains("kaimingNormal").And.Message.Contains("heNormal"));
    }

    [Test, CancelAfter(60_000)]
    public void BadShapeIsTyped()
    {
        using var host = NewHost();
        Assert.That(() => TfjsSampler.SampleUnchecked("heNormal", new JsonArray(-1, 2), host),
            Throws.TypeOf<InvalidShapeException>().With.Message.Contains("[-1,2]"));
        Assert.That(() => TfjsSampler.SampleUnchecked("heNormal", JsonValue.Create("3x3"), host),
            Throws.TypeOf<InvalidShapeException>().With.Message.Contains("3x3"));
        // The process survived bad input.
        Assert.That(TfjsSampler.SampleRaw("zeros", null, new TensorShape(2), null, host: host), Is.EqualTo(new float[2]));
        Assert.That(host.Starts, Is.EqualTo(1));
    }

    [Test, CancelAfter(60_000)]
    public void TfjsRefusalIsTypedWithTheJavaScriptError()
    {
        using var host = NewHost();
        Assert.That(() => TfjsSampler.SampleRaw("identity", null, new TensorShape(3, 5), null, host: host),
            Throws.TypeOf<TfjsErrorException>().With.Message.Contains("square").And.Property(nameof(TfjsErrorException.ErrorType)).EqualTo("ValueError"));
        Assert.That(() => TfjsSampler.SampleRaw("orthogonal", null, new TensorShape(7), 1, host: host),
            Throws.TypeOf<TfjsErrorException>().With.Message.Contains("at least 2D"));
    }

    [Test, CancelAfter(60_000)]
    public void NodeKilledInTheMiddleOfACallIsTypedAndTheNextCallRestarts()
    {
        using var host = NewHost();
        var info = host.Info;
        var sw = Stopwatch.StartNew();
        // The 'hang' hook receives the request and never answers: the call is in flight when node is killed.
        var call = Task.Run(() => host.Request(new JsonObject { ["op"] = "test", ["what"] = "hang" }));
        Thread.Sleep(300);
        Assert.That(call.IsCompleted, Is.False, "the call is in flight");
        Process.GetProcessById(info.Pid).Kill();
        var ex = Assert.Throws<NodeProcessDiedException>(() => call.GetAwaiter().GetResult());
        Assert.That(ex!.Signal, Is.EqualTo(9), ex.Message);
        Assert.That(ex.Message, Does.Contain("SIGKILL").And.Contain("test"));
        Assert.That(sw.Elapsed, Is.LessThan(TimeSpan.FromSeconds(30)));
        Assert.That(TfjsSampler.SampleRaw("ones", null, new TensorShape(3), null, host: host), Is.EqualTo(new float[] { 1, 1, 1 }));
        Assert.That(host.Starts, Is.EqualTo(2));
    }

    [Test, CancelAfter(60_000)]
    public void NodeDyingWithStderrReportsItsLastLines()
    {
        using var host = NewHost();
        var ex = Assert.Throws<NodeProcessDiedException>(() => host.Request(new JsonObject { ["op"] = "test", ["what"] = "stderr-then-die" }));
        Assert.That(ex!.StderrTail, Does.Contain("about to die"));
        var exit = Assert.Throws<NodeProcessDiedException>(() => host.Request(new JsonObject { ["op"] = "test", ["what"] = "exit", ["code"] = 7 }));
        Assert.That(exit!.ExitCode, Is.EqualTo(7));
        Assert.That(exit.Message, Does.Contain("exit code 7"));
    }

    [Test, CancelAfter(60_000)]
    public void TimeoutKillsTheProcessInsteadOfHanging()
    {
        using var host = NewHost(TimeSpan.FromSeconds(1));
        _ = host.Info;
        var sw = Stopwatch.StartNew();
        var ex = Assert.Throws<NodeTimeoutException>(() => host.Request(new JsonObject { ["op"] = "test", ["what"] = "hang" }));
        Assert.That(sw.Elapsed, Is.LessThan(TimeSpan.FromSeconds(15)));
        Assert.That(ex!.Message, Does.Contain("within 1 s"));
        Assert.That(TfjsSampler.SampleRaw("zeros", null, new TensorShape(1), null, host: host), Is.EqualTo(new float[1]));
    }

    [Test, CancelAfter(60_000)]
    public void GarbageOnStdoutIsAProtocolError()
    {
        using var host = NewHost();
        var ex = Assert.Throws<NodeProtocolException>(() => host.Request(new JsonObject { ["op"] = "test", ["what"] = "garbage" }));
        Assert.That(ex!.Seen, Does.StartWith("this is "));
    }

    [Test, CancelAfter(60_000)]
    public void AScriptThatPrintsGarbageIsAProtocolError()
    {
        var script = Path.Combine(Path.GetTempPath(), $"wi-garbage-{Guid.NewGuid():N}.js");
        File.WriteAllText(script, "console.log('Hello from a script that does not speak the protocol'); process.stdin.resume();\n");
        try
        {
            using var host = NewHost(script: script);
            var ex = Assert.Throws<NodeProtocolException>(() => _ = host.Info);
            Assert.That(ex!.Message, Does.Contain("not a bridge frame").And.Contain("Hell"));
        }
        finally { File.Delete(script); }
    }

    [Test]
    public void MissingNodeIsTyped()
    {
        var locator = new NodeLocator(name => name == "HARNESS_NODE" ? "/nope" : Environment.GetEnvironmentVariable(name));
        Assert.That(() => locator.LocateNode(), Throws.TypeOf<NodeUnavailableException>().With.Message.Contains("HARNESS_NODE=/nope").And.Message.Contains("no such file"));
        using var host = new NodeHost(new NodeHostOptions { Locator = locator });
        var probe = TfjsSampler.Probe(host);
        Assert.That(probe.Available, Is.False);
        Assert.That(probe.Reason, Does.Contain("/nope"));
        var noPath = new NodeLocator(name => name == "PATH" ? "/nonexistent-dir" : null);
        Assert.That(() => noPath.LocateNode(), Throws.TypeOf<NodeUnavailableException>().With.Message.Contains("no usable node is on PATH"));
    }

    [Test]
    public void MissingPackagesSayRunSetupNode()
    {
        var empty = Directory.CreateTempSubdirectory("wi-tfjs-empty-");
        try
        {
            var locator = new NodeLocator(name => name == "HARNESS_TFJS_DIR" ? empty.FullName : Environment.GetEnvironmentVariable(name));
            Assert.That(() => locator.LocatePackages(),
                Throws.TypeOf<TfjsPackagesMissingException>().With.Message.Contains("scripts/setup-node.sh").And.Message.Contains("@tensorflow/tfjs-core is not installed"));
        }
        finally { empty.Delete(true); }
    }

    [Test, CancelAfter(60_000)]
    public void DisposeReapsTheChild()
    {
        var host = NewHost();
        int pid = host.Info.Pid;
        Assert.That(Directory.Exists($"/proc/{pid}") || !OperatingSystem.IsLinux(), Is.True);
        host.Dispose();
        if (OperatingSystem.IsLinux()) Assert.That(Directory.Exists($"/proc/{pid}"), Is.False, "no process and no zombie left");
        Assert.That(() => host.Request(new JsonObject { ["op"] = "hello" }), Throws.TypeOf<ObjectDisposedException>());
    }

    [Test, CancelAfter(120_000)]
    public void TransferBenchmarkValuesArriveIntact()
    {
        using var host = NewHost();
        var r = TfjsSampler.MeasureTransfer(1 << 20, "float32", 2, host);
        Assert.That(r.Elements, Is.EqualTo(1 << 20));
        var d = TfjsSampler.MeasureTransfer(1000, "float64", 2, host);
        Assert.That(d.MedianBytesPerSecond, Is.GreaterThan(0));
    }
}
