using NUnit.Framework;
using WeightInit.Initializers;
using WeightInit.IO;
using WeightInit.Random;
using WeightInit.Serialization;

namespace WeightInit.Tests;

[TestFixture]
public class SerializationTests
{
    [TestCase(1.0, "1.0")]
    [TestCase(0.05, "0.05")]
    [TestCase(-0.05, "-0.05")]
    [TestCase(1e-5, "1e-05")]
    [TestCase(0.0001, "0.0001")]
    [TestCase(1e16, "1e+16")]
    [TestCase(1e15, "1000000000000000.0")]
    [TestCase(123.456, "123.456")]
    [TestCase(0.1 + 0.2, "0.30000000000000004")]
    [TestCase(2.5e-300, "2.5e-300")]
    [TestCase(0.0, "0.0")]
    public void Floats_are_written_like_python_repr(double value, string expected) =>
        Assert.That(PythonJson.FormatFloat(value), Is.EqualTo(expected));

    [Test]
    public void HeNormal_serializes_like_keras()
    {
        var json = new HeNormal(SeedSource.Fixed(42)).ToKerasJson();
        Assert.That(json, Is.EqualTo("{\"module\": \"keras.initializers\", \"class_name\": \"HeNormal\", \"config\": {\"seed\": 42, \"input_axes\": null, \"output_axes\": null}, \"registered_name\": null}"));
    }

    [Test]
    public void Variance_scaling_round_trips_through_keras_json()
    {
        var original = VarianceScaling.FromKeras(0.3, "fan_out", "Normal", SeedSource.Fixed(7), [0], [1, 2]);
        var json = original.ToKerasJson();
        var copy = (VarianceScaling)KerasConfig.Deserialize(json);
        Assert.That(copy.ToKerasJson(), Is.EqualTo(json));
        Assert.That(copy.Distribution, Is.EqualTo(VarianceDistribution.TruncatedNormal));
        var shape = TensorShape.Parse("4,5,6");
        Assert.That(copy.Sample(shape), Is.EqualTo(original.Sample(shape)));
    }

    [Test]
    public void Deserialize_accepts_a_bare_name_and_the_keras2_form()
    {
        Assert.That(KerasConfig.Deserialize("\"glorot_uniform\"").ClassName, Is.EqualTo("GlorotUniform"));
        Assert.That(KerasConfig.Deserialize("{\"class_name\": \"RandomNormal\", \"config\": {\"mean\": 1.0, \"stddev\": 2.0, \"seed\": 3}}").ToKerasJson(),
            Does.Contain("\"mean\": 1.0, \"stddev\": 2.0"));
    }

    [Test]
    public void Seed_generator_seed_round_trips()
    {
        var json = "{\"module\": \"keras.initializers\", \"class_name\": \"HeUniform\", \"config\": {\"seed\": {\"module\": \"keras.random\", \"class_name\": \"SeedGenerator\", \"config\": {\"seed\": 5}, \"registered_name\": null}, \"input_axes\": null, \"output_axes\": null}, \"registered_name\": null}";
        var init = (RandomInitializer)KerasConfig.Deserialize(json);
        Assert.That(init.Seed.Kind, Is.EqualTo(SeedKind.Generator));
        Assert.That(init.ToKerasJson(), Is.EqualTo(json));
    }

    [TestCase("{\"class_name\": \"HeNormal\", \"config\": {\"seed\": 1.5}}", "seed")]
    [TestCase("{\"class_name\": \"HeNormal\", \"config\": {\"scale\": 3}}", "scale")]
    [TestCase("{\"class_name\": \"VarianceScaling\", \"config\": {\"mode\": 3}}", "mode")]
    [TestCase("{\"class_name\": \"HeNormal\"", "Malformed")]
    [TestCase("{\"class_name\": \"NoSuchThing\"}", "NoSuchThing")]
    public void Bad_configs_are_rejected_naming_the_problem(string json, string named)
    {
        var ex = Assert.Throws(Is.InstanceOf<WeightInitException>(), () => KerasConfig.Deserialize(json));
        Assert.That(ex!.Message, Does.Contain(named));
    }

    [Test]
    public void Every_scheme_round_trips_its_config()
    {
        foreach (var scheme in InitializerRegistry.Schemes.Where(s => s.Family != "torch"))
        {
            bool deterministic = scheme.ClassName is "Zeros" or "Ones" or "Constant" or "Identity";
            var init = InitializerRegistry.Create(scheme.ClassName, deterministic ? "{}" : "{\"seed\": 3}");
            var json = init.ToKerasJson();
            Assert.That(KerasConfig.Deserialize(json).ToKerasJson(), Is.EqualTo(json), scheme.ClassName);
        }
    }

    [Test]
    public void Npy_round_trips_float32_and_float64_with_python_shape_headers()
    {
        var dir = Directory.CreateTempSubdirectory("npy");
        try
        {
            var shape = TensorShape.Parse("3,4");
            var f = Enumerable.Range(0, 12).Select(i => i * 0.5f).ToArray();
            var path = Path.Combine(dir.FullName, "a.npy");
            NpyFile.Write(path, f, shape);
            var back = NpyFile.Read(path);
            Assert.That(back.Single, Is.EqualTo(f));
            Assert.That(back.Shape, Is.EqualTo(shape));
            Assert.That(File.ReadAllBytes(path).Length % 64, Is.EqualTo(48 % 64).Or.EqualTo((128 + 48) % 64), "header padded to 64 bytes");

            var d = new double[] { 1.5 };
            NpyFile.Write(path, d, TensorShape.Parse("1"));
            Assert.That(NpyFile.Read(path).Double, Is.EqualTo(d));
            NpyFile.Write(path, Array.Empty<double>(), new TensorShape(0, 5));
            Assert.That(NpyFile.Read(path).Shape.ToString(), Is.EqualTo("(0, 5)"));
            Assert.That(Directory.GetFiles(dir.FullName), Has.Length.EqualTo(1), "no temp files left behind");
        }
        finally { dir.Delete(true); }
    }

    [Test]
    public void Truncated_npy_files_are_rejected()
    {
        var dir = Directory.CreateTempSubdirectory("npy");
        try
        {
            var path = Path.Combine(dir.FullName, "a.npy");
            NpyFile.Write(path, new float[100], TensorShape.Parse("100"));
            var bytes = File.ReadAllBytes(path);
            File.WriteAllBytes(path, bytes[..^8]);
            var ex = Assert.Throws<InvalidDataFileException>(() => NpyFile.Read(path));
            Assert.That(ex!.Message, Does.Contain("truncated"));
        }
        finally { dir.Delete(true); }
    }
}
