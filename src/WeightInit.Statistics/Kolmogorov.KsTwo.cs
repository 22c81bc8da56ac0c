using MathNet.Numerics;

namespace WeightInit.Statistics;

// kstwo: the exact two-sided KS distribution of D_n for finite n and its branches (see the class remarks in Kolmogorov.cs).
public static partial class Kolmogorov
{
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
