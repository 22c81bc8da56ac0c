using System.Runtime.CompilerServices;

namespace WeightInit.Random;

/// <summary>
/// The Philox4x32-10 counter-based block cipher (Salmon, Moraes, Dror, Shaw: "Parallel random numbers:
/// as easy as 1, 2, 3", SC 2011). A 128-bit counter and a 64-bit key map to 128 random bits; the output
/// for a counter depends on nothing else, which is what makes fills independent of thread count.
/// </summary>
public static class Philox4x32
{
    private const uint M0 = 0xD2511F53, M1 = 0xCD9E8D57;   // round multipliers
    private const uint W0 = 0x9E3779B9, W1 = 0xBB67AE85;   // Weyl key increments (golden ratio, sqrt(3)-1)

    /// <summary>Encrypts the counter (c0..c3) under the key (k0, k1) with 10 rounds.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (uint X0, uint X1, uint X2, uint X3) Block(uint c0, uint c1, uint c2, uint c3, uint k0, uint k1)
    {
        for (int round = 0; round < 10; round++)
        {
            if (round > 0) { k0 += W0; k1 += W1; }
            ulong p0 = (ulong)M0 * c0;
            ulong p1 = (ulong)M1 * c2;
            uint n0 = (uint)(p1 >> 32) ^ c1 ^ k0;
            uint n1 = (uint)p1;
            uint n2 = (uint)(p0 >> 32) ^ c3 ^ k1;
            uint n3 = (uint)p0;
            c0 = n0; c1 = n1; c2 = n2; c3 = n3;
        }
        return (c0, c1, c2, c3);
    }
}
