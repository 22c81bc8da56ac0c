namespace WeightInit.Statistics;

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
