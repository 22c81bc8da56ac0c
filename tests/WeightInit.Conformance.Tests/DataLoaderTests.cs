using System.Text.Json.Nodes;
using NUnit.Framework;

using WeightInit.Conformance.Gate;

namespace WeightInit.Conformance.Tests;

/// <summary>
/// The loaders fail loudly, naming file and case, on corrupt, truncated, stray or hand-edited data.
/// Each test works on a copy in a temporary folder; the repository's data are never touched.
/// </summary>
[TestFixture]
public class DataLoaderTests
{
    private const string RandomCaseFile = "keras-random.json";
    private const string EditedCase = "random_normal-m0.5-s2-64x32-f32";

    private string _temp = null!;

    [SetUp]
    public void CreateTempFolder()
    {
        _temp = Path.Combine(Path.GetTempPath(), "weightinit-gate-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(_temp);
    }

    [TearDown]
    public void DeleteTempFolder()
    {
        try { Directory.Delete(_temp, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private string CopyReference()
    {
        var source = ReferenceData.FolderOf(TestPaths.RepoRoot, "keras", "3.15.1");
        var target = Path.Combine(_temp, "keras", "3.15.1");
        Directory.CreateDirectory(target);
        foreach (var f in Directory.GetFiles(source)) File.Copy(f, Path.Combine(target, Path.GetFileName(f)));
        return target;
    }

    private string CopyCatalog()
    {
        var source = Path.Combine(TestPaths.RepoRoot, "conformance", "cases");
        var target = Path.Combine(_temp, "cases");
        Directory.CreateDirectory(target);
        foreach (var f in Directory.GetFiles(source, "*.json")) File.Copy(f, Path.Combine(target, Path.GetFileName(f)));
        return target;
    }

    private static void EditJson(string path, Action<JsonObject> edit)
    {
        var root = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        edit(root);
        File.WriteAllText(path, root.ToJsonString());
    }

    private static JsonObject ManifestCase(JsonObject manifest, string id) =>
        manifest["cases"]!.AsArray().Select(n => n!.AsObject()).Single(c => (string)c["id"]! == id);

    private static JsonObject CatalogCase(JsonObject file, string id) =>
        file["cases"]!.AsArray().Select(n => n!.AsObject()).Single(c => (string)c["id"]! == id);

    // ---------------------------------------------------------------- reference data

    [Test]
    public void An_intact_copy_of_the_reference_data_loads()
    {
        var data = ReferenceData.Load(CopyReference());
        Assert.That(data.Manifest.Cases, Is.Not.Empty);
        Assert.That(data.Values(EditedCase).Single, Has.Length.EqualTo(data.Case(EditedCase).Values));
    }

    [Test]
    public void A_flipped_byte_in_a_sample_file_fails_with_a_sha256_mismatch()
    {
        var dir = CopyReference();
        var file = Path.Combine(dir, EditedCase + ".npy");
        var bytes = File.ReadAllBytes(file);
        bytes[^3] ^= 0x40;
        File.WriteAllBytes(file, bytes);
        var ex = Assert.Throws<ReferenceDataException>(() => ReferenceData.Load(dir));
        Assert.That(ex!.Message, Does.Contain(EditedCase + ".npy").And.Contain($"case '{EditedCase}'").And.Contain("sha256 mismatch"));
        Assert.That(ex.CaseId, Is.EqualTo(EditedCase));
    }

    [Test]
    public void A_truncated_sample_file_fails_naming_both_sizes()
    {
        var dir = CopyReference();
        var file = Path.Combine(dir, EditedCase + ".npy");
        var bytes = File.ReadAllBytes(file);
        File.WriteAllBytes(file, bytes[..^100]);
        var ex = Assert.Throws<ReferenceDataException>(() => ReferenceData.Load(dir));
        Assert.That(ex!.Message, Does.Contain($"holds {bytes.Length - 100} bytes; manifest.json records {bytes.Length}").And.Contain("truncated"));
    }

    [Test]
    public void A_truncated_sample_file_with_a_doctored_manifest_still_fails_as_a_bad_npy()
    {
        var dir = CopyReference();
        var file = Path.Combine(dir, EditedCase + ".npy");
        var cut = File.ReadAllBytes(file)[..^4];
        File.WriteAllBytes(file, cut);
        EditJson(Path.Combine(dir, "manifest.json"), m =>
        {
            var c = ManifestCase(m, EditedCase);
            c["bytes"] = cut.Length;
            c["sha256"] = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(cut));
        });
        var ex = Assert.Throws<ReferenceDataException>(() => ReferenceData.Load(dir));
        Assert.That(ex!.Message, Does.Contain("not a valid .npy file").And.Contain("truncated"));
    }

    [Test]
    public void A_missing_sample_file_fails()
    {
        var dir = CopyReference();
        File.Delete(Path.Combine(dir, EditedCase + ".npy"));
        var ex = Assert.Throws<ReferenceDataException>(() => ReferenceData.Load(dir));
        Assert.That(ex!.Message, Does.Contain("listed in manifest.json but missing").And.Contain(EditedCase));
    }

    [Test]
    public void A_stray_file_in_the_folder_fails()
    {
        var dir = CopyReference();
        File.WriteAllText(Path.Combine(dir, "extra.npy"), "x");
        var ex = Assert.Throws<ReferenceDataException>(() => ReferenceData.Load(dir));
        Assert.That(ex!.Message, Does.Contain("extra.npy").And.Contain("not listed in manifest.json"));
    }

    [Test]
    public void A_malformed_manifest_fails()
    {
        var dir = CopyReference();
        var path = Path.Combine(dir, "manifest.json");
        File.WriteAllText(path, File.ReadAllText(path)[..^20]);
        var ex = Assert.Throws<ReferenceDataException>(() => ReferenceData.Load(dir));
        Assert.That(ex!.Message, Does.Contain("manifest.json").And.Contain("malformed JSON"));
    }

    private static IEnumerable<TestCaseData> ManifestEdits()
    {
        yield return new TestCaseData((Action<JsonObject>)(m => m["schema"] = "weightinit-reference-manifest/0"), "schema 'weightinit-reference-manifest/0' is not supported")
            .SetName("A manifest with another schema version fails");
        yield return new TestCaseData((Action<JsonObject>)(m => m.Remove("framework_version")), "missing required key `framework_version`")
            .SetName("A manifest without framework_version fails");
        yield return new TestCaseData((Action<JsonObject>)(m => ManifestCase(m, EditedCase).Remove("sha256")), $"case '{EditedCase}': missing required key `sha256`")
            .SetName("A manifest case without sha256 fails naming the case");
        yield return new TestCaseData((Action<JsonObject>)(m => ManifestCase(m, EditedCase)["sha256"] = "abc"), "is not 64 lower-case hex digits")
            .SetName("A manifest case with a malformed sha256 fails");
        yield return new TestCaseData((Action<JsonObject>)(m => ManifestCase(m, EditedCase)["values"] = 100), $"case '{EditedCase}': has shape (32768,); manifest.json records a 1-D array of 100 values")
            .SetName("A manifest case with a hand-edited value count fails");
        yield return new TestCaseData((Action<JsonObject>)(m => ManifestCase(m, EditedCase)["keras_output_dtype"] = "float64"), "holds float32; manifest.json records float64")
            .SetName("A manifest case with a hand-edited dtype fails");
        yield return new TestCaseData((Action<JsonObject>)(m => ManifestCase(m, EditedCase)["flavour"] = 1), "unknown key `flavour`")
            .SetName("A manifest case with an unknown key fails");
        yield return new TestCaseData((Action<JsonObject>)(m => ManifestCase(m, EditedCase)["derived"]!.AsObject().Remove("stddev")), "`derived.stddev` is required for distribution 'normal'")
            .SetName("A manifest case without its stddev fails");
        yield return new TestCaseData((Action<JsonObject>)(m => ManifestCase(m, EditedCase)["file"] = "../evil.npy"), "must be a plain .npy file name")
            .SetName("A manifest case pointing outside its folder fails");
    }

    [TestCaseSource(nameof(ManifestEdits))]
    public void Hand_edited_manifest_fails_loudly(Action<JsonObject> edit, string expected)
    {
        var dir = CopyReference();
        EditJson(Path.Combine(dir, "manifest.json"), edit);
        var ex = Assert.Throws<ReferenceDataException>(() => ReferenceData.Load(dir));
        Assert.That(ex!.Message, Does.Contain(expected));
        Assert.That(ex, Is.InstanceOf<WeightInitException>());
    }

    [Test]
    public void A_manifest_whose_config_was_edited_disagrees_with_the_catalog()
    {
        var dir = CopyReference();
        EditJson(Path.Combine(dir, "manifest.json"), m => ManifestCase(m, EditedCase)["config"]!["stddev"] = 3.0);
        var data = ReferenceData.Load(dir);
        var ex = Assert.Throws<ReferenceDataException>(() => data.CheckAgainst(CaseCatalog.LoadFromRepository(TestPaths.RepoRoot)));
        Assert.That(ex!.Message, Does.Contain($"case '{EditedCase}'").And.Contain("disagrees with the case catalog").And.Contain("config"));
    }

    // ---------------------------------------------------------------- case catalog

    private static IEnumerable<TestCaseData> CatalogEdits()
    {
        TestCaseData Edit(string name, Action<JsonObject> edit, string expected) =>
            new TestCaseData(edit, expected).SetName(name);
        yield return Edit("A catalog case with an unknown initializer fails", c => c["initializer"] = "he_normall", "unknown initializer 'he_normall'");
        yield return Edit("A catalog case with a bad dtype fails", c => c["dtype"] = "float16", "`dtype` must be float32 or float64; found 'float16'");
        yield return Edit("A catalog case with a wrong seed count fails", c => c["seeds"]!["count"] = 3, "`seeds.count` must be ceil(n / size) = ceil(262144 / 2048) = 128; found 3");
        yield return Edit("A catalog case with a seed in its config fails", c => c["config"]!["seed"] = 5, "`config` must not hold a seed");
        yield return Edit("A random catalog case without seeds fails", c => c["seeds"] = null, "RandomNormal is random: `seeds` must be");
        yield return Edit("A catalog case with an invalid config fails", c => c["config"]!["stddev"] = -1.0, "RandomNormal with config {\"mean\":0.5,\"stddev\":-1} on shape (64, 32) is invalid");
        yield return Edit("A catalog case with a misspelled key fails", c => { c["sahpe"] = c["shape"]!.DeepClone(); }, "unknown key `sahpe`");
        yield return Edit("A catalog case without why fails", c => c.Remove("why"), "missing required key `why`");
        yield return Edit("A catalog case with a negative dimension fails", c => c["shape"] = new JsonArray(64, -2), "`shape`[1] is -2");
        yield return Edit("A catalog case with an unknown reference framework fails", c => c["reference"] = new JsonArray("jax"), "unknown framework 'jax'");
        yield return Edit("A catalog case with a seed beyond uint32 fails", c => c["seeds"]!["first"] = 4294967296L, "`first` is 4294967296");
    }

    [TestCaseSource(nameof(CatalogEdits))]
    public void Invalid_catalog_case_fails_naming_file_and_case(Action<JsonObject> edit, string expected)
    {
        var dir = CopyCatalog();
        var file = Path.Combine(dir, RandomCaseFile);
        EditJson(file, doc => edit(CatalogCase(doc, EditedCase)));
        var ex = Assert.Throws<CaseCatalogException>(() => CaseCatalog.Load(dir));
        Assert.That(ex!.Message, Does.Contain(file).And.Contain($"case '{EditedCase}'").And.Contain(expected));
        Assert.That(ex.CaseId, Is.EqualTo(EditedCase));
    }

    [Test]
    public void Identity_on_a_rank_3_shape_is_an_invalid_catalog_case()
    {
        var dir = CopyCatalog();
        var file = Path.Combine(dir, "keras-deterministic.json");
        EditJson(file, doc => { var c = CatalogCase(doc, "identity-4x4-f32"); c["shape"] = new JsonArray(2, 2, 4); c["n"] = 16; });
        var ex = Assert.Throws<CaseCatalogException>(() => CaseCatalog.Load(dir));
        Assert.That(ex!.Message, Does.Contain("Identity matrix initializer can only be used for 2D matrices"));
    }

    [Test]
    public void A_duplicate_case_id_across_files_fails_naming_both_files()
    {
        var dir = CopyCatalog();
        EditJson(Path.Combine(dir, "variants.json"), doc => doc["cases"]!.AsArray()[0]!["id"] = EditedCase);
        var ex = Assert.Throws<CaseCatalogException>(() => CaseCatalog.Load(dir));
        Assert.That(ex!.Message, Does.Contain("duplicate case id").And.Contain(RandomCaseFile).And.Contain("variants.json"));
    }

    [Test]
    public void A_malformed_case_file_fails_naming_the_file()
    {
        var dir = CopyCatalog();
        var file = Path.Combine(dir, RandomCaseFile);
        File.WriteAllText(file, File.ReadAllText(file).Replace("\"cases\": [", "\"cases\": [,"));
        var ex = Assert.Throws<CaseCatalogException>(() => CaseCatalog.Load(dir));
        Assert.That(ex!.Message, Does.StartWith(file).And.Contain("malformed JSON"));
    }
}
