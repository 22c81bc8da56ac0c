using NUnit.Framework;
using WeightInit.Initializers;
using WeightInit.Random;
using static WeightInit.Random.PhiloxFloat32;

namespace WeightInit.Tests;

/// <summary>
/// The float32 fills of PhiloxStream v2: every kernel path (scalar, AVX2, AVX-512) gives the same bits; values depend only
/// on (seed, element index), not on threads, chunking or the offset of a shard; and they follow the documented law, checked
/// against an independent float64 evaluation of the same Philox words (Math.Log, Math.Cos, Math.Sin).
/// </summary>
[TestFixture]
public class PhiloxFloat32Tests
{
    private static readonly SeedPair[] Seeds = [new(42, 0), new(0xDEADBEEF_01234567, 3), new(1, 0xFFFF_FFFF)];

    private static readonly (string Name, Law Law)[] Laws =
    [
        ("normal(0.25, 3)", new Law(Kind.Normal, 3.0, 0.25)),
        ("uniform[-0.1, 0.3)", new Law(Kind.Uniform, 0.4, -0.1)),
        ("truncated he-style ±2σ", new Law(Kind.Truncated, 0.0589, 0.0, -2 * 0.0589, 2 * 0.0589)),
        ("truncated asymmetric [-3.5, 4.5], mean 0.5, σ 2", new Law(Kind.Truncated, 2.0, 0.5, -3.5, 4.5)),
        ("truncated narrow [0.5, 0.75], σ 1", new Law(Kind.Truncated, 1.0, 0.0, 0.5, 0.75)),
    ];

    private static IEnumerable<TestCaseData> PathCases()
    {
        for (int k = 0; k < Laws.Length; k++)
        {
            yield return new TestCaseData(k, "avx2").SetName($"AVX2 path gives the scalar bits: {Laws[k].Name}");
            yield return new TestCaseData(k, "avx512").SetName($"AVX-512 path gives the scalar bits: {Laws[k].Name}");
        }
    }

    private static float[] Fill(Law law, SeedPair seed, int n, long first = 0, int threads = 1, KernelPath path = KernelPath.Auto)
    {
        var v = new float[n];
        PhiloxStream.Instance.Fill32(v, first, law, seed, threads, path);
        return v;
    }

    [TestCaseSource(nameof(PathCases))]
    public void Vector_path_matches_scalar_bit_for_bit(int lawIndex, string isa)
    {
        var (name, law) = Laws[lawIndex];
        var path = isa == "avx512" ? KernelPath.Avx512 : KernelPath.Avx2;
        if (path == KernelPath.Avx512 && !UseAvx512) Assert.Ignore("skipped: this CPU has no AVX-512F/DQ, the AVX-512 path cannot run here");
        if (path == KernelPath.Avx2 && !UseAvx2) Assert.Ignore("skipped: this CPU has no AVX2/FMA, the AVX2 path cannot run here");
        // 2^18 + 13 elements: ~60 pairs take the 64-bit tail branch (probability 1.2e-4 per pair), so it is covered too.
        const int n = (1 << 18) + 13;
        foreach (var seed in Seeds)
        {
            var scalar = Fill(law, seed, n, path: KernelPath.Scalar);
            var vector = Fill(law, seed, n, path: path);
            for (int i = 0; i < n; i++)
                if (BitConverter.SingleToInt32Bits(scalar[i]) != BitConverter.SingleToInt32Bits(vector[i]))
                    Assert.Fail($"{name}, seed {seed}: element {i} is {vector[i]:R} on {path} but {scalar[i]:R} on the scalar path");
        }
    }

    // Random123 kat_vectors for Philox4x32-10 (as in PhiloxTests), written as (block = c1:c0, attempt = c2, call = c3, key = k1:k0).
    [TestCase(0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u, 0x6627e8d5u, 0xe169c58du, 0xbc57ac4cu, 0x9b00dbd8u)]
    [TestCase(0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0x408f276du, 0x41c83b0eu, 0xa20bc7c6u, 0x6d5451fdu)]
    [TestCase(0x243f6a88u, 0x85a308d3u, 0x13198a2eu, 0x03707344u, 0xa4093822u, 0x299f31d0u, 0xd16cfe09u, 0x94fdccebu, 0x5001e420u, 0x24126ea1u)]
    public void Vector_Philox_rounds_match_Random123_known_answers(uint c0, uint c1, uint c2, uint c3, uint k0, uint k1, uint e0, uint e1, uint e2, uint e3)
    {
        ulong block = ((ulong)c1 << 32) | c0, key = ((ulong)k1 << 32) | k0;
        var paths = new List<KernelPath> { KernelPath.Scalar };
        if (UseAvx2) paths.Add(KernelPath.Avx2);
        if (UseAvx512) paths.Add(KernelPath.Avx512);
        var scalar = new uint[4 * 16];
        RawBlocks(block, c2, c3, key, scalar, KernelPath.Scalar);
        foreach (var path in paths)
        {
            var words = new uint[4 * 16];   // 16 blocks: the known-answer block is lane 0 of the first vector
            RawBlocks(block, c2, c3, key, words, path);
            Assert.That(words[..4], Is.EqualTo(new[] { e0, e1, e2, e3 }), $"{path}: known answer");
            Assert.That(words, Is.EqualTo(scalar), $"{path}: the 15 following blocks equal the scalar Philox");
        }
        if (!UseAvx512) Assert.Ignore("skipped in part: no AVX-512F/DQ on this CPU, the AVX-512 rounds were not checked");
    }

    [Test]
    public void Tail_branch_is_taken_in_the_path_comparison()
    {
        // Guard for the test above: the tail branch (u word < 2^19) must actually occur in 2^18 elements of seed 42.
        int tail = 0;
        for (ulong b = 0; b < (1 << 16); b++)
        {
            var (x0, x1, _, _) = Philox4x32.Block((uint)b, 0, 0, 0, 42, 0);
            if (x0 < TailWordLimit) tail++;
            if (x1 < TailWordLimit) tail++;
        }
        Assert.That(tail, Is.GreaterThan(3), "expected ~16 tail pairs in 2^17 pairs");
    }

    [Test]
    public void Values_do_not_depend_on_threads_chunks_or_shard_offsets()
    {
        const int n = 600_011;
        foreach (var (name, law) in Laws)
        {
            var seed = new SeedPair(7, 2);
            var whole = Fill(law, seed, n);
            Assert.That(Fill(law, seed, n, threads: 2), Is.EqualTo(whole), $"{name}: 2 threads");
            Assert.That(Fill(law, seed, n, threads: 7), Is.EqualTo(whole), $"{name}: 7 threads");
            Assert.That(Fill(law, seed, 100_000), Is.EqualTo(whole[..100_000]), $"{name}: a shorter fill is a prefix");
            // Shards at every offset modulo 4 and 32 (partial blocks at both ends, vector groups split anywhere).
            var rng = new System.Random(5);
            for (int k = 0; k < 40; k++)
            {
                int first = rng.Next(0, n - 1), len = rng.Next(1, Math.Min(5000, n - first));
                if (k < 8) { first = k; len = 1 + k * 37; }
                Assert.That(Fill(law, seed, len, first), Is.EqualTo(whole[first..(first + len)]), $"{name}: shard [{first}, {first + len})");
            }
        }
    }

    [Test]
    public void Public_shard_overloads_equal_the_whole_fill()
    {
        var seed = new SeedPair(11, 0);
        var whole = new float[100_003];
        var shard = new float[33_333];
        PhiloxStream.Instance.FillNormal(whole, seed, 0, 1);
        PhiloxStream.Instance.FillNormal(shard, 50_001, seed, 0, 1);
        Assert.That(shard, Is.EqualTo(whole[50_001..83_334]));
        PhiloxStream.Instance.FillTruncatedNormal(whole, seed, 0, 1, -2, 2);
        PhiloxStream.Instance.FillTruncatedNormal(shard, 50_001, seed, 0, 1, -2, 2);
        Assert.That(shard, Is.EqualTo(whole[50_001..83_334]));
        PhiloxStream.Instance.FillUniform(whole, seed, 0, 1);
        PhiloxStream.Instance.FillUniform(shard, 50_001, seed, 0, 1);
        Assert.That(shard, Is.EqualTo(whole[50_001..83_334]));
    }

    [Test]
    public void Negative_shard_offset_is_a_typed_error_naming_the_value()
    {
        var ex = Assert.Throws<InvalidArgumentValueException>(() => PhiloxStream.Instance.FillNormal(new float[4], -5, new SeedPair(1, 0), 0, 1));
        Assert.That(ex!.Message, Does.Contain("firstElement=-5"));
    }

    // ---------------------------------------------------------------- the documented law, evaluated independently in float64

    /// <summary>Documented radius: u = (⌊x/2⁹⌋ + ½)·2⁻²³, or the 64-bit u with the tail block's word when x &lt; 2¹⁹.</summary>
    private static double ReferenceRadius(ulong b, uint attempt, SeedPair seed, int j, uint x)
    {
        double u;
        if (x < (1u << 19))
        {
            var (y0, y1, _, _) = Philox4x32.Block((uint)b, (uint)(b >> 32), attempt | 0x8000_0000u, seed.Counter, (uint)seed.Seed, (uint)(seed.Seed >> 32));
            u = ((double)(((ulong)x << 32) | (j == 0 ? y0 : y1)) + 0.5) / 18446744073709551616.0;
        }
        else u = ((x >> 9) + 0.5) / 8388608.0;
        return Math.Sqrt(-2 * Math.Log(u));
    }

    /// <summary>Standard normal element m of block b at an attempt, from the documented formulas in float64.</summary>
    private static double ReferenceNormal(ulong b, uint attempt, SeedPair seed, int m)
    {
        var (x0, x1, x2, x3) = Philox4x32.Block((uint)b, (uint)(b >> 32), attempt, seed.Counter, (uint)seed.Seed, (uint)(seed.Seed >> 32));
        int j = m >> 1;
        double r = ReferenceRadius(b, attempt, seed, j, j == 0 ? x0 : x1);
        double theta = 2 * Math.PI * ((j == 0 ? x2 : x3) / 4294967296.0);
        return (m & 1) == 0 ? r * Math.Cos(theta) : r * Math.Sin(theta);
    }

    // float32 polynomials for ln, sin, cos: a few float32 ulps; the bound is relative to max(1, r) (absolute near z = 0).
    private static double Tolerance(double z) => 1e-6 * Math.Max(1.0, Math.Abs(z));

    [Test]
    public void Normal_fill_equals_the_documented_law()
    {
        const int n = 1 << 18;
        foreach (var seed in Seeds)
        {
            var v = new float[n];
            PhiloxStream.Instance.FillNormal(v, seed, 0.25, 3.0);
            double worst = 0;
            for (int i = 0; i < n; i++)
            {
                double z = ReferenceNormal((ulong)i >> 2, 0, seed, i & 3);
                double err = Math.Abs((v[i] - 0.25) / 3.0 - z);
                // fl32 rounding of the output adds half an ulp of |v|.
                double tol = Tolerance(z) + Math.Abs(v[i]) * 6e-8 / 3.0;
                if (err > tol) Assert.Fail($"seed {seed}, element {i}: {v[i]:R} but the documented law gives {0.25 + 3.0 * z:R} (|Δz| = {err:E2} > {tol:E2})");
                worst = Math.Max(worst, err / Tolerance(z));
            }
            TestContext.Out.WriteLine($"seed {seed}: worst |Δz| / tolerance = {worst:F3}");
        }
    }

    [Test]
    public void Uniform_fill_equals_the_documented_law_exactly()
    {
        const int n = 100_001;
        var seed = new SeedPair(3, 1);
        var v = new float[n];
        PhiloxStream.Instance.FillUniform(v, seed, -0.1, 0.3);
        for (int i = 0; i < n; i++)
        {
            var (x0, x1, x2, x3) = Philox4x32.Block((uint)(i >> 2), 0, 0, seed.Counter, 3, 0);
            uint x = (i & 3) switch { 0 => x0, 1 => x1, 2 => x2, _ => x3 };
            float expected = (float)Math.FusedMultiplyAdd(0.3 - -0.1, x / 4294967296.0, -0.1);
            if (v[i] != expected) Assert.Fail($"element {i}: {v[i]:R}, documented law {expected:R}");
        }
        Assert.That(v.Min(), Is.GreaterThanOrEqualTo(-0.1f));
        Assert.That(v.Max(), Is.LessThanOrEqualTo(0.3f));
    }

    [Test]
    public void Truncated_fill_equals_the_documented_resampling()
    {
        const int n = 1 << 17;
        var seed = new SeedPair(9, 0);
        double mean = 0.5, sd = 2.0, lo = -3.5, hi = 4.5;
        var v = new float[n];
        PhiloxStream.Instance.FillTruncatedNormal(v, seed, mean, sd, lo, hi);
        int resampled = 0;
        for (int i = 0; i < n; i++)
        {
            for (uint attempt = 0; ; attempt++)
            {
                double z = ReferenceNormal((ulong)i >> 2, attempt, seed, i & 3);
                double x = mean + sd * z;
                double tol = sd * Tolerance(z) + Math.Abs(x) * 1.2e-7;
                bool nearBound = Math.Abs(x - lo) <= tol || Math.Abs(x - hi) <= tol;
                if (Math.Abs(v[i] - x) <= tol) { if (attempt > 0) resampled++; break; }   // this attempt was accepted
                if (lo <= x && x <= hi && !nearBound)
                    Assert.Fail($"element {i}: attempt {attempt} gives {x:R} inside [{lo}, {hi}], but the fill holds {v[i]:R}");
                if (attempt > 60) Assert.Fail($"element {i}: no attempt of the documented law matches {v[i]:R}");
            }
        }
        // [-3.5, 4.5] is mean ± 2σ: P(outside) = 0.0455, so 5964 ± 75 of 2^17 elements need another attempt (±5 SE below).
        Assert.That(resampled, Is.InRange(5590, 6340));
        Assert.That(v.Min(), Is.GreaterThanOrEqualTo((float)lo));
        Assert.That(v.Max(), Is.LessThanOrEqualTo((float)hi));
        Assert.That(v.Count(x => x == (float)lo || x == (float)hi), Is.LessThanOrEqualTo(1), "resampling, not clipping: no mass on the bounds");
    }

    [Test]
    public void Tail_pairs_reach_beyond_the_float32_lattice_cut()
    {
        // A float32 u on the 2^-23 lattice would cap the radius at sqrt(-2 ln 2^-24) = 5.77. In 2^22 pairs the chance of a
        // radius above 5.77 is 1 - exp(-2^22 · e^(-5.77²/2)) = 0.22, so scanning seeds finds one quickly; its fill must hold
        // exactly that radius (the 64-bit tail branch).
        const double latticeCut = 5.7686;
        for (ulong s = 1; s <= 40; s++)
        {
            var seed = new SeedPair(s, 0);
            double max = 0;
            for (ulong b = 0; b < (1 << 21); b++)
            {
                var (x0, x1, _, _) = Philox4x32.Block((uint)b, 0, 0, 0, (uint)s, 0);
                if (x0 < TailWordLimit) max = Math.Max(max, ReferenceRadius(b, 0, seed, 0, x0));
                if (x1 < TailWordLimit) max = Math.Max(max, ReferenceRadius(b, 0, seed, 1, x1));
            }
            if (max <= latticeCut) continue;
            var z = new float[1 << 23];
            PhiloxStream.Instance.FillNormal(z, seed, 0, 1, maxThreads: 2);
            double observed = Math.Sqrt(Enumerable.Range(0, 1 << 22).Max(p => (double)z[2 * p] * z[2 * p] + (double)z[2 * p + 1] * z[2 * p + 1]));
            Assert.That(observed, Is.EqualTo(max).Within(1e-5 * max), $"seed {s}: the fill's largest radius is the documented tail radius");
            TestContext.Out.WriteLine($"seed {s}: largest radius in 2^22 pairs {max:F4} > {latticeCut}");
            return;
        }
        Assert.Fail("no seed in 1..40 has a radius above the lattice cut (expected about 9 of them)");
    }

    // ---------------------------------------------------------------- plumbing

    [Test]
    public void Float32_fill_allocates_nothing_beyond_the_output()
    {
        var shape = TensorShape.Parse("1024,1024");
        var buffer = new float[shape.Count];
        foreach (var init in new Initializer[] { new RandomNormal(seed: SeedSource.Fixed(1)), new HeNormal(SeedSource.Fixed(1)), new GlorotUniform(SeedSource.Fixed(1)) })
        {
            init.Fill(buffer, shape, new SamplingOptions(1));   // JIT
            long before = GC.GetAllocatedBytesForCurrentThread();
            init.Fill(buffer, shape, new SamplingOptions(1));
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            // A float64 buffer would be 8 MiB; what remains is the options/seed bookkeeping of the call.
            Assert.That(allocated, Is.LessThan(1024), $"{init.ClassName}: {allocated} bytes allocated for a 2^20-element float32 fill");
        }
    }

    /// <summary>A stream that implements only the float64 members: its float32 fills are the interface defaults.</summary>
    private sealed class Float64OnlyStream : IRandomStream
    {
        public string Name => "philox-float64-only";
        public void FillNormal(Span<double> d, SeedPair s, double mean, double stddev, int t = 1) => PhiloxStream.Instance.FillNormal(d, s, mean, stddev, t);
        public void FillUniform(Span<double> d, SeedPair s, double low, double high, int t = 1) => PhiloxStream.Instance.FillUniform(d, s, low, high, t);
        public void FillTruncatedNormal(Span<double> d, SeedPair s, double mean, double stddev, double lower, double upper, int t = 1) =>
            PhiloxStream.Instance.FillTruncatedNormal(d, s, mean, stddev, lower, upper, t);
    }

    [Test]
    public void A_stream_without_float32_members_rounds_its_float64_draw()
    {
        var shape = TensorShape.Parse("1000");
        var stream = new Float64OnlyStream();
        foreach (var init in new Initializer[] { new RandomNormal(0.25, 3.0, SeedSource.Fixed(1), stream), new HeNormal(SeedSource.Fixed(1), stream: stream), new HeUniform(SeedSource.Fixed(1), stream: stream) })
            Assert.That(init.Sample(shape), Is.EqualTo(init.SampleDouble(shape).Select(x => (float)x).ToArray()), init.ClassName);
    }

    [Test]
    public void Initializers_write_the_streams_float32_law()
    {
        var shape = TensorShape.Parse("64,100");
        var direct = new float[shape.Count];
        PhiloxStream.Instance.FillTruncatedNormal(direct, new SeedPair(4, 0), 0, Math.Sqrt(2.0 / 64) / VarianceScaling.TruncatedStandardNormalStddev,
            -2 * Math.Sqrt(2.0 / 64) / VarianceScaling.TruncatedStandardNormalStddev, 2 * Math.Sqrt(2.0 / 64) / VarianceScaling.TruncatedStandardNormalStddev);
        Assert.That(new HeNormal(SeedSource.Fixed(4)).Sample(shape), Is.EqualTo(direct));
    }
}
