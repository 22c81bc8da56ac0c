using System.Globalization;
using WeightInit.Statistics;

namespace WeightInit.Conformance.Checks;

/// <summary>
/// The per-case battery of docs/statistics.md §5 for i.i.d. element laws (normal, truncated normal, uniform):
/// support, max|x| (exact law of the maximum, both tails), mean z, variance, one-sample KS (exact p),
/// Anderson–Darling (simple hypothesis), chi-square on 100 equiprobable bins, Cramér–von Mises (report only),
/// and a two-sample KS against reference samples when given. Deterministic laws (constants, identity) are
/// compared exactly.
/// </summary>
public static class Battery
{

    /// <summary>Chi-square on 100 equiprobable bins needs at least 10 expected counts per bin (Cochran's rule).</summary>
    public const long ChiSquareMinimumN = 1000;

    /// <summary>
    /// The checks <see cref="Run"/> produces (Info results aside) for <paramref name="n"/> values of <paramref name="law"/>,
    /// known before drawing: test names are built from them, and the gate asserts that plan and run agree.
    /// </summary>
    /// <param name="law">The target element law.</param>
    /// <param name="n">The number of values that will be tested.</param>
    /// <param name="withReference">Whether reference samples will be passed to <see cref="Run"/>.</param>
    public static IReadOnlyList<CheckId> Plan(ElementDistribution law, long n, bool withReference)
    {
        if (TheoreticalLaw.For(law) is null) return [CheckId.Exact];
        if (n == 0) return [CheckId.Support];
        var names = new List<CheckId> { CheckId.Support, CheckId.MaxAbs, CheckId.Mean, CheckId.Variance, CheckId.Ks, CheckId.AndersonDarling };
        if (n >= ChiSquareMinimumN) names.Add(CheckId.ChiSquare);
        if (withReference) names.Add(CheckId.TwoSample);
        return names;
    }

    /// <summary>Runs every distributional check of <paramref name="law"/> on <paramref name="values"/>.</summary>
    /// <param name="caseId">Case name used in results.</param>
    /// <param name="law">The target element law.</param>
    /// <param name="values">The samples widened to float64.</param>
    /// <param name="float32">True when the samples were produced as float32 (bounds are compared after float32 rounding).</param>
    /// <param name="reference">Optional reference samples (e.g. Keras') for a two-sample KS, sorted once by the caller: the
    /// gate compares every run with the same ones.</param>
    /// <param name="thresholds">Failure and suspect thresholds.</param>
    public static IReadOnlyList<CheckResult> Run(string caseId, ElementDistribution law, double[] values, bool float32,
        SortedSample? reference = null, GateThresholds? thresholds = null)
    {
        thresholds ??= GateThresholds.Default;
        var results = new List<CheckResult>();
        long n = values.Length;
        var dist = TheoreticalLaw.For(law);
        if (dist is null)
        {
            results.Add(Exact(caseId, law, values, float32));
            return results;
        }
        if (n == 0)
        {
            results.Add(new(caseId, CheckId.Support, Verdict.Pass, null, null, 0, "no values", "no values", "zero-size tensor: nothing to test"));
            return results;
        }

        // 1. Support: finite and inside the closed (float32-rounded) support.
        double lo = dist.LowerBound, hi = dist.UpperBound;
        if (float32) { lo = (float)lo; hi = (float)hi; }
        long outside = 0, nonFinite = 0, onBounds = 0;
        double center = dist.Mean, maxAbs = 0;
        foreach (var x in values)
        {
            if (!double.IsFinite(x)) { nonFinite++; continue; }
            if (x < lo || x > hi) outside++;
            if (law is TruncatedNormalElements && (x == lo || x == hi)) onBounds++;
            maxAbs = Math.Max(maxAbs, Math.Abs(x - center));
        }
        string supportText = double.IsInfinity(hi) ? "all finite" : $"all in [{TheoreticalLaw.F(lo)}, {TheoreticalLaw.F(hi)}]";
        if (nonFinite > 0)
        {
            results.Add(new(caseId, CheckId.Support, Verdict.Fail, nonFinite, 0, n, "all finite", $"{nonFinite} NaN/infinite", $"{nonFinite} of {n} values are NaN or infinite"));
            return results;   // nothing else is meaningful on non-finite data
        }
        // More than a handful of values exactly on a continuous law's bounds is clipping (float32 rounding puts
        // a value on the bound with probability about pdf(bound)·ulp, ~1e-8 per value).
        long clipLimit = 3 + n / 1_000_000;
        var supportVerdict = outside > 0 || onBounds > clipLimit ? Verdict.Fail : Verdict.Pass;
        string supportMessage = outside > 0 ? Diagnosis.Support(outside, n, law, maxAbs)
            : onBounds > clipLimit ? Diagnosis.ClippedOntoBounds(onBounds, n)
            : "every value inside the closed support";
        results.Add(new(caseId, CheckId.Support, supportVerdict, outside, supportVerdict == Verdict.Fail ? 0 : 1, n, supportText,
            outside > 0 ? $"{outside} outside" : onBounds > 0 ? $"{onBounds} on the bounds" : supportText, supportMessage));

        // The statistical tests take the values as they are; values beyond the (float32-rounded) support make AD
        // infinite and the max test's p 0, which is the right answer. Values that float32 rounding put on or just past
        // an exact bound (about 6e-8 of uniform draws) are moved half a float32 ulp inside it for the shape tests:
        // otherwise log(1 - F(bound)) = -inf makes A² infinite for a correct sample.
        double resolution = float32 && double.IsFinite(hi) ? Math.Max(Math.Abs(hi), Math.Abs(lo)) * Math.Pow(2, -23) : 0;
        var span = float32 && outside == 0 && double.IsFinite(hi) ? InsideSupport(values, dist.LowerBound, dist.UpperBound, resolution / 2) : values.AsSpan();

        // 2. max|x - mean|: exact law of the maximum, both tails.
        var max = StatisticalTests.MaxAbs(span, dist, resolution);
        double pUpper = max.PUpper, pLower = max.PLower;
        var maxVerdict = thresholds.Classify(max.PValue);
        string maxMessage = maxVerdict == Verdict.Pass ? "the largest |x - mean| is plausible for this n"
            : outside > 0 ? Diagnosis.Support(outside, n, law, maxAbs)
            : pLower < pUpper ? Diagnosis.MaxTooSmall(maxAbs, max.ExpectedBound)
            : Diagnosis.MaxTooLarge(maxAbs);
        results.Add(Result(caseId, CheckId.MaxAbs, maxVerdict, max, double.IsInfinity(hi) ? "unbounded" : $"≤ {TheoreticalLaw.F(Math.Max(hi - center, center - lo))}",
            TheoreticalLaw.F(maxAbs), maxMessage));

        // 3. Mean and variance against the exact targets.
        var mean = StatisticalTests.MeanZ(span, dist);
        var meanVerdict = thresholds.Classify(mean.PValue);
        double observedMean = mean.ObservedMean;
        results.Add(Result(caseId, CheckId.Mean, meanVerdict, mean, TheoreticalLaw.F(dist.Mean), TheoreticalLaw.F(observedMean),
            meanVerdict == Verdict.Pass ? "mean on target"
                : $"mean shifted by {TheoreticalLaw.F(observedMean - dist.Mean)} ({TheoreticalLaw.F(mean.Z)} standard errors)"));

        var variance = StatisticalTests.Variance(span, dist);
        var varianceVerdict = thresholds.Classify(variance.PValue);
        double ratio = variance.Ratio;
        results.Add(Result(caseId, CheckId.Variance, varianceVerdict, variance, TheoreticalLaw.F(dist.Variance),
            $"{TheoreticalLaw.F(variance.ObservedVariance)} (ratio {ratio.ToString("F4", CultureInfo.InvariantCulture)})",
            varianceVerdict == Verdict.Pass ? $"variance {ratio.ToString("F4", CultureInfo.InvariantCulture)}x target" : Diagnosis.VarianceRatio(ratio, law)));
        bool variancePassed = varianceVerdict != Verdict.Fail;

        // 4. Shape: KS (exact), AD (simple hypothesis), chi-square on 100 equiprobable bins; CvM reported only.
        // The order statistics are computed once for KS, AD, CvM and the two-sample KS.
        var sorted = SortedSample.Of(span);
        var ks = StatisticalTests.KolmogorovSmirnov(sorted, dist);
        results.Add(Shape(caseId, CheckId.Ks, ks, thresholds, variancePassed, $"D ≈ 0 (critical ≈ {TheoreticalLaw.F(thresholds.KsSuspectDistance(n))} at {GateThresholds.FormatP(thresholds.SuspectP)})", $"D = {TheoreticalLaw.F(ks.Statistic)}"));
        var ad = StatisticalTests.AndersonDarling(sorted, dist);
        results.Add(Shape(caseId, CheckId.AndersonDarling, ad, thresholds, variancePassed, $"A² < {thresholds.AdFailStatistic.ToString("F2", CultureInfo.InvariantCulture)} ({GateThresholds.FormatP(thresholds.FailP)})", $"A² = {TheoreticalLaw.F(ad.Statistic)}"));
        if (n >= ChiSquareMinimumN)
        {
            var chi = StatisticalTests.ChiSquareEquiprobable(span, dist, 100);
            results.Add(Shape(caseId, CheckId.ChiSquare, chi, thresholds, variancePassed, "χ² ≈ 99", $"χ² = {TheoreticalLaw.F(chi.Statistic)}"));
        }
        if (n >= 2)   // CvM needs two values
        {
            var cvm = StatisticalTests.CramerVonMises(sorted, dist);
            results.Add(Result(caseId, CheckId.CramerVonMises, Verdict.Info, cvm, "W² small", $"W² = {TheoreticalLaw.F(cvm.Statistic)}", "reported only (scipy's CvM p-values bottom out near 1e-8)"));
        }

        // The two-sample test sees the values as drawn (span differs from them only for values moved off a bound).
        if (reference is not null)
            results.Add(TwoSample(caseId, span == values.AsSpan() ? sorted : SortedSample.Of(values), reference, thresholds));
        return results;
    }

    /// <summary>
    /// A copy with values within <paramref name="margin"/> of a bound (or past it, float32 rounding) moved to
    /// bound ∓ margin; the array itself is returned when nothing needs moving.
    /// </summary>
    private static double[] InsideSupport(double[] values, double lower, double upper, double margin)
    {
        double lo = lower + margin, hi = upper - margin;
        if (!values.Any(x => x < lo || x > hi)) return values;
        var copy = (double[])values.Clone();
        for (int i = 0; i < copy.Length; i++) copy[i] = Math.Clamp(copy[i], lo, hi);
        return copy;
    }

    /// <summary>Two-sample KS of the samples against reference samples (e.g. Keras').</summary>
    public static CheckResult TwoSample(string caseId, SortedSample values, SortedSample reference, GateThresholds? thresholds = null)
    {
        thresholds ??= GateThresholds.Default;
        var ks2 = StatisticalTests.KolmogorovSmirnov2(values, reference);
        var verdict = thresholds.Classify(ks2.PValue);
        return Result(caseId, CheckId.TwoSample, verdict, ks2, "same law", $"D = {TheoreticalLaw.F(ks2.Statistic)} (n1={values.Count}, n2={reference.Count})",
            verdict == Verdict.Pass ? "samples and reference samples agree in law"
                : "samples and the reference framework's samples differ in law (scale, truncation or shape)");
    }

    /// <summary>Exact comparison for deterministic laws (constant, identity); float32 data against the float32-rounded value.</summary>
    public static CheckResult Exact(string caseId, ElementDistribution law, double[] values, bool float32)
    {
        long mismatches = 0, firstBad = -1;
        var ones = law is DiracElements dirac ? dirac.OneIndices().ToHashSet() : null;
        double ExpectedAt(ElementDistribution law, long i) => ones is not null ? (ones.Contains(i) ? 1.0 : 0.0) : Battery.ExpectedAt(law, i);
        for (long i = 0; i < values.Length; i++)
        {
            double expected = float32 ? (float)ExpectedAt(law, i) : ExpectedAt(law, i);
            if (!(values[i] == expected))
            {
                mismatches++;
                if (firstBad < 0) firstBad = i;
            }
        }
        string expectedText = TheoreticalLaw.Describe(law);
        return mismatches == 0
            ? new(caseId, CheckId.Exact, Verdict.Pass, 0, null, values.Length, expectedText, "identical", "every value exact")
            : new(caseId, CheckId.Exact, Verdict.Fail, mismatches, null, values.Length, expectedText,
                $"{mismatches} differ; first at index {firstBad}: {values[firstBad]:R} vs {ExpectedAt(law, firstBad):R}",
                $"{mismatches} of {values.Length} values differ from {expectedText}");
    }

    private static double ExpectedAt(ElementDistribution law, long i) => law switch
    {
        ConstantElements c => c.Value,
        IdentityElements id => (i / id.Cols == i % id.Cols) ? id.Gain : 0.0,
        _ => throw new ArgumentException($"{law.Kind} is not a deterministic law.", nameof(law)),
    };

    private static CheckResult Shape(string caseId, CheckId check, TestResult t, GateThresholds thresholds, bool variancePassed, string expected, string observed)
    {
        var verdict = thresholds.Classify(t.PValue);
        return Result(caseId, check, verdict, t, expected, observed,
            verdict == Verdict.Pass ? "distribution shape matches" : Diagnosis.Shape(check, variancePassed));
    }

    private static CheckResult Result(string caseId, CheckId check, Verdict verdict, TestResult t, string expected, string observed, string message) =>
        new(caseId, check, verdict, t.Statistic, t.PValue, t.N, expected, observed, message);
}
