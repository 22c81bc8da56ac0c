using System.Diagnostics;
using System.Text.Json;

namespace WeightInit.Node;

/// <summary>What discovery found: the node executable, its version, and the TF.js package folder.</summary>
public sealed record NodeEnvironment(string NodePath, string NodeSource, string NodeVersion, string PackageFolder, string PackageSource,
                                     IReadOnlyDictionary<string, string?> Packages);

/// <summary>
/// Finds <c>node</c> and the pinned TF.js packages.
/// <list type="number">
/// <item><b>node</b>: <c>HARNESS_NODE</c> (an executable; when set, a broken value is an error, never silently replaced),
/// then <c>node</c> on <c>PATH</c>. The candidate is run once (<c>node --version</c>) so a broken install is named
/// here rather than at the first request.</item>
/// <item><b>packages</b>: <c>HARNESS_TFJS_DIR</c> (a folder with <c>node_modules/@tensorflow/...</c>), else the
/// project folder <c>src/WeightInit.Node/js</c> found by walking up from the current directory and from the
/// assembly's folder (so it works from a clone, from <c>bin/</c> and from test output folders). It must hold
/// the three packages at exactly <see cref="PinnedVersion"/>; otherwise <see cref="TfjsPackagesMissingException"/>
/// says to run <c>scripts/setup-node.sh</c>.</item>
/// </list>
/// </summary>
public sealed class NodeLocator
{
    /// <summary>The TF.js version the project pins (src/WeightInit.Node/js/package.json).</summary>
    public const string PinnedVersion = "4.22.0";

    /// <summary>The three packages the bridge loads: pure JavaScript, no native binary (never tfjs-node).</summary>
    public static readonly string[] Packages = ["@tensorflow/tfjs-core", "@tensorflow/tfjs-layers", "@tensorflow/tfjs-backend-cpu"];

    internal const string ProjectJsFolder = "src/WeightInit.Node/js";

    private readonly Func<string, string?> _env;
    private readonly IReadOnlyList<string> _searchRoots;

    public NodeLocator(Func<string, string?>? environment = null, IReadOnlyList<string>? searchRoots = null)
    {
        _env = environment ?? System.Environment.GetEnvironmentVariable;
        _searchRoots = searchRoots ?? [System.Environment.CurrentDirectory, AppContext.BaseDirectory];
    }

    /// <summary>Finds node and the packages; throws <see cref="NodeUnavailableException"/> or <see cref="TfjsPackagesMissingException"/>.</summary>
    public NodeEnvironment Locate()
    {
        var (node, source, version) = LocateNode();
        var (folder, folderSource, packages) = LocatePackages();
        return new NodeEnvironment(node, source, version, folder, folderSource, packages);
    }

    /// <summary>The node executable: <c>(path, where it came from, version)</c>.</summary>
    public (string Path, string Source, string Version) LocateNode()
    {
        var tried = new List<string>();
        var explicitNode = Nonempty(_env("HARNESS_NODE"));
        if (explicitNode is not null)
        {
            var (ok, version, why) = Probe(explicitNode);
            if (ok) return (explicitNode, "HARNESS_NODE", version!);
            tried.Add($"HARNESS_NODE={explicitNode}: {why}");
            throw new NodeUnavailableException(
                $"node not found: HARNESS_NODE={explicitNode} is not usable ({why}). Point HARNESS_NODE at a node executable (Node.js 18 or later), or unset it to use node on PATH.", tried);
        }
        tried.Add("HARNESS_NODE: not set");
        foreach (var dir in (_env("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var name in OperatingSystem.IsWindows() ? new[] { "node.exe" } : ["node"])
            {
                var exe = Path.Combine(dir, name);
                if (!File.Exists(exe)) continue;
                var (ok, version, why) = Probe(exe);
                if (ok) return (exe, "PATH", version!);
                tried.Add($"{exe} (PATH): {why}");
            }
        }
        if (tried.Count == 1) tried.Add("PATH: no node executable in any PATH folder");
        throw new NodeUnavailableException(
            "node not found: HARNESS_NODE is not set and no usable node is on PATH (" + string.Join("; ", tried.Skip(1)) +
            "). Install Node.js (Debian: apt-get install nodejs npm) or export HARNESS_NODE=/path/to/node.", tried);
    }

    /// <summary>The package folder holding the pinned packages, with each package's installed version.</summary>
    public (string Folder, string Source, IReadOnlyDictionary<string, string?> Versions) LocatePackages()
    {
        string? folder = Nonempty(_env("HARNESS_TFJS_DIR"));
        string source = "HARNESS_TFJS_DIR";
        if (folder is null)
        {
            source = "project folder";
            folder = _searchRoots.Select(FindProjectJsFolder).FirstOrDefault(f => f is not null);
            if (folder is null)
                throw new TfjsPackagesMissingException(
                    $"no {ProjectJsFolder} folder above {string.Join(" or ", _searchRoots)} and HARNESS_TFJS_DIR is not set", null);
        }
        else if (!Directory.Exists(folder))
            throw new TfjsPackagesMissingException($"HARNESS_TFJS_DIR={folder} does not exist", folder);

        var versions = new Dictionary<string, string?>();
        var problems = new List<string>();
        foreach (var pkg in Packages)
        {
            var manifest = Path.Combine(folder, "node_modules", pkg, "package.json");
            string? v = null;
            try
            {
                using var doc = JsonDocument.Parse(File.ReadAllText(manifest));
                v = doc.RootElement.TryGetProperty("version", out var e) ? e.GetString() : null;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException) { }
            versions[pkg] = v;
            if (v is null) problems.Add($"{pkg} is not installed in {Path.Combine(folder, "node_modules")}");
            else if (v != PinnedVersion) problems.Add($"{pkg} is {v}, not the pinned {PinnedVersion}");
        }
        if (problems.Count > 0) throw new TfjsPackagesMissingException(string.Join("; ", problems), folder);
        return (Path.GetFullPath(folder), source, versions);
    }

    private static string? FindProjectJsFolder(string start)
    {
        for (var dir = new DirectoryInfo(Path.GetFullPath(start)); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, ProjectJsFolder);
            if (File.Exists(Path.Combine(candidate, "package.json"))) return candidate;
        }
        return null;
    }

    private static string? Nonempty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    /// <summary>Runs <c>node --version</c> (10 s limit).</summary>
    private static (bool Ok, string? Version, string Why) Probe(string exe)
    {
        if (Directory.Exists(exe)) return (false, null, "is a folder, not an executable");
        if (!File.Exists(exe)) return (false, null, "no such file");
        try
        {
            var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
            psi.ArgumentList.Add("--version");
            using var p = Process.Start(psi)!;
            p.StandardInput.Close();
            var outTask = p.StandardOutput.ReadToEndAsync();
            var errTask = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(10_000))
            {
                try { p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
                p.WaitForExit();
                return (false, null, "did not answer --version within 10 s");
            }
            var output = outTask.Result.Trim();
            if (p.ExitCode != 0) return (false, null, $"--version exited with code {p.ExitCode}: {errTask.Result.Trim()}");
            if (!output.StartsWith('v')) return (false, null, $"--version printed '{output}', which is not a Node.js version");
            return (true, output, "ok");
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or IOException or InvalidOperationException)
        {
            return (false, null, "cannot run it: " + ex.Message);
        }
    }
}
