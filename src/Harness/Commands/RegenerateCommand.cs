using System.CommandLine;
using WeightInit;
using WeightInit.Conformance;
using WeightInit.Conformance.Regeneration;
using WeightInit.Python;

namespace Harness.Commands;

/// <summary>
/// <c>harness regenerate --framework keras|torch|tfjs [--filter TEXT] [--allow-mixed] [--dry-run]</c>: samples every catalog
/// case that lists the framework under <c>reference</c> through the Python bridge (tfjs: the Node bridge) and rewrites
/// <c>reference-data/&lt;framework&gt;/&lt;version&gt;/</c> atomically, then prints what changed against the previous data.
/// Exit codes: 0 done, 1 refused (mixed versions) or failed, 2 framework or Python missing.
/// </summary>
internal static class RegenerateCommand
{
    public static Command Create()
    {
        var framework = new Option<string>("--framework") { Description = "keras, torch (stored under reference-data/pytorch/<major.minor>.x) or tfjs (through the Node bridge).", Required = true };
        framework.AcceptOnlyFromAmong("keras", "torch", "tfjs");
        var filter = new Option<string?>("--filter") { Description = "Regenerate only cases whose id contains this text (the others keep their data)." };
        var allowMixed = new Option<bool>("--allow-mixed") { Description = "Overwrite data produced by another framework version, backend, source commit or numpy version." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Generate into a temporary folder and report the changes; leave reference-data alone." };
        var command = new Command("regenerate", "Regenerate the reference data of a framework from the live framework: keras, torch through the Python bridge, tfjs through the Node bridge.")
        {
            framework, filter, allowMixed, dryRun,
        };
        command.SetAction(parse =>
        {
            var fw = parse.GetValue(framework)!;
            var args = $"--framework {fw}" + (parse.GetValue(filter) is { } f ? $" --filter {f}" : "") +
                       (parse.GetValue(allowMixed) ? " --allow-mixed" : "") + (parse.GetValue(dryRun) ? " --dry-run" : "");
            var options = new RegenerationOptions(fw, parse.GetValue(filter), parse.GetValue(allowMixed), parse.GetValue(dryRun),
                "scripts/harness regenerate " + args);
            try
            {
                var r = ReferenceRegenerator.Run(RepoPaths.Root(), options, Console.Error);
                var p = r.Provenance;
                Console.WriteLine(p["packages"] is { } packages
                    ? $"{p["framework"]} {p["framework_version"]} (backend {p["backend"]} {p["backend_version"]}, node {p["node_version"]}, packages {packages.ToJsonString()})"
                    : $"{p["framework"]} {p["framework_version"]} (backend {p["backend"]} {p["backend_version"]}, numpy {p["numpy_version"]}, python {p["python_version"]}, commit {p["source_commit"]?.ToString() ?? "unknown"})");
                Console.WriteLine($"changes against the previous data: {r.Added.Count} added, {r.Removed.Count} removed, {r.Changed.Count} changed, {r.Unchanged} unchanged");
                foreach (var x in r.Added) Console.WriteLine($"  added: {x}");
                foreach (var x in r.Removed) Console.WriteLine($"  removed: {x}");
                foreach (var x in r.Changed) Console.WriteLine($"  changed: {x}");
                Console.WriteLine(r.DryRunFolder is not null
                    ? $"dry run: {r.Cases} cases, {r.TotalBytes / 1e6:F2} MB in {r.DryRunFolder}; {r.Target} left as it was"
                    : $"wrote {Path.GetRelativePath(RepoPaths.Root(), r.Target)}: {r.Cases} cases, {r.TotalBytes / 1e6:F2} MB");
                return 0;
            }
            catch (MixedVersionsException ex) { Console.Error.WriteLine("refused: " + ex.Message); return 1; }
            catch (Exception ex) when (ex is PythonUnavailableException or FrameworkImportException or FrameworkUnavailableException
                                           or WeightInit.Node.NodeUnavailableException or WeightInit.Node.TfjsPackagesMissingException)
            {
                Console.Error.WriteLine(ex.Message);
                return 2;
            }
            // ...and every other typed error (the Node bridge's: process died, protocol, timeout, a TF.js error).
            catch (Exception ex) when (ex is ReferenceDataException or CaseCatalogException or InvalidOperationException or WeightInitException)
            {
                Console.Error.WriteLine("regenerate failed: " + ex.Message);
                return 1;
            }
        });
        return command;
    }
}
