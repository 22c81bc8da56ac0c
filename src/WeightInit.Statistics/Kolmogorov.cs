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
public static partial class Kolmogorov
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
}
