namespace WeightInit.Statistics;

// smirnov: the exact one-sided KS distribution of D_n⁺ (see the class remarks in Kolmogorov.cs).
public static partial class Kolmogorov
{
    /// <summary>P(D_n⁺ ≥ d), the exact one-sided KS tail (scipy.special.smirnov = ksone.sf).</summary>
    /// <remarks>
    /// Special cases as scipy: n=1; d ≤ 1/n: cdf = d(1+d)^{n-1}; d ≥ 1-1/n: sf = (1-d)ⁿ; 2nd² &gt; -MINLOG: sf = 0;
    /// n &gt; 10⁶: sf ≈ exp(-(6nd+1)²/(18n)). Otherwise the Birnbaum–Tingey sum
    /// sf = d Σ_{j=0}^{⌊n(1-d)⌋} C(n,j)(d+j/n)^{j-1}(1-d-j/n)^{n-j}, whose terms are all positive; each term is evaluated in
    /// double-double with a separate binary exponent (relative error ~1e-16 for any n), terms more than e^-90 below
    /// the largest are skipped after a cheap log-scale screening.
    /// </remarks>
    public static double SmirnovSf(int n, double d) => Smirnov(n, d).Sf;

    /// <summary>P(D_n⁺ &lt; d) = 1 - SmirnovSf (ksone.cdf).</summary>
    public static double SmirnovCdf(int n, double d) => Smirnov(n, d).Cdf;

    internal static (double Sf, double Cdf) Smirnov(int n, double x)
    {
        if (!(n > 0 && x >= 0.0 && x <= 1.0)) return (double.NaN, double.NaN);
        if (n == 1) return (1 - x, x);
        if (x == 0.0) return (1.0, 0.0);
        if (x == 1.0) return (0.0, 1.0);
        double nx = n * x;
        if (nx <= 1)
        {
            // cdf = x (1+x)^(n-1)
            var c = ScaledDD.Pow(new DoubleDouble(1.0, 0) + x, n - 1) * (DoubleDouble)x;
            double cdf = Math.ScaleB(c.M.ToDouble(), (int)c.E);
            return (1 - cdf, cdf);
        }
        if (x >= 1 - 1.0 / n)
        {
            var s = ScaledDD.Pow(new DoubleDouble(1.0, 0) - x, n);
            double sf = Math.ScaleB(s.M.ToDouble(), (int)Math.Max(s.E, -2000));
            return (sf, 1 - sf);
        }
        if (-2 * nx * x < MinLog) return (0.0, 1.0);
        if (n > SmirnovMaxComputeN)
        {
            double logp = -Math.Pow(6.0 * n * x + 1, 2) / 18.0 / n;
            if (logp < -0.69314718055994530942) { double sf = Math.Exp(logp); return (sf, 1 - sf); }
            double cdf = -StandardNormal.ExpMinusOne(logp);
            return (1 - cdf, cdf);
        }
        int jmax = (int)Math.Floor(n * (1.0 - x));
        // Screening in double: log term_j = log C(n,j) + log x + (j-1) log(x+j/n) + (n-j) log(1-x-j/n)
        var logs = new double[jmax + 1];
        double logC = 0, logMax = double.NegativeInfinity, logx = Math.Log(x);
        for (int j = 0; j <= jmax; j++)
        {
            if (j > 0) logC += Math.Log((double)(n - j + 1) / j);
            double b1 = x + (double)j / n, b2 = 1 - b1;
            double lt = b2 <= 0 ? double.NegativeInfinity : logC + logx + (j - 1) * Math.Log(b1) + (n - j) * Math.Log(b2);
            logs[j] = lt;
            if (lt > logMax) logMax = lt;
        }
        double cut = logMax - 90;
        // exact terms, scaled relative to the largest; C(n, j) is rebuilt per chunk so that chunks run in parallel
        var mant = new DoubleDouble[jmax + 1];
        var expo = new long[jmax + 1];
        var used = new bool[jmax + 1];
        var dx = (DoubleDouble)x;
        int chunk = Math.Max(4096, (jmax + 1 + 4 * Environment.ProcessorCount - 1) / (4 * Environment.ProcessorCount));
        int nChunks = (jmax + 1 + chunk - 1) / chunk;
        void Work(int c)
        {
            int j0 = c * chunk, j1 = Math.Min(jmax + 1, j0 + chunk);
            var C = BinomialScaled(n, j0);
            for (int j = j0; j < j1; j++)
            {
                if (j > j0) C = new ScaledDD(C.M * (double)(n - j + 1) / j, C.E);
                if (!(logs[j] >= cut)) continue;
                DoubleDouble b1 = new DoubleDouble((double)j, 0) / n + x;
                DoubleDouble b2 = new DoubleDouble(1.0, 0) - b1;
                if (b2.Hi <= 0) continue;
                ScaledDD t;
                if (j == 0) t = ScaledDD.Pow(b2, n); // x · x^{-1} · (1-x)^n
                else t = C * ScaledDD.Pow(b1, j - 1) * ScaledDD.Pow(b2, n - j) * dx;
                mant[j] = t.M; expo[j] = t.E; used[j] = t.M.Hi != 0;
            }
        }
        if (nChunks > 1 && jmax > 20000) Parallel.For(0, nChunks, Work);
        else for (int c = 0; c < nChunks; c++) Work(c);
        long emax = long.MinValue;
        for (int j = 0; j <= jmax; j++) if (used[j] && expo[j] > emax) emax = expo[j];
        DoubleDouble sum = 0.0;
        for (int j = 0; j <= jmax; j++)
        {
            if (!used[j]) continue;
            long de = expo[j] - emax;
            if (de < -1100) continue;
            sum = sum + mant[j].ScaleB((int)de);
        }
        double sfv = emax == long.MinValue ? 0.0 : Math.ScaleB(sum.Hi, (int)Math.Clamp(emax, -5000, 5000)) + Math.ScaleB(sum.Lo, (int)Math.Clamp(emax, -5000, 5000));
        sfv = Math.Clamp(sfv, 0, 1);
        return (sfv, 1 - sfv);
    }

    /// <summary>C(n, k) in scaled double-double by the product Π (n-k+i)/i.</summary>
    private static ScaledDD BinomialScaled(int n, int k)
    {
        var C = ScaledDD.One;
        for (int i = 1; i <= k; i++) C = new ScaledDD(C.M * (double)(n - i + 1) / i, C.E);
        return C;
    }
}
