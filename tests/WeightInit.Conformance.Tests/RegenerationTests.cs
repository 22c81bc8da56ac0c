using System.Text.Json.Nodes;
using NUnit.Framework;
using WeightInit.Conformance.Regeneration;

using WeightInit.Conformance.Gate;

namespace WeightInit.Conformance.Tests;

/// <summary>The pure parts of <c>harness regenerate</c>: sample plan, version folders, change report.</summary>
[TestFixture]
public class RegenerationTests
{
    private static readonly Lazy<CaseCatalog> Catalog = new(() => CaseCatalog.LoadFromRepository(TestPaths.RepoRoot));

    [Test]
    public void The_plan_reproduces_the_committed_sample_sizes_and_seeds()
    {
        foreach (var fw in new[] { ("keras", "3.15.1"), ("pytorch", "1.13.x"), ("tfjs", "4.22.0") })
        {
            var data = ReferenceData.Load(ReferenceData.FolderOf(TestPaths.RepoRoot, fw.Item1, fw.Item2));
            foreach (var r in data.Manifest.Cases)
            {
                var (first, count, keep) = ReferenceRegenerator.Plan(Catalog.Value[r.Id]);
                Assert.That(keep, Is.EqualTo(r.Values), r.Id);
                Assert.That(first, Is.EqualTo(r.Seeds?.First), r.Id);
                if (r.Seeds is not null) Assert.That(count, Is.EqualTo(r.Seeds.Count), r.Id);
            }
        }
    }

    [TestCase("pytorch", "1.13.0a0", "1.13.x")]
    [TestCase("pytorch", "1.13.1+cpu", "1.13.x")]
    [TestCase("pytorch", "2.5.0", "2.5.x")]
    [TestCase("keras", "3.15.1", "3.15.1")]
    [TestCase("tfjs", "4.22.0", "4.22.0")]
    public void Version_folders(string framework, string version, string folder) =>
        Assert.That(ReferenceRegenerator.VersionFolder(framework, version), Is.EqualTo(folder));

    [Test]
    public void Torch_default_linear_is_drawn_as_kaiming_uniform_with_a_sqrt5()
    {
        var c = Catalog.Value.Cases.First(x => x.Initializer == "default_linear_");
        var (name, config) = ReferenceRegenerator.FrameworkCall("torch", c);
        Assert.That(name, Is.EqualTo("kaiming_uniform_"));
        Assert.That(JsonNode.Parse(config)!["a"]!.GetValue<double>(), Is.EqualTo(Math.Sqrt(5.0)));
    }

    [Test]
    public void The_change_report_names_added_removed_and_changed_fields_and_treats_2_and_2point0_alike()
    {
        JsonObject M(params JsonObject[] cases) => new() { ["cases"] = new JsonArray(cases.Select(c => (JsonNode)c).ToArray()) };
        JsonObject C(string id, string sha, string derived) => new() { ["id"] = id, ["sha256"] = sha, ["derived"] = JsonNode.Parse(derived) };
        var (added, removed, changed, same) = ReferenceRegenerator.Compare(
            M(C("a", "1", "{\"stddev\": 2}"), C("b", "1", "{}"), C("c", "1", "{}")),
            M(C("a", "1", "{\"stddev\": 2.0}"), C("b", "2", "{}"), C("d", "1", "{}")));
        Assert.Multiple(() =>
        {
            Assert.That(added, Is.EqualTo(new[] { "d" }));
            Assert.That(removed, Is.EqualTo(new[] { "c" }));
            Assert.That(changed, Is.EqualTo(new[] { "b (sha256)" }));
            Assert.That(same, Is.EqualTo(1));
        });
    }
}
