using System.Text.Json;
using NUnit.Framework;

namespace WeightInit.Node.Tests;

/// <summary>Keras → TF.js mapping: every Keras case of the catalog maps to a call or is not applicable with a reason.</summary>
public sealed class MappingTests
{
    public sealed record CatalogCase(string File, string Id, string Initializer, string ConfigJson, int[] Shape, string DType, long? FirstSeed)
    {
        public override string ToString() => Id;
    }

    public static IEnumerable<CatalogCase> KerasCases()
    {
        var dir = Path.Combine(Live.RepoRoot(), "conformance", "cases");
        foreach (var file in Directory.GetFiles(dir, "keras-*.json").Order())
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(file));
            foreach (var c in doc.RootElement.GetProperty("cases").EnumerateArray())
            {
                var seeds = c.GetProperty("seeds");
                yield return new CatalogCase(Path.GetFileName(file), c.GetProperty("id").GetString()!, c.GetProperty("initializer").GetString()!,
                    c.GetProperty("config").GetRawText(), c.GetProperty("shape").EnumerateArray().Select(x => x.GetInt32()).ToArray(),
                    c.GetProperty("dtype").GetString()!, seeds.ValueKind == JsonValueKind.Null ? null : seeds.GetProperty("first").GetInt64());
            }
        }
    }

    /// <summary>What the mapping must say for a case, from the rules in TfjsMapping's documentation.</summary>
    private static TfjsNotApplicableKind? ExpectedNotApplicable(CatalogCase c)
    {
        if (c.DType == "float64") return TfjsNotApplicableKind.UnsupportedDType;
        using var cfg = JsonDocument.Parse(c.ConfigJson);
        if (cfg.RootElement.TryGetProperty("input_axes", out _) || cfg.RootElement.TryGetProperty("output_axes", out _)) return TfjsNotApplicableKind.NoCounterpart;
        if (cfg.RootElement.TryGetProperty("distribution", out var d) && d.GetString()!.ToLowerInvariant() == "untruncated_normal") return TfjsNotApplicableKind.NoCounterpart;
        if (c.Initializer == "Identity" && (c.Shape.Length != 2 || c.Shape[0] != c.Shape[1])) return TfjsNotApplicableKind.RefusedShape;
        return null;
    }

    [Test]
    public void TheCatalogHasKerasCases() => Assert.That(KerasCases().Count(), Is.GreaterThanOrEqualTo(50));

    [TestCaseSource(nameof(KerasCases))]
    public void EveryKerasCaseMapsOrIsNotApplicableWithAReason(CatalogCase c)
    {
        var r = TfjsMapping.TryMap(c.Initializer, c.ConfigJson, new TensorShape(c.Shape), c.DType);
        var expected = ExpectedNotApplicable(c);
        if (expected is { } kind)
        {
            Assert.That(r, Is.InstanceOf<TfjsNotApplicable>(), $"{c.Id} should be not applicable ({kind})");
            var na = (TfjsNotApplicable)r;
            Assert.That(na.Kind, Is.EqualTo(kind));
            Assert.That(na.Reason, Does.Contain("TF.js").And.Length.GreaterThan(30));
        }
        else
        {
            Assert.That(r, Is.InstanceOf<TfjsCall>(), $"{c.Id} should map to a TF.js call, got {r}");
            var call = (TfjsCall)r;
            Assert.That(TfjsMapping.TfjsNames, Does.Contain(call.Initializer));
            Assert.That(call.DType, Is.EqualTo("float32"));
            Assert.That(call.Shape.Dimensions, Is.EqualTo(c.Shape));
        }
    }

    [TestCase("GlorotNormal", "glorotNormal")]
    [TestCase("glorot_uniform", "glorotUniform")]
    [TestCase("HeNormal", "heNormal")]
    [TestCase("he_uniform", "heUniform")]
    [TestCase("LecunNormal", "leCunNormal")]
    [TestCase("lecun_uniform", "leCunUniform")]
    [TestCase("VarianceScaling", "varianceScaling")]
    [TestCase("RandomNormal", "randomNormal")]
    [TestCase("normal", "randomNormal")]
    [TestCase("RandomUniform", "randomUniform")]
    [TestCase("TruncatedNormal", "truncatedNormal")]
    [TestCase("Orthogonal", "orthogonal")]
    [TestCase("OrthogonalInitializer", "orthogonal")]
    [TestCase("Zeros", "zeros")]
    [TestCase("ones", "ones")]
    [TestCase("Constant", "constant")]
    [TestCase("Identity", "identity")]
    public void ClassNamesMap(string keras, string tfjs)
    {
        var r = TfjsMapping.TryMap(keras, null, new TensorShape(4, 4), "float32");
        Assert.That(r, Is.InstanceOf<TfjsCall>());
        Assert.That(((TfjsCall)r).Initializer, Is.EqualTo(tfjs));
    }

    [Test]
    public void VarianceScalingConfigIsCamelCased()
    {
        var r = (TfjsCall)TfjsMapping.TryMap("VarianceScaling", """{"scale": 0.3, "mode": "fan_avg", "distribution": "Uniform", "seed": 5}""", new TensorShape(3, 4), "float32");
        Assert.That(r.ConfigJson, Is.EqualTo("""{"scale":0.3,"mode":"fanAvg","distribution":"uniform"}"""));
        var t = (TfjsCall)TfjsMapping.TryMap("VarianceScaling", """{"mode": "fan_out", "distribution": "normal"}""", new TensorShape(3, 4), "float32");
        // Keras "normal" means truncated_normal; TF.js' truncating value is 'normal' ('truncatedNormal' would draw a uniform).
        Assert.That(t.ConfigJson, Is.EqualTo("""{"scale":1,"mode":"fanOut","distribution":"normal"}"""));
        Assert.That(t.Notes, Has.Some.Contains("0.8796"));
    }

    [Test]
    public void RandomUniformAndConstantConfigs()
    {
        var u = (TfjsCall)TfjsMapping.TryMap("RandomUniform", """{"minval": 0.0, "maxval": 1.0}""", new TensorShape(1, 1), "float32");
        Assert.That(u.ConfigJson, Is.EqualTo("""{"minval":0,"maxval":1}"""));
        Assert.That(u.Notes, Has.Some.Contains("minval 0 becomes"));
        var c = (TfjsCall)TfjsMapping.TryMap("Constant", """{"value": -3.25}""", new TensorShape(7), "float32");
        Assert.That(c.ConfigJson, Is.EqualTo("""{"value":-3.25}"""));
        Assert.That(c.Seeded, Is.False);
        var o = (TfjsCall)TfjsMapping.TryMap("Orthogonal", """{"gain": 2.0}""", new TensorShape(8, 4), "float32");
        Assert.That(o.ConfigJson, Is.EqualTo("""{"gain":2}"""));
    }

    [Test]
    public void NonKerasSchemeIsNotApplicable()
    {
        var r = TfjsMapping.TryMap("CaffeXavier", null, new TensorShape(4, 4), "float32");
        Assert.That(r, Is.InstanceOf<TfjsNotApplicable>());
        Assert.That(((TfjsNotApplicable)r).Kind, Is.EqualTo(TfjsNotApplicableKind.NoCounterpart));
    }

    [Test]
    public void BadKerasInputIsATypedError()
    {
        Assert.That(() => TfjsMapping.TryMap("NoSuchInit", null, new TensorShape(2, 2), "float32"),
            Throws.TypeOf<UnknownInitializerException>().With.Message.Contains("NoSuchInit"));
        Assert.That(() => TfjsMapping.TryMap("VarianceScaling", """{"mode": "fan_sideways"}""", new TensorShape(2, 2), "float32"),
            Throws.InstanceOf<WeightInitException>().With.Message.Contains("fan_sideways"));
        Assert.That(() => TfjsMapping.TryMap("HeNormal", null, new TensorShape(2, 2), "float16"),
            Throws.TypeOf<InvalidArgumentValueException>().With.Message.Contains("float16"));
        Assert.That(() => TfjsMapping.TryMap("HeNormal", "{not json", new TensorShape(2, 2), "float32"),
            Throws.TypeOf<InvalidConfigException>());
    }
}
