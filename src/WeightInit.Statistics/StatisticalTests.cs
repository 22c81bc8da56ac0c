using System.Numerics;
using System.Runtime.CompilerServices;
using MathNet.Numerics;

namespace WeightInit.Statistics;

/// <summary>
/// Goodness-of-fit tests whose numbers equal scipy 1.10's (see docs/statistics.md §1). Every test has a
/// <see cref="ReadOnlySpan{T}"/> overload for double and float; the float overloads never convert the sample to a
/// double array (tests that need order statistics sort a float copy). NaN/∞ values and empty samples throw
/// <see cref="ArgumentException"/> naming the first bad index.
/// </summary>
public static partial class StatisticalTests
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

    // ------------------------------------------------------------------ one-sample KS

    /// <summary>
    /// One-sample Kolmogorov–Smirnov test (scipy.stats.ks_1samp): D⁺ = max(i/n - F(x₍ᵢ₎)), D⁻ = max(F(x₍ᵢ₎) - (i-1)/n),
    /// D = max(D⁺, D⁻) (D⁻ wins ties). Two-sided p: exact/auto → kstwo.sf(D, n); asymp → kolmogorov(√n·D);
    /// approx → 2·smirnov(n, D); clipped to [0,1]. One-sided: smirnov(n, D±) whatever the method.
    /// Fields: <see cref="KsResult"/> (D⁺, D⁻, location of the arg-max, first occurrence; sign +1 for D⁺, -1 for D⁻).
    /// </summary>
    public static KsResult KolmogorovSmirnov(ReadOnlySpan<double> sample, IUnivariateDistribution dist, Alternative alternative = Alternative.TwoSided, KsMethod method = KsMethod.Auto)
    { Validate(sample, nameof(sample)); CheckDist(dist); return Ks1(SortedSample.SortedCopy(sample), dist, alternative, method); }

    /// <inheritdoc cref="KolmogorovSmirnov(ReadOnlySpan{double}, IUnivariateDistribution, Alternative, KsMethod)"/>
    public static KsResult KolmogorovSmirnov(ReadOnlySpan<float> sample, IUnivariateDistribution dist, Alternative alternative = Alternative.TwoSided, KsMethod method = KsMethod.Auto)
    { Validate(sample, nameof(sample)); CheckDist(dist); return Ks1(SortedSample.SortedCopy(sample), dist, alternative, method); }

    /// <inheritdoc cref="KolmogorovSmirnov(ReadOnlySpan{double}, IUnivariateDistribution, Alternative, KsMethod)"/>
    public static KsResult KolmogorovSmirnov(SortedSample sample, IUnivariateDistribution dist, Alternative alternative = Alternative.TwoSided, KsMethod method = KsMethod.Auto)
    { ArgumentNullException.ThrowIfNull(sample); CheckDist(dist); return Ks1(sample.Array, dist, alternative, method); }

    private static KsResult Ks1<T>(T[] x, IUnivariateDistribution dist, Alternative alternative, KsMethod method) where T : unmanaged
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
        return new KsResult(stat, p, n, m, dplus, dminus, loc, sign);
    }

    // ------------------------------------------------------------------ chi-square

    /// <summary>
    /// χ² goodness of fit on <paramref name="bins"/> equiprobable bins: edges F⁻¹(i/k), bin = number of interior edges ≤ x
    /// (numpy.searchsorted side='right'); expected n/k per bin; p = chi2.sf(χ², k-1) = Q((k-1)/2, χ²/2).
    /// Fields: <see cref="ChiSquareResult"/> (bins, df, expected count per bin).
    /// </summary>
    public static ChiSquareResult ChiSquareEquiprobable(ReadOnlySpan<double> sample, IUnivariateDistribution dist, int bins = 100)
    { Validate(sample, nameof(sample)); CheckDist(dist); return ChiEq(sample, dist, bins); }

    /// <inheritdoc cref="ChiSquareEquiprobable(ReadOnlySpan{double}, IUnivariateDistribution, int)"/>
    public static ChiSquareResult ChiSquareEquiprobable(ReadOnlySpan<float> sample, IUnivariateDistribution dist, int bins = 100)
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

    private static ChiSquareResult ChiEq<T>(ReadOnlySpan<T> sample, IUnivariateDistribution dist, int bins) where T : unmanaged
    {
        var counts = Counts(sample, EquiprobableEdges(dist, bins));
        double n = sample.Length, e = n / bins;
        var obs = counts.Select(c => (double)c).ToArray();
        var exp = Enumerable.Repeat(e, bins).ToArray();
        var r = ChiSquare(obs, exp, 0);
        return r with { N = sample.Length, MinExpected = e };
    }

    /// <summary>
    /// Pearson χ² = Σ(o-e)²/e with p = chi2.sf(χ², k-1-ddof) = GammaUpperRegularized(df/2, χ²/2) (scipy.stats.chisquare).
    /// The sums of observed and expected must agree to 1e-8 relative (as scipy 1.10). Fields: <see cref="ChiSquareResult"/> (bins, df).
    /// </summary>
    public static ChiSquareResult ChiSquare(ReadOnlySpan<double> observed, ReadOnlySpan<double> expected, int ddof = 0)
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
        return new ChiSquareResult(stat, ChiSquareSf(stat, df), (long)Math.Round(so.Value), "asymp", observed.Length, df, MinExpected: null);
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
    /// p from the limit law A∞ (<see cref="AndersonDarlingDistribution.Sf"/>). Fields: <see cref="AndersonDarlingResult"/> (whether the tail formula gave p).
    /// </summary>
    public static AndersonDarlingResult AndersonDarling(ReadOnlySpan<double> sample, IUnivariateDistribution dist)
    { Validate(sample, nameof(sample)); CheckDist(dist); return Ad(SortedSample.SortedCopy(sample), dist); }

    /// <inheritdoc cref="AndersonDarling(ReadOnlySpan{double}, IUnivariateDistribution)"/>
    public static AndersonDarlingResult AndersonDarling(ReadOnlySpan<float> sample, IUnivariateDistribution dist)
    { Validate(sample, nameof(sample)); CheckDist(dist); return Ad(SortedSample.SortedCopy(sample), dist); }

    /// <inheritdoc cref="AndersonDarling(ReadOnlySpan{double}, IUnivariateDistribution)"/>
    public static AndersonDarlingResult AndersonDarling(SortedSample sample, IUnivariateDistribution dist)
    { ArgumentNullException.ThrowIfNull(sample); CheckDist(dist); return Ad(sample.Array, dist); }

    private static AndersonDarlingResult Ad<T>(T[] x, IUnivariateDistribution dist) where T : unmanaged
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
        bool tail = a2 >= AndersonDarlingDistribution.TailCutover;
        return new AndersonDarlingResult(a2, p, n, tail ? "asymp-tail" : "asymp", tail);
    }

    // ------------------------------------------------------------------ Cramér–von Mises

    /// <summary>
    /// Cramér–von Mises (scipy.stats.cramervonmises): W² = 1/(12n) + Σ((2i-1)/(2n) - F(x₍ᵢ₎))²,
    /// p = max(0, 1 - cdf) with Csörgő &amp; Faraway (1996) eq. 1.8. p bottoms out near 1e-8: report only, do not gate.
    /// </summary>
    public static CramerVonMisesResult CramerVonMises(ReadOnlySpan<double> sample, IUnivariateDistribution dist)
    { Validate(sample, nameof(sample), 2); CheckDist(dist); return Cvm(SortedSample.SortedCopy(sample), dist); }

    /// <inheritdoc cref="CramerVonMises(ReadOnlySpan{double}, IUnivariateDistribution)"/>
    public static CramerVonMisesResult CramerVonMises(ReadOnlySpan<float> sample, IUnivariateDistribution dist)
    { Validate(sample, nameof(sample), 2); CheckDist(dist); return Cvm(SortedSample.SortedCopy(sample), dist); }

    /// <inheritdoc cref="CramerVonMises(ReadOnlySpan{double}, IUnivariateDistribution)"/>
    public static CramerVonMisesResult CramerVonMises(SortedSample sample, IUnivariateDistribution dist)
    {
        ArgumentNullException.ThrowIfNull(sample);
        if (sample.Count < 2) throw new ArgumentException($"sample needs at least 2 values, got {sample.Count}.", nameof(sample));
        CheckDist(dist);
        return Cvm(sample.Array, dist);
    }

    private static CramerVonMisesResult Cvm<T>(T[] x, IUnivariateDistribution dist) where T : unmanaged
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
        return new CramerVonMisesResult(w, p, n, "asymp");
    }
}
