using WeightInit;
using WeightInit.Node;

namespace Harness.Commands;

/// <summary>The TF.js part of <c>harness doctor</c>: which node, from where, the TF.js package versions and backend, or why not.</summary>
internal static class NodeDoctor
{
    internal sealed record Report(string? NodePath, string? NodeSource, string? NodeVersion, TfjsInfo Tfjs, string? LocateError);

    public static Report Probe()
    {
        string? path = null, source = null, version = null, error = null;
        try { (path, source, version) = new NodeLocator().LocateNode(); }
        catch (WeightInitException ex) { error = ex.Message; }
        var tfjs = error is null ? TfjsSampler.Probe() : new TfjsInfo(false, error, null);
        return new Report(path, source, version, tfjs, error);
    }

    public static object Json(Report r) => new
    {
        available = r.Tfjs.Available,
        node = r.NodePath,
        source = r.NodeSource,
        version = r.NodeVersion,
        packages = r.Tfjs.Bridge?.Packages,
        package_folder = r.Tfjs.Bridge?.PackageFolder,
        backend = r.Tfjs.Bridge?.Backend,
        error = r.Tfjs.Available ? null : r.Tfjs.Reason,
    };

    public static void Print(Report r)
    {
        Console.WriteLine("Node bridge (TensorFlow.js; node from HARNESS_NODE, then PATH):");
        if (r.NodePath is null)
        {
            Console.WriteLine("  node: NOT AVAILABLE: " + r.LocateError);
        }
        else
        {
            Console.WriteLine($"  node:     {r.NodeVersion} {r.NodePath} (from {r.NodeSource})");
            if (r.Tfjs.Bridge is { } b)
            {
                foreach (var (pkg, v) in b.Packages) Console.WriteLine($"  {pkg,-29} {v}");
                Console.WriteLine($"  backend:  {b.Backend}");
                Console.WriteLine($"  packages: {b.PackageFolder}");
            }
            else Console.WriteLine("  tfjs: NOT AVAILABLE: " + r.Tfjs.Reason);
        }
        Console.WriteLine();
    }
}
