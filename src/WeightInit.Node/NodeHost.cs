using System.Buffers.Binary;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace WeightInit.Node;

/// <summary>Settings of a <see cref="NodeHost"/>. The defaults are what <see cref="NodeHost.Shared"/> uses.</summary>
public sealed record NodeHostOptions
{
    /// <summary>Where node and the packages are; null runs <see cref="NodeLocator"/> at the first request.</summary>
    public NodeEnvironment? Environment { get; init; }

    /// <summary>The discovery to run when <see cref="Environment"/> is null (tests pass one with a fake environment).</summary>
    public NodeLocator? Locator { get; init; }

    /// <summary>A script to run instead of the embedded bridge.js (tests use it to provoke protocol errors).</summary>
    public string? ScriptPath { get; init; }

    /// <summary>How long node may take to start and load TF.js (answering the first <c>hello</c>).</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Default limit for one request; a batch of 2^22 values takes well under a second.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(300);
}

/// <summary>What the running bridge reported about itself (the <c>hello</c> answer).</summary>
public sealed record NodeBridgeInfo(string NodePath, string NodeSource, string NodeVersion, int Pid, string PackageFolder,
                                    IReadOnlyDictionary<string, string?> Packages, string Backend, IReadOnlyList<string> Initializers);

/// <summary>One answer of the bridge: its JSON header and the values (float32 or float64), if any.</summary>
internal sealed record BridgeResponse(JsonElement Header, float[]? Single, double[]? Double);

/// <summary>
/// One long-lived <c>node</c> child process running the project's <c>js/bridge.js</c>, spoken to over stdin/stdout
/// with a framed protocol (a JSON header, then raw little-endian float32/float64 values; see bridge.js).
/// </summary>
/// <remarks>
/// <para>Why a child process and not an embedded engine: TF.js is JavaScript, and node is on every machine; a separate
/// process also means a crash in TF.js can never take the harness down. Why long-lived: starting node and loading
/// TF.js costs about 0.3 s, a request on a small tensor well under a millisecond.</para>
/// <para>Lifetime: the process starts at the first request and is reaped on <see cref="Dispose"/> and at process
/// exit (stdin is closed, which makes bridge.js exit; after 2 s it is killed). Because bridge.js also exits when its
/// stdin closes, it cannot outlive a harness that was killed outright.</para>
/// <para>Failures: a request that gets no complete answer in time kills the process
/// (<see cref="NodeTimeoutException"/>); a process that ends mid-request gives <see cref="NodeProcessDiedException"/>
/// with the exit code or signal and the last stderr lines; bytes that are not a frame give
/// <see cref="NodeProtocolException"/>. After any of these the next request starts a fresh process.
/// Requests are serialized (one at a time per host); the host is thread-safe.</para>
/// </remarks>
public sealed class NodeHost : IDisposable
{
    private static readonly byte[] Magic = "WIR1"u8.ToArray();
    private const int MaxHeaderBytes = 16 * 1024 * 1024;
    private const int StderrLines = 20;

    private static readonly Lazy<NodeHost> SharedHost = new(() => new NodeHost());

    /// <summary>The process-wide host (one node child per harness process).</summary>
    public static NodeHost Shared => SharedHost.Value;

    private readonly NodeHostOptions _options;
    private readonly object _gate = new();
    private readonly Queue<string> _stderr = new();
    private NodeEnvironment? _environment;
    private Process? _process;
    private NodeBridgeInfo? _info;
    private long _nextId;
    private bool _disposed;
    private readonly EventHandler _onExit;

    public NodeHost(NodeHostOptions? options = null)
    {
        _options = options ?? new NodeHostOptions();
        _environment = _options.Environment;
        _onExit = (_, _) => StopAtExit();
        AppDomain.CurrentDomain.ProcessExit += _onExit;
    }

    /// <summary>The running child's pid, or null when none is running.</summary>
    public int? Pid
    {
        get { lock (_gate) return _process is { HasExited: false } p ? p.Id : null; }
    }

    /// <summary>How many node processes this host has started (a restart after a failure counts).</summary>
    public int Starts { get; private set; }

    /// <summary>Starts node if needed and returns what the bridge reported (versions, backend, initializers).</summary>
    public NodeBridgeInfo Info
    {
        get
        {
            lock (_gate)
            {
                EnsureStarted();
                return _info!;
            }
        }
    }

    /// <summary>Sends one request and reads its answer. Errors reported by the script come back in the header (<c>ok: false</c>).</summary>
    internal BridgeResponse Request(JsonObject request, TimeSpan? timeout = null)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            EnsureStarted();
            return Exchange(request, timeout ?? _options.RequestTimeout);
        }
    }

    private void EnsureStarted()
    {
        if (_process is { HasExited: false } && _info is not null) return;
        Discard();
        _environment ??= (_options.Locator ?? new NodeLocator()).Locate();
        var env = _environment;
        var psi = new ProcessStartInfo(env.NodePath)
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            WorkingDirectory = env.PackageFolder,
        };
        psi.ArgumentList.Add(_options.ScriptPath ?? ExtractScript());
        // The script may live in a temp folder: NODE_PATH lets require() find the pinned packages.
        psi.Environment["NODE_PATH"] = Path.Combine(env.PackageFolder, "node_modules");
        psi.Environment.Remove("NODE_OPTIONS");
        lock (_stderr) _stderr.Clear();
        var p = new Process { StartInfo = psi };
        p.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (_stderr)
            {
                _stderr.Enqueue(e.Data);
                while (_stderr.Count > StderrLines) _stderr.Dequeue();
            }
        };
        try { p.Start(); }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw new NodeUnavailableException($"cannot start {env.NodePath}: {ex.Message}", [env.NodePath]);
        }
        p.BeginErrorReadLine();
        _process = p;
        Starts++;

        var hello = Exchange(new JsonObject { ["op"] = "hello" }, _options.StartTimeout).Header;
        if (hello.TryGetProperty("loadError", out var le))
        {
            var msg = le.GetString() ?? "require failed";
            Discard();
            throw new TfjsPackagesMissingException("node cannot load TF.js: " + msg, env.PackageFolder);
        }
        var packages = hello.GetProperty("packages").EnumerateObject().ToDictionary(x => x.Name, x => x.Value.GetString());
        _info = new NodeBridgeInfo(env.NodePath, env.NodeSource, hello.GetProperty("node").GetString()!, hello.GetProperty("pid").GetInt32(),
                                   env.PackageFolder, packages, hello.GetProperty("backend").GetString()!,
                                   hello.GetProperty("initializers").EnumerateArray().Select(x => x.GetString()!).ToArray());
    }

    private BridgeResponse Exchange(JsonObject request, TimeSpan timeout)
    {
        var p = _process!;
        long id = ++_nextId;
        request["id"] = id;
        string op = request["op"]?.GetValue<string>() ?? "?";
        string what = request["initializer"]?.GetValue<string>() is { } init ? $"{op} {init}" : op;
        bool timedOut = false;
        // The watchdog kills the process when the answer is late: the blocked read then sees end of stream.
        using var watchdog = new Timer(_ => { timedOut = true; Kill(p); }, null, timeout, Timeout.InfiniteTimeSpan);
        try
        {
            var body = Encoding.UTF8.GetBytes(request.ToJsonString());
            var stdin = p.StandardInput.BaseStream;
            Span<byte> len = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(len, (uint)body.Length);
            stdin.Write(len);
            stdin.Write(body);
            stdin.Flush();

            var stdout = p.StandardOutput.BaseStream;
            Span<byte> pre = stackalloc byte[8];
            int got = ReadFully(stdout, pre);
            if (got < 8 || !pre[..4].SequenceEqual(Magic))
            {
                if (got == 0 || timedOut) throw Died(p, what, timedOut, timeout);
                // Not a frame: collect what else is readily there to show it, then drop the process.
                var seen = pre[..got].ToArray();
                throw Garbage(p, "node wrote something that is not a bridge frame to stdout", seen);
            }
            int headerLength = BinaryPrimitives.ReadInt32LittleEndian(pre[4..]);
            if (headerLength <= 0 || headerLength > MaxHeaderBytes)
                throw Garbage(p, $"bridge frame with an impossible header length {headerLength}", pre.ToArray());
            var headerBytes = new byte[headerLength];
            if (ReadFully(stdout, headerBytes) < headerLength) throw Died(p, what, timedOut, timeout);
            JsonElement header;
            try { header = JsonDocument.Parse(headerBytes).RootElement.Clone(); }
            catch (JsonException) { throw Garbage(p, "bridge frame header is not JSON", headerBytes); }
            if (header.ValueKind != JsonValueKind.Object)
                throw Garbage(p, "bridge frame header is not a JSON object", headerBytes);

            float[]? single = null;
            double[]? dbl = null;
            long bytes = header.TryGetProperty("bytes", out var b) ? b.GetInt64() : 0;
            if (bytes > 0)
            {
                string dtype = header.TryGetProperty("dtype", out var d) ? d.GetString() ?? "" : "";
                Span<byte> dest;
                if (dtype == "float32" && bytes % 4 == 0) { single = GC.AllocateUninitializedArray<float>((int)(bytes / 4)); dest = MemoryMarshal.AsBytes(single.AsSpan()); }
                else if (dtype == "float64" && bytes % 8 == 0) { dbl = GC.AllocateUninitializedArray<double>((int)(bytes / 8)); dest = MemoryMarshal.AsBytes(dbl.AsSpan()); }
                else throw Garbage(p, $"bridge frame with payload dtype '{dtype}' and {bytes} bytes", headerBytes);
                if (ReadFully(stdout, dest) < dest.Length) throw Died(p, what, timedOut, timeout);
                if (!BitConverter.IsLittleEndian)
                {
                    if (single is not null) for (int i = 0; i < single.Length; i++) single[i] = BitConverter.Int32BitsToSingle(BinaryPrimitives.ReverseEndianness(BitConverter.SingleToInt32Bits(single[i])));
                    else for (int i = 0; i < dbl!.Length; i++) dbl[i] = BitConverter.Int64BitsToDouble(BinaryPrimitives.ReverseEndianness(BitConverter.DoubleToInt64Bits(dbl[i])));
                }
            }
            if (header.TryGetProperty("id", out var rid) && rid.ValueKind == JsonValueKind.Number && rid.GetInt64() != id)
                throw Garbage(p, $"bridge answered request {rid.GetInt64()} while {id} was pending", headerBytes);
            if (timedOut) throw Died(p, what, true, timeout);
            return new BridgeResponse(header, single, dbl);
        }
        catch (IOException) // EPIPE on stdin: the process is gone
        {
            throw Died(p, what, timedOut, timeout);
        }
    }

    private static int ReadFully(Stream s, Span<byte> buffer)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n = s.Read(buffer[total..]);
            if (n == 0) break;
            total += n;
        }
        return total;
    }

    private Exception Died(Process p, string what, bool timedOut, TimeSpan timeout)
    {
        if (!p.WaitForExit(5000)) Kill(p);
        p.WaitForExit(); // also drains stderr
        Exception ex = timedOut ? new NodeTimeoutException(what, timeout) : new NodeProcessDiedException(what, SafeExitCode(p), StderrTail());
        Discard();
        return ex;
    }

    private Exception Garbage(Process p, string message, byte[] seen)
    {
        Kill(p);
        p.WaitForExit();
        var ex = new NodeProtocolException(message, Printable(seen));
        Discard();
        return ex;
    }

    private static int? SafeExitCode(Process p)
    {
        try { return p.HasExited ? p.ExitCode : null; } catch (InvalidOperationException) { return null; }
    }

    private string StderrTail()
    {
        lock (_stderr) return string.Join(" | ", _stderr.TakeLast(5));
    }

    internal static string Printable(ReadOnlySpan<byte> bytes)
    {
        var sb = new StringBuilder();
        foreach (var c in bytes[..Math.Min(bytes.Length, 200)])
            sb.Append(c is >= 0x20 and < 0x7f ? ((char)c).ToString() : $"\\x{c:x2}");
        if (bytes.Length > 200) sb.Append("...");
        return sb.ToString();
    }

    private static void Kill(Process p)
    {
        try { if (!p.HasExited) p.Kill(entireProcessTree: true); }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException) { }
    }

    private void Discard()
    {
        var p = _process;
        _process = null;
        _info = null;
        if (p is null) return;
        Kill(p);
        try { p.WaitForExit(5000); } catch (InvalidOperationException) { }
        p.Dispose();
    }

    /// <summary>Closes stdin (bridge.js exits on end of input), waits up to 2 s, then kills; the child is reaped.</summary>
    private void Stop()
    {
        lock (_gate)
        {
            var p = _process;
            if (p is null) return;
            try { p.StandardInput.Close(); } catch (IOException) { }
            try { if (!p.WaitForExit(2000)) Kill(p); p.WaitForExit(2000); } catch (InvalidOperationException) { }
            _process = null;
            _info = null;
            p.Dispose();
        }
    }

    /// <summary>
    /// Process exit: the same as <see cref="Stop"/> but without the request lock, so an exit while another thread is
    /// blocked in a request (which holds the lock) cannot hang; killing the child also ends that read.
    /// </summary>
    private void StopAtExit()
    {
        var p = Volatile.Read(ref _process);
        if (p is null) return;
        try
        {
            try { p.StandardInput.Close(); } catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException) { }
            if (!p.WaitForExit(2000)) Kill(p);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ObjectDisposedException or System.ComponentModel.Win32Exception) { }
    }

    public void Dispose()
    {
        if (_disposed) return;
        Stop();
        _disposed = true;
        AppDomain.CurrentDomain.ProcessExit -= _onExit;
    }

    private static readonly Lazy<string> ScriptText = new(() =>
    {
        using var s = typeof(NodeHost).Assembly.GetManifestResourceStream("WeightInit.Node.bridge.js")
                      ?? throw new InvalidOperationException("embedded resource WeightInit.Node.bridge.js is missing from the assembly");
        using var r = new StreamReader(s, Encoding.UTF8);
        return r.ReadToEnd();
    });

    /// <summary>The embedded bridge.js, written once to a content-addressed file in the temp folder (temp name + rename).</summary>
    internal static string ExtractScript()
    {
        var text = ScriptText.Value;
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16].ToLowerInvariant();
        var dir = Path.Combine(Path.GetTempPath(), "weightinit-node");
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, $"bridge-{hash}.js");
        if (File.Exists(path)) return path;
        var tmp = path + $".{System.Environment.ProcessId}.tmp";
        File.WriteAllText(tmp, text, new UTF8Encoding(false));
        File.Move(tmp, path, overwrite: true);
        return path;
    }
}
