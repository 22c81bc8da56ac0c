using System.Text.Json.Nodes;
using NUnit.Framework;
using WeightInit.Conformance.Gate;
using WeightInit.Conformance.Regeneration;
using WeightInit.Node;

namespace WeightInit.Conformance.Tests;

/// <summary>
/// TF.js as a secondary reference: the catalog lists it exactly where TF.js has a counterpart, the committed
/// reference-data/tfjs/4.22.0 has the manifest shape <c>harness regenerate --framework tfjs</c> writes, the loader holds
/// it to "derived parameters not observed", and a dry run reproduces the committed bytes (when node and TF.js are here).
/// </summary>
[TestFixture]
public class TfjsReferenceDataTests
{
    private static readonly Lazy<CaseCatalog> Catalog = new(() => CaseCatalog.LoadFromRepository(TestPaths.RepoRoot));
    private static string Folder => ReferenceData.ShippedFolderOf(TestPaths.RepoRoot, Framework.TfJs);

    [Test]
    public void The_catalog_lists_tfjs_after_keras_exactly_for_the_Keras_cases_TF_js_maps()
    {
        int mapped = 0;
        foreach (var c in Catalog.Value.Cases.Where(c => c.HasReference(Framework.Keras)))
        {
            bool maps = TfjsMapping.TryMap(c.Initializer, c.ConfigJson, c.Shape, c.DType.Name()) is TfjsCall;
            Assert.That(c.HasReference(Framework.TfJs), Is.EqualTo(maps), $"{c.Id} ({c.File}): TF.js {(maps ? "has" : "has no")} counterpart");
            if (!maps) continue;
            mapped++;
            Assert.That(c.References.ToList().IndexOf(Framework.Keras), Is.LessThan(c.References.ToList().IndexOf(Framework.TfJs)), $"{c.Id}: keras first");
        }
        Assert.That(mapped, Is.EqualTo(41), "the Keras cases with a TF.js counterpart (all but float64, untruncated_normal, input_axes and non-square Identity)");
        Assert.That(Catalog.Value.Cases.Where(c => c.HasReference(Framework.TfJs)).All(c => c.HasReference(Framework.Keras)), Is.True);
    }

    [Test]
    public void A_case_listing_tfjs_without_a_counterpart_is_a_catalog_error_naming_it()
    {
        var f64 = Catalog.Value["he_normal-64x32-f64"];
        var ex = Assert.Throws<CaseCatalogException>(() => TfjsRegeneration.MapOrThrow(f64))!;
        Assert.That(ex.Message, Does.Contain("he_normal-64x32-f64").And.Contain("UnsupportedDType").And.Contain("remove tfjs"));
    }

    [Test]
    public void The_tfjs_manifest_records_packages_node_backend_and_the_mapped_call_of_every_case()
    {
        var data = ReferenceData.Load(Folder);
        data.CheckAgainst(Catalog.Value);
        var m = data.Manifest;
        Assert.That((m.Framework, m.FrameworkVersion, m.Backend, m.BackendVersion), Is.EqualTo(("tfjs", "4.22.0", "cpu", "4.22.0")));
        Assert.That(m.Command, Does.StartWith("scripts/harness regenerate --framework tfjs"));
        var json = (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(Folder, "manifest.json")))!;
        foreach (var p in new[] { "@tensorflow/tfjs-core", "@tensorflow/tfjs-layers", "@tensorflow/tfjs-backend-cpu" })
            Assert.That(json["packages"]![p]!.GetValue<string>(), Is.EqualTo("4.22.0"), p);
        Assert.That(json["node_version"]!.GetValue<string>(), Does.StartWith("v"));
        Assert.That(m.Cases.Select(r => r.Id), Is.EquivalentTo(Catalog.Value.Cases.Where(c => c.HasReference(Framework.TfJs)).Select(c => c.Id)));
        foreach (var entry in json["cases"]!.AsArray().OfType<JsonObject>())
        {
            var id = entry["id"]!.GetValue<string>();
            var c = Catalog.Value[id];
            var call = (TfjsCall)TfjsMapping.TryMap(c.Initializer, c.ConfigJson, c.Shape, c.DType.Name());
            var r = data.Case(id);
            var (first, count, keep) = ReferenceRegenerator.Plan(c);
            Assert.Multiple(() =>
            {
                Assert.That(entry["mapped_call"]!["initializer"]!.GetValue<string>(), Is.EqualTo(call.Initializer), id);
                Assert.That(JsonNode.DeepEquals(entry["mapped_call"]!["config"], call.Config), Is.True, id);
                Assert.That(r.Serialized, Is.EqualTo(TfjsRegeneration.Serialized(call)), id);
                Assert.That(r.StoredDType, Is.EqualTo(DType.Float32), id);
                Assert.That(r.Derived.Distribution, Is.EqualTo(TfjsRegeneration.Distribution(call)), id);
                Assert.That((r.Derived.FanIn, r.Derived.FanOut, r.Derived.Stddev, r.Derived.Limit), Is.EqualTo(((long?)null, (long?)null, (double?)null, (double?)null)),
                    $"{id}: TF.js' derived parameters are not observed, so none is claimed");
                Assert.That((r.Seeds?.First, r.Seeds?.Count ?? 1, r.Values), Is.EqualTo((first, count, keep)), $"{id}: Keras' prefix rule");
            });
        }
    }

    [Test]
    public void A_tfjs_manifest_claiming_a_derived_stddev_is_refused()
    {
        var dir = Path.Combine(Path.GetTempPath(), "tfjs-ref-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        try
        {
            foreach (var f in Directory.EnumerateFiles(Folder)) File.Copy(f, Path.Combine(dir, Path.GetFileName(f)));
            var path = Path.Combine(dir, "manifest.json");
            var json = (JsonObject)JsonNode.Parse(File.ReadAllText(path))!;
            var he = json["cases"]!.AsArray().OfType<JsonObject>().First(o => o["id"]!.GetValue<string>() == "he_normal-3x3x64x128-f32");
            he["derived"]!["stddev"] = 0.0589;
            File.WriteAllText(path, json.ToJsonString());
            var ex = Assert.Throws<ReferenceDataException>(() => ReferenceData.Load(dir))!;
            Assert.That(ex.Message, Does.Contain("he_normal-3x3x64x128-f32").And.Contain("does not expose"));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Test]
    public void A_dry_run_reproduces_the_committed_bytes_and_leaves_the_data_alone()
    {
        var info = TfjsSampler.Probe();
        if (!info.Available) { Assert.Ignore($"TF.js through the Node bridge is not available ({info.Reason}); run scripts/setup-node.sh"); return; }
        var before = File.ReadAllText(Path.Combine(Folder, "manifest.json"));
        var log = new StringWriter();
        // Two cases drawn live (a uniform and a normal, small batches); the others are carried over from the committed data.
        var r = ReferenceRegenerator.Run(TestPaths.RepoRoot,
            new RegenerationOptions("tfjs", Filter: "he_", DryRun: true, Command: "test"), log);
        try
        {
            Assert.That(r.DryRunFolder, Is.Not.Null);
            Assert.That(r.Provenance["framework_version"]!.GetValue<string>(), Is.EqualTo("4.22.0"));
            Assert.That(r.Added, Is.Empty, log.ToString());
            Assert.That(r.Removed, Is.Empty, log.ToString());
            Assert.That(r.Changed, Is.Empty, "TF.js' seeded draws are reproducible: " + string.Join(", ", r.Changed));
            Assert.That(r.Unchanged, Is.EqualTo(41));
            Assert.That(log.ToString(), Does.Contain("he_uniform-3x3x64x128-f32").And.Contain("he_normal-1x1-f32"), "the filtered cases were drawn");
            Assert.That(File.ReadAllText(Path.Combine(Folder, "manifest.json")), Is.EqualTo(before), "a dry run leaves the committed data alone");
            ReferenceData.Load(r.DryRunFolder!).CheckAgainst(Catalog.Value);
        }
        finally { if (r.DryRunFolder is { } d && Directory.Exists(d)) Directory.Delete(d, recursive: true); }
    }
}
