using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using WeightInit;
using WeightInit.Python;

namespace Harness.Commands;

/// <summary>
/// <c>harness doctor [--json] [--bench]</c>: which Python the bridge embeds and from where (every discovery rule, in
/// order), and which frameworks import in it with their versions (keras with its backend and backend version, torch,
/// numpy, scipy), or why not and how to install them. Exit code 0 when Python starts, 1 when it does not.
/// </summary>
internal static class DoctorCommand
{
    private static readonly string[] FrameworkNames = ["numpy", "scipy", "torch", "keras"];

    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON document instead of the report." };
        var bench = new Option<bool>("--bench") { Description = "Also measure the Python-to-.NET transfer rate (10^7 float32) and a 10^7-element numpy sample." };
        var command = new Command("doctor", "Show which Python the bridge finds, from where, and which frameworks (keras + backend, torch, numpy, scipy) import, with versions.");
        command.Options.Add(json);
        command.Options.Add(bench);
        command.SetAction(parse => Run(parse.GetValue(json), parse.GetValue(bench)));
        return command;
    }

    private static int Run(bool asJson, bool bench)
    {
        var all = PythonHost.LocateAll();
        bool started = PythonHost.TryStart(out var reason);
        var env = PythonHost.Environment ?? PythonHost.Locate();
        var frameworks = started ? FrameworkNames.Select(FrameworkSampler.Probe).ToList() : [];
        var benchmark = started && bench ? Bench(frameworks) : null;
        var advice = Advice(all, env, frameworks);
        var node = NodeDoctor.Probe();

        if (asJson)
        {
            var doc = new
            {
                python = new
                {
                    started,
                    error = started ? null : reason,
                    source = env.Source,
                    executable = env.Executable,
                    libpython = env.LibPython,
                    version = env.Version,
                    home = env.Home,
                    sys_path = env.SysPath,
                },
                discovery = all.Tried.Select(t => new
                {
                    source = t.Source, location = t.Location, usable = t.Usable, reason = t.Reason,
                    selected = t == env.Selected, executable = t.Executable, libpython = t.LibPython, version = t.Version, modules = t.Modules,
                }),
                frameworks = frameworks.ToDictionary(f => f.Framework, f => new
                {
                    available = f.Available, version = f.Version, backend = f.Backend, backend_version = f.BackendVersion,
                    location = f.Location, found_through = f.FoundThrough, seeding = f.Seeding, error = f.Reason, hint = f.InstallHint,
                }),
                benchmark,
                node = NodeDoctor.Json(node),
                advice,
            };
            Console.WriteLine(JsonSerializer.Serialize(doc, new JsonSerializerOptions { WriteIndented = true }));
            return started ? 0 : 1;
        }

        var pythonnet = typeof(Python.Runtime.PythonEngine).Assembly.GetName().Version;
        NodeDoctor.Print(node);
        Console.WriteLine($"Python bridge (pythonnet {pythonnet?.ToString(3)})");
        Console.WriteLine();
        Console.WriteLine("Discovery (first usable wins: HARNESS_PYTHON / PYTHONNET_PYDLL, python3 on PATH, Debian default):");
        foreach (var t in all.Tried)
        {
            string mark = env.Selected is not null && Same(t, env.Selected) ? "*" : " ";
            string what = t.Usable ? $"Python {t.Version}, {t.Executable ?? "(no executable)"}, {t.LibPython}{Modules(t)}" : t.Reason;
            Console.WriteLine($"  {mark} {t.Source,-16} {t.Location}");
            Console.WriteLine($"      {what}");
        }
        Console.WriteLine();
        if (!started)
        {
            Console.WriteLine("Python: NOT AVAILABLE");
            Console.WriteLine("  " + reason);
            foreach (var a in advice) Console.WriteLine("hint: " + a);
            return 1;
        }
        Console.WriteLine($"Python {env.Version} (from {env.Source})");
        Console.WriteLine($"  executable: {env.Executable ?? "(none)"}");
        Console.WriteLine($"  libpython:  {env.LibPython}");
        Console.WriteLine($"  home:       {env.Home ?? "(default)"}");
        Console.WriteLine($"  sys.path:   {string.Join(Path.PathSeparator, env.SysPath)}");
        Console.WriteLine();
        Console.WriteLine("Frameworks (imported in the embedded interpreter):");
        foreach (var f in frameworks)
        {
            if (!f.Available)
            {
                Console.WriteLine($"  {f.Framework,-6} NOT AVAILABLE: {f.Reason}");
                Console.WriteLine($"         {f.InstallHint}");
                continue;
            }
            var extra = f.Framework switch
            {
                "keras" => $"backend {f.Backend} {f.BackendVersion}",
                "torch" => $"seeding: {f.Seeding}",
                _ => "",
            };
            Console.WriteLine($"  {f.Framework,-6} {f.Version,-10} {extra}".TrimEnd());
            if (f.Location is not null) Console.WriteLine($"         from {f.Location}");
            if (f.FoundThrough is not null)
                Console.WriteLine(f.FoundThrough == "HARNESS_KERAS_PATH"
                    ? "         found through HARNESS_KERAS_PATH (a Keras source checkout)"
                    : "         found as installed in this Python (e.g. pip install keras); HARNESS_KERAS_PATH is not in use");
        }
        if (benchmark is not null)
        {
            Console.WriteLine();
            Console.WriteLine("Benchmark:");
            foreach (var (k, v) in benchmark) Console.WriteLine($"  {k}: {v}");
        }
        foreach (var a in advice)
        {
            Console.WriteLine();
            Console.WriteLine("hint: " + a);
        }
        return 0;
    }

    private static bool Same(PythonCandidate a, PythonCandidate b) => a.Source == b.Source && a.Location == b.Location;

    private static string Modules(PythonCandidate c)
    {
        if (c.Modules.Count == 0) return "";
        var found = c.Modules.Where(m => m.Value).Select(m => m.Key).ToList();
        var missing = c.Modules.Where(m => !m.Value).Select(m => m.Key).ToList();
        return " [on its sys.path: " + (found.Count == 0 ? "none" : string.Join(", ", found))
               + (missing.Count == 0 ? "" : "; not: " + string.Join(", ", missing)) + "]";
    }

    /// <summary>Explains a selected Python that lacks numpy while another candidate has it, and a missing Keras.</summary>
    private static List<string> Advice(PythonEnvironmentInfo all, PythonEnvironmentInfo env, List<FrameworkInfo> frameworks)
    {
        var advice = new List<string>();
        var numpy = frameworks.FirstOrDefault(f => f.Framework == "numpy");
        bool selectedLacksNumpy = env.Selected is not null && (numpy is { Available: false } || env.Selected.Modules.TryGetValue("numpy", out var has) && !has);
        if (selectedLacksNumpy || env.Selected is null)
        {
            var better = all.Tried.FirstOrDefault(t => t.Usable && t.Executable is not null && t.Modules.GetValueOrDefault("numpy")
                                                       && (env.Selected is null || !Same(t, env.Selected)));
            if (better is not null)
            {
                var names = string.Join(", ", better.Modules.Where(m => m.Value).Select(m => m.Key));
                advice.Add((env.Selected is null ? "no Python was selected" : $"the selected Python ({env.Source}: {env.Executable ?? env.LibPython}) cannot import numpy")
                           + $", but {better.Executable} ({better.Source}) has {names}. Use it with: export HARNESS_PYTHON={better.Executable}");
            }
            else if (env.Selected is not null)
                advice.Add("install numpy, scipy and torch for the selected Python (Debian: scripts/setup-python.sh; elsewhere: pip install numpy scipy torch keras).");
        }
        if (frameworks.FirstOrDefault(f => f.Framework == "keras") is { Available: false })
            advice.Add("to sample Keras: pip install keras (with a backend such as jax, and KERAS_BACKEND=jax) in the selected Python, " +
                       $"or export HARNESS_KERAS_PATH=/path/to/keras-source[{Path.PathSeparator}/path/to/its/deps] for a Keras source checkout " +
                       "(git clone https://github.com/keras-team/keras; it runs on the numpy backend unless KERAS_BACKEND names another).");
        return advice;
    }

    private static Dictionary<string, string> Bench(List<FrameworkInfo> frameworks)
    {
        var result = new Dictionary<string, string>();
        if (frameworks.FirstOrDefault(f => f.Framework == "numpy") is not { Available: true })
        {
            result["skipped"] = "numpy does not import";
            return result;
        }
        FrameworkSampler.MeasureTransfer(1_000_000, "float32", 3); // warm-up
        static string Gbs(double bps) => (bps / 1e9).ToString("F2", CultureInfo.InvariantCulture) + " GB/s";
        var f32 = FrameworkSampler.MeasureTransfer(10_000_000, "float32", 20);
        result["transfer 10^7 float32 (40 MB), 20 runs"] = $"into a fresh array: best {Gbs(f32.BestBytesPerSecond)}, median {Gbs(f32.MedianBytesPerSecond)}; into a reused buffer: median {Gbs(f32.ReusedMedianBytesPerSecond)}";
        var f64 = FrameworkSampler.MeasureTransfer(10_000_000, "float64", 10);
        result["transfer 10^7 float64 (80 MB), 10 runs"] = $"into a fresh array: best {Gbs(f64.BestBytesPerSecond)}, median {Gbs(f64.MedianBytesPerSecond)}; into a reused buffer: median {Gbs(f64.ReusedMedianBytesPerSecond)}";
        var sw = Stopwatch.StartNew();
        FrameworkSampler.Sample("numpy", "generator.standard_normal", null, new TensorShape(10_000_000), 1, "float32");
        sw.Stop();
        result["numpy generator.standard_normal 10^7 float32, end to end"] = sw.Elapsed.TotalMilliseconds.ToString("F0", CultureInfo.InvariantCulture) + " ms";
        return result;
    }
}
