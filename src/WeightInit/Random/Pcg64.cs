using System.Runtime.CompilerServices;

namespace WeightInit.Random;

/// <summary>
/// numpy's <c>SeedSequence</c> (numpy/random/bit_generator.pyx), M. E. O'Neill's <c>seed_seq_fe</c> design
/// ("Developing a seed_seq Alternative", 2015): the entropy words are hashed into a pool of four uint32 words,
/// every pool word is mixed with every other, and output words are hashed out of the pool. This is how
/// <c>np.random.default_rng(seed)</c> turns Keras' seed pair into PCG64's 256 bits of state.
/// </summary>
public static class SeedSequence
{
    // The multipliers and initial values of O'Neill's hash and mix (numpy states them as INIT_A, MULT_A, ...).
    private const uint InitA = 0x43B0D7E5, MultA = 0x931E8875, InitB = 0x8B51F9DD, MultB = 0x58F38DED;
    private const uint MixMultL = 0xCA01F9DD, MixMultR = 0x4973F715;
    private const int XShift = 16, PoolSize = 4;

    /// <summary>The mixed pool for the given entropy words (numpy: <c>SeedSequence(entropy).pool</c>).</summary>
    public static uint[] Pool(ReadOnlySpan<uint> entropy)
    {
        uint hashConst = InitA;
        uint Hash(uint value)
        {
            value ^= hashConst;
            hashConst = unchecked(hashConst * MultA);
            value = unchecked(value * hashConst);
            return value ^ (value >> XShift);
        }
        static uint Mix(uint x, uint y)
        {
            uint r = unchecked(MixMultL * x - MixMultR * y);
            return r ^ (r >> XShift);
        }

        var pool = new uint[PoolSize];
        for (int i = 0; i < PoolSize; i++) pool[i] = Hash(i < entropy.Length ? entropy[i] : 0u);
        for (int src = 0; src < PoolSize; src++)
            for (int dst = 0; dst < PoolSize; dst++)
                if (src != dst) pool[dst] = Mix(pool[dst], Hash(pool[src]));
        for (int src = PoolSize; src < entropy.Length; src++)
            for (int dst = 0; dst < PoolSize; dst++)
                pool[dst] = Mix(pool[dst], Hash(entropy[src]));
        return pool;
    }

    /// <summary><c>generate_state(n, uint32)</c>: n words hashed out of the pool in turn.</summary>
    public static uint[] GenerateState32(ReadOnlySpan<uint> pool, int count)
    {
        var state = new uint[count];
        uint hashConst = InitB;
        for (int i = 0; i < count; i++)
        {
            uint v = pool[i % PoolSize] ^ hashConst;
            hashConst = unchecked(hashConst * MultB);
            v = unchecked(v * hashConst);
            state[i] = v ^ (v >> XShift);
        }
        return state;
    }

    /// <summary><c>generate_state(n, uint64)</c>: pairs of uint32 words, low word first.</summary>
    public static ulong[] GenerateState64(ReadOnlySpan<uint> pool, int count)
    {
        var words = GenerateState32(pool, 2 * count);
        var state = new ulong[count];
        for (int i = 0; i < count; i++) state[i] = words[2 * i] | ((ulong)words[2 * i + 1] << 32);
        return state;
    }
}

/// <summary>
/// PCG64 as numpy implements it (O'Neill 2014, "PCG: A Family of Simple Fast Space-Efficient Statistically
/// Good Algorithms for Random Number Generation"): a 128-bit LCG, state ← state·M + inc (mod 2^128), whose
/// output is the XSL-RR permutation of the new state: (hi ⊕ lo) rotated right by the top 6 bits of hi.
/// A mutable struct on purpose: the hot loops keep it in registers.
/// </summary>
public struct Pcg64
{
    // PCG's default 128-bit multiplier (pcg_setseq_128's PCG_DEFAULT_MULTIPLIER_128).
    internal const ulong MulHi = 2549297995355413924UL, MulLo = 4865540595714422341UL;

    // internal: the stream's fill loops copy them into locals (registers) and write them back.
    internal ulong _hi, _lo;
    internal readonly ulong _incHi, _incLo;

    /// <summary>numpy's <c>pcg64_set_seed</c>: inc = 2·initseq + 1, then state = 0, step, += initstate, step.</summary>
    public Pcg64(UInt128 initState, UInt128 initSeq)
    {
        var inc = (initSeq << 1) | 1;
        _incHi = (ulong)(inc >> 64);
        _incLo = (ulong)inc;
        _hi = 0; _lo = 0;
        Step();
        var s = new UInt128(_hi, _lo) + initState;
        _hi = (ulong)(s >> 64); _lo = (ulong)s;
        Step();
    }

    /// <summary><c>np.random.PCG64(SeedSequence(entropy))</c>: four uint64 state words, the first two the state, the last two the stream.</summary>
    public static Pcg64 FromEntropy(ReadOnlySpan<uint> entropy)
    {
        var s = SeedSequence.GenerateState64(SeedSequence.Pool(entropy), 4);
        return new Pcg64(new UInt128(s[0], s[1]), new UInt128(s[2], s[3]));
    }

    /// <summary>The 128-bit state (for tests against numpy's <c>bit_generator.state</c>).</summary>
    public readonly UInt128 State => new(_hi, _lo);

    /// <summary>The 128-bit increment (numpy's <c>state['state']['inc']</c>).</summary>
    public readonly UInt128 Increment => new(_incHi, _incLo);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Step() => Next64(ref _hi, ref _lo, _incHi, _incLo);

    /// <summary>The next 64-bit output (numpy's <c>random_raw</c>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Next64() => Next64(ref _hi, ref _lo, _incHi, _incLo);

    /// <summary>
    /// One PCG64 step on a state held in the caller's locals, and its XSL-RR output: the stream's fill loops keep the
    /// state in registers and call this, so the step exists once.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong Next64(ref ulong hi, ref ulong lo, ulong incHi, ulong incLo)
    {
        // (hi·2^64 + lo)·(MulHi·2^64 + MulLo) mod 2^128, then + inc with the carry out of the low word.
        ulong h = Math.BigMul(lo, MulLo, out ulong l);
        h += hi * MulLo + lo * MulHi;
        lo = l + incLo;
        hi = h + incHi + (lo < l ? 1UL : 0UL);
        // XSL-RR: the xor of the halves, rotated right by the top 6 bits.
        return ulong.RotateRight(hi ^ lo, (int)(hi >> 58));
    }

    /// <summary>numpy's <c>next_double</c>: the top 53 bits of an output, times 2^-53, in [0, 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double NextDouble() => (Next64() >> 11) * (1.0 / 9007199254740992.0);
}
