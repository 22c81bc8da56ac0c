using NUnit.Framework;
using WeightInit.Random;
using WeightInit.Torch;

namespace WeightInit.Tests;

[TestFixture]
public class TorchFamilyTests
{
    [TestCase("linear", null, 1.0)]
    [TestCase("conv2d", null, 1.0)]
    [TestCase("sigmoid", null, 1.0)]
    [TestCase("tanh", null, 5.0 / 3)]
    [TestCase("relu", null, 1.4142135623730951)]
    [TestCase("leaky_relu", null, 1.4141428569978354)]   // slope 0.01 when param is None
    [TestCase("leaky_relu", 0.0, 1.4142135623730951)]
    [TestCase("leaky_relu", 0.2, 1.3867504905630728)]
    [TestCase("selu", null, 0.75)]
    public void Calculate_gain_follows_pytorch(string nonlinearity, double? param, double gain) =>
        Assert.That(TorchGain.Calculate(nonlinearity, param), Is.EqualTo(gain).Within(1e-15));

    [Test]
    public void Unknown_nonlinearity_is_rejected() =>
        Assert.That(Assert.Throws<InvalidArgumentValueException>(() => TorchGain.Calculate("swish"))!.Message, Is.EqualTo("Unsupported nonlinearity swish"));

    [Test]
    public void Torch_fans_use_the_out_in_kernel_layout()
    {
        // (out=128, in=64, 3, 3): fan_in = 64·9 = 576; kaiming_normal_ default gain √2.
        var p = new TorchKaimingNormal().DeriveParameters(TensorShape.Parse("128,64,3,3"));
        Assert.That(p.FanIn, Is.EqualTo(576));
        Assert.That(((NormalElements)p.Distribution).Stddev, Is.EqualTo(Math.Sqrt(2.0) / Math.Sqrt(576)));
    }

    [Test]
    public void Kaiming_uniform_defaults_match_keras_he_uniform_bound()
    {
        var torch = new TorchKaimingUniform().DeriveParameters(TensorShape.Parse("32,576"));    // (out, in)
        var keras = new Initializers.HeUniform().DeriveParameters(TensorShape.Parse("576,32")); // (in, out)
        Assert.That(torch.Limit!.Value, Is.EqualTo(keras.Limit!.Value).Within(1e-15));
    }

    [Test]
    public void Default_linear_is_uniform_one_over_sqrt_fan_in() =>
        Assert.That(new TorchDefaultLinear().DeriveParameters(TensorShape.Parse("10,100")).Limit!.Value, Is.EqualTo(0.1).Within(1e-15));

    [Test]
    public void Mode_is_validated_like_pytorch() =>
        Assert.That(Assert.Throws<InvalidArgumentValueException>(() => new TorchKaimingNormal(mode: "fan_avg"))!.Message,
            Is.EqualTo("Mode fan_avg not supported, please use one of fan_in, fan_out"));

    [Test]
    public void Trunc_normal_uses_absolute_bounds()
    {
        var v = new TorchTruncNormal(0, 0.02, -2, 2, SeedSource.Fixed(1)).SampleDouble(TensorShape.Parse("10000"));
        Assert.That(v.Max(), Is.LessThan(0.2), "with std 0.02 the ±2 bounds are 100 std away: effectively untruncated");
        var narrow = new TorchTruncNormal(0, 1, 0.5, 0.75, SeedSource.Fixed(1)).SampleDouble(TensorShape.Parse("10000"));
        Assert.That(narrow.Min(), Is.GreaterThanOrEqualTo(0.5));
        Assert.That(narrow.Max(), Is.LessThanOrEqualTo(0.75));
    }

    [Test]
    public void Orthogonal_flattens_by_the_first_dimension()
    {
        var w = new TorchOrthogonal(1.0, SeedSource.Fixed(2)).SampleDouble(TensorShape.Parse("4,2,3"));  // rows 4, cols 6
        for (int a = 0; a < 4; a++)
            for (int b = 0; b < 4; b++)
            {
                double dot = 0;
                for (int e = 0; e < 6; e++) dot += w[a * 6 + e] * w[b * 6 + e];
                Assert.That(dot, Is.EqualTo(a == b ? 1.0 : 0.0).Within(1e-12));
            }
    }

    [Test]
    public void Sparse_zeroes_the_same_count_in_every_column()
    {
        var w = new TorchSparse(0.3, 0.01, SeedSource.Fixed(3)).SampleDouble(TensorShape.Parse("10,20"));
        for (int c = 0; c < 20; c++)
            Assert.That(Enumerable.Range(0, 10).Count(r => w[r * 20 + c] == 0.0), Is.EqualTo(3), $"column {c}");
    }

    [Test]
    public void Dirac_preserves_channels_per_group()
    {
        var w = new TorchDirac(2).SampleDouble(TensorShape.Parse("4,2,3"));   // out 4, in 2, k 3, 2 groups
        // ones at [0,0,1], [1,1,1], [2,0,1], [3,1,1]
        var ones = Enumerable.Range(0, w.Length).Where(i => w[i] == 1.0).ToArray();
        Assert.That(ones, Is.EqualTo(new[] { 0 * 6 + 0 * 3 + 1, 1 * 6 + 1 * 3 + 1, 2 * 6 + 0 * 3 + 1, 3 * 6 + 1 * 3 + 1 }));
        Assert.Throws<UnsupportedShapeException>(() => new TorchDirac().Sample(TensorShape.Parse("3,3")));
    }

    [Test]
    public void Eye_and_constants()
    {
        Assert.That(new TorchEye().Sample(TensorShape.Parse("2,3")), Is.EqualTo(new float[] { 1, 0, 0, 0, 1, 0 }));
        Assert.That(InitializerRegistry.Create("constant_", "{\"val\": 0.5}").Sample(TensorShape.Parse("2")), Is.EqualTo(new[] { 0.5f, 0.5f }));
    }

    [Test]
    public void Torch_names_resolve_through_the_registry()
    {
        Assert.That(InitializerRegistry.Create("kaiming_normal_", "{\"mode\": \"fan_out\", \"nonlinearity\": \"relu\"}").ClassName, Is.EqualTo("kaiming_normal_"));
        Assert.That(InitializerRegistry.Create("torch.xavier_uniform_", "{\"gain\": 2.0}").ToKerasJson(), Does.Contain("\"module\": \"torch.nn.init\""));
    }
}
