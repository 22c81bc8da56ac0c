using NUnit.Framework;
using WeightInit.Initializers;
using WeightInit.Random;

namespace WeightInit.Tests;

[TestFixture]
public class InitializerTests
{
    private static readonly TensorShape Kernel = TensorShape.Parse("3,4,5");

    // Values Keras 3.15.1 derived for shape (3,4,5) (docs/keras-semantics.md §2.1; conformance/reference/keras-3.15.1-params.json).
    [TestCase("glorot_normal", 0.3094106266248576)]
    [TestCase("he_normal", 0.46411593993728634)]
    [TestCase("lecun_normal", 0.32817952838642356)]
    public void Truncated_presets_derive_keras_stddev_bit_exactly(string name, double stddev)
    {
        var p = InitializerRegistry.Create(name).DeriveParameters(Kernel);
        var t = (TruncatedNormalElements)p.Distribution;
        Assert.That(t.Stddev, Is.EqualTo(stddev));          // exact, not within a tolerance
        Assert.That(t.Upper, Is.EqualTo(2 * stddev));
        Assert.That(t.Lower, Is.EqualTo(-2 * stddev));
    }

    [TestCase("glorot_uniform", 0.4714045207910317)]
    [TestCase("he_uniform", 0.7071067811865476)]
    [TestCase("lecun_uniform", 0.5)]
    public void Uniform_presets_derive_keras_limit_bit_exactly(string name, double limit) =>
        Assert.That(InitializerRegistry.Create(name).DeriveParameters(Kernel).Limit, Is.EqualTo(limit));

    [Test]
    public void Zero_fans_are_guarded_by_max_one()
    {
        var p = new VarianceScaling(2.0, FanMode.FanIn, VarianceDistribution.UntruncatedNormal).DeriveParameters(TensorShape.Parse("0,5"));
        Assert.That(((NormalElements)p.Distribution).Stddev, Is.EqualTo(Math.Sqrt(2.0)));
    }

    [TestCase("normal", "truncated_normal")]
    [TestCase("NORMAL", "truncated_normal")]
    [TestCase("Uniform", "uniform")]
    [TestCase("untruncated_normal", "untruncated_normal")]
    public void Distribution_is_case_insensitive_and_normal_means_truncated(string given, string normalized) =>
        Assert.That(VarianceScaling.FromKeras(1.0, "fan_in", given).Distribution.KerasName(), Is.EqualTo(normalized));

    [TestCase(0.0)]
    [TestCase(-1.0)]
    [TestCase(double.NaN)]
    [TestCase(double.PositiveInfinity)]
    public void Scale_must_be_positive(double scale)
    {
        var ex = Assert.Throws<InvalidArgumentValueException>(() => new VarianceScaling(scale));
        Assert.That(ex!.Message, Does.StartWith("Argument `scale` must be positive float."));
        Assert.That(ex.Argument, Is.EqualTo("scale"));
    }

    [TestCase("FAN_IN")]
    [TestCase("fan_sum")]
    public void Mode_is_case_sensitive(string mode)
    {
        var ex = Assert.Throws<InvalidArgumentValueException>(() => VarianceScaling.FromKeras(1.0, mode, "truncated_normal"));
        Assert.That(ex!.Message, Does.StartWith("Invalid `mode` argument: " + mode));
    }

    [Test]
    public void Unknown_distribution_is_rejected() =>
        Assert.That(Assert.Throws<InvalidArgumentValueException>(() => VarianceScaling.FromKeras(1.0, "fan_in", "gamma"))!.Message,
            Does.StartWith("Invalid `distribution` argument: gamma"));

    [Test]
    public void Minval_above_maxval_is_rejected() =>
        Assert.That(Assert.Throws<InvalidArgumentValueException>(() => new RandomUniform(1, -1))!.Message, Does.Contain("minval=1.0, maxval=-1.0"));

    [TestCase("")]
    [TestCase("7")]
    [TestCase("2,3,4")]
    public void Identity_needs_a_matrix(string shape) =>
        Assert.That(Assert.Throws<UnsupportedShapeException>(() => new Identity().Sample(TensorShape.Parse(shape)))!.Message,
            Does.StartWith("Identity matrix initializer can only be used for 2D matrices."));

    [TestCase("")]
    [TestCase("7")]
    public void Orthogonal_needs_rank_two(string shape) =>
        Assert.That(Assert.Throws<UnsupportedShapeException>(() => new Orthogonal().Sample(TensorShape.Parse(shape)))!.Message,
            Does.StartWith("The tensor to initialize must be at least two-dimensional."));

    [Test]
    public void Unknown_name_lists_the_known_ones()
    {
        var ex = Assert.Throws<UnknownInitializerException>(() => InitializerRegistry.Create("he_norml"));
        Assert.That(ex!.Message, Does.Contain("'he_norml'").And.Contain("he_normal"));
    }

    [TestCase("he_normal", "HeNormal")]
    [TestCase("HeNormal", "HeNormal")]
    [TestCase("normal", "RandomNormal")]
    [TestCase("uniform", "RandomUniform")]
    [TestCase("zero", "Zeros")]
    [TestCase("one", "Ones")]
    [TestCase("OrthogonalInitializer", "Orthogonal")]
    [TestCase("IdentityInitializer", "Identity")]
    [TestCase("variance_scaling", "VarianceScaling")]
    public void Every_keras_alias_resolves(string name, string className) =>
        Assert.That(InitializerRegistry.Create(name).ClassName, Is.EqualTo(className));

    [Test]
    public void Lookup_is_case_sensitive_like_keras() =>
        Assert.Throws<UnknownInitializerException>(() => InitializerRegistry.Create("HE_NORMAL"));

    [Test]
    public void Int_seed_gives_identical_values_on_every_call()
    {
        var init = new HeNormal(SeedSource.Fixed(5));
        var shape = TensorShape.Parse("16,8");
        var first = init.Sample(shape);
        var second = init.Sample(shape);
        Assert.That(second, Is.EqualTo(first));
    }

    [Test]
    public void Unseeded_instance_repeats_itself_but_differs_from_a_new_instance()
    {
        var shape = TensorShape.Parse("16,8");
        var a = new GlorotUniform();
        var b = new GlorotUniform();
        var first = a.Sample(shape);
        var again = a.Sample(shape);
        Assert.That(again, Is.EqualTo(first), "Keras picks the seed once, at construction");
        Assert.That(a.Sample(shape), Is.Not.EqualTo(b.Sample(shape)));
        Assert.That(a.GetConfig().Single(kv => kv.Key == "seed").Value, Is.Null, "an unseeded initializer serializes seed=None");
    }

    [Test]
    public void Seed_generator_advances_per_call_and_starts_like_the_int_seed()
    {
        var shape = TensorShape.Parse("16,8");
        var generator = new HeUniform(SeedSource.Generator(9));
        var first = generator.Sample(shape);
        var second = generator.Sample(shape);
        Assert.That(second, Is.Not.EqualTo(first));
        Assert.That(first, Is.EqualTo(new HeUniform(SeedSource.Fixed(9)).Sample(shape)));
    }

    [Test]
    public void Float32_output_is_the_rounded_float64_draw_for_laws_without_a_float32_stream_fill()
    {
        // Orthogonal's law is not a stream law: its float32 values are its float64 values rounded once. The stream laws
        // (normal, uniform, truncated) are written in float32 directly by PhiloxStream v2: see PhiloxFloat32Tests.
        var init = new Orthogonal(1.5, SeedSource.Fixed(1));
        var shape = TensorShape.Parse("20,30");
        var wide = init.SampleDouble(shape);
        var narrow = init.Sample(shape);
        Assert.That(narrow, Is.EqualTo(wide.Select(x => (float)x).ToArray()));
    }

    [Test]
    public void Fills_are_identical_for_one_and_many_threads()
    {
        var shape = TensorShape.Parse("512,600");
        foreach (var init in new Initializer[] { new GlorotNormal(SeedSource.Fixed(3)), new HeUniform(SeedSource.Fixed(3)), new RandomNormal(seed: SeedSource.Fixed(3)) })
        {
            var one = init.Sample(shape, new SamplingOptions(1));
            var two = init.Sample(shape, new SamplingOptions(2));
            var all = init.Sample(shape, new SamplingOptions(0));
            Assert.That(two, Is.EqualTo(one), init.ClassName);
            Assert.That(all, Is.EqualTo(one), init.ClassName);
        }
    }

    [Test]
    public void Zero_size_shapes_give_empty_arrays()
    {
        Assert.That(new HeNormal(SeedSource.Fixed(1)).Sample(TensorShape.Parse("0,5")), Is.Empty);
        Assert.That(new Orthogonal(seed: SeedSource.Fixed(1)).Sample(TensorShape.Parse("0,5")), Is.Empty);
        Assert.That(new Zeros().Sample(TensorShape.Parse("4,0,3")), Is.Empty);
    }

    [Test]
    public void Rank_zero_shapes_hold_one_value()
    {
        Assert.That(new TruncatedNormal(seed: SeedSource.Fixed(1)).Sample(new TensorShape()), Has.Length.EqualTo(1));
        Assert.That(new Constant(3).Sample(new TensorShape()), Is.EqualTo(new[] { 3f }));
    }

    [Test]
    public void Caller_span_of_the_wrong_length_is_rejected() =>
        Assert.Throws<ArgumentException>(() => new Ones().Fill(new float[5], TensorShape.Parse("2,3")));

    [Test]
    public void Truncated_normal_stays_inside_two_parent_stddevs()
    {
        var init = new TruncatedNormal(1.5, 0.5, SeedSource.Fixed(2));
        var values = init.SampleDouble(TensorShape.Parse("200000"));
        Assert.That(values.Min(), Is.GreaterThanOrEqualTo(0.5));
        Assert.That(values.Max(), Is.LessThanOrEqualTo(2.5));
    }

    [Test]
    public void Uniform_stays_in_half_open_range()
    {
        var values = new RandomUniform(-1, 3, SeedSource.Fixed(4)).SampleDouble(TensorShape.Parse("200000"));
        Assert.That(values.Min(), Is.GreaterThanOrEqualTo(-1.0));
        Assert.That(values.Max(), Is.LessThan(3.0));
    }

    [TestCase("3,5")]
    [TestCase("5,3")]
    [TestCase("3,3,4,6")]
    [TestCase("1,1")]
    public void Orthogonal_is_orthonormal_times_gain(string shapeText)
    {
        var shape = TensorShape.Parse(shapeText);
        const double gain = 2.0;
        var w = new Orthogonal(gain, SeedSource.Fixed(8)).SampleDouble(shape);
        int cols = shape[^1], rows = (int)(shape.Count / cols);
        // Rows orthonormal when rows < cols, columns otherwise.
        bool byRows = rows < cols;
        int k = byRows ? rows : cols, len = byRows ? cols : rows;
        double At(int v, int e) => byRows ? w[v * cols + e] : w[e * cols + v];
        for (int a = 0; a < k; a++)
            for (int b = 0; b < k; b++)
            {
                double dot = 0;
                for (int e = 0; e < len; e++) dot += At(a, e) * At(b, e);
                Assert.That(dot, Is.EqualTo(a == b ? gain * gain : 0.0).Within(1e-12), $"({a},{b})");
            }
    }

    [Test]
    public void Identity_places_gain_on_the_diagonal_of_non_square_matrices() =>
        Assert.That(new Identity(2).Sample(TensorShape.Parse("2,3")), Is.EqualTo(new float[] { 2, 0, 0, 0, 2, 0 }));

    [Test]
    public void Tf1_contrib_uses_sqrt_1_3_and_no_correction()
    {
        var p = new Tf1VarianceScaling(2.0, FanMode.FanIn, false).DeriveParameters(TensorShape.Parse("3,4,5"));
        Assert.That(((TruncatedNormalElements)p.Distribution).Stddev, Is.EqualTo(Math.Sqrt(1.3 * 2.0 / 12)));
        Assert.Throws<InvalidArgumentValueException>(() => VarianceVocabulary.ParseTf1Mode("fan_in"));
        Assert.Throws<InvalidArgumentValueException>(() => InitializerRegistry.Create("Tf1VarianceScaling", """{"mode": "fan_in"}"""));
        Assert.Throws<UnsupportedShapeException>(() => new Tf1VarianceScaling().DeriveParameters(new TensorShape()));
    }

    [Test]
    public void Numpy_article_snippet_scales_by_the_output_size()
    {
        var p = new NumpyArticle(false).DeriveParameters(TensorShape.Parse("10,40"));
        Assert.That(((NormalElements)p.Distribution).Stddev, Is.EqualTo(Math.Sqrt(1.0 / 10)));
    }
}
