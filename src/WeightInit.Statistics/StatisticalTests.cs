using System.Numerics;
using System.Runtime.CompilerServices;
using MathNet.Numerics;

namespace WeightInit.Statistics;

/// <summary>Alternative hypothesis (scipy's <c>alternative</c>).</summary>
public enum Alternative
{
    /// <summary>'two-sided'.</summary>
    TwoSided,
    /// <summary>'greater' (one-sample KS: D⁺; two-sample: max(cdf1-cdf2)).</summary>
    Greater,
    /// <summary>'less' (one-sample KS: D⁻; two-sample: max(cdf2-cdf1)).</summary>
    Less,
}

/// <summary>KS p-value method (scipy's <c>method</c>).</summary>
public enum KsMethod
{
    /// <summary>'auto': exact for one sample; two samples: exact if max(n1,n2) ≤ 10000, else asymp.</summary>
    Auto,
    /// <summary>'exact'.</summary>
    Exact,
    /// <summary>'asymp'.</summary>
    Asymp,
    /// <summary>'approx' (one sample only: 2·smirnov).</summary>
    Approx,
}

/// <summary>Result of a test: statistic, p-value, sample size, method and test-specific details.</summary>
public sealed record TestResult(string Test, double Statistic, double PValue, long N, string Method)
{
    /// <summary>Test-specific fields (see each test).</summary>
    public IReadOnlyDictionary<string, double> Details { get; init; } = new Dictionary<string, double>();
}

/// <summary>
/// Goodness-of-fit tests whose numbers equal scipy 1.10's (see docs/statistics.md §1). Every test has a
/// <see cref="ReadOnlySpan{T}"/> overload for double and float; the float overloads never convert the sample to a
/// double array (tests that need order statistics sort a float copy). NaN/∞ values and empty samples throw
/// <see cref="ArgumentException"/> naming the first bad index.
/// </summary>
public static class StatisticalTests
{
    private const int ParallelThreshold = 1 << 16;

    // ------------------------------------------------------------------ helpers

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double D<T>(T x) where T : unmanaged
    {
        if (typeof(T) == typeof(double)) return Unsafe.As<T, double>(ref x);
        if (typeof(T) == typeof(float)) return Unsafe.As<T, float>(ref x);
        throw new NotSupportedException();
    }

    internal static void Validate<T>(ReadOnlySpan<T> sample, string name, int minLength = 1) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (sample.Length == 0) throw new ArgumentException($"{name} is empty.", name);
        if (sample.Length < minLength) throw new ArgumentException($"{name} needs at least {minLength} values, got {sample.Length}.", name);
        for (int i = 0; i < sample.Length; i++)
        {
            T v = sample[i];
            if (!T.IsFinite(v))
                throw new ArgumentException($"{name}[{i}] is {(T.IsNaN(v) ? "NaN" : (T.IsNegative(v) ? "-Infinity" : "Infinity"))}; all values must be finite.", name);
        }
    }

    private static void CheckDist(IUnivariateDistribution dist)
    {
        ArgumentNullException.ThrowIfNull(dist);
    }

    internal static T[] SortedCopy<T>(ReadOnlySpan<T> sample) where T : unmanaged, IFloatingPointIeee754<T>
    {
        // Radix sorts beat the comparison sort from a few thousand values on (≈5× at 2^18 doubles).
        if (typeof(T) == typeof(float) && sample.Length >= 1 << 14)
            return Unsafe.As<T[]>(RadixSortFloat(System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(sample)));
        if (typeof(T) == typeof(double) && sample.Length >= 1 << 12)
            return Unsafe.As<T[]>(RadixSortDouble(System.Runtime.InteropServices.MemoryMarshal.Cast<T, double>(sample)));
        var a = sample.ToArray();
        Array.Sort(a);
        return a;
    }

    /// <summary>
    /// LSD radix sort of finite float64 values on order-preserving keys (sign bit flipped for positives, all bits for
    /// negatives): six 11-bit digit passes, with passes skipped where every key has the same digit — float32 values
    /// widened to double leave the low 29 mantissa bits zero, so they take four passes. Returns a new array.
    /// </summary>
    internal static double[] RadixSortDouble(ReadOnlySpan<double> src)
    {
        const int Bits = 11, Passes = 6, Radix = 1 << Bits;
        int n = src.Length;
        var keys = new ulong[n];
        var tmp = new ulong[n];
        var counts = new int[Passes * Radix];
        for (int i = 0; i < n; i++)
        {
            ulong b = BitConverter.DoubleToUInt64Bits(src[i]);
            ulong key = (b & 0x8000_0000_0000_0000UL) != 0 ? ~b : b | 0x8000_0000_0000_0000UL;
            keys[i] = key;
            for (int p = 0; p < Passes; p++) counts[p * Radix + (int)((key >> (p * Bits)) & (Radix - 1))]++;
        }
        for (int p = 0; p < Passes; p++)
        {
            var count = counts.AsSpan(p * Radix, Radix);
            int sh = p * Bits;
            if (count[(int)((keys[0] >> sh) & (Radix - 1))] == n) continue;   // every key has this digit: order unchanged
            int sum = 0;
            for (int k = 0; k < Radix; k++) { int c = count[k]; count[k] = sum; sum += c; }
            for (int i = 0; i < n; i++) { ulong key = keys[i]; tmp[count[(int)((key >> sh) & (Radix - 1))]++] = key; }
            (keys, tmp) = (tmp, keys);
        }
        var r = new double[n];
        for (int i = 0; i < n; i++)
        {
            ulong k = keys[i];
            r[i] = BitConverter.UInt64BitsToDouble((k & 0x8000_0000_0000_0000UL) != 0 ? k & 0x7FFF_FFFF_FFFF_FFFFUL : ~k);
        }
        return r;
    }

    /// <summary>
    /// LSD radix sort (11/11/10-bit passes) of finite float32 values on order-preserving keys; O(n), about 10× faster than
    /// a comparison sort at n = 10⁷. Returns a new array (the input is not modified).
    /// </summary>
    internal static float[] RadixSortFloat(ReadOnlySpan<float> src)
    {
        int n = src.Length;
        var keys = new uint[n];
        var tmp = new uint[n];
        for (int i = 0; i < n; i++)
        {
            uint b = BitConverter.SingleToUInt32Bits(src[i]);
            keys[i] = (b & 0x80000000u) != 0 ? ~b : b | 0x80000000u;
        }
        int[] shifts = { 0, 11, 22 };
        int[] widths = { 11, 11, 10 };
        var count = new int[1 << 11];
        for (int pass = 0; pass < 3; pass++)
        {
            int sh = shifts[pass];
            uint mask = (1u << widths[pass]) - 1;
            Array.Clear(count);
            for (int i = 0; i < n; i++) count[(keys[i] >> sh) & mask]++;
            int sum = 0;
            for (int k = 0; k < count.Length; k++) { int c = count[k]; count[k] = sum; sum += c; }
            for (int i = 0; i < n; i++) { uint key = keys[i]; tmp[count[(key >> sh) & mask]++] = key; }
            (keys, tmp) = (tmp, keys);
        }
        var r = new float[n];
        for (int i = 0; i < n; i++)
        {
            uint k = keys[i];
            r[i] = BitConverter.UInt32BitsToSingle((k & 0x80000000u) != 0 ? k & 0x7FFFFFFFu : ~k);
        }
        return r;
    }

    private static IEnumerable<(int Start, int End)> Chunks(int n)
    {
        int parts = n >= ParallelThreshold ? Math.Max(1, Environment.ProcessorCount) * 4 : 1;
        int size = (n + parts - 1) / parts;
        for (int s = 0; s < n; s += size) yield return (s, Math.Min(n, s + size));
    }

    /// <summary>Neumaier-compensated accumulator.</summary>
    private struct KahanSum
    {
        private double _s, _c, _inf;
        public void Add(double x)
        {
            if (!double.IsFinite(x)) { _inf += x; return; }
            double t = _s + x;
            if (Math.Abs(_s) >= Math.Abs(x)) _c += (_s - t) + x; else _c += (x - t) + _s;
            _s = t;
        }
        public void Add(KahanSum o) { Add(o._s); Add(o._c); if (o._inf != 0 || double.IsNaN(o._inf)) _inf += o._inf; }
        public readonly double Value => _inf != 0 || double.IsNaN(_inf) ? _inf : _s + _c;
    }

    private static Dictionary<string, double> Dict(params (string, double)[] kv)
    {
        var d = new Dictionary<string, double>();
        foreach (var (k, v) in kv) d[k] = v;
        return d;
    }

    // ------------------------------------------------------------------ one-sample KS

    /// <summary>
    /// One-sample Kolmogorov–Smirnov test (scipy.stats.ks_1samp): D⁺ = max(i/n - F(x₍ᵢ₎)), D⁻ = max(F(x₍ᵢ₎) - (i-1)/n),
    /// D = max(D⁺, D⁻) (D⁻ wins ties). Two-sided p: exact/auto → kstwo.sf(D, n); asymp → kolmogorov(√n·D);
    /// approx → 2·smirnov(n, D); clipped to [0,1]. One-sided: smirnov(n, D±) whatever the method.
    /// Details: d_plus, d_minus, location (x at the arg-max, first occurrence), sign (+1 for D⁺, -1 for D⁻).
    /// </summary>
    public static TestResult KolmogorovSmirnov(ReadOnlySpan<double> sample, IUnivariateDistribution dist, Alternative alternative = Alternative.TwoSided, KsMethod method = KsMethod.Auto)
    { Validate(sample, nameof(sample)); CheckDist(dist); return Ks1(SortedCopy(sample), dist, alternative, method); }

    /// <inheritdoc cref="KolmogorovSmirnov(ReadOnlySpan{double}, IUnivariateDistribution, Alternative, KsMethod)"/>
    public static TestResult KolmogorovSmirnov(ReadOnlySpan<float> sample, IUnivariateDistribution dist, Alternative alternative = Alternative.TwoSided, KsMethod method = KsMethod.Auto)
    { Validate(sample, nameof(sample)); CheckDist(dist); return Ks1(SortedCopy(sample), dist, alternative, method); }

    /// <inheritdoc cref="KolmogorovSmirnov(ReadOnlySpan{double}, IUnivariateDistribution, Alternative, KsMethod)"/>
    public static TestResult KolmogorovSmirnov(SortedSample sample, IUnivariateDistribution dist, Alternative alternative = Alternative.TwoSided, KsMethod method = KsMethod.Auto)
    { ArgumentNullException.ThrowIfNull(sample); CheckDist(dist); return Ks1(sample.Array, dist, alternative, method); }

    private static TestResult Ks1<T>(T[] x, IUnivariateDistribution dist, Alternative alternative, KsMethod method) where T : unmanaged
    {
        int n = x.Length;
        double nd = n;
        double dplus = double.NegativeInfinity, dminus = double.NegativeInfinity;
        int iplus = 0, iminus = 0;
        var locker = new object();
        var chunks = Chunks(n).ToArray();
        void Work((int Start, int End) c)
        {
            double dp = double.NegativeInfinity, dm = double.NegativeInfinity; int ip = c.Start, im = c.Start;
            for (int i = c.Start; i < c.End; i++)
            {
                double cdf = dist.Cdf(D(x[i]));
                double a = (i + 1.0) / nd - cdf;
                double b = cdf - i / nd;
                if (a > dp) { dp = a; ip = i; }
                if (b > dm) { dm = b; im = i; }
            }
            lock (locker)
            {
                if (dp > dplus || (dp == dplus && ip < iplus)) { dplus = dp; iplus = ip; }
                if (dm > dminus || (dm == dminus && im < iminus)) { dminus = dm; iminus = im; }
            }
        }
        if (chunks.Length > 1) Parallel.ForEach(chunks, Work); else Work(chunks[0]);

        double stat, p, loc; int sign; string m;
        switch (alternative)
        {
            case Alternative.Greater:
                stat = dplus; loc = D(x[iplus]); sign = 1; p = Kolmogorov.SmirnovSf(n, dplus); m = "exact"; break;
            case Alternative.Less:
                stat = dminus; loc = D(x[iminus]); sign = -1; p = Kolmogorov.SmirnovSf(n, dminus); m = "exact"; break;
            default:
                if (dplus > dminus) { stat = dplus; loc = D(x[iplus]); sign = 1; }
                else { stat = dminus; loc = D(x[iminus]); sign = -1; }
                switch (method)
                {
                    case KsMethod.Asymp: p = Kolmogorov.KolmogorovSf(stat * Math.Sqrt(n)); m = "asymp"; break;
                    case KsMethod.Approx: p = 2 * Kolmogorov.SmirnovSf(n, stat); m = "approx"; break;
                    default: p = Kolmogorov.KsTwoSf(n, stat); m = "exact"; break;
                }
                break;
        }
        p = Math.Clamp(p, 0.0, 1.0);
        return new TestResult("ks", stat, p, n, m)
        {
            Details = Dict(("d_plus", dplus), ("d_minus", dminus), ("location", loc), ("sign", sign)),
        };
    }

    // ------------------------------------------------------------------ two-sample KS

    /// <summary>
    /// Two-sample Kolmogorov–Smirnov test (scipy.stats.ks_2samp). The statistic handles ties (ECDFs by
    /// searchsorted 'right' on the pooled data); location/sign as scipy (first arg-max in the order a, then b).
    /// Auto: exact if max(n1,n2) ≤ 10000. Exact (h = round(D·lcm), D re-quantised to h/lcm): two-sided n1=n2 Horner
    /// alternating sum; n1≠n2 Hodges inside method with Viehmann's recursion for 1-p; one-sided n1=n2 ∏(n-j)/(n+j+1);
    /// n1≠n2 path count / C(n1+n2, n1) (falls back to asymp on overflow, as scipy). Asymp: two-sided kstwo.sf(D, round(en)),
    /// one-sided Hodges eq. 5.3. Details: location, sign, n1, n2, fell_back_to_asymp (0/1).
    /// </summary>
    public static TestResult KolmogorovSmirnov2(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Alternative alternative = Alternative.TwoSided, KsMethod method = KsMethod.Auto)
    { Validate(a, nameof(a)); Validate(b, nameof(b)); return Ks2(SortedCopy(a), SortedCopy(b), alternative, method); }

    /// <inheritdoc cref="KolmogorovSmirnov2(ReadOnlySpan{double}, ReadOnlySpan{double}, Alternative, KsMethod)"/>
    public static TestResult KolmogorovSmirnov2(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Alternative alternative = Alternative.TwoSided, KsMethod method = KsMethod.Auto)
    { Validate(a, nameof(a)); Validate(b, nameof(b)); return Ks2(SortedCopy(a), SortedCopy(b), alternative, method); }

    /// <inheritdoc cref="KolmogorovSmirnov2(ReadOnlySpan{double}, ReadOnlySpan{double}, Alternative, KsMethod)"/>
    public static TestResult KolmogorovSmirnov2(SortedSample a, SortedSample b, Alternative alternative = Alternative.TwoSided, KsMethod method = KsMethod.Auto)
    { ArgumentNullException.ThrowIfNull(a); ArgumentNullException.ThrowIfNull(b); return Ks2(a.Array, b.Array, alternative, method); }

    private static TestResult Ks2<T>(T[] d1, T[] d2, Alternative alternative, KsMethod method) where T : unmanaged
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
        double fellBack = 0;
        double prob = double.NaN;
        if (method == KsMethod.Exact && n1g >= int.MaxValue / (double)n2g) mode = "asymp";
        if (mode == "exact")
        {
            var (ok, dq, pr) = AttemptExact2(n1, n2, g, d, alternative);
            d = dq;
            if (ok) prob = pr; else { mode = "asymp"; fellBack = 1; }
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
        return new TestResult("ks2", d, prob, (long)n1 + n2, mode)
        {
            Details = Dict(("location", loc), ("sign", sign), ("n1", n1), ("n2", n2), ("fell_back_to_asymp", fellBack)),
        };
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

    // ------------------------------------------------------------------ chi-square

    /// <summary>
    /// χ² goodness of fit on <paramref name="bins"/> equiprobable bins: edges F⁻¹(i/k), bin = number of interior edges ≤ x
    /// (numpy.searchsorted side='right'); expected n/k per bin; p = chi2.sf(χ², k-1) = Q((k-1)/2, χ²/2).
    /// Details: bins, df, min_expected.
    /// </summary>
    public static TestResult ChiSquareEquiprobable(ReadOnlySpan<double> sample, IUnivariateDistribution dist, int bins = 100)
    { Validate(sample, nameof(sample)); CheckDist(dist); return ChiEq(sample, dist, bins); }

    /// <inheritdoc cref="ChiSquareEquiprobable(ReadOnlySpan{double}, IUnivariateDistribution, int)"/>
    public static TestResult ChiSquareEquiprobable(ReadOnlySpan<float> sample, IUnivariateDistribution dist, int bins = 100)
    { Validate(sample, nameof(sample)); CheckDist(dist); return ChiEq(sample, dist, bins); }

    /// <summary>Counts per equiprobable bin (edges F⁻¹(i/k)); exposed for tests and reports.</summary>
    public static long[] EquiprobableCounts(ReadOnlySpan<double> sample, IUnivariateDistribution dist, int bins) => Counts(sample, EquiprobableEdges(dist, bins));

    /// <summary>The k-1 interior edges F⁻¹(i/k), i = 1..k-1.</summary>
    public static double[] EquiprobableEdges(IUnivariateDistribution dist, int bins)
    {
        if (bins < 2) throw new ArgumentOutOfRangeException(nameof(bins), $"bins must be >= 2, got {bins}.");
        var edges = new double[bins - 1];
        for (int i = 1; i < bins; i++) edges[i - 1] = dist.InvCdf((double)i / bins);
        return edges;
    }

    private static long[] Counts<T>(ReadOnlySpan<T> sample, double[] edges) where T : unmanaged
    {
        var counts = new long[edges.Length + 1];
        foreach (var t in sample)
        {
            double v = D(t);
            int lo = 0, hi = edges.Length; // first edge > v
            while (lo < hi) { int mid = (lo + hi) >> 1; if (edges[mid] <= v) lo = mid + 1; else hi = mid; }
            counts[lo]++;
        }
        return counts;
    }

    private static TestResult ChiEq<T>(ReadOnlySpan<T> sample, IUnivariateDistribution dist, int bins) where T : unmanaged
    {
        var counts = Counts(sample, EquiprobableEdges(dist, bins));
        double n = sample.Length, e = n / bins;
        var obs = counts.Select(c => (double)c).ToArray();
        var exp = Enumerable.Repeat(e, bins).ToArray();
        var r = ChiSquare(obs, exp, 0);
        return r with
        {
            Test = "chisq",
            N = sample.Length,
            Details = Dict(("bins", bins), ("df", bins - 1), ("min_expected", e)),
        };
    }

    /// <summary>
    /// Pearson χ² = Σ(o-e)²/e with p = chi2.sf(χ², k-1-ddof) = GammaUpperRegularized(df/2, χ²/2) (scipy.stats.chisquare).
    /// The sums of observed and expected must agree to 1e-8 relative (as scipy 1.10). Details: df, bins.
    /// </summary>
    public static TestResult ChiSquare(ReadOnlySpan<double> observed, ReadOnlySpan<double> expected, int ddof = 0)
    {
        Validate(observed, nameof(observed)); Validate(expected, nameof(expected));
        if (observed.Length != expected.Length) throw new ArgumentException($"observed and expected must have the same length, got {observed.Length} and {expected.Length}.", nameof(expected));
        var so = new KahanSum(); var se = new KahanSum();
        for (int i = 0; i < observed.Length; i++)
        {
            if (!(expected[i] > 0)) throw new ArgumentException($"expected[{i}] must be > 0, got {Guard.R(expected[i])}.", nameof(expected));
            so.Add(observed[i]); se.Add(expected[i]);
        }
        double rel = Math.Abs(so.Value - se.Value) / Math.Min(so.Value, se.Value);
        if (rel > 1e-8)
            throw new ArgumentException($"for each axis slice, the sum of the observed frequencies must agree with the sum of the expected frequencies to a relative tolerance of 1e-08, but the percent differences are: {Guard.R(rel)}", nameof(expected));
        int df = observed.Length - 1 - ddof;
        if (df < 1) throw new ArgumentException($"degrees of freedom k-1-ddof must be >= 1, got {df}.", nameof(ddof));
        var s = new KahanSum();
        for (int i = 0; i < observed.Length; i++) { double t = observed[i] - expected[i]; s.Add(t * t / expected[i]); }
        double stat = s.Value;
        return new TestResult("chisq", stat, ChiSquareSf(stat, df), (long)Math.Round(so.Value), "asymp")
        {
            Details = Dict(("df", df), ("bins", observed.Length)),
        };
    }

    /// <summary>chi2.sf(x, df) = Q(df/2, x/2) (MathNet <c>GammaUpperRegularized</c>, not 1 - CDF).</summary>
    public static double ChiSquareSf(double x, double df)
    {
        if (double.IsNaN(x)) return double.NaN;
        if (x <= 0) return 1.0;
        if (double.IsPositiveInfinity(x)) return 0.0;
        return Math.Clamp(SpecialFunctions.GammaUpperRegularized(df / 2, x / 2), 0, 1);
    }

    /// <summary>chi2.cdf(x, df) = P(df/2, x/2).</summary>
    public static double ChiSquareCdf(double x, double df)
    {
        if (x <= 0) return 0.0;
        if (double.IsPositiveInfinity(x)) return 1.0;
        double a = df / 2, h = x / 2;
        if (a > 10 && h < a) return Math.Clamp(IncompleteGamma.LowerSeries(a, h), 0, 1);
        return Math.Clamp(SpecialFunctions.GammaLowerRegularized(a, h), 0, 1);
    }

    // ------------------------------------------------------------------ Anderson–Darling

    /// <summary>
    /// Anderson–Darling for a fully specified law (scipy.stats._fit._anderson_darling):
    /// A² = -n - Σᵢ (2i-1)/n·[log F(x₍ᵢ₎) + log S(x₍ₙ₊₁₋ᵢ₎)]; any value on or outside the support gives A² = +∞, p = 0.
    /// p from the limit law A∞ (<see cref="AndersonDarlingDistribution.Sf"/>). Details: p_method code (1 tail formula, 0 Marsaglia).
    /// </summary>
    public static TestResult AndersonDarling(ReadOnlySpan<double> sample, IUnivariateDistribution dist)
    { Validate(sample, nameof(sample)); CheckDist(dist); return Ad(SortedCopy(sample), dist); }

    /// <inheritdoc cref="AndersonDarling(ReadOnlySpan{double}, IUnivariateDistribution)"/>
    public static TestResult AndersonDarling(ReadOnlySpan<float> sample, IUnivariateDistribution dist)
    { Validate(sample, nameof(sample)); CheckDist(dist); return Ad(SortedCopy(sample), dist); }

    /// <inheritdoc cref="AndersonDarling(ReadOnlySpan{double}, IUnivariateDistribution)"/>
    public static TestResult AndersonDarling(SortedSample sample, IUnivariateDistribution dist)
    { ArgumentNullException.ThrowIfNull(sample); CheckDist(dist); return Ad(sample.Array, dist); }

    private static TestResult Ad<T>(T[] x, IUnivariateDistribution dist) where T : unmanaged
    {
        int n = x.Length; double nd = n;
        var total = new KahanSum();
        var locker = new object();
        var chunks = Chunks(n).ToArray();
        void Work((int Start, int End) c)
        {
            var s = new KahanSum();
            for (int i = c.Start; i < c.End; i++)
            {
                // term i (0-based): (2i+1)/n·[log F(x_i) + log S(x_{n-1-i})]
                double w = (2.0 * (i + 1) - 1) / nd;
                s.Add(w * (dist.LogCdf(D(x[i])) + dist.LogSf(D(x[n - 1 - i]))));
            }
            lock (locker) total.Add(s);
        }
        if (chunks.Length > 1) Parallel.ForEach(chunks, Work); else Work(chunks[0]);
        double S = total.Value;
        double a2 = double.IsNegativeInfinity(S) ? double.PositiveInfinity : -nd - S;
        double p = AndersonDarlingDistribution.Sf(a2);
        return new TestResult("ad", a2, p, n, a2 >= AndersonDarlingDistribution.TailCutover ? "asymp-tail" : "asymp")
        {
            Details = Dict(("p_tail_formula", a2 >= AndersonDarlingDistribution.TailCutover ? 1 : 0)),
        };
    }

    // ------------------------------------------------------------------ Cramér–von Mises

    /// <summary>
    /// Cramér–von Mises (scipy.stats.cramervonmises): W² = 1/(12n) + Σ((2i-1)/(2n) - F(x₍ᵢ₎))²,
    /// p = max(0, 1 - cdf) with Csörgő &amp; Faraway (1996) eq. 1.8. p bottoms out near 1e-8: report only, do not gate.
    /// </summary>
    public static TestResult CramerVonMises(ReadOnlySpan<double> sample, IUnivariateDistribution dist)
    { Validate(sample, nameof(sample), 2); CheckDist(dist); return Cvm(SortedCopy(sample), dist); }

    /// <inheritdoc cref="CramerVonMises(ReadOnlySpan{double}, IUnivariateDistribution)"/>
    public static TestResult CramerVonMises(ReadOnlySpan<float> sample, IUnivariateDistribution dist)
    { Validate(sample, nameof(sample), 2); CheckDist(dist); return Cvm(SortedCopy(sample), dist); }

    /// <inheritdoc cref="CramerVonMises(ReadOnlySpan{double}, IUnivariateDistribution)"/>
    public static TestResult CramerVonMises(SortedSample sample, IUnivariateDistribution dist)
    {
        ArgumentNullException.ThrowIfNull(sample);
        if (sample.Count < 2) throw new ArgumentException($"sample needs at least 2 values, got {sample.Count}.", nameof(sample));
        CheckDist(dist);
        return Cvm(sample.Array, dist);
    }

    private static TestResult Cvm<T>(T[] x, IUnivariateDistribution dist) where T : unmanaged
    {
        int n = x.Length;
        var s = new KahanSum();
        for (int i = 0; i < n; i++)
        {
            double u = (2.0 * (i + 1) - 1) / (2.0 * n);
            double t = u - dist.Cdf(D(x[i]));
            s.Add(t * t);
        }
        double w = 1.0 / (12 * n) + s.Value;
        double p = Math.Max(0, 1.0 - CramerVonMisesDistribution.Cdf(w, n));
        return new TestResult("cvm", w, p, n, "asymp");
    }

    // ------------------------------------------------------------------ mean z

    /// <summary>
    /// Two-sided z-test of the mean with the null's known σ: z = (x̄ - μ)/(σ/√n), p = erfc(|z|/√2).
    /// Details: observed_mean, expected_mean, z.
    /// </summary>
    public static TestResult MeanZ(ReadOnlySpan<double> sample, IUnivariateDistribution dist) { Validate(sample, nameof(sample)); CheckDist(dist); return MeanCore(sample, dist); }
    /// <inheritdoc cref="MeanZ(ReadOnlySpan{double}, IUnivariateDistribution)"/>
    public static TestResult MeanZ(ReadOnlySpan<float> sample, IUnivariateDistribution dist) { Validate(sample, nameof(sample)); CheckDist(dist); return MeanCore(sample, dist); }

    private static TestResult MeanCore<T>(ReadOnlySpan<T> x, IUnivariateDistribution dist) where T : unmanaged
    {
        var s = new KahanSum();
        foreach (var v in x) s.Add(D(v));
        double n = x.Length, mean = s.Value / n;
        double z = (mean - dist.Mean) / (dist.StdDev / Math.Sqrt(n));
        double p = SpecialFunctions.Erfc(Math.Abs(z) / Math.Sqrt(2));
        return new TestResult("mean", z, Math.Clamp(p, 0, 1), x.Length, "z")
        {
            Details = Dict(("observed_mean", mean), ("expected_mean", dist.Mean), ("z", z)),
        };
    }

    // ------------------------------------------------------------------ variance

    /// <summary>
    /// Two-sided test of the variance about the KNOWN null mean μ: S = mean((x-μ)²).
    /// Normal null: T = nS/σ² ~ χ²ₙ exactly, p = 2·min(P(χ²ₙ ≤ T), P(χ²ₙ ≥ T)).
    /// Other laws: z = (S/σ² - 1)·√(n/(κ-1)) with the null kurtosis κ, Cornish–Fisher-corrected for the skewness γ of
    /// (x-μ)² (γ = (μ₆ - 3μ₄σ² + 2σ⁶)/(μ₄ - σ⁴)^{3/2}; 1.488 truncnorm(±2), 0.639 uniform): the corrected normal deviate
    /// z' solves z = z' + γ(z'²-1)/(6√n) (monotone root), p = 2·min(Φ(z'), 1-Φ(z')).
    /// Statistic: ratio = S/σ². Details: ratio, observed_variance, expected_variance, z (uncorrected), z_corrected, skew_x2.
    /// </summary>
    public static TestResult Variance(ReadOnlySpan<double> sample, IUnivariateDistribution dist) => Variance(sample, dist, true);
    /// <inheritdoc cref="Variance(ReadOnlySpan{double}, IUnivariateDistribution)"/>
    public static TestResult Variance(ReadOnlySpan<float> sample, IUnivariateDistribution dist) => Variance(sample, dist, true);

    /// <summary>As <see cref="Variance(ReadOnlySpan{double}, IUnivariateDistribution)"/>; <paramref name="smallSampleCorrection"/>=false gives the plain normal-approximation z for non-normal laws.</summary>
    public static TestResult Variance(ReadOnlySpan<double> sample, IUnivariateDistribution dist, bool smallSampleCorrection)
    { Validate(sample, nameof(sample)); CheckDist(dist); return VarCore(sample, dist, smallSampleCorrection); }
    /// <inheritdoc cref="Variance(ReadOnlySpan{double}, IUnivariateDistribution, bool)"/>
    public static TestResult Variance(ReadOnlySpan<float> sample, IUnivariateDistribution dist, bool smallSampleCorrection)
    { Validate(sample, nameof(sample)); CheckDist(dist); return VarCore(sample, dist, smallSampleCorrection); }

    /// <summary>Skewness of (X-μ)² for the known laws (NaN if unknown).</summary>
    internal static double SkewOfSquare(IUnivariateDistribution dist)
    {
        double m6 = dist switch
        {
            NormalDistribution nd => nd.SixthStandardizedMoment,
            UniformDistribution u => u.SixthStandardizedMoment,
            TruncatedNormalDistribution t => t.SixthStandardizedMoment,
            _ => double.NaN,
        };
        double k = dist.Kurtosis;
        return (m6 - 3 * k + 2) / Math.Pow(k - 1, 1.5);
    }

    private static TestResult VarCore<T>(ReadOnlySpan<T> x, IUnivariateDistribution dist, bool correction) where T : unmanaged
    {
        double mu = dist.Mean, v0 = dist.Variance;
        var s = new KahanSum();
        foreach (var t in x) { double d = D(t) - mu; s.Add(d * d); }
        double n = x.Length, S = s.Value / n, ratio = S / v0;
        var det = new Dictionary<string, double> { ["ratio"] = ratio, ["observed_variance"] = S, ["expected_variance"] = v0 };
        double p; string method;
        if (dist is NormalDistribution)
        {
            double chi = s.Value / v0;
            double lower = ChiSquareCdf(chi, n), upper = ChiSquareSf(chi, n);
            p = Math.Min(1.0, 2 * Math.Min(lower, upper));
            det["z"] = (ratio - 1) * Math.Sqrt(n / 2.0);
            det["chi2"] = chi; det["df"] = n; det["p_lower"] = lower; det["p_upper"] = upper;
            method = "chi2";
        }
        else
        {
            double k = dist.Kurtosis;
            double z = (ratio - 1) * Math.Sqrt(n / (k - 1));
            double zc = z;
            double gamma = SkewOfSquare(dist);
            det["skew_x2"] = gamma;
            method = "z";
            if (correction && double.IsFinite(gamma) && gamma != 0)
            {
                double c = gamma / (6 * Math.Sqrt(n));
                // z = zc + c(zc² - 1)  →  zc = (-1 + √(1 + 4c(z + c)))/(2c), the branch through zc = z at c → 0
                double disc = 1 + 4 * c * (z + c);
                zc = disc <= 0 ? -1 / (2 * c) : (-1 + Math.Sqrt(disc)) / (2 * c);
                method = "z-cornish-fisher";
            }
            det["z"] = z; det["z_corrected"] = zc;
            double lower = StandardNormal.Cdf(zc), upper = StandardNormal.Cdf(-zc);
            det["p_lower"] = lower; det["p_upper"] = upper;
            p = Math.Min(1.0, 2 * Math.Min(lower, upper));
        }
        return new TestResult("var", ratio, p, x.Length, method) { Details = det };
    }

    // ------------------------------------------------------------------ max |x - mean|

    /// <summary>
    /// Exact test on M = max|x-μ|: P(M ≤ t) = (F(μ+t) - F(μ-t))ⁿ. p_upper = P(M' ≥ M-resolution) = 1 - (1-q)ⁿ and
    /// p_lower = P(M' ≤ M+resolution) = (1-q)ⁿ, q = P(|X-μ| &gt; t) = S(μ+t) + F(μ-t), evaluated with log1p/expm1;
    /// p = min(1, 2·min(p_upper, p_lower)). Any value outside the support by more than <paramref name="resolution"/> gives p = 0.
    /// Details: max_abs, expected_bound, p_upper, p_lower, outside_support.
    /// </summary>
    public static TestResult MaxAbs(ReadOnlySpan<double> sample, IUnivariateDistribution dist, double resolution = 0) { Validate(sample, nameof(sample)); CheckDist(dist); return MaxCore(sample, dist, resolution); }
    /// <inheritdoc cref="MaxAbs(ReadOnlySpan{double}, IUnivariateDistribution, double)"/>
    public static TestResult MaxAbs(ReadOnlySpan<float> sample, IUnivariateDistribution dist, double resolution = 0) { Validate(sample, nameof(sample)); CheckDist(dist); return MaxCore(sample, dist, resolution); }

    /// <summary>P(|X-μ| &gt; t) under the null.</summary>
    internal static double ExceedProbability(IUnivariateDistribution dist, double t)
    {
        double mu = dist.Mean;
        return Math.Clamp(dist.Sf(mu + t) + dist.Cdf(mu - t), 0, 1);
    }

    private static TestResult MaxCore<T>(ReadOnlySpan<T> x, IUnivariateDistribution dist, double resolution) where T : unmanaged
    {
        if (!(resolution >= 0) || !double.IsFinite(resolution)) throw new ArgumentException($"resolution must be finite and >= 0, got {Guard.R(resolution)}.", nameof(resolution));
        double mu = dist.Mean, lo = dist.LowerBound, hi = dist.UpperBound;
        double m = 0; long outside = 0;
        foreach (var t in x)
        {
            double v = D(t);
            double a = Math.Abs(v - mu);
            if (a > m) m = a;
            if (v < lo - resolution || v > hi + resolution) outside++;
        }
        double n = x.Length;
        double qUp = ExceedProbability(dist, Math.Max(m - resolution, 0));
        double qLo = ExceedProbability(dist, m + resolution);
        double pUpper = qUp >= 1 ? 1.0 : -StandardNormal.ExpMinusOne(n * StandardNormal.LogOnePlus(-qUp));
        double pLower = qLo >= 1 ? 0.0 : Math.Exp(n * StandardNormal.LogOnePlus(-qLo));
        double p = Math.Min(1.0, 2 * Math.Min(pUpper, pLower));
        if (outside > 0) p = 0;
        double bound = Math.Max(hi - mu, mu - lo);
        return new TestResult("max", m, Math.Clamp(p, 0, 1), x.Length, "exact")
        {
            Details = Dict(("max_abs", m), ("expected_bound", bound), ("p_upper", pUpper), ("p_lower", pLower), ("outside_support", outside)),
        };
    }
}
