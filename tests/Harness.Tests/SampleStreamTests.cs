using System.Text.Json.Nodes;
using NUnit.Framework;
using WeightInit.IO;

namespace Harness.Tests;

/// <summary><c>harness sample --stream</c>: keras-numpy writes Keras' own values; streams that do not apply are refused.</summary>
public class SampleStreamTests : CliFixture
{
    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Harness.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException($"No Harness.sln above {AppContext.BaseDirectory}.");
    }

    // The first tensor of a committed Keras reference file is keras.initializers.get(NAME)(shape) at the case's first seed.
    [TestCase("vs-fan_in-uniform-s2-64x32-f64")]
    [TestCase("truncated_normal-m1.5-s0.1-3x3x16x32-f32")]
    [TestCase("vs-axes-32x4x16-f32")]
    public void Keras_numpy_stream_writes_Keras_values(string id)
    {
        var folder = Path.Combine(RepoRoot(), "reference-data", "keras", "3.15.1");
        var c = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "manifest.json")))!["cases"]!.AsArray()
            .Select(n => n!.AsObject()).Single(n => (string)n["id"]! == id);
        var shape = string.Join(",", c["shape"]!.AsArray().Select(d => (int)d!));
        var path = Path.Combine(Dir, "w.npy");
        var r = Run("sample", (string)c["initializer"]!, "--shape", shape, "--seed", ((long)c["seeds"]!["first"]!).ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--dtype", (string)c["dtype"]!, "--config", c["config"]!.ToJsonString(), "--stream", "keras-numpy", "--out", path);
        Assert.That(r.Code, Is.Zero, r.Err);
        var mine = NpyFile.Read(path);
        var keras = NpyFile.Read(Path.Combine(folder, (string)c["file"]!));
        int n = mine.Single?.Length ?? mine.Double!.Length;
        if (mine.Single is { } f) Assert.That(f, Is.EqualTo(keras.Single!.AsSpan(0, n).ToArray()));
        else Assert.That(mine.Double, Is.EqualTo(keras.Double!.AsSpan(0, n).ToArray()));
    }

    [Test]
    public void Default_stream_is_philox()
    {
        string a = Path.Combine(Dir, "a.npy"), b = Path.Combine(Dir, "b.npy");
        Assert.That(Run("sample", "he_normal", "--shape", "8,8", "--seed", "3", "--out", a).Code, Is.Zero);
        Assert.That(Run("sample", "he_normal", "--shape", "8,8", "--seed", "3", "--stream", "philox", "--out", b).Code, Is.Zero);
        Assert.That(File.ReadAllBytes(b), Is.EqualTo(File.ReadAllBytes(a)));
    }

    [TestCase(new[] { "sample", "he_normal", "--shape", "3,4", "--seed", "1", "--stream", "numpy-legacy" }, "'numpy-legacy' does not apply to HeNormal")]
    [TestCase(new[] { "sample", "kaiming_normal_", "--shape", "3,4", "--seed", "1", "--stream", "keras-numpy" }, "'keras-numpy' does not apply to kaiming_normal_")]
    [TestCase(new[] { "sample", "he_normal", "--shape", "3,4", "--seed", "1", "--stream", "pcg" }, "Unknown stream 'pcg'")]
    [TestCase(new[] { "sample", "NumpyArticleXavier", "--shape", "3,4", "--seed", "-1", "--stream", "numpy-legacy" }, "seed=-1")]
    public void Streams_that_do_not_apply_are_refused(string[] args, string named)
    {
        var result = Run([.. args, "--out", Path.Combine(Dir, "x.npy")]);
        Assert.That(result.Code, Is.EqualTo(2));
        AssertOneLineError(result, named);
        Assert.That(File.Exists(Path.Combine(Dir, "x.npy")), Is.False);
    }
}
