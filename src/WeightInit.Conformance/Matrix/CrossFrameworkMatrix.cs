using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using WeightInit.Python;
using WeightInit.Random;
using WeightInit.Statistics;

namespace WeightInit.Conformance.Matrix;

/// <summary>Where an implementation's values come from.</summary>
public enum ImplementationKind { Library, LiveFramework, ReferenceData, NumpySnippet }

/// <summary>One implementation of a named scheme: how to get its values for a layer with <c>fan_in</c> inputs and <c>fan_out</c> outputs.</summary>
/// <param name="Label">Column label, e.g. <c>Keras HeNormal (this library)</c>.</param>
/// <param name="Kind">Library, live framework, reference data or the article's numpy snippet.</param>
/// <param name="Framework">keras, torch, numpy, csharp.</param>
/// <param name="Name">Initializer / function / sampler name.</param>
/// <param name="ConfigJson">Config or keyword arguments.</param>
/// <param name="Layout">keras (in, out) or torch (out, in) — the numpy snippet uses (out, in) too.</param>
/// <param name="Note">What is known about it (formula, truncation).</param>
public sealed record Implementation(string Label, ImplementationKind Kind, string Framework, string Name, string ConfigJson, string Layout, string Note)
{
    /// <summary>For reference-data columns: the case id whose stored values are used.</summary>
    public string? ReferenceCase { get; init; }
}

/// <summary>A named scheme of the source article and its nominal variance as a function of the fans.</summary>
public sealed record Scheme(string Name, string Nominal, Func<double, double, double> NominalVariance, IReadOnlyList<Implementation> Implementations);

/// <summary>Measured statistics of one implementation, in units of the scheme's nominal standard deviation.</summary>
public sealed record MatrixCell(
    string Label,
    string Kind,
    string Source,
    string Note,
    string? Shape,
    long? FanIn,
    long? FanOut,
    long N,
    double? VarianceRatio,
    double? ExcessKurtosis,
    double? MaxAbsZ,
    double? SupportZ,
    double? KsD,
    double? KsP,
    string Verdict,
    string? Absent);

/// <summary>One row: a scheme, its baseline (the first present implementation) and every implementation measured against it.</summary>
public sealed record MatrixRow(string Scheme, string Nominal, string Baseline, IReadOnlyList<MatrixCell> Cells);

/// <summary>The whole matrix with its environment.</summary>
public sealed record MatrixReport(string GeneratedUtc, int DenseFanIn, int DenseFanOut, IReadOnlyDictionary<string, string> Frameworks, IReadOnlyList<MatrixRow> Rows);

/// <summary>
/// The cross-framework matrix of <c>harness matrix</c>: every named scheme of the source article (Glorot/Xavier normal
/// and uniform, He/Kaiming normal and uniform, LeCun normal and uniform / Caffe xavier, the article's numpy snippets,
/// TF1 contrib, MSRA) across the implementations present — this library's Keras and PyTorch families and variants,
/// Keras 3 live and its reference data, PyTorch live and its reference data, the article's numpy snippets (legacy
/// <c>np.random.randn</c>) through the bridge. All values are expressed in units of the scheme's nominal σ for the
/// layer they were drawn for (so layouts and reference shapes compare), and each implementation is measured against
/// the row's baseline: variance ratio, excess kurtosis, max|z| against the support, and the two-sample KS distance.
/// </summary>
public static class CrossFrameworkMatrix
{
    /// <summary>The dense layer every live/library column is drawn for: 512 inputs, 256 outputs (Keras (512, 256), torch (256, 512)).</summary>
    public const int FanIn = 512, FanOut = 256;

    private const long Seed = 20_260_000;

    public static IReadOnlyList<Scheme> Schemes()
    {
        static Implementation K(string label, string name, string cfg, string note) => new(label, ImplementationKind.Library, "csharp", name, cfg, "keras", note);
        static Implementation T(string label, string name, string cfg, string note) => new(label, ImplementationKind.Library, "csharp", name, cfg, "torch", note);
        static Implementation LK(string name, string cfg, string note) => new($"Keras {name} (live)", ImplementationKind.LiveFramework, "keras", name, cfg, "keras", note);
        static Implementation LT(string name, string cfg, string note) => new($"PyTorch {name} (live)", ImplementationKind.LiveFramework, "torch", name, cfg, "torch", note);
        static Implementation RK(string name, string note) => new($"Keras {name} (reference data)", ImplementationKind.ReferenceData, "keras", name, "{}", "keras", note);
        static Implementation RT(string caseId, string name, string note) => new($"PyTorch {name} (reference data)", ImplementationKind.ReferenceData, "pytorch", name, "{}", "torch", note) { ReferenceCase = caseId };
        var npXavier = new Implementation("article numpy: randn(l, l-1)*sqrt(1/l)", ImplementationKind.NumpySnippet, "numpy", "article.xavier", "{}", "torch",
            "the article's snippet scales by layer_size[l], the OUTPUT size: Var = 1/fan_out");
        var npGlorot = new Implementation("article numpy: randn(l, l-1)*sqrt(2/(l+l-1))", ImplementationKind.NumpySnippet, "numpy", "article.glorot", "{}", "torch",
            "Var = 2/(fan_in+fan_out), untruncated (legacy np.random.randn)");
        const string tn = "truncated at ±2σ, stddev rescaled by 1/0.87962566";
        const string untr = "untruncated normal";
        return
        [
            new("Glorot / Xavier normal", "Var = 2/(fan_in+fan_out)", (i, o) => 2 / (i + o),
            [
                K("Keras GlorotNormal (this library)", "GlorotNormal", "{}", tn),
                LK("GlorotNormal", "{}", tn), RK("GlorotNormal", tn),
                T("PyTorch xavier_normal_ (this library)", "xavier_normal_", "{}", untr),
                LT("xavier_normal_", "{}", untr), RT("torch.xavier_normal_-256x128-f32", "xavier_normal_", untr),
                K("TF1 contrib xavier_initializer(uniform=False) (this library)", "Tf1Xavier", "{\"uniform\": false}", "TN stddev sqrt(1.3·2/(in+out)) at ±2σ: Var ×1.3·0.7737 = ×1.0059"),
                npGlorot, npXavier,
            ]),
            new("Glorot / Xavier uniform", "Var = 2/(fan_in+fan_out), limit sqrt(6/(fan_in+fan_out))", (i, o) => 2 / (i + o),
            [
                K("Keras GlorotUniform (this library)", "GlorotUniform", "{}", "U(±sqrt(6/(in+out)))"),
                LK("GlorotUniform", "{}", "U(±sqrt(6/(in+out)))"), RK("GlorotUniform", "U(±sqrt(6/(in+out)))"),
                T("PyTorch xavier_uniform_ (this library)", "xavier_uniform_", "{}", "U(±gain·sqrt(6/(in+out)))"),
                LT("xavier_uniform_", "{}", "U(±sqrt(6/(in+out)))"), RT("torch.xavier_uniform_-256x128-f32", "xavier_uniform_", "U(±sqrt(6/(in+out)))"),
                K("TF1 contrib xavier_initializer() (this library)", "Tf1Xavier", "{}", "U(±sqrt(6/(in+out)))"),
                K("Caffe \"xavier\" filler (this library)", "CaffeXavier", "{}", "U(±sqrt(3/fan_in)): named xavier, but LeCun uniform (fan_in only)"),
            ]),
            new("He / Kaiming normal (MSRA)", "Var = 2/fan_in", (i, o) => 2 / i,
            [
                K("Keras HeNormal (this library)", "HeNormal", "{}", tn),
                LK("HeNormal", "{}", tn), RK("HeNormal", tn),
                T("PyTorch kaiming_normal_(relu) (this library)", "kaiming_normal_", "{\"a\": 0, \"mode\": \"fan_in\", \"nonlinearity\": \"relu\"}", untr),
                LT("kaiming_normal_", "{\"a\": 0, \"mode\": \"fan_in\", \"nonlinearity\": \"relu\"}", untr),
                RT("torch.kaiming_normal_-relu-fan_in-128x64x3x3-f32", "kaiming_normal_", untr),
                K("TF1 contrib variance_scaling_initializer() = MSRA (this library)", "Msra", "{}", "TN stddev sqrt(1.3·2/fan_in) at ±2σ: Var ×1.0059"),
                K("TF1 contrib variance_scaling_initializer(factor=2, FAN_IN) (this library)", "Tf1VarianceScaling", "{}", "same as MSRA"),
            ]),
            new("He / Kaiming uniform", "Var = 2/fan_in, limit sqrt(6/fan_in)", (i, o) => 2 / i,
            [
                K("Keras HeUniform (this library)", "HeUniform", "{}", "U(±sqrt(6/in))"),
                LK("HeUniform", "{}", "U(±sqrt(6/in))"), RK("HeUniform", "U(±sqrt(6/in))"),
                T("PyTorch kaiming_uniform_(relu) (this library)", "kaiming_uniform_", "{\"a\": 0, \"mode\": \"fan_in\", \"nonlinearity\": \"relu\"}", "U(±sqrt(6/in))"),
                LT("kaiming_uniform_", "{\"a\": 0, \"mode\": \"fan_in\", \"nonlinearity\": \"relu\"}", "U(±sqrt(6/in))"),
                RT("torch.kaiming_uniform_-relu-fan_in-128x64x3x3-f32", "kaiming_uniform_", "U(±sqrt(6/in))"),
                K("TF1 contrib variance_scaling_initializer(uniform=True) (this library)", "Tf1VarianceScaling", "{\"uniform\": true}", "U(±sqrt(3·2/in))"),
                T("PyTorch nn.Linear default = kaiming_uniform_(a=√5) (this library)", "default_linear_", "{}", "U(±1/sqrt(in)): Var = 1/(3·fan_in), a sixth of He"),
                LT("kaiming_uniform_", "{\"a\": 2.23606797749979}", "nn.Linear/ConvNd default init") with { Label = "PyTorch nn.Linear default (live)" },
            ]),
            new("LeCun normal", "Var = 1/fan_in", (i, o) => 1 / i,
            [
                K("Keras LecunNormal (this library)", "LecunNormal", "{}", tn),
                LK("LecunNormal", "{}", tn), RK("LecunNormal", tn),
                T("PyTorch kaiming_normal_(linear) (this library)", "kaiming_normal_", "{\"a\": 0, \"mode\": \"fan_in\", \"nonlinearity\": \"linear\"}", untr + " (PyTorch has no lecun_normal)"),
                LT("kaiming_normal_", "{\"a\": 0, \"mode\": \"fan_in\", \"nonlinearity\": \"linear\"}", untr) with { Label = "PyTorch kaiming_normal_(linear) (live)" },
                K("TF1 contrib variance_scaling_initializer(factor=1, FAN_IN) (this library)", "Tf1VarianceScaling", "{\"factor\": 1.0, \"mode\": \"FAN_IN\", \"uniform\": false}", "TN stddev sqrt(1.3/fan_in) at ±2σ"),
                npXavier,
            ]),
            new("LeCun uniform / Caffe xavier", "Var = 1/fan_in, limit sqrt(3/fan_in)", (i, o) => 1 / i,
            [
                K("Keras LecunUniform (this library)", "LecunUniform", "{}", "U(±sqrt(3/in))"),
                LK("LecunUniform", "{}", "U(±sqrt(3/in))"), RK("LecunUniform", "U(±sqrt(3/in))"),
                K("Caffe xavier filler (this library)", "CaffeXavier", "{}", "U(±sqrt(3/fan_in)): LeCun uniform, not Glorot"),
                K("TF1 contrib variance_scaling_initializer(factor=1, uniform=True) (this library)", "Tf1VarianceScaling", "{\"factor\": 1.0, \"mode\": \"FAN_IN\", \"uniform\": true}", "U(±sqrt(3/in))"),
            ]),
        ];
    }

    /// <summary>Measures every scheme × implementation. Missing Python/frameworks/reference data make a cell "absent" with the reason.</summary>
    public static MatrixReport Run(string repositoryRoot, TextWriter? log = null)
    {
        var frameworks = new Dictionary<string, string>();
        var available = new Dictionary<string, string?>();   // framework -> null when available, else the reason
        foreach (var fw in new[] { "keras", "torch", "numpy" })
        {
            FrameworkInfo info;
            try { info = FrameworkSampler.Probe(fw); }
            catch (Exception ex) { info = new FrameworkInfo(fw, false) { Reason = ex.Message }; }
            available[fw] = info.Available ? null : info.Reason ?? "not available";
            frameworks[fw] = info.ToString();
        }
        var catalog = CaseCatalog.LoadFromRepository(repositoryRoot);
        ReferenceData? Load(Framework framework)
        {
            try { return ReferenceData.Load(ReferenceData.ShippedFolderOf(repositoryRoot, framework)); }
            catch (ConformanceDataException) { return null; }   // absent or corrupt: the column says "absent"
        }
        var keras = Load(Framework.Keras);
        var torch = Load(Framework.PyTorch);
        frameworks["keras reference data"] = keras is null ? "absent" : $"{keras.Manifest.Framework} {keras.Manifest.FrameworkVersion} ({keras.Manifest.Backend} {keras.Manifest.BackendVersion})";
        frameworks["pytorch reference data"] = torch is null ? "absent" : $"{torch.Manifest.Framework} {torch.Manifest.FrameworkVersion}";

        var rows = new List<MatrixRow>();
        foreach (var scheme in Schemes())
        {
            log?.WriteLine($"{scheme.Name} ...");
            var drawn = new List<(Implementation Impl, double[]? Z, string? Shape, long? Fi, long? Fo, string? Absent, double? Support)>();
            int k = 0;
            foreach (var impl in scheme.Implementations)
            {
                k++;
                try { drawn.Add(Draw(impl, scheme, catalog, keras, torch, available, Seed + 1000 * rows.Count + k)); }
                catch (Exception ex) { drawn.Add((impl, null, null, null, null, $"{ex.GetType().Name}: {ex.Message.Split('\n')[0]}", null)); }
            }
            var baseline = drawn.FirstOrDefault(d => d.Z is not null);
            var cells = new List<MatrixCell>();
            foreach (var d in drawn)
            {
                if (d.Z is null)
                {
                    cells.Add(new(d.Impl.Label, d.Impl.Kind.ToString(), d.Impl.Framework, d.Impl.Note, d.Shape, d.Fi, d.Fo, 0, null, null, null, null, null, null, "absent", d.Absent));
                    continue;
                }
                var (mean, variance, kurt, maxAbs) = Moments(d.Z);
                double? D = null, p = null;
                string verdict;
                if (ReferenceEquals(d.Z, baseline.Z)) verdict = "baseline";
                else
                {
                    var t = StatisticalTests.KolmogorovSmirnov2(d.Z, baseline.Z!);
                    D = t.Statistic; p = t.PValue;
                    var (_, bv, bk, _) = Moments(baseline.Z!);
                    double tol = 5 * Math.Sqrt((kurt + 2) / d.Z.Length + (bk + 2) / baseline.Z!.Length);
                    bool sameVar = Math.Abs(variance / bv - 1) < tol;
                    bool sameShape = p >= 1e-6;
                    verdict = sameVar && sameShape ? "agrees (variance and shape)"
                        : sameVar ? $"same variance, different shape (excess kurtosis {kurt:F2} vs {bk:F2}, max|z| {maxAbs:F2} vs {Moments(baseline.Z!).MaxAbs:F2})"
                        : $"variance ×{variance / bv:F3} of the baseline" + (sameShape ? "" : ", different shape");
                }
                cells.Add(new(d.Impl.Label, d.Impl.Kind.ToString(), d.Impl.Framework, d.Impl.Note, d.Shape, d.Fi, d.Fo, d.Z.Length,
                    variance, kurt, maxAbs, d.Support, D, p, verdict, null));
            }
            rows.Add(new MatrixRow(scheme.Name, scheme.Nominal, baseline.Impl?.Label ?? "none", cells));
        }
        return new MatrixReport(DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture), FanIn, FanOut, frameworks, rows);
    }

    private static (Implementation, double[]?, string?, long?, long?, string?, double?) Draw(Implementation impl, Scheme scheme, CaseCatalog catalog,
        ReferenceData? keras, ReferenceData? torch, Dictionary<string, string?> available, long seed)
    {
        var shape = impl.Layout == "keras" ? new TensorShape(FanIn, FanOut) : new TensorShape(FanOut, FanIn);
        double nominalStd = Math.Sqrt(scheme.NominalVariance(FanIn, FanOut));
        double[] Scale(IEnumerable<double> xs, double std) => xs.Select(x => x / std).ToArray();
        double? SupportOf(string name, string cfg, TensorShape s, double std)
        {
            try
            {
                var law = InitializerRegistry.Create(name, cfg, SeedSource.Fixed(0)).DeriveParameters(s).Distribution;
                return law switch
                {
                    UniformElements u => Math.Max(Math.Abs(u.Minval), Math.Abs(u.Maxval)) / std,
                    TruncatedNormalElements t => Math.Max(Math.Abs(t.Lower), Math.Abs(t.Upper)) / std,
                    _ => double.PositiveInfinity,
                };
            }
            catch (Exception) { return null; }
        }
        string libName = impl.Name == "kaiming_uniform_" && impl.ConfigJson.Contains("2.236") ? "default_linear_" : impl.Name;
        string libCfg = libName == "default_linear_" ? "{}" : impl.ConfigJson;
        switch (impl.Kind)
        {
            case ImplementationKind.Library:
            {
                var init = InitializerRegistry.Create(impl.Name, impl.ConfigJson, SeedSource.Fixed(seed));
                var values = init.SampleDouble(shape);
                return (impl, Scale(values, nominalStd), shape.ToCompactString(), FanIn, FanOut, null, SupportOf(impl.Name, impl.ConfigJson, shape, nominalStd));
            }
            case ImplementationKind.LiveFramework:
            case ImplementationKind.NumpySnippet:
            {
                if (available[impl.Framework] is { } reason) return (impl, null, shape.ToCompactString(), FanIn, FanOut, $"{impl.Framework} not available: {reason}", null);
                var a = FrameworkSampler.Sample(impl.Framework, impl.Name, impl.ConfigJson, shape, seed, impl.Kind == ImplementationKind.NumpySnippet ? "float64" : "float32");
                double? support = impl.Kind == ImplementationKind.NumpySnippet ? double.PositiveInfinity
                    : SupportOf(libName, libCfg, shape, nominalStd);
                return (impl, Scale(a.ToDoubleArray(), nominalStd), shape.ToCompactString(), FanIn, FanOut, null, support);
            }
            case ImplementationKind.ReferenceData:
            {
                var data = impl.Framework == "keras" ? keras : torch;
                if (data is null) return (impl, null, null, null, null, $"no {impl.Framework} reference data", null);
                var c = impl.ReferenceCase is not null ? catalog[impl.ReferenceCase]
                    : catalog.Cases.Where(x => x.Initializer == impl.Name && x.Config.Count == 0 && x.DType == DType.Float32 && x.Shape.Rank >= 2
                                               && x.Shape.Count >= 1024 && data.Contains(x.Id))
                        .OrderByDescending(x => x.Shape.Count).FirstOrDefault()
                      ?? throw new InvalidOperationException($"no {impl.Framework} reference case for {impl.Name}");
                var p = c.CreateInitializer().DeriveParameters(c.Shape);
                double std = Math.Sqrt(scheme.NominalVariance(p.FanIn!.Value, p.FanOut!.Value));
                return (impl with { Label = impl.Label + $" [{c.Id}]" }, Scale(data.Values(c.Id).ToDoubleArray(), std), c.Shape.ToCompactString(), p.FanIn, p.FanOut, null,
                    SupportOf(c.Initializer, c.ConfigJson, c.Shape, std));
            }
            default: throw new InvalidOperationException(impl.Kind.ToString());
        }
    }

    private static (double Mean, double Variance, double ExcessKurtosis, double MaxAbs) Moments(double[] z)
    {
        double mean = z.Average();
        double m2 = 0, m4 = 0, maxAbs = 0;
        foreach (var x in z)
        {
            double d = x - mean, d2 = d * d;
            m2 += d2; m4 += d2 * d2;
            maxAbs = Math.Max(maxAbs, Math.Abs(x));
        }
        m2 /= z.Length; m4 /= z.Length;
        return (mean, m2 * z.Length / (z.Length - 1), m4 / (m2 * m2) - 3, maxAbs);
    }

    // ------------------------------------------------------------------------------------------------ rendering

    private static string F(double? v, string fmt = "F3") => v is null ? "–" : double.IsPositiveInfinity(v.Value) ? "∞" : v.Value.ToString(fmt, CultureInfo.InvariantCulture);

    private static string P(double? p) => p is null ? "" : p.Value < 1e-300 ? "p<1e-300" : $"p={p.Value.ToString(p.Value < 1e-3 ? "0.0e+0" : "F3", CultureInfo.InvariantCulture)}";

    public static string ToJson(MatrixReport report) => JsonSerializer.Serialize(report, new JsonSerializerOptions
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    public static string ToMarkdown(MatrixReport report)
    {
        var sb = new StringBuilder();
        sb.AppendLine("# Cross-framework initializer matrix");
        sb.AppendLine();
        sb.AppendLine($"Generated {report.GeneratedUtc} by `scripts/harness matrix`. Layer: dense, fan_in = {report.DenseFanIn}, fan_out = {report.DenseFanOut} " +
                      $"(Keras layout ({report.DenseFanIn}, {report.DenseFanOut}), PyTorch and the article's numpy snippet ({report.DenseFanOut}, {report.DenseFanIn})); reference-data columns use their own case's shape and fans.");
        sb.AppendLine("All statistics are in units of the scheme's nominal σ for the layer the values were drawn for: **var ratio** = sample variance / nominal variance; " +
                      "**kurt** = excess kurtosis (normal 0, uniform −1.2, normal truncated at ±2σ −0.63); **max|z|** = largest |x|/σ, **support** = the law's bound in σ (∞ for a normal); " +
                      "**KS D** = two-sample Kolmogorov–Smirnov distance to the row's baseline (first column), with its p-value.");
        sb.AppendLine();
        sb.AppendLine("Frameworks: " + string.Join("; ", report.Frameworks.Select(kv => $"{kv.Key}: {kv.Value}")));
        foreach (var row in report.Rows)
        {
            sb.AppendLine();
            sb.AppendLine($"## {row.Scheme} — nominal {row.Nominal}");
            sb.AppendLine();
            sb.AppendLine("| implementation | shape | n | var ratio | kurt | max\\|z\\| | support | KS D vs baseline | verdict | note |");
            sb.AppendLine("|---|---|---:|---:|---:|---:|---:|---|---|---|");
            foreach (var c in row.Cells)
                sb.AppendLine(c.Absent is not null
                    ? $"| {c.Label} | {c.Shape} | – | – | – | – | – | – | absent: {c.Absent} | {c.Note} |"
                    : $"| {c.Label} | {c.Shape} | {c.N} | {F(c.VarianceRatio)} | {F(c.ExcessKurtosis, "F2")} | {F(c.MaxAbsZ, "F2")} | {F(c.SupportZ, "F2")} | {(c.KsD is null ? "" : $"{F(c.KsD, "F4")} ({P(c.KsP)})")} | {c.Verdict} | {c.Note} |");
        }
        return sb.ToString();
    }

    public static string ToHtml(MatrixReport report)
    {
        string E(string? s) => WebUtility.HtmlEncode(s ?? "");
        var sb = new StringBuilder();
        sb.AppendLine("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Cross-framework initializer matrix</title>");
        sb.AppendLine("<style>body{font-family:sans-serif;margin:1.5em}table{border-collapse:collapse;margin-bottom:1.5em}td,th{border:1px solid #bbb;padding:3px 6px;font-size:13px}td.n{text-align:right}tr.agree{background:#eef8ee}tr.differ{background:#fdeeee}tr.absent{color:#888}</style></head><body>");
        sb.AppendLine($"<h1>Cross-framework initializer matrix</h1><p>Generated {E(report.GeneratedUtc)}; dense layer fan_in {report.DenseFanIn}, fan_out {report.DenseFanOut}. Statistics in units of the scheme's nominal σ.</p>");
        sb.AppendLine("<p>" + E(string.Join("; ", report.Frameworks.Select(kv => $"{kv.Key}: {kv.Value}"))) + "</p>");
        foreach (var row in report.Rows)
        {
            sb.AppendLine($"<h2>{E(row.Scheme)} — nominal {E(row.Nominal)}</h2><table><tr><th>implementation</th><th>shape</th><th>n</th><th>var ratio</th><th>kurt</th><th>max|z|</th><th>support</th><th>KS D vs baseline</th><th>verdict</th><th>note</th></tr>");
            foreach (var c in row.Cells)
            {
                string cls = c.Absent is not null ? "absent" : c.Verdict is "baseline" || c.Verdict.StartsWith("agrees", StringComparison.Ordinal) ? "agree" : "differ";
                sb.AppendLine($"<tr class=\"{cls}\"><td>{E(c.Label)}</td><td>{E(c.Shape)}</td><td class=n>{c.N}</td><td class=n>{F(c.VarianceRatio)}</td><td class=n>{F(c.ExcessKurtosis, "F2")}</td>" +
                              $"<td class=n>{F(c.MaxAbsZ, "F2")}</td><td class=n>{F(c.SupportZ, "F2")}</td><td>{(c.KsD is null ? "" : E($"{F(c.KsD, "F4")} ({P(c.KsP)})"))}</td>" +
                              $"<td>{E(c.Absent is null ? c.Verdict : "absent: " + c.Absent)}</td><td>{E(c.Note)}</td></tr>");
            }
            sb.AppendLine("</table>");
        }
        sb.AppendLine("</body></html>");
        return sb.ToString();
    }
}
