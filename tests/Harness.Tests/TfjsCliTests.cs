using System.Text.Json;
using NUnit.Framework;
using WeightInit.IO;
using WeightInit.Node;

namespace Harness.Tests;

/// <summary>`harness sample --framework tfjs` and the TF.js part of `harness doctor`.</summary>
public sealed class TfjsCliTests : CliFixture
{
    private static void RequireTfjs()
    {
        var info = TfjsSampler.Probe();
        if (!info.Available) Assert.Ignore("skipped: TF.js bridge not available: " + info.Reason);
    }

    [Test]
    public void Sample_tfjs_maps_the_keras_name_and_writes_float32_npy()
    {
        RequireTfjs();
        var path = Path.Combine(Dir, "he.npy");
        var (code, _, err) = Run("sample", "he_normal", "--framework", "tfjs", "--shape", "3,3,16,32", "--seed", "42", "--out", path);
        Assert.That(code, Is.Zero, err);
        Assert.That(err, Does.Contain("tf.initializers.heNormal").And.Contain("4.22.0"));
        var a = NpyFile.Read(path);
        Assert.That(a.Shape.Dimensions, Is.EqualTo(new[] { 3, 3, 16, 32 }));
        // TF.js cuts at 2·sqrt(2/fan_in) without Keras' 0.8796 correction (docs/frameworks/tfjs.md, D1).
        Assert.That(a.Single!.Max(v => Math.Abs(v)), Is.LessThanOrEqualTo(2 * Math.Sqrt(2.0 / 144) * (1 + 1e-6)));
    }

    [Test]
    public void Sample_tfjs_accepts_a_tfjs_name_with_a_tfjs_config()
    {
        RequireTfjs();
        var path = Path.Combine(Dir, "vs.npy");
        var (code, _, err) = Run("sample", "varianceScaling", "--framework", "tfjs", "--shape", "64,32", "--seed", "1",
                                 "--config", """{"scale":3,"mode":"fanAvg","distribution":"uniform"}""", "--out", path);
        Assert.That(code, Is.Zero, err);
        var limit = Math.Sqrt(3 * 3.0 / 48);
        var x = NpyFile.Read(path).Single!;
        Assert.That(x.Max(), Is.LessThan(limit).And.GreaterThan(0.95 * limit));
    }

    [Test]
    public void Sample_tfjs_float64_is_not_applicable_with_the_reason()
    {
        AssertOneLineError(Run("sample", "glorot_normal", "--framework", "tfjs", "--shape", "4,4", "--seed", "1", "--dtype", "float64", "--out", Path.Combine(Dir, "x.npy")), "float64");
        AssertOneLineError(Run("sample", "Identity", "--framework", "tfjs", "--shape", "3,5", "--out", Path.Combine(Dir, "x.npy")), "square");
        AssertOneLineError(Run("sample", "noSuchInit", "--framework", "tfjs", "--shape", "3,5", "--seed", "1", "--out", Path.Combine(Dir, "x.npy")), "noSuchInit");
    }

    [Test]
    public void Regenerate_tfjs_dry_run_reports_no_change_and_leaves_the_data_alone()
    {
        RequireTfjs();
        var (code, output, err) = Run("regenerate", "--framework", "tfjs", "--filter", "he_uniform-3x3", "--dry-run");
        Assert.That(code, Is.Zero, err);
        Assert.That(output, Does.Contain("tfjs 4.22.0 (backend cpu 4.22.0").And.Contain("@tensorflow/tfjs-core"));
        Assert.That(output, Does.Contain("0 added, 0 removed, 0 changed, 41 unchanged"), output + err);
        Assert.That(err, Does.Contain("he_uniform-3x3x64x128-f32: 32768 values"));
        var marker = output.IndexOf(" MB in ", StringComparison.Ordinal);
        Assert.That(marker, Is.GreaterThan(0), output);
        var folder = output[(marker + 7)..output.IndexOf(';', marker)];
        Assert.That(File.Exists(Path.Combine(folder, "manifest.json")), Is.True, folder);
        Directory.Delete(folder, recursive: true);
    }

    [Test]
    public void Regenerate_with_an_unknown_framework_names_it() =>
        Assert.That(Run("regenerate", "--framework", "tensorflow", "--dry-run").Code, Is.Not.Zero);

    [Test]
    public void Doctor_json_reports_node_and_the_tfjs_versions()
    {
        RequireTfjs();
        var (code, output, err) = Run("doctor", "--json");
        Assert.That(code, Is.Zero.Or.EqualTo(1), err); // 1 only when Python does not start
        using var doc = JsonDocument.Parse(output);
        var node = doc.RootElement.GetProperty("node");
        Assert.That(node.GetProperty("available").GetBoolean(), Is.True);
        Assert.That(node.GetProperty("version").GetString(), Does.StartWith("v"));
        Assert.That(node.GetProperty("backend").GetString(), Is.EqualTo("cpu"));
        Assert.That(node.GetProperty("packages").GetProperty("@tensorflow/tfjs-layers").GetString(), Is.EqualTo("4.22.0"));
    }
}
