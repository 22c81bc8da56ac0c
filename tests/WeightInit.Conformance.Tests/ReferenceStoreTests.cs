using NUnit.Framework;
using WeightInit.Conformance.Checks;
using WeightInit.Conformance.Engine;
using WeightInit.Conformance.Gate;

namespace WeightInit.Conformance.Tests;

/// <summary>The one place that picks reference data: shipped versions, per-framework routing, the override, provenance.</summary>
[TestFixture]
public class ReferenceStoreTests
{
    private static readonly Lazy<CaseCatalog> Catalog = new(() => CaseCatalog.LoadFromRepository(TestPaths.RepoRoot));

    [Test]
    public void Each_framework_names_its_shipped_folder_once()
    {
        Assert.That(ReferenceData.ShippedFolderOf(TestPaths.RepoRoot, Framework.Keras), Does.EndWith(Path.Combine("reference-data", "keras", "3.15.1")));
        Assert.That(ReferenceData.ShippedFolderOf(TestPaths.RepoRoot, Framework.PyTorch), Does.EndWith(Path.Combine("reference-data", "pytorch", "1.13.x")));
        Assert.That(ReferenceData.ShippedFolderOf(TestPaths.RepoRoot, Framework.TfJs), Does.EndWith(Path.Combine("reference-data", "tfjs", "4.22.0")));
        foreach (var f in Framework.All) Assert.That(Directory.Exists(ReferenceData.ShippedFolderOf(TestPaths.RepoRoot, f)), f.Id);
    }

    [TestCase("torch", "pytorch")]
    [TestCase("pytorch", "pytorch")]
    [TestCase("Keras", "keras")]
    [TestCase("tfjs", "tfjs")]
    [TestCase("TFJS", "tfjs")]
    public void Framework_names_parse_both_spellings(string text, string id) => Assert.That(Framework.Parse(text).Id, Is.EqualTo(id));

    [Test]
    public void An_unknown_framework_names_the_bad_value()
    {
        var ex = Assert.Throws<InvalidArgumentValueException>(() => Framework.Parse("tensorflow"))!;
        Assert.That(ex.Message, Does.Contain("'tensorflow'").And.Contain("torch (pytorch)"));
    }

    [Test]
    public void Shipped_store_routes_each_case_to_its_frameworks_data()
    {
        var store = ReferenceStore.Shipped(TestPaths.RepoRoot, Catalog.Value);
        Assert.That(store.All.Select(d => d.Framework), Is.EqualTo(new[] { Framework.Keras, Framework.PyTorch, Framework.TfJs }));
        foreach (var c in Catalog.Value.Cases)
        {
            var data = store.For(c);
            if (c.HasReference(Framework.PyTorch)) Assert.That(data!.SourceFramework, Is.EqualTo(Framework.PyTorch), c.Id);
            else if (c.HasReference(Framework.Keras)) Assert.That(data!.SourceFramework, Is.EqualTo(Framework.Keras), c.Id);
            else Assert.That(data, Is.Null, $"{c.Id} has no reference data");
        }
        var provenance = store.Provenance();
        Assert.That(provenance["framework"], Is.EqualTo("keras"));
        Assert.That(provenance.ContainsKey("pytorch.framework_version"), Is.True);
        Assert.That(provenance["tfjs.framework_version"], Is.EqualTo("4.22.0"));
    }

    [Test]
    public void Secondary_references_are_the_other_frameworks_a_case_lists_and_the_main_one_stays_Keras()
    {
        var store = ReferenceStore.Shipped(TestPaths.RepoRoot, Catalog.Value);
        int withTfjs = 0;
        foreach (var c in Catalog.Value.Cases)
        {
            var secondary = store.Secondary(c);
            if (c.HasReference(Framework.TfJs))
            {
                withTfjs++;
                Assert.That(store.For(c)!.SourceFramework, Is.EqualTo(Framework.Keras), $"{c.Id}: Keras stays the main reference");
                Assert.That(secondary.Select(s => s.Framework), Is.EqualTo(new[] { Framework.TfJs }), c.Id);
                Assert.That(secondary[0].Data.Contains(c.Id), Is.True, c.Id);
            }
            else Assert.That(secondary, Is.Empty, c.Id);
        }
        Assert.That(withTfjs, Is.GreaterThan(30), "the Keras cases TF.js has a counterpart for");
        Assert.That(ReferenceStore.Override(ReferenceData.ShippedFolderOf(TestPaths.RepoRoot, Framework.Keras), Catalog.Value)
            .Secondary(Catalog.Value.Cases.First(c => c.HasReference(Framework.TfJs))), Is.Empty, "an override replaces every reference");
    }

    [Test]
    public void The_library_gets_one_two_sample_check_per_secondary_reference_named_after_its_data()
    {
        var store = ReferenceStore.Shipped(TestPaths.RepoRoot, Catalog.Value);
        var library = new ConformanceRunner(Catalog.Value, store, new WeightInit.Testing.LibraryUnderTest());
        var id = new CheckId("two-sample KS vs tfjs 4.22.0 reference");
        Assert.That(ConformanceRunner.SecondaryCheck(store.All.Single(d => d.Framework == Framework.TfJs).Data), Is.EqualTo(id));
        var he = Catalog.Value["he_normal-3x3x64x128-f32"];
        Assert.That(library.PlanChecks(he).Count(x => x == id), Is.EqualTo(1));
        Assert.That(library.PlanChecks(Catalog.Value["zeros-3x4-f32"]), Does.Not.Contain(id), "deterministic: compared exactly with Keras, no KS");
        Assert.That(library.PlanChecks(Catalog.Value["he_normal-0x5-f32"]), Does.Not.Contain(id), "zero-size: nothing to compare");
        Assert.That(library.PlanChecks(Catalog.Value["he_normal-64x32-f64"]), Does.Not.Contain(id), "float64: TF.js has no such case");
    }

    [Test]
    public void An_override_is_used_for_every_case_it_holds()
    {
        var folder = ReferenceData.ShippedFolderOf(TestPaths.RepoRoot, Framework.Keras);
        var store = ReferenceStore.Override(folder, Catalog.Value);
        var torchCase = Catalog.Value.Cases.First(c => c.HasReference(Framework.PyTorch));
        var kerasCase = Catalog.Value.Cases.First(c => c.HasReference(Framework.Keras));
        Assert.That(store.For(torchCase), Is.Null, "the Keras folder holds no torch case");
        Assert.That(store.For(kerasCase)!.Directory, Is.EqualTo(folder));
        Assert.That(store.Provenance().Keys.Any(k => k.Contains('.')), Is.False, "one folder, one provenance block");
    }

    [Test]
    public void A_missing_override_folder_is_a_typed_error_naming_it()
    {
        var missing = Path.Combine(Path.GetTempPath(), "no-such-reference-" + Guid.NewGuid().ToString("N"));
        var ex = Assert.Throws<ReferenceDataException>(() => ReferenceStore.Override(missing, Catalog.Value))!;
        Assert.That(ex.Message, Does.StartWith(missing).And.Contain("not found"));
    }

    [Test]
    public void The_runner_plans_reference_checks_only_where_the_store_has_data()
    {
        var runner = new ConformanceRunner(Catalog.Value, ReferenceStore.None, new WeightInit.Testing.LibraryUnderTest());
        foreach (var c in Catalog.Value.Cases)
            Assert.That(runner.PlanChecks(c).Any(x => x.OnReference || x == CheckId.TwoSample || x == CheckId.Parameters), Is.False, c.Id);
    }
}

/// <summary>Check ids: one spelling, the reference variant, and a round trip through the text reports write.</summary>
[TestFixture]
public class CheckIdTests
{
    [Test]
    public void Known_ids_round_trip_through_their_text()
    {
        foreach (var id in CheckId.Known)
        {
            Assert.That(CheckId.Parse(id.ToString()), Is.EqualTo(id));
            Assert.That(CheckId.Parse(id.OfReference().ToString()), Is.EqualTo(id.OfReference()));
        }
        Assert.That(CheckId.Variance.OfReference().ToString(), Is.EqualTo("reference variance"));
        Assert.That(CheckId.Known.Select(k => k.Name), Is.Unique);
    }

    [Test]
    public void The_reference_variant_is_a_different_check() =>
        Assert.That(CheckId.Ks.OfReference(), Is.Not.EqualTo(CheckId.Ks));
}
