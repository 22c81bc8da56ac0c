using MathNet.Numerics;

namespace WeightInit.Statistics;

/// <summary>
/// The Kolmogorov–Smirnov distributions as scipy 1.10 computes them, ported branch by branch:
/// <list type="bullet">
/// <item><c>kolmogorov</c>/<c>kolmogi</c> (limit law of √n·D_n, scipy/special/cephes/kolmogorov.c);</item>
/// <item><c>smirnov</c> (exact one-sided D_n⁺ tail, Birnbaum–Tingey sum in double-double arithmetic);</item>
/// <item><c>kstwo</c> (exact two-sided D_n, scipy/stats/_ksstats.py: Simard &amp; L'Ecuyer (2011) branch selection
/// between Ruben–Gambino, Durbin matrix (Marsaglia–Tsang–Wang 2003), Pomeranz (1974), Pelz–Good (1976) and 2·smirnov).</item>
/// </list>
/// </summary>
public static class Kolmogorov
{
    private const double KolmogCutover = 0.82;
    private const double MinExpable = -708 - 38;
    private const double Sqrt2Pi = 2.5066282746310005024;
    private const double LogSqrt2Pi = 0.91893853320467274178;
    private const double MinLog = -708.3964185322641; // cephes MINLOG = log(2^-1022)
    private const int SmirnovMaxComputeN = 1000000;

    // ---------------------------------------------------------------- kolmogorov (limit law)

    /// <summary>(sf, cdf, pdf) of the Kolmogorov limit law at y (scipy's <c>_kolmogorov</c>).</summary>
    /// <remarks>
    /// y ≤ 0.82: cdf = √(2π)/y · Σ_k exp(-(2k-1)²π²/(8y²)) (4 terms), sf = 1-cdf;
    /// y &gt; 0.82: sf = 2 Σ_k (-1)^{k-1} exp(-2k²y²) (4 terms), cdf = 1-sf.
    /// </remarks>
    internal static (double Sf, double Cdf, double Pdf) KolmogorovAll(double x)
    {
        if (double.IsNaN(x)) return (double.NaN, double.NaN, double.NaN);
        if (x <= 0) return (1.0, 0.0, 0.0);
        if (x <= Math.PI / Math.Sqrt(-MinExpable * 8)) return (1.0, 0.0, 0.0);
        double P = 1.0, D = 0.0, sf, cdf, pdf;
        if (x <= KolmogCutover)
        {
            double w = Sqrt2Pi / x;
            double logu8 = -Math.PI * Math.PI / (x * x);
            double u = Math.Exp(logu8 / 8);
            if (u == 0)
            {
                P = Math.Exp(logu8 / 8 + Math.Log(w));
                D = 0; // underflowed anyway
            }
            else
            {
                double u8 = Math.Exp(logu8);
                double u8cub = Math.Pow(u8, 3);
                P = 1 + u8cub * P; D = 5 * 5 + u8cub * D;
                P = 1 + u8 * u8 * P; D = 3 * 3 + u8 * u8 * D;
                P = 1 + u8 * P; D = 1 * 1 + u8 * D;
                D = Math.PI * Math.PI / 4 / (x * x) * D - P;
                D *= w * u / x;
                P = w * u * P;
            }
            cdf = P; sf = 1 - P; pdf = D;
        }
        else
        {
            double v = Math.Exp(-2 * x * x);
            double vsq = v * v, v3 = Math.Pow(v, 3), vpwr;
            vpwr = v3 * v3 * v; P = 1 - vpwr * P; D = 3 * 3 - vpwr * D;
            vpwr = v3 * vsq; P = 1 - vpwr * P; D = 2 * 2 - vpwr * D;
            vpwr = v3; P = 1 - vpwr * P; D = 1 * 1 - vpwr * D;
            P = 2 * v * P; D = 8 * v * x * D;
            sf = P; cdf = 1 - sf; pdf = D;
        }
        return (Math.Clamp(sf, 0, 1), Math.Clamp(cdf, 0, 1), Math.Max(0, pdf));
    }

    /// <summary>P(K &gt; y) for the Kolmogorov limit law (scipy.special.kolmogorov, = kstwobign.sf).</summary>
    public static double KolmogorovSf(double y) => KolmogorovAll(y).Sf;
    /// <summary>P(K ≤ y) (kstwobign.cdf).</summary>
    public static double KolmogorovCdf(double y) => KolmogorovAll(y).Cdf;
    /// <summary>Density of the limit law (kstwobign.pdf).</summary>
    public static double KolmogorovPdf(double y) => KolmogorovAll(y).Pdf;

    /// <summary>The y with KolmogorovSf(y) = p (scipy.special.kolmogi): Newton iteration kept inside a bracket.</summary>
    public static double KolmogorovInverse(double p)
    {
        if (double.IsNaN(p)) return double.NaN;
        return KolmogorovInverse(p, 1 - p);
    }

    /// <summary>The y with KolmogorovCdf(y) = p (scipy's <c>_kolmogci</c>).</summary>
    public static double KolmogorovCdfInverse(double p)
    {
        if (double.IsNaN(p)) return double.NaN;
        return KolmogorovInverse(1 - p, p);
    }

    private static bool WithinTol(double x, double y, double atol, double rtol) => Math.Abs(x - y) <= atol + rtol * Math.Abs(y);

    internal static double KolmogorovInverse(double psf, double pcdf)
    {
        if (!(psf >= 0 && pcdf >= 0 && pcdf <= 1 && psf <= 1)) return double.NaN;
        if (Math.Abs(1.0 - pcdf - psf) > 4 * double.Epsilon * 0 + 4 * 2.220446049250313e-16) return double.NaN;
        if (pcdf == 0.0) return 0.0;
        if (psf == 0.0) return double.PositiveInfinity;
        double a, b, x;
        if (pcdf <= 0.5)
        {
            double logpcdf = Math.Log(pcdf);
            const double s2 = 1.4142135623730950488;
            a = Math.PI / (2 * s2 * Math.Sqrt(-(logpcdf + logpcdf / 2 - LogSqrt2Pi)));
            b = Math.PI / (2 * s2 * Math.Sqrt(-(logpcdf + 0 - LogSqrt2Pi)));
            a = Math.PI / (2 * s2 * Math.Sqrt(-(logpcdf + Math.Log(a) - LogSqrt2Pi)));
            b = Math.PI / (2 * s2 * Math.Sqrt(-(logpcdf + Math.Log(b) - LogSqrt2Pi)));
            x = (a + b) / 2.0;
        }
        else
        {
            const double jiggerb = 256 * 2.220446049250313e-16;
            double pba = psf / (1.0 - Math.Exp(-4)) / 2, pbb = psf * (1 - jiggerb) / 2;
            a = Math.Sqrt(-0.5 * Math.Log(pba));
            b = Math.Sqrt(-0.5 * Math.Log(pbb));
            double pp = psf / 2.0, p2 = pp * pp, p3 = pp * pp * pp;
            double q0 = 1 + p3 * (1 + p3 * (4 + p2 * (-1 + pp * (22 + p2 * (-13 + 140 * pp)))));
            q0 *= pp;
            x = Math.Sqrt(-Math.Log(q0) / 2);
            if (x < a || x > b) x = (a + b) / 2;
        }
        const double xtol = 2.220446049250313e-16, rtol = 2 * 2.220446049250313e-16;
        for (int it = 0; it <= 500; it++)
        {
            double x0 = x;
            var pr = KolmogorovAll(x0);
            double df = pcdf < 0.5 ? pcdf - pr.Cdf : pr.Sf - psf;
            if (df == 0) break;
            if (df > 0 && x > a) a = x;
            else if (df < 0 && x < b) b = x;
            double dfdx = -pr.Pdf;
            if (Math.Abs(dfdx) <= 0.0) x = (a + b) / 2;
            else x = x0 - df / dfdx;
            if (x >= a && x <= b)
            {
                if (WithinTol(x, x0, xtol, rtol)) break;
                if (x == a || x == b)
                {
                    x = (a + b) / 2.0;
                    if (x == a || x == b) break;
                }
            }
            else
            {
                x = (a + b) / 2.0;
                if (WithinTol(x, x0, xtol, rtol)) break;
            }
        }
        return x;
    }

    // ---------------------------------------------------------------- smirnov (one-sided, exact)

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

    // ---------------------------------------------------------------- kstwo (two-sided, finite n)

    /// <summary>P(D_n ≥ d), scipy.stats.kstwo.sf (see the class remarks for the branches).</summary>
    public static double KsTwoSf(int n, double d) => KolmogN(n, d, cdf: false);
    /// <summary>P(D_n ≤ d), scipy.stats.kstwo.cdf.</summary>
    public static double KsTwoCdf(int n, double d) => KolmogN(n, d, cdf: true);

    /// <summary>
    /// The d with KsTwoSf(n, d) = p (scipy.stats.kstwo.isf, <c>_kolmogni</c>): closed forms at the ends, otherwise
    /// Brent's root finder on the CDF between 1/n and kolmogci(1-p)/√n with xtol 1e-14.
    /// </summary>
    public static double KsTwoIsf(int n, double p)
    {
        if (n <= 0 || double.IsNaN(p) || p < 0 || p > 1) return double.NaN;
        return KolmogNInverse(n, 1 - p, p);
    }

    /// <summary>The d with KsTwoCdf(n, d) = p (kstwo.ppf).</summary>
    public static double KsTwoPpf(int n, double p)
    {
        if (n <= 0 || double.IsNaN(p) || p < 0 || p > 1) return double.NaN;
        return KolmogNInverse(n, p, 1 - p);
    }

    private static double Select(double cdfprob, double sfprob, bool cdf) => Math.Clamp(cdf ? cdfprob : sfprob, 0.0, 1.0);

    private static readonly double[] StirlingCoeffs =
    {
        -2.955065359477124183e-2, 6.4102564102564102564e-3, -1.9175269175269175269e-3, 8.4175084175084175084e-4,
        -5.952380952380952381e-4, 7.9365079365079365079e-4, -2.7777777777777777778e-3, 8.3333333333333333333e-2,
    };

    private static double LogNFactorialDivNPowN(int n)
    {
        double rn = 1.0 / n;
        double x = rn / n, poly = 0;
        foreach (double c in StirlingCoeffs) poly = poly * x + c;
        return Math.Log(n) / 2 - n + Math.Log(2 * Math.PI) / 2 + rn * poly;
    }

    internal static double KolmogN(int n, double x, bool cdf)
    {
        if (n <= 0 || double.IsNaN(x)) return double.NaN;
        if (x >= 1.0) return Select(1.0, 0.0, cdf);
        if (x <= 0.0) return Select(0.0, 1.0, cdf);
        double t = n * x;
        if (t <= 1.0)
        {
            if (t <= 0.5) return Select(0.0, 1.0, cdf);
            double prob;
            if (n <= 140)
            {
                prob = 1.0;
                double f = 2 * t - 1, rn = 1.0 / n;
                for (int i = 1; i <= n; i++) prob *= i * rn * f;
            }
            else prob = Math.Exp(LogNFactorialDivNPowN(n) + n * Math.Log(2 * t - 1));
            return Select(prob, 1.0 - prob, cdf);
        }
        if (t >= n - 1)
        {
            double prob = 2 * Math.Pow(1.0 - x, n);
            return Select(1 - prob, prob, cdf);
        }
        if (x >= 0.5)
        {
            double prob = 2 * SmirnovSf(n, x);
            return Select(1.0 - prob, prob, cdf);
        }
        double nxsquared = t * x;
        if (n <= 140)
        {
            if (nxsquared <= 0.754693)
            {
                double prob = DurbinMtw(n, x);
                return Select(prob, 1.0 - prob, cdf);
            }
            if (nxsquared <= 4)
            {
                double prob = Pomeranz(n, x);
                return Select(prob, 1.0 - prob, cdf);
            }
            double p2 = 2 * SmirnovSf(n, x);
            return Select(1.0 - p2, p2, cdf);
        }
        if (!cdf)
        {
            if (nxsquared >= 370.0) return 0.0;
            if (nxsquared >= 2.2) return Math.Clamp(2 * SmirnovSf(n, x), 0.0, 1.0);
        }
        double cdfprob;
        if (nxsquared >= 18.0) cdfprob = 1.0;
        else if (n <= 100000 && n * Math.Pow(x, 1.5) <= 1.4) cdfprob = DurbinMtw(n, x);
        else cdfprob = PelzGood(n, x);
        return Select(cdfprob, 1.0 - cdfprob, cdf);
    }

    private const int E128 = 128;
    private static readonly double EP128 = Math.ScaleB(1.0, 128), EM128 = Math.ScaleB(1.0, -128);

    /// <summary>P(D_n ≤ d) by the Durbin matrix, as Marsaglia, Tsang &amp; Wang (2003) with 2^±128 rescaling.</summary>
    internal static double DurbinMtw(int n, double d)
    {
        if (d >= 1.0) return 1.0;
        double nd = n * d;
        if (nd <= 0.5) return 0.0;
        int k = (int)Math.Ceiling(nd);
        double h = k - nd;
        int m = 2 * k - 1;
        var H = new double[m, m];
        var v = new double[m];
        var w = new double[m];
        double fac = 1.0;
        for (int j = 1; j <= m; j++)
        {
            v[j - 1] = 1.0 - Math.Pow(h, j);
            w[j - 1] = fac;
            fac /= j;
            v[j - 1] *= fac;
        }
        double tt = Math.Pow(Math.Max(2 * h - 1.0, 0), m) - 2 * Math.Pow(h, m);
        v[m - 1] = (1.0 + tt) * fac;
        for (int i = 1; i < m; i++)
            for (int r = i - 1; r < m; r++) H[r, i] = w[r - (i - 1)];
        for (int r = 0; r < m; r++) H[r, 0] = v[r];
        for (int c = 0; c < m; c++) H[m - 1, c] = v[m - 1 - c];

        var Hpwr = new double[m, m];
        for (int i = 0; i < m; i++) Hpwr[i, i] = 1.0;
        int nn = n;
        long expnt = 0, Hexpnt = 0;
        while (nn > 0)
        {
            if (nn % 2 != 0) { Hpwr = MatMul(Hpwr, H, m); expnt += Hexpnt; }
            H = MatMul(H, H, m);
            Hexpnt *= 2;
            if (Math.Abs(H[k - 1, k - 1]) > EP128)
            {
                for (int i = 0; i < m; i++) for (int j = 0; j < m; j++) H[i, j] /= EP128;
                Hexpnt += E128;
            }
            nn /= 2;
        }
        double p = Hpwr[k - 1, k - 1];
        for (int i = 1; i <= n; i++)
        {
            p = i * p / n;
            if (Math.Abs(p) < EM128) { p *= EP128; expnt -= E128; }
        }
        if (expnt != 0) p = Math.ScaleB(p, (int)Math.Clamp(expnt, -100000, 100000));
        return Math.Clamp(p, 0.0, 1.0);
    }

    private static double[,] MatMul(double[,] A, double[,] B, int m)
    {
        var C = new double[m, m];
        for (int i = 0; i < m; i++)
            for (int kk = 0; kk < m; kk++)
            {
                double a = A[i, kk];
                if (a == 0) continue;
                for (int j = 0; j < m; j++) C[i, j] += a * B[kk, j];
            }
        return C;
    }

    private static (int, int) PomeranzJ1J2(int i, int n, int ll, int ceilf, int roundf)
    {
        int j1, j2;
        if (i == 0) { j1 = -ll - ceilf - 1; j2 = ll + ceilf - 1; }
        else
        {
            int ip1div2 = (i + 1) / 2, ip1mod2 = (i + 1) % 2;
            if (ip1mod2 == 0)
            {
                if (ip1div2 == n + 1) { j1 = n - ll - ceilf - 1; j2 = n + ll + ceilf - 1; }
                else { j1 = ip1div2 - 1 - ll - roundf - 1; j2 = ip1div2 + ll - 1 + ceilf - 1; }
            }
            else { j1 = ip1div2 - 1 - ll - 1; j2 = ip1div2 + ll + roundf - 1; }
        }
        return (Math.Max(j1 + 2, 0), Math.Min(j2, n));
    }

    /// <summary>P(D_n ≤ d) by the Pomeranz (1974) recursion, as scipy's <c>_kolmogn_Pomeranz</c>.</summary>
    internal static double Pomeranz(int n, double x)
    {
        double t = n * x;
        int ll = (int)Math.Floor(t);
        double f = 1.0 * (t - ll);
        double g = Math.Min(f, 1.0 - f);
        int ceilf = f > 0 ? 1 : 0;
        int roundf = f > 0.5 ? 1 : 0;
        int npwrs = 2 * (ll + 1);
        var gpower = new double[npwrs];
        var twogpower = new double[npwrs];
        var onem2gpower = new double[npwrs];
        gpower[0] = 1.0; twogpower[0] = 1.0; onem2gpower[0] = 1.0;
        long expnt = 0;
        double gOverN = g / n, twoGOverN = 2 * g / n, oneMinus2GOverN = (1 - 2 * g) / n;
        for (int m = 1; m < npwrs; m++)
        {
            gpower[m] = gpower[m - 1] * gOverN / m;
            twogpower[m] = twogpower[m - 1] * twoGOverN / m;
            onem2gpower[m] = onem2gpower[m - 1] * oneMinus2GOverN / m;
        }
        var V0 = new double[npwrs];
        var V1 = new double[npwrs];
        V1[0] = 1;
        int V0s = 0, V1s = 0;
        var (j1, j2) = PomeranzJ1J2(0, n, ll, ceilf, roundf);
        for (int i = 1; i < 2 * n + 2; i++)
        {
            int k1 = j1;
            (V0, V1) = (V1, V0);
            (V0s, V1s) = (V1s, V0s);
            Array.Clear(V1);
            (j1, j2) = PomeranzJ1J2(i, n, ll, ceilf, roundf);
            double[] pwrs = (i == 1 || i == 2 * n + 1) ? gpower : (i % 2 != 0 ? twogpower : onem2gpower);
            int ln2 = j2 - k1 + 1;
            if (ln2 > 0)
            {
                int aStart = k1 - V0s;
                int la = Math.Min(ln2, npwrs - aStart);
                int convStart = j1 - k1, convLen = j2 - j1 + 1;
                double vmax = double.NegativeInfinity;
                for (int q = 0; q < convLen; q++)
                {
                    int tt = convStart + q;
                    double s = 0;
                    int iLo = Math.Max(0, tt - ln2 + 1), iHi = Math.Min(tt, la - 1);
                    for (int ii = iLo; ii <= iHi; ii++) s += V0[aStart + ii] * pwrs[tt - ii];
                    V1[q] = s;
                }
                for (int q = 0; q < npwrs; q++) if (V1[q] > vmax) vmax = V1[q];
                if (0 < vmax && vmax < EM128)
                {
                    for (int q = 0; q < npwrs; q++) V1[q] *= EP128;
                    expnt -= E128;
                }
                V1s = V0s + j1 - k1;
            }
        }
        double ans = V1[n - V1s];
        for (int m = 1; m <= n; m++)
        {
            if (Math.Abs(ans) > EP128) { ans *= EM128; expnt += E128; }
            ans *= m;
        }
        if (expnt != 0) ans = Math.ScaleB(ans, (int)expnt);
        return Math.Clamp(ans, 0.0, 1.0);
    }

    /// <summary>Pelz–Good (1976) asymptotic series for P(D_n ≤ d) (Li-Chien/Korolyuk expansion to O(n^{-3/2})).</summary>
    internal static double PelzGood(int n, double x)
    {
        if (x <= 0.0) return 0.0;
        if (x >= 1.0) return 1.0;
        double z = Math.Sqrt(n) * x;
        double zsquared = z * z, zthree = z * z * z, zfour = zsquared * zsquared, zsix = zthree * zthree;
        double pi2 = Math.PI * Math.PI, pi4 = pi2 * pi2, pi6 = pi4 * pi2;
        double qlog = -pi2 / 8 / zsquared;
        if (qlog < -708) return 0.0;
        double q = Math.Exp(qlog);
        double k1a = -zsquared, k1b = pi2 / 4;
        double k2a = 6 * zsix + 2 * zfour;
        double k2b = (2 * zfour - 5 * zsquared) * pi2 / 4;
        double k2c = pi4 * (1 - 2 * zsquared) / 16;
        double k3d = pi6 * (5 - 30 * zsquared) / 64;
        double k3c = pi4 * (-60 * zsquared + 212 * zfour) / 16;
        double k3b = pi2 * (135 * zfour - 96 * zsix) / 4;
        double k3a = -30 * zsix - 90 * Math.Pow(z, 8);
        double K0 = 0, K1 = 0, K2 = 0, K3 = 0;
        int maxk = (int)Math.Ceiling(16 * z / Math.PI);
        for (int k = maxk; k > 0; k--)
        {
            double m = 2 * k - 1;
            double msq = m * m, m4 = msq * msq, m6 = m4 * msq;
            double qpower = Math.Pow(q, 8 * k);
            K0 = K0 * qpower + 1.0;
            K1 = K1 * qpower + (k1a + k1b * msq);
            K2 = K2 * qpower + (k2a + k2b * msq + k2c * m4);
            K3 = K3 * qpower + (k3a + k3b * msq + k3c * m4 + k3d * m6);
        }
        K0 *= q; K1 *= q; K2 *= q; K3 *= q;
        K0 *= Sqrt2Pi; K1 *= Sqrt2Pi; K2 *= Sqrt2Pi; K3 *= Sqrt2Pi;
        K0 /= z; K1 /= 6 * zfour; K2 /= 72 * Math.Pow(z, 7); K3 /= 6480 * Math.Pow(z, 10);
        double q2 = Math.Exp(-pi2 / 2 / zsquared);
        double sqrt3z = Math.Sqrt(3) * z;
        double k2extra = 0, k3extra = 0;
        for (int k = maxk; k > 0; k--)
        {
            double ksq = (double)k * k;
            double qp = Math.Pow(q2, ksq);
            double kspi = Math.PI * k;
            k2extra += ksq * qp;
            k3extra += (sqrt3z + kspi) * (sqrt3z - kspi) * ksq * qp;
        }
        k2extra *= pi2 * Sqrt2Pi / (-36 * zthree);
        k3extra *= pi2 * Sqrt2Pi / (216 * zsix);
        K2 += k2extra; K3 += k3extra;
        double sn = Math.Sqrt((double)n);
        K1 /= sn; K2 /= n; K3 /= n * sn;
        return K0 + K1 + K2 + K3;
    }

    private static double KolmogNInverse(int n, double p, double q)
    {
        if (p <= 0) return 1.0 / n;
        if (q <= 0) return 1.0;
        double delta = Math.Exp((Math.Log(p) - SpecialFunctions.GammaLn(n + 1)) / n);
        if (delta <= 1.0 / n) return (delta + 1.0 / n) / 2;
        double x = -StandardNormal.ExpMinusOne(Math.Log(q / 2.0) / n);
        if (x >= 1 - 1.0 / n) return x;
        double x1 = KolmogorovCdfInverse(p) / Math.Sqrt(n);
        x1 = Math.Min(x1, 1.0 - 1.0 / n);
        return RootFinding.BrentQ(xx => KolmogN(n, xx, cdf: true) - p, 1.0 / n, x1, 1e-14);
    }
}

/// <summary>Brent's method as scipy.optimize.brentq (Brent 1973; scipy's C implementation, rtol 4·eps, 100 iterations).</summary>
internal static class RootFinding
{
    public static double BrentQ(Func<double, double> f, double xa, double xb, double xtol, double rtol = 8.881784197001252e-16, int maxIter = 100)
    {
        double xpre = xa, xcur = xb, xblk = 0, fblk = 0, spre = 0, scur = 0;
        double fpre = f(xpre), fcur = f(xcur);
        if (fpre * fcur > 0) throw new ArithmeticException("brentq: f(a) and f(b) must have different signs.");
        if (fpre == 0) return xpre;
        if (fcur == 0) return xcur;
        for (int i = 0; i < maxIter; i++)
        {
            if (fpre != 0 && fcur != 0 && (double.IsNegative(fpre) != double.IsNegative(fcur)))
            {
                xblk = xpre; fblk = fpre; spre = scur = xcur - xpre;
            }
            if (Math.Abs(fblk) < Math.Abs(fcur))
            {
                xpre = xcur; xcur = xblk; xblk = xpre;
                fpre = fcur; fcur = fblk; fblk = fpre;
            }
            double delta = (xtol + rtol * Math.Abs(xcur)) / 2;
            double sbis = (xblk - xcur) / 2;
            if (fcur == 0 || Math.Abs(sbis) < delta) return xcur;
            if (Math.Abs(spre) > delta && Math.Abs(fcur) < Math.Abs(fpre))
            {
                double stry;
                if (xpre == xblk) stry = -fcur * (xcur - xpre) / (fcur - fpre);
                else
                {
                    double dpre = (fpre - fcur) / (xpre - xcur);
                    double dblk = (fblk - fcur) / (xblk - xcur);
                    stry = -fcur * (fblk * dblk - fpre * dpre) / (dblk * dpre * (fblk - fpre));
                }
                if (2 * Math.Abs(stry) < Math.Min(Math.Abs(spre), 3 * Math.Abs(sbis) - delta)) { spre = scur; scur = stry; }
                else { spre = sbis; scur = sbis; }
            }
            else { spre = sbis; scur = sbis; }
            xpre = xcur; fpre = fcur;
            if (Math.Abs(scur) > delta) xcur += scur;
            else xcur += sbis > 0 ? delta : -delta;
            fcur = f(xcur);
        }
        return xcur;
    }
}
