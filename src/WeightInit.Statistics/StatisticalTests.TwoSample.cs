using System.Numerics;
using MathNet.Numerics;

namespace WeightInit.Statistics;

// The two-sample Kolmogorov–Smirnov test and its exact null distributions (scipy.stats.ks_2samp).
public static partial class StatisticalTests
{
    /// <summary>
    /// Two-sample Kolmogorov–Smirnov test (scipy.stats.ks_2samp). The statistic handles ties (ECDFs by
    /// searchsorted 'right' on the pooled data); location/sign as scipy (first arg-max in the order a, then b).
    /// Auto: exact if max(n1,n2) ≤ 10000. Exact (h = round(D·lcm), D re-quantised to h/lcm): two-sided n1=n2 Horner
    /// alternating sum; n1≠n2 Hodges inside method with Viehmann's recursion for 1-p; one-sided n1=n2 ∏(n-j)/(n+j+1);
    /// n1≠n2 path count / C(n1+n2, n1) (falls back to asymp on overflow, as scipy). Asymp: two-sided kstwo.sf(D, round(en)),
    /// one-sided Hodges eq. 5.3. Fields: <see cref="Ks2Result"/>.
    /// </summary>
    public static Ks2Result KolmogorovSmirnov2(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Alternative alternative = Alternative.TwoSided, KsMethod method = KsMethod.Auto)
    { Validate(a, nameof(a)); Validate(b, nameof(b)); return Ks2(SortedSample.SortedCopy(a), SortedSample.SortedCopy(b), alternative, method); }

    /// <inheritdoc cref="KolmogorovSmirnov2(ReadOnlySpan{double}, ReadOnlySpan{double}, Alternative, KsMethod)"/>
    public static Ks2Result KolmogorovSmirnov2(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Alternative alternative = Alternative.TwoSided, KsMethod method = KsMethod.Auto)
    { Validate(a, nameof(a)); Validate(b, nameof(b)); return Ks2(SortedSample.SortedCopy(a), SortedSample.SortedCopy(b), alternative, method); }

    /// <inheritdoc cref="KolmogorovSmirnov2(ReadOnlySpan{double}, ReadOnlySpan{double}, Alternative, KsMethod)"/>
    public static Ks2Result KolmogorovSmirnov2(SortedSample a, SortedSample b, Alternative alternative = Alternative.TwoSided, KsMethod method = KsMethod.Auto)
    { ArgumentNullException.ThrowIfNull(a); ArgumentNullException.ThrowIfNull(b); return Ks2(a.Array, b.Array, alternative, method); }

    private static Ks2Result Ks2<T>(T[] d1, T[] d2, Alternative alternative, KsMethod method) where T : unmanaged
    {
        if (method == KsMethod.Approx) throw new ArgumentException("method 'approx' is not defined for the two-sample test; use auto, exact or asymp.", nameof(method));
        int n1 = d1.Length, n2 = d2.Length;
        double maxDiff = double.NegativeInfinity, minDiff = double.PositiveInfinity;
        double locMax = 0, locMin = 0;
        // pass over data1 then data2 (scipy's concatenation order); counts = searchsorted(side='right')
        void Pass(T[] src)
        {
            int i1 = 0, i2 = 0;
            for (int k = 0; k < src.Length; k++)
            {
                double v = D(src[k]);
                while (i1 < n1 && D(d1[i1]) <= v) i1++;
                while (i2 < n2 && D(d2[i2]) <= v) i2++;
                double diff = (double)i1 / n1 - (double)i2 / n2;
                if (diff > maxDiff) { maxDiff = diff; locMax = v; }
                if (diff < minDiff) { minDiff = diff; locMin = v; }
            }
        }
        Pass(d1); Pass(d2);
        double minS = Math.Clamp(-minDiff, 0, 1), maxS = maxDiff;
        double d, loc; int sign;
        if (alternative == Alternative.Less || (alternative == Alternative.TwoSided && minS > maxS)) { d = minS; loc = locMin; sign = -1; }
        else { d = maxS; loc = locMax; sign = 1; }

        long g = (long)BigInteger.GreatestCommonDivisor(n1, n2);
        long n1g = n1 / g, n2g = n2 / g;
        string mode = method switch { KsMethod.Exact => "exact", KsMethod.Asymp => "asymp", _ => Math.Max(n1, n2) <= 10000 ? "exact" : "asymp" };
        bool fellBack = false;
        double prob = double.NaN;
        if (method == KsMethod.Exact && n1g >= int.MaxValue / (double)n2g) mode = "asymp";
        if (mode == "exact")
        {
            var (ok, dq, pr) = AttemptExact2(n1, n2, g, d, alternative);
            d = dq;
            if (ok) prob = pr; else { mode = "asymp"; fellBack = true; }
        }
        if (mode == "asymp")
        {
            double m = Math.Max(n1, n2), n = Math.Min(n1, n2);
            double en = m * n / (m + n);
            if (alternative == Alternative.TwoSided)
                prob = Kolmogorov.KsTwoSf((int)Math.Round(en, MidpointRounding.ToEven), d);
            else
            {
                double z = Math.Sqrt(en) * d;
                double expt = -2 * z * z - 2 * z * (m + 2 * n) / Math.Sqrt(m * n * (m + n)) / 3.0;
                prob = Math.Exp(expt);
            }
        }
        prob = Math.Clamp(prob, 0.0, 1.0);
        return new Ks2Result(d, prob, (long)n1 + n2, mode, loc, sign, n1, n2, fellBack);
    }

    private static (bool Ok, double D, double P) AttemptExact2(int n1, int n2, long g, double d, Alternative alternative)
    {
        long lcm = (n1 / g) * n2;
        long h = (long)Math.Round(d * lcm, MidpointRounding.ToEven);
        d = h * 1.0 / lcm;
        if (h == 0) return (true, d, 1.0);
        double prob;
        if (alternative == Alternative.TwoSided)
        {
            prob = n1 == n2 ? ProbOutsideSquare(n1, h) : OuterProbInsideMethod(n1, n2, g, h);
        }
        else if (n1 == n2)
        {
            prob = 1.0;
            for (long j = 0; j < h; j++) prob *= (n1 - j) / (n1 + j + 1.0);
        }
        else
        {
            // binom(n1+n2, n1) must be finite (scipy falls back otherwise)
            if (SpecialFunctions.BinomialLn(n1 + n2, n1) > 709.7) return (false, d, double.NaN);
            double bin = Binom(n1 + n2, n1);
            double numPaths = CountPathsOutside(n1, n2, g, h);
            if (!double.IsFinite(numPaths) || !double.IsFinite(bin) || numPaths > bin) return (false, d, double.NaN);
            prob = numPaths / bin;
        }
        if (!(prob >= 0 && prob <= 1)) return (false, d, prob);
        return (true, d, prob);
    }

    /// <summary>P(D_{n,n} ≥ h/n) = 2·A0(1 - A1(1 - A2(...))) (scipy's <c>_compute_prob_outside_square</c>).</summary>
    private static double ProbOutsideSquare(long n, long h)
    {
        double P = 0.0;
        long k = (long)Math.Floor((double)n / h);
        while (k >= 0)
        {
            double p1 = 1.0;
            for (long j = 0; j < h; j++) p1 = (n - k * h - j) * p1 / (n + k * h + j + 1);
            P = p1 * (1.0 - P);
            k--;
        }
        return 2 * P;
    }

    /// <summary>Hodges' inside method with Viehmann's (2021) recursion computing 1-p directly.</summary>
    private static double OuterProbInsideMethod(long m, long n, long g, long h)
    {
        if (m < n) (m, n) = (n, m);
        long mg = m / g, ng = n / g;
        long minj = 0, maxj = Math.Min((long)Math.Ceiling((double)h / mg), n + 1);
        long curlen = maxj - minj;
        long lenA = Math.Min(2 * maxj + 2, n + 1);
        var A = new double[lenA];
        Array.Fill(A, 1.0);
        for (long q = minj; q < maxj; q++) A[q] = 0.0;
        for (long i = 1; i <= m; i++)
        {
            long lastminj = minj, lastlen = curlen;
            minj = Math.Max((long)Math.Floor((double)(ng * i - h) / mg) + 1, 0);
            minj = Math.Min(minj, n);
            maxj = Math.Min((long)Math.Ceiling((double)(ng * i + h) / mg), n + 1);
            if (maxj <= minj) return 1.0;
            double val = minj == 0 ? 0.0 : 1.0;
            for (long jj = 0; jj < maxj - minj; jj++)
            {
                long j = jj + minj;
                val = (A[jj + minj - lastminj] * i + val * j) / (i + j);
                A[jj] = val;
            }
            curlen = maxj - minj;
            if (lastlen > curlen)
                for (long q = maxj - minj; q < maxj - minj + (lastlen - curlen); q++) A[q] = 1;
        }
        return A[maxj - minj - 1];
    }

    /// <summary>C(n, k) as a double product (relative error ≈ k·ε).</summary>
    private static double Binom(long n, long k)
    {
        if (k < 0 || k > n) return 0;
        k = Math.Min(k, n - k);
        double r = 1.0;
        for (long i = 1; i <= k; i++) r = r * (n - k + i) / i;
        return r;
    }

    /// <summary>Number of lattice paths that go outside the diagonal (Hodges 1958; scipy's <c>_count_paths_outside_method</c>).</summary>
    private static double CountPathsOutside(long m, long n, long g, long h)
    {
        if (m < n) (m, n) = (n, m);
        long mg = m / g, ng = n / g;
        long lxj = n + FloorDiv(mg - h, mg);
        if (lxj <= 0) return Binom(m + n, n);
        var xj = new long[lxj];
        for (long j = 0; j < lxj; j++) xj[j] = FloorDiv(h + mg * j + ng - 1, ng);
        var B = new double[lxj];
        B[0] = 1;
        for (long j = 1; j < lxj; j++)
        {
            double Bj = Binom(xj[j] + j, j);
            for (long i = 0; i < j; i++) Bj -= Binom(xj[j] - xj[i] + j - i, j - i) * B[i];
            B[j] = Bj;
        }
        double num = 0;
        for (long j = 0; j < lxj; j++) num += B[j] * Binom(m - xj[j] + (n - j), n - j);
        return num;
    }

    private static long FloorDiv(long a, long b) { long q = a / b; if (a % b != 0 && ((a < 0) != (b < 0))) q--; return q; }
}
