namespace WeightInit.Statistics;

/// <summary>
/// Regularized lower incomplete gamma P(a, x) for the lower tail x &lt; a with a &gt; 10, as cephes <c>igam</c>
/// (series Σ x^k/((a+1)…(a+k))) with the prefactor x^a e^{-x}/Γ(a) evaluated through Stirling's series in the form
/// exp(a·log1pmx((x-a)/a) + ½log(a/2π) - corr(a)) so that it keeps full relative accuracy for large a (MathNet's
/// exp(a log x - x - lnΓ(a)) loses ~a·ε, 1e-11 at a = 5000).
/// </summary>
internal static class IncompleteGamma
{
    /// <summary>log(1+t) - t, accurate for small |t|.</summary>
    internal static double Log1pmx(double t)
    {
        if (Math.Abs(t) < 0.5)
        {
            // -t²/2 + t³/3 - t⁴/4 + ...
            double term = t, sum = 0;
            for (int k = 2; k < 200; k++)
            {
                term *= -t;
                double c = term / k;
                sum += c;
                if (Math.Abs(c) < 1e-17 * Math.Abs(sum)) break;
            }
            return sum;
        }
        return StandardNormal.LogOnePlus(t) - t;
    }

    /// <summary>lnΓ(a) - [(a-½)ln a - a + ½ln 2π] for a &gt; 10 (Stirling series).</summary>
    private static double StirlingCorrection(double a)
    {
        double r = 1 / a, r2 = r * r;
        return r * (1.0 / 12 - r2 * (1.0 / 360 - r2 * (1.0 / 1260 - r2 * (1.0 / 1680 - r2 / 1188))));
    }

    /// <summary>log(x^a e^{-x}/Γ(a)).</summary>
    internal static double LogPrefactor(double a, double x)
    {
        double t = (x - a) / a;
        return a * Log1pmx(t) + 0.5 * Math.Log(a / (2 * Math.PI)) - StirlingCorrection(a);
    }

    /// <summary>P(a, x) by the power series, for a &gt; 10 and x &lt; a.</summary>
    public static double LowerSeries(double a, double x)
    {
        if (x <= 0) return 0;
        double r = a, c = 1.0, ans = 1.0;
        for (int i = 0; i < 100000; i++)
        {
            r += 1.0;
            c *= x / r;
            ans += c;
            if (c <= 1.1102230246251565e-16 * ans) break;
        }
        return Math.Exp(LogPrefactor(a, x)) * ans / a;
    }
}
