using NUnit.Framework;
using WeightInit.Random;

namespace WeightInit.Tests;

[TestFixture]
public class PhiloxTests
{
    // Known-answer vectors of Philox4x32-10 from the Random123 distribution (kat_vectors).
    [TestCase(0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u, 0x6627e8d5u, 0xe169c58du, 0xbc57ac4cu, 0x9b00dbd8u)]
    [TestCase(0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0x408f276du, 0x41c83b0eu, 0xa20bc7c6u, 0x6d5451fdu)]
    [TestCase(0x243f6a88u, 0x85a308d3u, 0x13198a2eu, 0x03707344u, 0xa4093822u, 0x299f31d0u, 0xd16cfe09u, 0x94fdccebu, 0x5001e420u, 0x24126ea1u)]
    public void Block_matches_Random123_known_answers(uint c0, uint c1, uint c2, uint c3, uint k0, uint k1, uint e0, uint e1, uint e2, uint e3)
    {
        var (x0, x1, x2, x3) = Philox4x32.Block(c0, c1, c2, c3, k0, k1);
        Assert.That(new[] { x0, x1, x2, x3 }, Is.EqualTo(new[] { e0, e1, e2, e3 }));
    }

    [Test]
    public void Uniform01_is_in_the_half_open_unit_interval()
    {
        var seed = new SeedPair(42, 0);
        for (long i = 0; i < 100_000; i++)
        {
            double u = PhiloxStream.Uniform01(seed, i);
            Assert.That(u, Is.GreaterThanOrEqualTo(0.0).And.LessThan(1.0));
        }
    }

    [Test]
    public void Element_values_depend_only_on_seed_and_index()
    {
        var a = new double[100_000];
        var b = new double[70_000];
        PhiloxStream.Instance.FillNormal(a, new SeedPair(7, 0), 0, 1, maxThreads: 1);
        PhiloxStream.Instance.FillNormal(b, new SeedPair(7, 0), 0, 1, maxThreads: 2);
        Assert.That(b, Is.EqualTo(a.AsSpan(0, b.Length).ToArray()), "a shorter fill must be a prefix of a longer one, whatever the threads");
    }

    [Test]
    public void Different_seeds_and_call_indices_give_different_streams()
    {
        var a = new double[64];
        var b = new double[64];
        var c = new double[64];
        PhiloxStream.Instance.FillUniform(a, new SeedPair(1, 0), 0, 1);
        PhiloxStream.Instance.FillUniform(b, new SeedPair(2, 0), 0, 1);
        PhiloxStream.Instance.FillUniform(c, new SeedPair(1, 1), 0, 1);
        Assert.Multiple(() =>
        {
            Assert.That(b, Is.Not.EqualTo(a));
            Assert.That(c, Is.Not.EqualTo(a));
        });
    }

    [Test]
    public void Truncated_fill_resamples_inside_the_closed_bounds()
    {
        var v = new double[200_000];
        PhiloxStream.Instance.FillTruncatedNormal(v, new SeedPair(3, 0), 0.5, 2.0, -3.5, 4.5, maxThreads: 2);
        Assert.That(v.Min(), Is.GreaterThanOrEqualTo(-3.5));
        Assert.That(v.Max(), Is.LessThanOrEqualTo(4.5));
        // Resampling (not clipping): no mass piles up on the bounds.
        Assert.That(v.Count(x => x == -3.5 || x == 4.5), Is.Zero);
    }

    [Test]
    public void Normal_moments_are_close_to_standard()
    {
        // n = 10^6: SE(mean) = 0.001, SE(var) ≈ 0.0014; bounds are 6 SE (false-alarm rate < 1e-8, fixed seed).
        var v = new double[1_000_000];
        PhiloxStream.Instance.FillNormal(v, new SeedPair(11, 0), 0, 1, maxThreads: 2);
        double mean = v.Average();
        double variance = v.Select(x => (x - mean) * (x - mean)).Sum() / v.Length;
        Assert.That(mean, Is.EqualTo(0).Within(0.006));
        Assert.That(variance, Is.EqualTo(1).Within(0.0085));
    }
}
