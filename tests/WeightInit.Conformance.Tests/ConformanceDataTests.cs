using System.Security.Cryptography;
using NUnit.Framework;
using WeightInit.Conformance.Engine;
using WeightInit.Conformance.Gate;

namespace WeightInit.Conformance.Tests;

/// <summary>
/// The data locator: the copy of the catalog, golden outputs and reference data embedded in the assembly (what a NuGet
/// consumer and the dotnet tool use) equals the repository's byte for byte, extracts to the cache folder, and loads
/// with every sha256 verified; a repository is recognised only with its data folders.
/// </summary>
[TestFixture]
public sealed class ConformanceDataTests
{
    private static IEnumerable<string> RepositoryDataFiles(string root) =>
        Directory.EnumerateFiles(Path.Combine(root, "conformance", "cases"), "*.json")
            .Concat(Directory.EnumerateFiles(Path.Combine(root, "conformance", "expectations"), "*.json"))
            .Concat(Directory.EnumerateFiles(Path.Combine(root, "conformance", "golden"), "*.json"))
            .Concat(Directory.EnumerateFiles(Path.Combine(root, "reference-data"), "*", SearchOption.AllDirectories)
                .Where(f => Path.GetDirectoryName(f) != Path.Combine(root, "reference-data")))
            .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal);

    [Test]
    public void The_packaged_data_equal_the_repository_and_load_with_their_sha256_verified()
    {
        var cache = Directory.CreateTempSubdirectory("weightinit-cache").FullName;
        try
        {
            var expected = RepositoryDataFiles(TestPaths.RepoRoot).ToArray();
            Assert.That(ConformanceData.PackagedFiles(), Is.EqualTo(expected), "the assembly embeds exactly the repository's data files");

            var packaged = ConformanceData.ExtractPackaged(cache);
            Assert.That(packaged.Source, Is.EqualTo(ConformanceDataSource.Package));
            Assert.That(packaged.Root, Does.StartWith(cache));
            foreach (var file in expected)
                Assert.That(SHA256.HashData(File.ReadAllBytes(Path.Combine(packaged.Root, file))),
                    Is.EqualTo(SHA256.HashData(File.ReadAllBytes(Path.Combine(TestPaths.RepoRoot, file)))), file);

            var catalog = packaged.LoadCatalog();
            Assert.That(catalog.Cases.Select(c => c.Id), Is.EqualTo(CaseCatalog.LoadFromRepository(TestPaths.RepoRoot).Cases.Select(c => c.Id)));
            var store = ReferenceStore.Shipped(packaged.Root, catalog);   // verifies sizes and sha256 of every file
            Assert.That(store.All.Select(d => d.Framework), Does.Contain(Framework.Keras).And.Contain(Framework.PyTorch));
            var marker = File.GetLastWriteTimeUtc(Path.Combine(packaged.Root, ".complete"));
            Assert.That(ConformanceData.ExtractPackaged(cache).Root, Is.EqualTo(packaged.Root));
            Assert.That(File.GetLastWriteTimeUtc(Path.Combine(packaged.Root, ".complete")), Is.EqualTo(marker), "a complete copy is reused, not extracted again");
            Assert.That(Directory.GetDirectories(Path.GetDirectoryName(packaged.Root)!), Has.Length.EqualTo(1), "no temporary folder is left behind");
        }
        finally
        {
            Directory.Delete(cache, true);
        }
    }

    [Test]
    public void A_tampered_packaged_file_fails_the_sha256_check()
    {
        var packaged = ConformanceData.Packaged();
        var copy = Directory.CreateTempSubdirectory("weightinit-tampered").FullName;
        try
        {
            var source = packaged.ReferenceFolder(Framework.Keras);
            var target = Path.Combine(copy, "keras");
            Directory.CreateDirectory(target);
            foreach (var f in Directory.EnumerateFiles(source)) File.Copy(f, Path.Combine(target, Path.GetFileName(f)));
            var npy = Directory.EnumerateFiles(target, "*.npy").Order(StringComparer.Ordinal).First();
            var bytes = File.ReadAllBytes(npy);
            bytes[^1] ^= 0x40;
            File.WriteAllBytes(npy, bytes);
            var ex = Assert.Throws<ReferenceDataException>(() => ReferenceData.Load(target))!;
            Assert.That(ex.Message, Does.Contain("sha256").IgnoreCase);
        }
        finally
        {
            Directory.Delete(copy, true);
        }
    }

    [Test]
    public void A_folder_with_only_a_Harness_sln_is_not_taken_for_the_repository()
    {
        var dir = Directory.CreateTempSubdirectory("not-the-repo").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "Harness.sln"), "");
            Assert.That(ConformanceData.FindRepository(dir), Is.Null);
            Assert.That(ConformanceData.FindRepository(dir, TestPaths.RepoRoot), Is.EqualTo(TestPaths.RepoRoot));
            var ex = Assert.Throws<ConformanceDataException>(() => ConformanceData.FromFolder(dir))!;
            Assert.That(ex.Message, Does.Contain(dir).And.Contain("conformance/cases"));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
