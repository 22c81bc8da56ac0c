using NUnit.Framework;

namespace WeightInit.Tests;

[TestFixture]
public class ShapeAndFanTests
{
    [TestCase("", new int[0])]
    [TestCase("[]", new int[0])]
    [TestCase("7", new[] { 7 })]
    [TestCase("(7,)", new[] { 7 })]
    [TestCase("3,3,16,32", new[] { 3, 3, 16, 32 })]
    [TestCase("[3, 4]", new[] { 3, 4 })]
    [TestCase("3x3x64x128", new[] { 3, 3, 64, 128 })]
    [TestCase("0,5", new[] { 0, 5 })]
    public void Parse_accepts_common_notations(string text, int[] expected) =>
        Assert.That(TensorShape.Parse(text).ToArray(), Is.EqualTo(expected));

    [TestCase("3,-1", "-1")]
    [TestCase("3,a", "'a'")]
    [TestCase("99999999999", "99999999999")]
    [TestCase("65536,65536,65536,65536,65536", "overflows")]
    public void Parse_rejects_bad_dimensions_naming_them(string text, string named)
    {
        var ex = Assert.Throws<InvalidShapeException>(() => TensorShape.Parse(text));
        Assert.That(ex!.Message, Does.Contain(named));
    }

    [Test]
    public void Shape_prints_as_a_python_tuple()
    {
        Assert.That(new TensorShape().ToString(), Is.EqualTo("()"));
        Assert.That(new TensorShape(7).ToString(), Is.EqualTo("(7,)"));
        Assert.That(new TensorShape(3, 4).ToString(), Is.EqualTo("(3, 4)"));
    }

    // Keras compute_fans, measured on Keras 3.15.1 (docs/keras-semantics.md §2.3).
    [TestCase("", 1, 1)]
    [TestCase("7", 7, 7)]
    [TestCase("3,4", 3, 4)]
    [TestCase("3,4,5", 12, 15)]
    [TestCase("2,3,4,5", 24, 30)]
    [TestCase("2,2,3,4,5", 48, 60)]
    [TestCase("0,5", 0, 5)]
    [TestCase("4,0", 4, 0)]
    [TestCase("3,3,64,128", 576, 1152)]
    public void Keras_fans_follow_compute_fans(string shape, long fanIn, long fanOut) =>
        Assert.That(FanCalculator.Keras(TensorShape.Parse(shape)), Is.EqualTo(new Fans(fanIn, fanOut)));

    [Test]
    public void Keras_fans_use_explicit_axes_only_when_both_are_given()
    {
        var shape = TensorShape.Parse("32,4,16");
        Assert.That(FanCalculator.Keras(shape, [0], [1, 2]), Is.EqualTo(new Fans(32, 64)));
        Assert.That(FanCalculator.Keras(shape, [0], null), Is.EqualTo(new Fans(128, 512)));
        Assert.Throws<InvalidArgumentValueException>(() => FanCalculator.Keras(shape, [3], [0]));
    }

    [Test]
    public void Torch_fans_read_out_in_kernel_layout()
    {
        Assert.That(FanCalculator.Torch(TensorShape.Parse("128,64,3,3")), Is.EqualTo(new Fans(576, 1152)));
        Assert.Throws<UnsupportedShapeException>(() => FanCalculator.Torch(TensorShape.Parse("5")));
    }

    [Test]
    public void Fan_avg_is_not_integer_division() =>
        Assert.That(FanCalculator.Keras(TensorShape.Parse("3,4")).FanAvg, Is.EqualTo(3.5));
}
