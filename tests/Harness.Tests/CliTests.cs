using System.Security.Cryptography;
using NUnit.Framework;
using WeightInit.IO;

namespace Harness.Tests;

/// <summary>The `harness` commands run in-process: outputs, exit codes and one-line errors for bad input.</summary>
[TestFixture]
[NonParallelizable] // redirects Console
public class CliTests : CliFixture
{
    [Test]
    public void Params_prints_keras_derived_parameters_as_json()
    {
        var (code, output, _) = Run("params", "he_normal", "--shape", "3,4,5");
        Assert.That(code, Is.Zero);
        Assert.That(output, Does.Contain("\"fan_in\": 12, \"fan_out\": 15").And.Contain("\"stddev\": 0.46411593993728634"));
    }

    [Test]
    public void Sample_writes_identical_npy_bytes_for_one_and_two_threads()
    {
        string a = Path.Combine(Dir, "a.npy"), b = Path.Combine(Dir, "b.npy");
        Assert.That(Run("sample", "glorot_normal", "--shape", "300,400", "--seed", "42", "--threads", "1", "--out", a).Code, Is.Zero);
        Assert.That(Run("sample", "glorot_normal", "--shape", "300,400", "--seed", "42", "--threads", "2", "--out", b).Code, Is.Zero);
        Assert.That(SHA256.HashData(File.ReadAllBytes(b)), Is.EqualTo(SHA256.HashData(File.ReadAllBytes(a))));
        var npy = NpyFile.Read(a);
        Assert.That(npy.Shape.ToArray(), Is.EqualTo(new[] { 300, 400 }));
        Assert.That(npy.DType, Is.EqualTo(WeightInit.DType.Float32));
    }

    [Test]
    public void Sample_float64_writes_f8()
    {
        string a = Path.Combine(Dir, "a.npy");
        Assert.That(Run("sample", "he_uniform", "--shape", "0,5", "--seed", "1", "--dtype", "float64", "--out", a).Code, Is.Zero);
        Assert.That(NpyFile.Read(a).DType, Is.EqualTo(WeightInit.DType.Float64));
    }

    [TestCase(new[] { "params", "he_normal", "--shape", "3,-2" }, "dimension 1 is -2")]
    [TestCase(new[] { "params", "he_normal", "--shape", "99999999999" }, "99999999999")]
    [TestCase(new[] { "params", "he_normal", "--shape", "65536,65536,65536,65536,65536" }, "overflows")]
    [TestCase(new[] { "params", "variance_scaling", "--shape", "3,4", "--config", "{\"scale\": 0}" }, "Argument `scale` must be positive float")]
    [TestCase(new[] { "params", "variance_scaling", "--shape", "3,4", "--config", "{\"scale\": NaN}" }, "scale")]
    [TestCase(new[] { "params", "variance_scaling", "--shape", "3,4", "--config", "{\"mode\": \"FAN_IN\"}" }, "Invalid `mode` argument: FAN_IN")]
    [TestCase(new[] { "params", "variance_scaling", "--shape", "3,4", "--config", "{\"distribution\": \"gamma\"}" }, "Invalid `distribution` argument")]
    [TestCase(new[] { "params", "he_norml", "--shape", "3,4" }, "'he_norml'")]
    [TestCase(new[] { "params", "identity", "--shape", "3,4,5" }, "Identity matrix initializer can only be used for 2D matrices")]
    [TestCase(new[] { "params", "orthogonal", "--shape", "7" }, "at least two-dimensional")]
    [TestCase(new[] { "params", "random_uniform", "--shape", "3", "--config", "{\"minval\": 1, \"maxval\": 0}" }, "minval")]
    [TestCase(new[] { "params", "he_normal", "--shape", "3", "--config", "{oops" }, "Malformed config JSON")]
    [TestCase(new[] { "sample", "he_normal", "--shape", "3", "--seed", "x", "--out", "/tmp/never.npy" }, "Invalid seed 'x'")]
    [TestCase(new[] { "sample", "he_normal", "--shape", "3", "--seed", "1", "--dtype", "float16", "--out", "/tmp/never.npy" }, "Invalid dtype 'float16'")]
    [TestCase(new[] { "sample", "he_normal", "--shape", "3", "--seed", "1", "--out", "/nonexistent-dir/x.npy" }, "Output folder does not exist")]
    public void Bad_input_exits_non_zero_with_one_clear_line(string[] args, string named)
    {
        var result = Run(args);
        AssertOneLineError(result, named);
        Assert.That(result.Out, Is.Empty);
    }

    [Test]
    public void List_names_every_scheme_with_its_formula()
    {
        var (code, output, _) = Run("list");
        Assert.That(code, Is.Zero);
        foreach (var name in new[] { "GlorotNormal", "HeUniform", "LecunNormal", "VarianceScaling", "Orthogonal", "Identity", "Tf1VarianceScaling", "Msra", "NumpyArticleXavier", "kaiming_normal_" })
            Assert.That(output, Does.Contain(name));
    }
}
