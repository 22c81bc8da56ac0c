namespace WeightInit.Statistics;

/// <summary>
/// Minimal double-double arithmetic (value = Hi + Lo, |Lo| ≤ ulp(Hi)/2), ~106-bit significand
/// (Dekker 1971, Shewchuk 1997; TwoProd via fused multiply-add). Used for the Birnbaum–Tingey sum of
/// <see cref="Kolmogorov.SmirnovSf"/>, as scipy's cephes <c>kolmogorov.c</c> does with <c>dd_real</c>.
/// </summary>
internal readonly struct DoubleDouble
{
    public readonly double Hi, Lo;
    public DoubleDouble(double hi, double lo) { Hi = hi; Lo = lo; }
    public static implicit operator DoubleDouble(double x) => new(x, 0.0);

    private static DoubleDouble QuickTwoSum(double a, double b) { double s = a + b; return new(s, b - (s - a)); }
    private static DoubleDouble TwoSum(double a, double b)
    {
        double s = a + b, bb = s - a;
        return new(s, (a - (s - bb)) + (b - bb));
    }
    private static DoubleDouble TwoProd(double a, double b) { double p = a * b; return new(p, Math.FusedMultiplyAdd(a, b, -p)); }

    public static DoubleDouble operator +(DoubleDouble a, DoubleDouble b)
    {
        var s = TwoSum(a.Hi, b.Hi);
        var t = TwoSum(a.Lo, b.Lo);
        double lo = s.Lo + t.Hi;
        s = QuickTwoSum(s.Hi, lo);
        lo = s.Lo + t.Lo;
        return QuickTwoSum(s.Hi, lo);
    }
    public static DoubleDouble operator -(DoubleDouble a) => new(-a.Hi, -a.Lo);
    public static DoubleDouble operator -(DoubleDouble a, DoubleDouble b) => a + (-b);
    public static DoubleDouble operator *(DoubleDouble a, DoubleDouble b)
    {
        var p = TwoProd(a.Hi, b.Hi);
        double lo = p.Lo + (a.Hi * b.Lo + a.Lo * b.Hi);
        return QuickTwoSum(p.Hi, lo);
    }
    public static DoubleDouble operator /(DoubleDouble a, double b)
    {
        double q1 = a.Hi / b;
        var p = TwoProd(q1, b);
        var r = a - p;
        double q2 = r.Hi / b;
        r = r - TwoProd(q2, b);
        double q3 = r.Hi / b;
        var q = QuickTwoSum(q1, q2);
        return q + q3;
    }
    public static DoubleDouble operator /(DoubleDouble a, DoubleDouble b)
    {
        double q1 = a.Hi / b.Hi;
        var r = a - b * q1;
        double q2 = r.Hi / b.Hi;
        r = r - b * q2;
        double q3 = r.Hi / b.Hi;
        var q = QuickTwoSum(q1, q2);
        return q + q3;
    }
    public DoubleDouble ScaleB(int e) => new(Math.ScaleB(Hi, e), Math.ScaleB(Lo, e));
    public double ToDouble() => Hi + Lo;
    public override string ToString() => $"{Hi:R} + {Lo:R}";
}

/// <summary>A double-double mantissa with a separate binary exponent (value = M·2^E), for products that overflow double.</summary>
internal readonly struct ScaledDD
{
    public readonly DoubleDouble M; public readonly long E;
    public ScaledDD(DoubleDouble m, long e)
    {
        if (m.Hi == 0 || !double.IsFinite(m.Hi)) { M = m; E = e; return; }
        int ex = Math.ILogB(m.Hi);
        M = m.ScaleB(-ex); E = e + ex;
    }
    public static ScaledDD One => new(1.0, 0);
    public static ScaledDD operator *(ScaledDD a, ScaledDD b) => new(a.M * b.M, a.E + b.E);
    public static ScaledDD operator *(ScaledDD a, DoubleDouble b) => new(a.M * b, a.E);
    /// <summary>base^k for k ≥ 0 by binary powering.</summary>
    public static ScaledDD Pow(DoubleDouble b, long k)
    {
        var result = One;
        var sq = new ScaledDD(b, 0);
        while (k > 0)
        {
            if ((k & 1) != 0) result = result * sq;
            k >>= 1;
            if (k > 0) sq = sq * sq;
        }
        return result;
    }
}
