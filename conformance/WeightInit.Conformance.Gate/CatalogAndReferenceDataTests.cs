using System.Globalization;
using System.Text.Json.Nodes;
using NUnit.Framework;
using WeightInit.Initializers;

namespace WeightInit.Conformance.Gate;

/// <summary>
/// The case catalog (<c>conformance/cases/*.json</c>) and the Keras 3.15.1 reference data
/// (<c>reference-data/keras/3.15.1/</c>): they load, verify, agree with each other, cover what issue 5 asks for,
/// and the parameters Keras recorded while drawing the reference samples equal the library's bit for bit.
/// </summary>
[TestFixture]
public class CatalogAndReferenceDataTests
{
    private const string KerasVersion = "3.15.1";
    private const string KerasCommit = "250b42181ce9f37df68319d8f4753ec89a349a43";

    private static readonly Lazy<CaseCatalog> Catalog = new(() => CaseCatalog.LoadFromRepository(TestPaths.RepoRoot));
    private static readonly Lazy<ReferenceData> Keras = new(() => ReferenceData.Load(KerasFolder));
    private static string KerasFolder => ReferenceData.FolderOf(TestPaths.RepoRoot, "keras", KerasVersion);

    // ---------------------------------------------------------------- catalog

    [Test]
    public void The_case_catalog_loads_and_has_a_reasonable_size()
    {
        var n = Catalog.Value.Cases.Count;
        Assert.That(n, Is.InRange(50, 120), "cases (keep the gate under 5 minutes on 2 cores)");
        TestContext.Out.WriteLine($"{n} cases in {Catalog.Value.Files.Count} files");
    }

    [Test]
    public void The_catalog_covers_every_Keras_scheme()
    {
        var keras = InitializerRegistry.Schemes.Where(s => s.Family == "keras").Select(s => s.ClassName).ToHashSet();
        var covered = Catalog.Value.Cases.Select(c => InitializerRegistry.Find(c.Initializer).ClassName).ToHashSet();
        Assert.That(keras.Except(covered), Is.Empty, "Keras schemes without a case");
    }

    [Test]
    public void The_catalog_covers_the_source_article_variants_without_Keras_reference()
    {
        string[] variants = ["Tf1VarianceScaling", "Tf1Xavier", "CaffeXavier", "Msra", "NumpyArticleXavier", "NumpyArticleGlorot"];
        var cases = Catalog.Value.Cases.Where(c => variants.Contains(InitializerRegistry.Find(c.Initializer).ClassName)).ToList();
        Assert.That(variants.Except(cases.Select(c => InitializerRegistry.Find(c.Initializer).ClassName)), Is.Empty, "variants without a case");
        Assert.That(cases.Where(c => c.HasReference(Framework.Keras)).Select(c => c.Id), Is.Empty, "a variant cannot have Keras reference data");
        Assert.That(cases.All(c => !string.IsNullOrWhiteSpace(c.NoReference)), "variants say why they have no reference");
    }

    [Test]
    public void The_catalog_covers_ranks_0_to_5_conv_kernels_tiny_and_zero_size_shapes_and_both_dtypes()
    {
        var cases = Catalog.Value.Cases;
        var shapes = cases.Select(c => c.Shape.ToCompactString()).ToHashSet();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Enumerable.Range(0, 6).Except(cases.Select(c => c.Shape.Rank)), Is.Empty, "ranks without a case");
            Assert.That(shapes, Does.Contain("3x3x64x128"), "conv2d kernel");
            Assert.That(shapes, Does.Contain("5x5x5x8x16"), "conv3d kernel");
            Assert.That(cases.Any(c => c.Shape.Rank == 3), "conv1d kernel");
            Assert.That(shapes, Does.Contain("1x1"), "tiny shape");
            Assert.That(shapes, Does.Contain("3x4"), "non-integer fan_avg");
            Assert.That(cases.Any(c => c.Shape.Count == 0 && c.Shape[0] == 0), "zero-size leading dimension");
            Assert.That(cases.Any(c => c.Shape.Count == 0 && c.Shape[^1] == 0), "zero-size trailing dimension");
            Assert.That(cases.Select(c => c.DType).Distinct(), Is.EquivalentTo(new[] { DType.Float32, DType.Float64 }));
        }
    }

    [Test]
    public void The_catalog_covers_every_VarianceScaling_mode_and_distribution()
    {
        var combos = Catalog.Value.Cases
            .Where(c => InitializerRegistry.Find(c.Initializer).ClassName == "VarianceScaling")
            .Select(c => (VarianceScaling)c.CreateInitializer())
            .Select(v => (v.Mode, v.Distribution, v.Scale)).ToList();
        var missing = from m in Enum.GetValues<FanMode>()
                      from d in Enum.GetValues<VarianceDistribution>()
                      where !combos.Any(x => x.Mode == m && x.Distribution == d)
                      select $"{m}/{d}";
        Assert.That(missing, Is.Empty, "mode x distribution pairs without a case");
        Assert.That(combos.Select(x => x.Scale).Distinct().Count(), Is.GreaterThanOrEqualTo(4), "several scales");
    }

    [Test]
    public void The_catalog_covers_non_default_configs()
    {
        var cases = Catalog.Value.Cases.Select(c => (Case: c, Init: c.CreateInitializer())).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(cases.Any(x => x.Init is RandomNormal r && r.Mean != 0), "RandomNormal with mean != 0");
            Assert.That(cases.Any(x => x.Init is TruncatedNormal t && t.Mean != 0), "TruncatedNormal with mean != 0");
            Assert.That(cases.Any(x => x.Init is RandomUniform u && u.Minval != -u.Maxval), "asymmetric RandomUniform");
            Assert.That(cases.Any(x => x.Init is Orthogonal o && o.Gain != 1), "Orthogonal with gain != 1");
            Assert.That(cases.Any(x => x.Init is Identity i && i.Gain != 1), "Identity with gain != 1");
            Assert.That(cases.Any(x => x.Init is Constant k && k.Value != 0), "Constant with a value");
            Assert.That(cases.Any(x => x.Case.Config.ContainsKey("input_axes")), "explicit input_axes/output_axes");
        }
    }

    [Test]
    public void Small_shapes_reach_the_full_sample_size_through_many_seeds()
    {
        foreach (var c in Catalog.Value.Cases.Where(c => c.Seeds is not null && c.Shape.Count > 0))
        {
            Assert.That(c.Seeds!.Count * c.Shape.Count, Is.GreaterThanOrEqualTo(c.N), c.Id);
            Assert.That(c.N, Is.EqualTo(1L << 18), $"{c.Id}: default n = 2^18");
        }
    }

    [Test]
    public void Seed_ranges_of_different_cases_do_not_overlap()
    {
        var ranges = Catalog.Value.Cases.Where(c => c.Seeds is not null).OrderBy(c => c.Seeds!.First).ToList();
        for (int i = 1; i < ranges.Count; i++)
            Assert.That(ranges[i].Seeds!.First, Is.GreaterThan(ranges[i - 1].Seeds!.First + ranges[i - 1].Seeds!.Count - 1),
                $"{ranges[i - 1].Id} ({ranges[i - 1].Seeds}) overlaps {ranges[i].Id} ({ranges[i].Seeds})");
    }

    // ---------------------------------------------------------------- reference data

    [Test]
    public void Keras_reference_data_verifies_and_says_where_it_came_from()
    {
        var m = Keras.Value.Manifest;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(m.Framework, Is.EqualTo("keras"));
            Assert.That(m.FrameworkVersion, Is.EqualTo(KerasVersion));
            Assert.That(m.Backend, Is.EqualTo("numpy"));
            Assert.That(m.BackendVersion, Is.Not.Empty);
            Assert.That(m.NumpyVersion, Is.Not.Null.And.Not.Empty);
            Assert.That(m.SourceCommit, Is.EqualTo(KerasCommit));
            Assert.That(m.Command, Does.StartWith("scripts/harness regenerate --framework keras"));
        }
        TestContext.Out.WriteLine($"{m.Cases.Count} cases, {Keras.Value.TotalBytes / 1e6:F2} MB, generated {m.GeneratedUtc}");
    }

    [Test]
    public void Keras_reference_data_agrees_with_the_catalog() => Keras.Value.CheckAgainst(Catalog.Value);

    [Test]
    public void The_whole_reference_data_tree_is_at_most_25_MB()
    {
        var root = Path.Combine(TestPaths.RepoRoot, "reference-data");
        long total = new DirectoryInfo(root).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);
        Assert.That(total, Is.LessThanOrEqualTo(25L * 1024 * 1024), $"reference-data is {total / 1e6:F2} MB");
    }

    public static IEnumerable<TestCaseData> KerasCases() =>
        CaseCatalog.LoadFromRepository(TestPaths.RepoRoot).Cases.Where(c => c.HasReference(Framework.Keras))
            .Select(c => new TestCaseData(c.Id).SetName($"{c.Id}: Keras reference parameters equal the library's"));

    [TestCaseSource(nameof(KerasCases))]
    public void Keras_reference_parameters_equal_the_library_s(string id)
    {
        var c = Catalog.Value[id];
        var r = Keras.Value.Case(id).Derived;
        var p = c.CreateInitializer().DeriveParameters(c.Shape);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(InitializerRegistry.Find(c.Initializer).ClassName, Is.EqualTo(r.ClassName), "class");
            if (r.FanIn is not null) Assert.That(p.FanIn, Is.EqualTo(r.FanIn), "fan_in");
            if (r.FanOut is not null) Assert.That(p.FanOut, Is.EqualTo(r.FanOut), "fan_out");
            Assert.That(p.Distribution.Kind, Is.EqualTo(r.Distribution), "distribution");
            switch (p.Distribution)
            {
                case TruncatedNormalElements t:
                    Same("mean", r.Mean, t.Mean); Same("stddev", r.Stddev, t.Stddev); Same("lower", r.Lower, t.Lower); Same("upper", r.Upper, t.Upper);
                    break;
                case NormalElements nrm:
                    Same("mean", r.Mean, nrm.Mean); Same("stddev", r.Stddev, nrm.Stddev);
                    break;
                case UniformElements u:
                    Same("minval", r.Minval, u.Minval); Same("maxval", r.Maxval, u.Maxval);
                    if (r.Limit is not null) Same("limit", r.Limit, p.Limit ?? double.NaN);
                    break;
                case OrthogonalElements o:
                    Same("gain", r.Gain, o.Gain);
                    Assert.That((o.Rows, o.Cols), Is.EqualTo((r.Rows, r.Cols)), "rows, cols");
                    break;
                case IdentityElements i:
                    if (r.Gain is not null) Same("gain", r.Gain, i.Gain);
                    Assert.That((i.Rows, i.Cols), Is.EqualTo((r.Rows, r.Cols)), "rows, cols");
                    break;
                case ConstantElements k:
                    if (r.Value is not null) Same("value", r.Value, c.DType == DType.Float32 ? (float)k.Value : k.Value);
                    break;
            }
        }
    }

    public static IEnumerable<TestCaseData> KerasSerializationCases() =>
        CaseCatalog.LoadFromRepository(TestPaths.RepoRoot).Cases.Where(c => c.HasReference(Framework.Keras))
            .Select(c => new TestCaseData(c.Id).SetName($"{c.Id}: config JSON equals the one Keras serialized while sampling"));

    [TestCaseSource(nameof(KerasSerializationCases))]
    public void Config_json_equals_the_one_Keras_serialized(string id)
    {
        var c = Catalog.Value[id];
        var expected = Keras.Value.Case(id).Serialized;
        Assert.That(expected, Is.Not.Null, "manifest lacks keras_serialized");
        var actual = c.CreateInitializer(0).ToKerasJson();
        Assert.That(actual, Is.EqualTo(expected), $"\n  Keras: {expected}\n  C#:    {actual}");
    }

    private static void Same(string what, double? keras, double csharp)
    {
        Assert.That(keras, Is.Not.Null, $"manifest lacks {what}");
        if (keras is double k)
            Assert.That(csharp == k, Is.True,
                $"{what}: Keras {k.ToString("R", CultureInfo.InvariantCulture)} vs C# {csharp.ToString("R", CultureInfo.InvariantCulture)}");
    }
}
