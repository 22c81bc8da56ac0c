using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace WeightInit.Random;

/// <summary>
/// The float32 fills of <see cref="PhiloxStream"/> (stream version 2): Philox4x32-10 blocks computed 4 (AVX2) or 8
/// (AVX-512F) at a time, turned into float32 values without a float64 buffer. The scalar path computes the same
/// operations in the same order (fused multiply-adds included), so all three paths give identical bits; the tests
/// check it on every path the CPU has.
/// </summary>
/// <remarks>
/// <para>The documented law of the float32 path (the tests check the fills against it). Element layout: elements
/// 4b … 4b+3 come from the block at counter (b low, b high, attempt, call) keyed by the 64-bit seed, words x0..x3.</para>
/// <para><b>Uniform</b>: element 4b+m = fl32(fma(high − low, x_m·2⁻³², low)), evaluated in float64 (32-bit uniform,
/// one rounding to float32 at the end, as Keras rounds its float64 draw once).</para>
/// <para><b>Normal</b> (Box–Muller, both outputs; Box &amp; Muller 1958): pair j ∈ {0, 1} of block b uses
/// u = (⌊x_j/2⁹⌋ + ½)·2⁻²³ and θ = 2π·x_(2+j)·2⁻³²; r = √(−2 ln u); element 4b+2j = fl32(mean + stddev·r cos θ),
/// element 4b+2j+1 = fl32(mean + stddev·r sin θ), the affine step in float64. ln, sin and cos are float32 polynomials
/// (atanh series for ln on [√½, √2), Taylor series of degree 9/10 for sin/cos on [−π/4, π/4]) accurate to a few
/// float32 ulps (tested: |Δz| ≤ 2.6e-7·max(1, |z|) against float64 Math.Log/Cos/Sin). Resolution: u lives on a lattice of step 2⁻²³, so the CDF of r (and hence of every element) is within
/// 2⁻²⁴ ≈ 6e-8 of the exact law — far below what any sample can resolve. The lattice would cut the tail at
/// r = √(48 ln 2) ≈ 5.77; instead every pair with u &lt; 2⁻¹³ (r &gt; 4.2, probability 1.2e-4) takes a 64-bit u =
/// (x_j·2³² + y_j + ½)·2⁻⁶⁴ with y_j word j of the <em>tail block</em> at attempt word (attempt | 2³¹), and computes r
/// in float64: the tail is exact out to r = √(130 ln 2) ≈ 9.5 (beyond it: probability 3e-20).</para>
/// <para><b>Truncated normal</b>: the normal above with v computed in float64; v is accepted when lower ≤ v ≤ upper
/// (the float64 test of the float64 path, so fl32(v) stays inside the float32-rounded bounds); a rejected element
/// 4b+m is redrawn as element m of the block at attempt 1, 2, …: resampling, never clipping, and no other element moves.</para>
/// </remarks>
internal static unsafe class PhiloxFloat32
{
    private const uint M0 = 0xD2511F53, M1 = 0xCD9E8D57;
    private const uint W0 = 0x9E3779B9, W1 = 0xBB67AE85;

    /// <summary>Attempt-word flag of the tail block (truncation attempts never reach 2³¹).</summary>
    internal const uint TailFlag = 0x8000_0000;

    /// <summary>Pairs whose u word is below this (u &lt; 2⁻¹³) get the 64-bit tail treatment.</summary>
    internal const uint TailWordLimit = 1u << 19;

    // Box–Muller constants (float32).
    private const float TwoPowM24 = 1.0f / 16777216.0f;
    private const float AngleStep = (float)(Math.PI / 2147483648.0);   // π·2⁻³¹: one step of the centred quadrant offset
    private const float Ln2Hi = 0.693145751953125f;                     // ln 2 split so e·Ln2Hi is exact for |e| < 2^8
    private const float Ln2Lo = 1.42860682030941723212e-6f;
    private const int SqrtHalfBits = 0x3F3504F3;                        // bits of √½ (rounded)

    internal static readonly bool UseAvx512 = Avx512F.IsSupported && Avx512DQ.IsSupported;
    internal static readonly bool UseAvx2 = Avx2.IsSupported && Fma.IsSupported;

    /// <summary>Which paths the kernels may use; the tests force each one to compare bits.</summary>
    internal enum KernelPath { Auto, Scalar, Avx2, Avx512 }

    internal static KernelPath Resolve(KernelPath p) => p switch
    {
        KernelPath.Auto => UseAvx512 ? KernelPath.Avx512 : UseAvx2 ? KernelPath.Avx2 : KernelPath.Scalar,
        KernelPath.Avx512 when !UseAvx512 => throw new PlatformNotSupportedException("AVX-512F/DQ is not available on this CPU."),
        KernelPath.Avx2 when !UseAvx2 => throw new PlatformNotSupportedException("AVX2/FMA is not available on this CPU."),
        _ => p,
    };

    // ------------------------------------------------------------------ scalar reference path

    /// <summary>ln u for u in [2⁻²⁴, 1): u = m·2^e with m in [√½, √2), ln m = 2·atanh(s), s = (m−1)/(m+1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float Log(float u)
    {
        int t = BitConverter.SingleToInt32Bits(u) - SqrtHalfBits;
        float e = t >> 23;
        float m = BitConverter.Int32BitsToSingle((t & 0x007FFFFF) + SqrtHalfBits);
        float f = m - 1f;
        float s = f / (2f + f);
        float s2 = s * s;
        float p = MathF.FusedMultiplyAdd(s2, MathF.FusedMultiplyAdd(s2, MathF.FusedMultiplyAdd(s2, 1f / 9f, 1f / 7f), 1f / 5f), 1f / 3f);
        float twoS = s + s;
        float lnm = MathF.FusedMultiplyAdd(twoS * s2, p, twoS);
        return MathF.FusedMultiplyAdd(e, Ln2Hi, MathF.FusedMultiplyAdd(e, Ln2Lo, lnm));
    }

    /// <summary>(cos θ, sin θ) for θ = 2π·w·2⁻³²: quadrant from the top bits, Taylor polynomials on [−π/4, π/4].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void SinCos(uint w, out float cos, out float sin)
    {
        uint t = w + 0x2000_0000u;
        uint q = t >> 30;
        float a = (int)(t & 0x3FFF_FFFFu) - 0x2000_0000;
        a *= AngleStep;
        float a2 = a * a;
        float s = MathF.FusedMultiplyAdd(a * a2, MathF.FusedMultiplyAdd(a2, MathF.FusedMultiplyAdd(a2, MathF.FusedMultiplyAdd(a2, 1f / 362880f, -1f / 5040f), 1f / 120f), -1f / 6f), a);
        float c = MathF.FusedMultiplyAdd(a2, MathF.FusedMultiplyAdd(a2, MathF.FusedMultiplyAdd(a2, MathF.FusedMultiplyAdd(a2, MathF.FusedMultiplyAdd(a2, -1f / 3628800f, 1f / 40320f), -1f / 720f), 1f / 24f), -0.5f), 1f);
        bool swap = (q & 1) != 0;
        float x = swap ? s : c, y = swap ? c : s;
        cos = BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(x) ^ (int)(((q + 1) & 2) << 30));
        sin = BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(y) ^ (int)((q & 2) << 30));
    }

    /// <summary>The Box–Muller radius for u word <paramref name="w"/> (float32 path or the 64-bit tail).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float Radius(uint w, uint tailWord)
    {
        if (w < TailWordLimit) return TailRadius(w, tailWord);
        float u = (float)(int)((w >> 8) | 1u) * TwoPowM24;
        return MathF.Sqrt(-2f * Log(u));
    }

    /// <summary>r = √(−2 ln u) in float64 for the 64-bit u = (hi·2³² + lo + ½)·2⁻⁶⁴ (hi &lt; 2¹⁹, so exact in float64).</summary>
    internal static float TailRadius(uint hi, uint lo)
    {
        double u = ((double)(((ulong)hi << 32) | lo) + 0.5) * (1.0 / 18446744073709551616.0);
        return (float)Math.Sqrt(-2.0 * Math.Log(u));
    }

    /// <summary>The tail block's word j for the block at (c0..c3); only needed when x_j &lt; <see cref="TailWordLimit"/>.</summary>
    internal static uint TailWord(uint c0, uint c1, uint c2, uint c3, ulong key, int j)
    {
        var (y0, y1, _, _) = Philox4x32.Block(c0, c1, c2 | TailFlag, c3, (uint)key, (uint)(key >> 32));
        return j == 0 ? y0 : y1;
    }

    /// <summary>The four standard normals of block (b, attempt, call), in element order.</summary>
    internal static void NormalBlock(ulong b, uint attempt, uint call, ulong key, Span<float> z4)
    {
        uint c0 = (uint)b, c1 = (uint)(b >> 32);
        var (x0, x1, x2, x3) = Philox4x32.Block(c0, c1, attempt, call, (uint)key, (uint)(key >> 32));
        float r0 = x0 < TailWordLimit ? TailRadius(x0, TailWord(c0, c1, attempt, call, key, 0)) : Radius(x0, 0);
        float r1 = x1 < TailWordLimit ? TailRadius(x1, TailWord(c0, c1, attempt, call, key, 1)) : Radius(x1, 0);
        SinCos(x2, out float cs0, out float sn0);
        SinCos(x3, out float cs1, out float sn1);
        z4[0] = r0 * cs0; z4[1] = r0 * sn0; z4[2] = r1 * cs1; z4[3] = r1 * sn1;
    }

    // ------------------------------------------------------------------ vector Philox

    /// <summary>
    /// Eight Philox4x32-10 blocks at once. Lane i of <paramref name="a"/> holds (c0 | c1 &lt;&lt; 32), of <paramref name="b"/>
    /// (c2 | c3 &lt;&lt; 32); on return (x0 | x1 &lt;&lt; 32) and (x2 | x3 &lt;&lt; 32). One round is two 32×32→64 multiplies
    /// (vpmuludq takes the low word of each 64-bit lane: c0 and c2), a half swap and an xor:
    /// (c0, c1) ← (hi(M1·c2) ⊕ c1 ⊕ k0, lo(M1·c2)), (c2, c3) ← (hi(M0·c0) ⊕ c3 ⊕ k1, lo(M0·c0)).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Rounds512(ref Vector512<ulong> a, ref Vector512<ulong> b, Vector512<ulong>* keys)
    {
        // Unrolled, with the 20 round keys broadcast once per fill (keys[2r], keys[2r+1] = k0 + r·W0, k1 + r·W1).
        Round512(ref a, ref b, keys[0], keys[1]);
        Round512(ref a, ref b, keys[2], keys[3]);
        Round512(ref a, ref b, keys[4], keys[5]);
        Round512(ref a, ref b, keys[6], keys[7]);
        Round512(ref a, ref b, keys[8], keys[9]);
        Round512(ref a, ref b, keys[10], keys[11]);
        Round512(ref a, ref b, keys[12], keys[13]);
        Round512(ref a, ref b, keys[14], keys[15]);
        Round512(ref a, ref b, keys[16], keys[17]);
        Round512(ref a, ref b, keys[18], keys[19]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Round512(ref Vector512<ulong> a, ref Vector512<ulong> b, Vector512<ulong> key0, Vector512<ulong> key1)
    {
        var p0 = Avx512F.Multiply(a.AsUInt32(), Vector512.Create(M0));
        var p1 = Avx512F.Multiply(b.AsUInt32(), Vector512.Create(M1));
        var na = Avx512F.Shuffle(p1.AsUInt32(), 0b10_11_00_01).AsUInt64() ^ (a >>> 32) ^ key0;
        var nb = Avx512F.Shuffle(p0.AsUInt32(), 0b10_11_00_01).AsUInt64() ^ (b >>> 32) ^ key1;
        a = na; b = nb;
    }

    /// <summary>The 20 broadcast round keys of <paramref name="key"/> for <see cref="Rounds512"/>.</summary>
    private static void RoundKeys512(ulong key, Vector512<ulong>* keys)
    {
        uint k0 = (uint)key, k1 = (uint)(key >> 32);
        for (int r = 0; r < 10; r++)
        {
            keys[2 * r] = Vector512.Create((ulong)(k0 + (uint)r * W0));
            keys[2 * r + 1] = Vector512.Create((ulong)(k1 + (uint)r * W1));
        }
    }

    /// <summary>Four blocks at once (AVX2), same lane layout as <see cref="Rounds512"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Rounds256(ref Vector256<ulong> a, ref Vector256<ulong> b, Vector256<ulong>* keys)
    {
        Round256(ref a, ref b, keys[0], keys[1]);
        Round256(ref a, ref b, keys[2], keys[3]);
        Round256(ref a, ref b, keys[4], keys[5]);
        Round256(ref a, ref b, keys[6], keys[7]);
        Round256(ref a, ref b, keys[8], keys[9]);
        Round256(ref a, ref b, keys[10], keys[11]);
        Round256(ref a, ref b, keys[12], keys[13]);
        Round256(ref a, ref b, keys[14], keys[15]);
        Round256(ref a, ref b, keys[16], keys[17]);
        Round256(ref a, ref b, keys[18], keys[19]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Round256(ref Vector256<ulong> a, ref Vector256<ulong> b, Vector256<ulong> key0, Vector256<ulong> key1)
    {
        var p0 = Avx2.Multiply(a.AsUInt32(), Vector256.Create(M0));
        var p1 = Avx2.Multiply(b.AsUInt32(), Vector256.Create(M1));
        var na = Avx2.Shuffle(p1.AsUInt32(), 0b10_11_00_01).AsUInt64() ^ (a >>> 32) ^ key0;
        var nb = Avx2.Shuffle(p0.AsUInt32(), 0b10_11_00_01).AsUInt64() ^ (b >>> 32) ^ key1;
        a = na; b = nb;
    }

    private static void RoundKeys256(ulong key, Vector256<ulong>* keys)
    {
        uint k0 = (uint)key, k1 = (uint)(key >> 32);
        for (int r = 0; r < 10; r++)
        {
            keys[2 * r] = Vector256.Create((ulong)(k0 + (uint)r * W0));
            keys[2 * r + 1] = Vector256.Create((ulong)(k1 + (uint)r * W1));
        }
    }

    /// <summary>
    /// Raw Philox words of blocks firstBlock, firstBlock+1, … at (attempt, call), four per block, from the chosen path:
    /// lets the tests hold the vector rounds to the Random123 known answers.
    /// </summary>
    internal static void RawBlocks(ulong firstBlock, uint attempt, uint call, ulong key, Span<uint> words, KernelPath path)
    {
        path = Resolve(path);
        int blocks = words.Length / 4, done = 0;
        var cbScalar = (ulong)attempt | ((ulong)call << 32);
        if (path == KernelPath.Avx512)
        {
            Vector512<ulong>* keys = stackalloc Vector512<ulong>[20];
            RoundKeys512(key, keys);
            for (; done + 8 <= blocks; done += 8)
            {
                var a = Vector512.Create(firstBlock + (ulong)done) + Lanes8;
                var b = Vector512.Create(cbScalar);
                Rounds512(ref a, ref b, keys);
                for (int l = 0; l < 8; l++)
                {
                    ulong x01 = a.GetElement(l), x23 = b.GetElement(l);
                    int o = 4 * (done + l);
                    words[o] = (uint)x01; words[o + 1] = (uint)(x01 >> 32); words[o + 2] = (uint)x23; words[o + 3] = (uint)(x23 >> 32);
                }
            }
        }
        else if (path == KernelPath.Avx2)
        {
            Vector256<ulong>* keys = stackalloc Vector256<ulong>[20];
            RoundKeys256(key, keys);
            for (; done + 4 <= blocks; done += 4)
            {
                var a = Vector256.Create(firstBlock + (ulong)done) + Lanes4;
                var b = Vector256.Create(cbScalar);
                Rounds256(ref a, ref b, keys);
                for (int l = 0; l < 4; l++)
                {
                    ulong x01 = a.GetElement(l), x23 = b.GetElement(l);
                    int o = 4 * (done + l);
                    words[o] = (uint)x01; words[o + 1] = (uint)(x01 >> 32); words[o + 2] = (uint)x23; words[o + 3] = (uint)(x23 >> 32);
                }
            }
        }
        for (; done < blocks; done++)
        {
            ulong blk = firstBlock + (ulong)done;
            var (x0, x1, x2, x3) = Philox4x32.Block((uint)blk, (uint)(blk >> 32), attempt, call, (uint)key, (uint)(key >> 32));
            int o = 4 * done;
            words[o] = x0; words[o + 1] = x1; words[o + 2] = x2; words[o + 3] = x3;
        }
    }

    // ------------------------------------------------------------------ vector Box–Muller (same operations as the scalar path)

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Log512(Vector512<float> u)
    {
        var sqrtHalf = Vector512.Create(SqrtHalfBits);
        var t = u.AsInt32() - sqrtHalf;
        var e = Vector512.ConvertToSingle(t >> 23);
        var m = ((t & Vector512.Create(0x007FFFFF)) + sqrtHalf).AsSingle();
        var f = m - Vector512<float>.One;
        var s = f / (Vector512.Create(2f) + f);
        var s2 = s * s;
        var p = Vector512.FusedMultiplyAdd(s2, Vector512.FusedMultiplyAdd(s2, Vector512.FusedMultiplyAdd(s2, Vector512.Create(1f / 9f), Vector512.Create(1f / 7f)), Vector512.Create(1f / 5f)), Vector512.Create(1f / 3f));
        var twoS = s + s;
        var lnm = Vector512.FusedMultiplyAdd(twoS * s2, p, twoS);
        return Vector512.FusedMultiplyAdd(e, Vector512.Create(Ln2Hi), Vector512.FusedMultiplyAdd(e, Vector512.Create(Ln2Lo), lnm));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SinCos512(Vector512<uint> w, out Vector512<float> cos, out Vector512<float> sin)
    {
        var t = w + Vector512.Create(0x2000_0000u);
        var q = t >>> 30;
        var a = Vector512.ConvertToSingle((t & Vector512.Create(0x3FFF_FFFFu)).AsInt32() - Vector512.Create(0x2000_0000)) * Vector512.Create(AngleStep);
        var a2 = a * a;
        var s = Vector512.FusedMultiplyAdd(a * a2, Vector512.FusedMultiplyAdd(a2, Vector512.FusedMultiplyAdd(a2, Vector512.FusedMultiplyAdd(a2, Vector512.Create(1f / 362880f), Vector512.Create(-1f / 5040f)), Vector512.Create(1f / 120f)), Vector512.Create(-1f / 6f)), a);
        var c = Vector512.FusedMultiplyAdd(a2, Vector512.FusedMultiplyAdd(a2, Vector512.FusedMultiplyAdd(a2, Vector512.FusedMultiplyAdd(a2, Vector512.FusedMultiplyAdd(a2, Vector512.Create(-1f / 3628800f), Vector512.Create(1f / 40320f)), Vector512.Create(-1f / 720f)), Vector512.Create(1f / 24f)), Vector512.Create(-0.5f)), Vector512<float>.One);
        var swap = Vector512.Equals(q & Vector512<uint>.One, Vector512<uint>.One).AsSingle();
        var x = Vector512.ConditionalSelect(swap, s, c);
        var y = Vector512.ConditionalSelect(swap, c, s);
        var two = Vector512.Create(2u);
        cos = (x.AsUInt32() ^ (((q + Vector512<uint>.One) & two) << 30)).AsSingle();
        sin = (y.AsUInt32() ^ ((q & two) << 30)).AsSingle();
    }

    /// <summary>
    /// The 32 standard normals of 8 blocks (counters in <paramref name="ca"/>, <paramref name="cb"/>) as (zc, zs): lane p = 2·block + j
    /// holds pair j's r·cos θ and r·sin θ.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Normals512(Vector512<ulong> ca, Vector512<ulong> cb, ulong key, Vector512<ulong>* keys, out Vector512<float> zc, out Vector512<float> zs)
    {
        var a = ca; var b = cb;
        Rounds512(ref a, ref b, keys);
        var wu = a.AsUInt32();
        var u = Vector512.ConvertToSingle((wu >>> 8 | Vector512<uint>.One).AsInt32()) * Vector512.Create(TwoPowM24);
        var r = Vector512.Sqrt(Vector512.Create(-2f) * Log512(u));
        var tail = Vector512.LessThan(wu, Vector512.Create(TailWordLimit));
        if (tail != Vector512<uint>.Zero) r = PatchTail512(r, wu, tail, ca, cb, key);
        SinCos512(b.AsUInt32(), out var cos, out var sin);
        zc = r * cos;
        zs = r * sin;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Vector512<float> PatchTail512(Vector512<float> r, Vector512<uint> wu, Vector512<uint> tail, Vector512<ulong> ca, Vector512<ulong> cb, ulong key)
    {
        float* rr = stackalloc float[16];
        r.Store(rr);
        for (int p = 0; p < 16; p++)
        {
            if (tail.GetElement(p) == 0) continue;
            ulong a = ca.GetElement(p >> 1), b = cb.GetElement(p >> 1);
            uint y = TailWord((uint)a, (uint)(a >> 32), (uint)b, (uint)(b >> 32), key, p & 1);
            rr[p] = TailRadius(wu.GetElement(p), y);
        }
        return Vector512.Load(rr);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Log256(Vector256<float> u)
    {
        var sqrtHalf = Vector256.Create(SqrtHalfBits);
        var t = u.AsInt32() - sqrtHalf;
        var e = Vector256.ConvertToSingle(t >> 23);
        var m = ((t & Vector256.Create(0x007FFFFF)) + sqrtHalf).AsSingle();
        var f = m - Vector256<float>.One;
        var s = f / (Vector256.Create(2f) + f);
        var s2 = s * s;
        var p = Vector256.FusedMultiplyAdd(s2, Vector256.FusedMultiplyAdd(s2, Vector256.FusedMultiplyAdd(s2, Vector256.Create(1f / 9f), Vector256.Create(1f / 7f)), Vector256.Create(1f / 5f)), Vector256.Create(1f / 3f));
        var twoS = s + s;
        var lnm = Vector256.FusedMultiplyAdd(twoS * s2, p, twoS);
        return Vector256.FusedMultiplyAdd(e, Vector256.Create(Ln2Hi), Vector256.FusedMultiplyAdd(e, Vector256.Create(Ln2Lo), lnm));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SinCos256(Vector256<uint> w, out Vector256<float> cos, out Vector256<float> sin)
    {
        var t = w + Vector256.Create(0x2000_0000u);
        var q = t >>> 30;
        var a = Vector256.ConvertToSingle((t & Vector256.Create(0x3FFF_FFFFu)).AsInt32() - Vector256.Create(0x2000_0000)) * Vector256.Create(AngleStep);
        var a2 = a * a;
        var s = Vector256.FusedMultiplyAdd(a * a2, Vector256.FusedMultiplyAdd(a2, Vector256.FusedMultiplyAdd(a2, Vector256.FusedMultiplyAdd(a2, Vector256.Create(1f / 362880f), Vector256.Create(-1f / 5040f)), Vector256.Create(1f / 120f)), Vector256.Create(-1f / 6f)), a);
        var c = Vector256.FusedMultiplyAdd(a2, Vector256.FusedMultiplyAdd(a2, Vector256.FusedMultiplyAdd(a2, Vector256.FusedMultiplyAdd(a2, Vector256.FusedMultiplyAdd(a2, Vector256.Create(-1f / 3628800f), Vector256.Create(1f / 40320f)), Vector256.Create(-1f / 720f)), Vector256.Create(1f / 24f)), Vector256.Create(-0.5f)), Vector256<float>.One);
        var swap = Vector256.Equals(q & Vector256<uint>.One, Vector256<uint>.One).AsSingle();
        var x = Vector256.ConditionalSelect(swap, s, c);
        var y = Vector256.ConditionalSelect(swap, c, s);
        var two = Vector256.Create(2u);
        cos = (x.AsUInt32() ^ (((q + Vector256<uint>.One) & two) << 30)).AsSingle();
        sin = (y.AsUInt32() ^ ((q & two) << 30)).AsSingle();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Normals256(Vector256<ulong> ca, Vector256<ulong> cb, ulong key, Vector256<ulong>* keys, out Vector256<float> zc, out Vector256<float> zs)
    {
        var a = ca; var b = cb;
        Rounds256(ref a, ref b, keys);
        var wu = a.AsUInt32();
        var u = Vector256.ConvertToSingle((wu >>> 8 | Vector256<uint>.One).AsInt32()) * Vector256.Create(TwoPowM24);
        var r = Vector256.Sqrt(Vector256.Create(-2f) * Log256(u));
        // Unsigned w < 2^19 ⟺ (w >> 19) == 0 (AVX2 has no unsigned compare).
        var tail = Vector256.Equals(wu >>> 19, Vector256<uint>.Zero);
        if (tail != Vector256<uint>.Zero) r = PatchTail256(r, wu, tail, ca, cb, key);
        SinCos256(b.AsUInt32(), out var cos, out var sin);
        zc = r * cos;
        zs = r * sin;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Vector256<float> PatchTail256(Vector256<float> r, Vector256<uint> wu, Vector256<uint> tail, Vector256<ulong> ca, Vector256<ulong> cb, ulong key)
    {
        float* rr = stackalloc float[8];
        r.Store(rr);
        for (int p = 0; p < 8; p++)
        {
            if (tail.GetElement(p) == 0) continue;
            ulong a = ca.GetElement(p >> 1), b = cb.GetElement(p >> 1);
            uint y = TailWord((uint)a, (uint)(a >> 32), (uint)b, (uint)(b >> 32), key, p & 1);
            rr[p] = TailRadius(wu.GetElement(p), y);
        }
        return Vector256.Load(rr);
    }

    // ------------------------------------------------------------------ fills of a block range

    private static readonly Vector512<ulong> Lanes8 = Vector512.Create(0ul, 1, 2, 3, 4, 5, 6, 7);
    private static readonly Vector256<ulong> Lanes4 = Vector256.Create(0ul, 1, 2, 3);
    // vpermt2ps indices interleaving zc (0..15) and zs (16..31): element 2p = zc[p], 2p+1 = zs[p].
    private static readonly Vector512<int> InterleaveLo = Vector512.Create(0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
    private static readonly Vector512<int> InterleaveHi = Vector512.Create(8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
    // vpermt2q indices putting block i's (x0,x1) then (x2,x3) in order.
    private static readonly Vector512<ulong> BlockOrderLo = Vector512.Create(0ul, 8, 1, 9, 2, 10, 3, 11);
    private static readonly Vector512<ulong> BlockOrderHi = Vector512.Create(4ul, 12, 5, 13, 6, 14, 7, 15);

    /// <summary>Kind of fill (the hot loops are specialised per kind, no delegate per element).</summary>
    internal enum Kind { Uniform, Normal, Truncated }

    /// <summary>Parameters of one fill (float64, as derived).</summary>
    internal readonly struct Law
    {
        public readonly Kind Kind;
        public readonly double Scale, Offset, Lower, Upper;
        public Law(Kind kind, double scale, double offset, double lower = 0, double upper = 0)
        { Kind = kind; Scale = scale; Offset = offset; Lower = lower; Upper = upper; }
    }

    /// <summary>
    /// Fills <paramref name="count"/> elements starting at stream element <paramref name="first"/> into <paramref name="dst"/>.
    /// Any start and length: partial blocks at both ends are computed whole and cut.
    /// </summary>
    internal static void FillRange(float* dst, long first, long count, in Law law, SeedPair seed, KernelPath path)
    {
        if (count <= 0) return;
        path = Resolve(path);
        long end = first + count;
        long b = first >> 2;
        float* tmp = stackalloc float[4];
        // head: a partial first block
        if ((first & 3) != 0)
        {
            ScalarBlock(tmp, (ulong)b, law, seed);
            for (long e = first; e < Math.Min(end, (b + 1) << 2); e++) dst[e - first] = tmp[e & 3];
            b++;
        }
        long fullEnd = end >> 2;   // blocks [b, fullEnd) are whole
        if (fullEnd > b)
        {
            float* body = dst + ((b << 2) - first);
            long blocks = fullEnd - b;
            long done = path switch
            {
                KernelPath.Avx512 => Body512(body, (ulong)b, blocks, law, seed),
                KernelPath.Avx2 => Body256(body, (ulong)b, blocks, law, seed),
                _ => 0,
            };
            for (long k = done; k < blocks; k++) ScalarBlock(body + (k << 2), (ulong)(b + k), law, seed);
            b = fullEnd;
        }
        if ((end & 3) != 0 && (b << 2) < end)
        {
            ScalarBlock(tmp, (ulong)b, law, seed);
            for (long e = Math.Max(first, b << 2); e < end; e++) dst[e - first] = tmp[e & 3];
        }
    }

    /// <summary>One block's four elements, scalar (the reference for the vector paths).</summary>
    private static void ScalarBlock(float* out4, ulong b, in Law law, SeedPair seed)
    {
        ulong key = seed.Seed;
        if (law.Kind == Kind.Uniform)
        {
            var (x0, x1, x2, x3) = Philox4x32.Block((uint)b, (uint)(b >> 32), 0, seed.Counter, (uint)key, (uint)(key >> 32));
            out4[0] = UniformValue(x0, law); out4[1] = UniformValue(x1, law); out4[2] = UniformValue(x2, law); out4[3] = UniformValue(x3, law);
            return;
        }
        Span<float> z = stackalloc float[4];
        NormalBlock(b, 0, seed.Counter, key, z);
        for (int m = 0; m < 4; m++)
        {
            double v = Math.FusedMultiplyAdd(law.Scale, z[m], law.Offset);
            if (law.Kind == Kind.Truncated && !(law.Lower <= v && v <= law.Upper))
                v = Resample(b, m, law, seed);
            out4[m] = (float)v;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float UniformValue(uint x, in Law law) => (float)Math.FusedMultiplyAdd(law.Scale, x * (1.0 / 4294967296.0), law.Offset);

    /// <summary>Element m of block b after rejection at attempt 0: the first accepted attempt 1, 2, … (scalar).</summary>
    private static double Resample(ulong b, int m, in Law law, SeedPair seed)
    {
        Span<float> z = stackalloc float[4];
        for (uint attempt = 1; ; attempt++)
        {
            NormalBlock(b, attempt, seed.Counter, seed.Seed, z);
            double v = Math.FusedMultiplyAdd(law.Scale, z[m], law.Offset);
            if (law.Lower <= v && v <= law.Upper) return v;
        }
    }

    /// <summary>Groups per tile of the truncated loop, and room for the pending elements of a few tiles.</summary>
    private const int TileGroups = 32;
    private const int PendingCapacity = 2048;

    /// <summary>Whole blocks [b0, b0 + blocks) with AVX-512, 8 at a time; returns how many blocks it did.</summary>
    private static long Body512(float* dst, ulong b0, long blocks, in Law law, SeedPair seed)
    {
        long groups = blocks >> 3;
        ulong key = seed.Seed;
        Vector512<ulong>* keys = stackalloc Vector512<ulong>[20];
        RoundKeys512(key, keys);
        var cb = Vector512.Create((ulong)seed.Counter << 32);
        var scale = Vector512.Create(law.Scale);
        var offset = Vector512.Create(law.Offset);
        if (law.Kind == Kind.Uniform)
        {
            var step = Vector512.Create(1.0 / 4294967296.0);
            for (long g = 0; g < groups; g++)
            {
                var a = Vector512.Create(b0 + (ulong)(g << 3)) + Lanes8;
                var bb = cb;
                Rounds512(ref a, ref bb, keys);
                var lo = Avx512F.PermuteVar8x64x2(a, BlockOrderLo, bb).AsUInt32();
                var hi = Avx512F.PermuteVar8x64x2(a, BlockOrderHi, bb).AsUInt32();
                float* o = dst + (g << 5);
                StoreUniform512(o, lo.GetLower(), scale, offset, step);
                StoreUniform512(o + 8, lo.GetUpper(), scale, offset, step);
                StoreUniform512(o + 16, hi.GetLower(), scale, offset, step);
                StoreUniform512(o + 24, hi.GetUpper(), scale, offset, step);
            }
            return groups << 3;
        }
        bool truncated = law.Kind == Kind.Truncated;
        var lower = Vector512.Create(law.Lower);
        var upper = Vector512.Create(law.Upper);
        // The rejection masks of a tile of groups are stored first and scanned afterwards: a branch on them inside the
        // vector loop would depend on the whole Philox/Box–Muller chain, and each misprediction would throw away the
        // next group's overlapped work (measured: half the speed).
        uint* masks = stackalloc uint[TileGroups];
        int* pending = stackalloc int[PendingCapacity];
        int npending = 0;
        for (long t0 = 0; t0 < groups; t0 += TileGroups)
        {
            int tile = (int)Math.Min(TileGroups, groups - t0);
            for (int k = 0; k < tile; k++)
            {
                long g = t0 + k;
                var a = Vector512.Create(b0 + (ulong)(g << 3)) + Lanes8;
                Normals512(a, cb, key, keys, out var zc, out var zs);
                var lo = Avx512F.PermuteVar16x32x2(zc, InterleaveLo, zs);
                var hi = Avx512F.PermuteVar16x32x2(zc, InterleaveHi, zs);
                float* o = dst + (g << 5);
                masks[k] = (uint)(StoreAffine512(o, lo.GetLower(), scale, offset, lower, upper, truncated)
                    | StoreAffine512(o + 8, lo.GetUpper(), scale, offset, lower, upper, truncated) << 8
                    | StoreAffine512(o + 16, hi.GetLower(), scale, offset, lower, upper, truncated) << 16
                    | StoreAffine512(o + 24, hi.GetUpper(), scale, offset, lower, upper, truncated) << 24);
            }
            if (!truncated) continue;
            for (int k = 0; k < tile; k++)
            {
                uint rejected = masks[k];
                while (rejected != 0)
                {
                    pending[npending++] = (int)((t0 + k) << 5) + System.Numerics.BitOperations.TrailingZeroCount(rejected);
                    rejected &= rejected - 1;
                }
            }
            if (npending > PendingCapacity - 32 * TileGroups) { ResolvePending512(dst, b0, pending, npending, law, seed, keys); npending = 0; }
        }
        if (npending > 0) ResolvePending512(dst, b0, pending, npending, law, seed, keys);
        return groups << 3;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreUniform512(float* o, Vector256<uint> words, Vector512<double> scale, Vector512<double> offset, Vector512<double> step)
    {
        var u = Avx512F.ConvertToVector512Double(words) * step;
        Avx512F.ConvertToVector256Single(Vector512.FusedMultiplyAdd(scale, u, offset)).Store(o);
    }

    /// <summary>Stores fl32(offset + scale·z) for 8 lanes; returns the bit mask of lanes outside [lower, upper] when truncating.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong StoreAffine512(float* o, Vector256<float> z, Vector512<double> scale, Vector512<double> offset, Vector512<double> lower, Vector512<double> upper, bool truncated)
    {
        var v = Vector512.FusedMultiplyAdd(scale, Avx512F.ConvertToVector512Double(z), offset);
        Avx512F.ConvertToVector256Single(v).Store(o);
        if (!truncated) return 0;
        var inside = Vector512.GreaterThanOrEqual(v, lower) & Vector512.LessThanOrEqual(v, upper);
        return ~Vector512.ExtractMostSignificantBits(inside) & 0xFFul;
    }

    /// <summary>
    /// Redraws rejected elements (offsets into <paramref name="dst"/>, block b0 at offset 0) eight at a time: lane i takes the
    /// block of pending element i at its next attempt; accepted elements are written, the others stay for the next attempt.
    /// </summary>
    private static void ResolvePending512(float* dst, ulong b0, int* pending, int count, in Law law, SeedPair seed, Vector512<ulong>* keys)
    {
        uint* attempts = stackalloc uint[PendingCapacity];
        for (int i = 0; i < count; i++) attempts[i] = 1;
        ulong* ca = stackalloc ulong[8];
        ulong* cbv = stackalloc ulong[8];
        float* z = stackalloc float[32];   // the 8 blocks' normals in element order: block l, element m at 4l + m
        while (count > 0)
        {
            int kept = 0;
            for (int start = 0; start < count; start += 8)
            {
                int lanes = Math.Min(8, count - start);
                for (int l = 0; l < 8; l++)
                {
                    int i = start + Math.Min(l, lanes - 1);
                    ca[l] = b0 + (ulong)(pending[i] >> 2);
                    cbv[l] = attempts[i] | ((ulong)seed.Counter << 32);
                }
                Normals512(Vector512.Load(ca), Vector512.Load(cbv), seed.Seed, keys, out var vc, out var vs);
                Avx512F.PermuteVar16x32x2(vc, InterleaveLo, vs).Store(z);
                Avx512F.PermuteVar16x32x2(vc, InterleaveHi, vs).Store(z + 16);
                for (int l = 0; l < lanes; l++)
                {
                    int i = start + l;
                    double v = Math.FusedMultiplyAdd(law.Scale, z[4 * l + (pending[i] & 3)], law.Offset);
                    // Branch-free: always write (a rejected value is overwritten by a later attempt) and always copy the
                    // entry down; only an element still outside the bounds advances `kept`.
                    dst[pending[i]] = (float)v;
                    int e = pending[i];
                    uint next = attempts[i] + 1;
                    pending[kept] = e; attempts[kept] = next;
                    bool inside = (law.Lower <= v) & (v <= law.Upper);
                    kept += inside ? 0 : 1;
                }
            }
            count = kept;
        }
    }

    /// <summary>Whole blocks with AVX2, 4 at a time; returns how many blocks it did.</summary>
    private static long Body256(float* dst, ulong b0, long blocks, in Law law, SeedPair seed)
    {
        long groups = blocks >> 2;
        ulong key = seed.Seed;
        Vector256<ulong>* keys = stackalloc Vector256<ulong>[20];
        RoundKeys256(key, keys);
        var cb = Vector256.Create((ulong)seed.Counter << 32);
        var scale = Vector256.Create(law.Scale);
        var offset = Vector256.Create(law.Offset);
        if (law.Kind == Kind.Uniform)
        {
            var step = Vector256.Create(1.0 / 4294967296.0);
            for (long g = 0; g < groups; g++)
            {
                var a = Vector256.Create(b0 + (ulong)(g << 2)) + Lanes4;
                var bb = cb;
                Rounds256(ref a, ref bb, keys);
                var l = Avx2.UnpackLow(a, bb);    // blocks 0, 2: (x0x1, x2x3)
                var h = Avx2.UnpackHigh(a, bb);   // blocks 1, 3
                var lo = Avx2.Permute2x128(l, h, 0x20).AsUInt32();   // blocks 0, 1
                var hi = Avx2.Permute2x128(l, h, 0x31).AsUInt32();   // blocks 2, 3
                float* o = dst + (g << 4);
                StoreUniform256(o, lo.GetLower(), scale, offset, step);
                StoreUniform256(o + 4, lo.GetUpper(), scale, offset, step);
                StoreUniform256(o + 8, hi.GetLower(), scale, offset, step);
                StoreUniform256(o + 12, hi.GetUpper(), scale, offset, step);
            }
            return groups << 2;
        }
        bool truncated = law.Kind == Kind.Truncated;
        var lower = Vector256.Create(law.Lower);
        var upper = Vector256.Create(law.Upper);
        uint* masks = stackalloc uint[TileGroups];   // see Body512: masks first, branches after the tile
        int* pending = stackalloc int[PendingCapacity];
        int npending = 0;
        for (long t0 = 0; t0 < groups; t0 += TileGroups)
        {
            int tile = (int)Math.Min(TileGroups, groups - t0);
            for (int k = 0; k < tile; k++)
            {
                long g = t0 + k;
                var a = Vector256.Create(b0 + (ulong)(g << 2)) + Lanes4;
                Normals256(a, cb, key, keys, out var zc, out var zs);
                var l = Avx.UnpackLow(zc, zs);
                var h = Avx.UnpackHigh(zc, zs);
                var lo = Avx.Permute2x128(l, h, 0x20);
                var hi = Avx.Permute2x128(l, h, 0x31);
                float* o = dst + (g << 4);
                masks[k] = StoreAffine256(o, lo.GetLower(), scale, offset, lower, upper, truncated)
                    | StoreAffine256(o + 4, lo.GetUpper(), scale, offset, lower, upper, truncated) << 4
                    | StoreAffine256(o + 8, hi.GetLower(), scale, offset, lower, upper, truncated) << 8
                    | StoreAffine256(o + 12, hi.GetUpper(), scale, offset, lower, upper, truncated) << 12;
            }
            if (!truncated) continue;
            for (int k = 0; k < tile; k++)
            {
                uint rejected = masks[k];
                while (rejected != 0)
                {
                    pending[npending++] = (int)((t0 + k) << 4) + System.Numerics.BitOperations.TrailingZeroCount(rejected);
                    rejected &= rejected - 1;
                }
            }
            if (npending > PendingCapacity - 32 * TileGroups) { ResolvePending256(dst, b0, pending, npending, law, seed, keys); npending = 0; }
        }
        if (npending > 0) ResolvePending256(dst, b0, pending, npending, law, seed, keys);
        return groups << 2;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreUniform256(float* o, Vector128<uint> words, Vector256<double> scale, Vector256<double> offset, Vector256<double> step)
    {
        // AVX2 has no unsigned int→double: flip the sign bit, convert, add 2^31 back (exact).
        var signed = Avx.ConvertToVector256Double((words ^ Vector128.Create(0x8000_0000u)).AsInt32()) + Vector256.Create(2147483648.0);
        Avx.ConvertToVector128Single(Vector256.FusedMultiplyAdd(scale, signed * step, offset)).Store(o);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint StoreAffine256(float* o, Vector128<float> z, Vector256<double> scale, Vector256<double> offset, Vector256<double> lower, Vector256<double> upper, bool truncated)
    {
        var v = Vector256.FusedMultiplyAdd(scale, Avx.ConvertToVector256Double(z), offset);
        Avx.ConvertToVector128Single(v).Store(o);
        if (!truncated) return 0;
        var inside = Vector256.GreaterThanOrEqual(v, lower) & Vector256.LessThanOrEqual(v, upper);
        return ~Vector256.ExtractMostSignificantBits(inside) & 0xFu;
    }

    private static void ResolvePending256(float* dst, ulong b0, int* pending, int count, in Law law, SeedPair seed, Vector256<ulong>* keys)
    {
        uint* attempts = stackalloc uint[PendingCapacity];
        for (int i = 0; i < count; i++) attempts[i] = 1;
        ulong* ca = stackalloc ulong[4];
        ulong* cbv = stackalloc ulong[4];
        float* z = stackalloc float[16];   // block l, element m at 4l + m
        while (count > 0)
        {
            int kept = 0;
            for (int start = 0; start < count; start += 4)
            {
                int lanes = Math.Min(4, count - start);
                for (int l = 0; l < 4; l++)
                {
                    int i = start + Math.Min(l, lanes - 1);
                    ca[l] = b0 + (ulong)(pending[i] >> 2);
                    cbv[l] = attempts[i] | ((ulong)seed.Counter << 32);
                }
                Normals256(Vector256.Load(ca), Vector256.Load(cbv), seed.Seed, keys, out var vc, out var vs);
                var l2 = Avx.UnpackLow(vc, vs);
                var h2 = Avx.UnpackHigh(vc, vs);
                Avx.Permute2x128(l2, h2, 0x20).Store(z);
                Avx.Permute2x128(l2, h2, 0x31).Store(z + 8);
                for (int l = 0; l < lanes; l++)
                {
                    int i = start + l;
                    double v = Math.FusedMultiplyAdd(law.Scale, z[4 * l + (pending[i] & 3)], law.Offset);
                    // Branch-free: always write (a rejected value is overwritten by a later attempt) and always copy the
                    // entry down; only an element still outside the bounds advances `kept`.
                    dst[pending[i]] = (float)v;
                    int e = pending[i];
                    uint next = attempts[i] + 1;
                    pending[kept] = e; attempts[kept] = next;
                    bool inside = (law.Lower <= v) & (v <= law.Upper);
                    kept += inside ? 0 : 1;
                }
            }
            count = kept;
        }
    }
}
