using MathNet.Numerics;

namespace WeightInit.Statistics;

/// <summary>
/// A continuous univariate law as the checks need it: exact moments, support, and CDF/SF in both
/// linear and log scale (so that tails keep their relative accuracy).
/// </summary>
public interface IUnivariateDistribution
{
    /// <summary>E[X].</summary>
    double Mean { get; }
    /// <summary>Var[X].</summary>
    double Variance { get; }
    /// <summary>√Var[X].</summary>
    double StdDev { get; }
    /// <summary>Pearson kurtosis E[(X-μ)⁴]/σ⁴ (normal 3, uniform 1.8, truncnorm(-2,2) 2.3655367171296495).</summary>
    double Kurtosis { get; }
    /// <summary>Lower end of the support (-∞ for the normal).</summary>
    double LowerBound { get; }
    /// <summary>Upper end of the support (+∞ for the normal).</summary>
    double UpperBound { get; }
    /// <summary>Density.</summary>
    double Pdf(double x);
    /// <summary>P(X ≤ x).</summary>
    double Cdf(double x);
    /// <summary>P(X &gt; x), computed without the cancellation of 1 - Cdf.</summary>
    double Sf(double x);
    /// <summary>Quantile: the x with Cdf(x) = p.</summary>
    double InvCdf(double p);
    /// <summary>log P(X ≤ x).</summary>
    double LogCdf(double x);
    /// <summary>log P(X &gt; x).</summary>
    double LogSf(double x);
}

/// <summary>Standard normal helpers with scipy's (cephes / Faddeeva) evaluation order.</summary>
public static class StandardNormal
{
    private const double Sqrt1_2 = 0.70710678118654752440;
    private const double InvSqrt2Pi = 0.398942280401432677940;

    /// <summary>φ(z) = exp(-z²/2)/√(2π).</summary>
    public static double Pdf(double z) => Math.Exp(-0.5 * z * z) * InvSqrt2Pi;

    /// <summary>Φ(z), as cephes <c>ndtr</c>: 0.5+0.5·erf(z/√2) for |z|&lt;1, else 0.5·erfc(|z|/√2) (reflected).</summary>
    public static double Cdf(double z)
    {
        if (double.IsNaN(z)) return double.NaN;
        double x = z * Sqrt1_2;
        double ax = Math.Abs(x);
        if (ax < Sqrt1_2) return 0.5 + 0.5 * SpecialFunctions.Erf(x);
        double y = 0.5 * SpecialFunctions.Erfc(ax);
        return x > 0 ? 1.0 - y : y;
    }

    /// <summary>1 - Φ(z) = Φ(-z).</summary>
    public static double Sf(double z) => Cdf(-z);

    /// <summary>
    /// log Φ(z), as scipy's <c>log_ndtr</c> (Faddeeva): log(erfcx(-t)/2) - t² for z &lt; -1, else log1p(-erfc(t)/2), t = z/√2.
    /// erfcx is evaluated as erfc·e^{t²} while that is representable and by its asymptotic series beyond.
    /// </summary>
    public static double LogCdf(double z)
    {
        if (double.IsNaN(z)) return double.NaN;
        double t = z * Sqrt1_2;
        if (z < -1.0)
        {
            double u = -t;
            if (u < 25.0) return Math.Log(SpecialFunctions.Erfc(u) / 2) ;
            return Math.Log(ErfcxLarge(u) / 2) - u * u;
        }
        return LogOnePlus(-SpecialFunctions.Erfc(t) / 2);
    }

    /// <summary>log(1 - Φ(z)) = log Φ(-z).</summary>
    public static double LogSf(double z) => LogCdf(-z);

    /// <summary>Φ⁻¹(p) = -√2·erfc⁻¹(2p).</summary>
    public static double InvCdf(double p)
    {
        if (p <= 0) return p == 0 ? double.NegativeInfinity : double.NaN;
        if (p >= 1) return p == 1 ? double.PositiveInfinity : double.NaN;
        return -1.4142135623730950488 * SpecialFunctions.ErfcInv(2 * p);
    }

    /// <summary>Upper-tail quantile Φ⁻¹(1-q) without forming 1-q.</summary>
    public static double InvSf(double q) => -InvCdf(q);

    // erfcx(u) = e^{u²} erfc(u) for u ≥ 25: asymptotic series, relative error < 1e-17.
    private static double ErfcxLarge(double u)
    {
        double v = 1.0 / (2 * u * u);
        double s = 1.0, term = 1.0;
        for (int k = 1; k < 8; k++) { term *= -(2 * k - 1) * v; s += term; }
        return s / (u * 1.7724538509055160273);
    }

    /// <summary>log(1+x) accurate for small x (Goldberg's correction: log(u)·x/(u-1), u = 1+x).</summary>
    public static double LogOnePlus(double x)
    {
        double u = 1.0 + x;
        if (u == 1.0) return x;
        if (double.IsInfinity(u)) return Math.Log(u);
        return Math.Log(u) * x / (u - 1.0);
    }

    /// <summary>exp(x)-1 accurate for small x (Kahan: (u-1)·x/log(u), u = e^x).</summary>
    public static double ExpMinusOne(double x)
    {
        if (Math.Abs(x) < 1e-5) return x * (1 + x * (0.5 + x / 6));
        double u = Math.Exp(x);
        if (u == 1.0) return x;
        double um1 = u - 1.0;
        if (um1 == -1.0) return -1.0;
        if (double.IsInfinity(u)) return u;
        return um1 * x / Math.Log(u);
    }
}

internal static class Guard
{
    public static void Finite(double v, string name)
    {
        if (!double.IsFinite(v)) throw new ArgumentException($"{name} must be finite, got {v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}.", name);
    }
    public static string R(double v) => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>Normal law N(mean, stddev²). CDF via cephes <c>ndtr</c>, log-CDF via scipy's <c>log_ndtr</c>.</summary>
public sealed class NormalDistribution : IUnivariateDistribution
{
    /// <summary>Creates N(mean, stddev²); stddev must be finite and &gt; 0.</summary>
    public NormalDistribution(double mean, double stddev)
    {
        Guard.Finite(mean, nameof(mean));
        if (!(stddev > 0) || !double.IsFinite(stddev))
            throw new ArgumentException($"stddev must be finite and > 0, got {Guard.R(stddev)}.", nameof(stddev));
        Location = mean; Scale = stddev;
    }
    private double Location { get; }
    private double Scale { get; }
    /// <inheritdoc/>
    public double Mean => Location;
    /// <inheritdoc/>
    public double Variance => Scale * Scale;
    /// <inheritdoc/>
    public double StdDev => Scale;
    /// <inheritdoc/>
    public double Kurtosis => 3.0;
    /// <inheritdoc/>
    public double LowerBound => double.NegativeInfinity;
    /// <inheritdoc/>
    public double UpperBound => double.PositiveInfinity;
    /// <summary>E[(X-μ)⁶]/σ⁶ = 15.</summary>
    public double SixthStandardizedMoment => 15.0;
    /// <inheritdoc/>
    public double Pdf(double x) => StandardNormal.Pdf((x - Location) / Scale) / Scale;
    /// <inheritdoc/>
    public double Cdf(double x) => StandardNormal.Cdf((x - Location) / Scale);
    /// <inheritdoc/>
    public double Sf(double x) => StandardNormal.Cdf(-((x - Location) / Scale));
    /// <inheritdoc/>
    public double LogCdf(double x) => StandardNormal.LogCdf((x - Location) / Scale);
    /// <inheritdoc/>
    public double LogSf(double x) => StandardNormal.LogCdf(-((x - Location) / Scale));
    /// <inheritdoc/>
    public double InvCdf(double p)
    {
        if (!(p >= 0 && p <= 1)) throw new ArgumentOutOfRangeException(nameof(p), $"p must be in [0,1], got {Guard.R(p)}.");
        return Location + Scale * StandardNormal.InvCdf(p);
    }
    /// <inheritdoc/>
    public override string ToString() => $"normal(mean={Guard.R(Location)}, stddev={Guard.R(Scale)})";
}

/// <summary>Continuous uniform law on [lower, upper]; CDF (x-lower)/(upper-lower), SF = 1 - CDF (as scipy).</summary>
public sealed class UniformDistribution : IUnivariateDistribution
{
    /// <summary>Creates U(lower, upper); both finite, lower &lt; upper.</summary>
    public UniformDistribution(double lower, double upper)
    {
        Guard.Finite(lower, nameof(lower)); Guard.Finite(upper, nameof(upper));
        if (!(lower < upper)) throw new ArgumentException($"lower must be < upper, got lower={Guard.R(lower)}, upper={Guard.R(upper)}.", nameof(lower));
        LowerBound = lower; UpperBound = upper; Width = upper - lower;
        if (!double.IsFinite(Width)) throw new ArgumentException($"upper - lower overflows for lower={Guard.R(lower)}, upper={Guard.R(upper)}.", nameof(upper));
    }
    private double Width { get; }
    /// <inheritdoc/>
    public double Mean => LowerBound + Width / 2;
    /// <inheritdoc/>
    public double Variance => Width * Width / 12.0;
    /// <inheritdoc/>
    public double StdDev => Width / Math.Sqrt(12.0);
    /// <inheritdoc/>
    public double Kurtosis => 1.8;
    /// <summary>E[(X-μ)⁶]/σ⁶ = 27/7.</summary>
    public double SixthStandardizedMoment => 27.0 / 7.0;
    /// <inheritdoc/>
    public double LowerBound { get; }
    /// <inheritdoc/>
    public double UpperBound { get; }
    /// <inheritdoc/>
    public double Pdf(double x) => x >= LowerBound && x <= UpperBound ? 1.0 / Width : 0.0;
    /// <inheritdoc/>
    public double Cdf(double x)
    {
        if (double.IsNaN(x)) return double.NaN;
        if (x <= LowerBound) return 0.0;
        if (x >= UpperBound) return 1.0;
        return (x - LowerBound) / Width;
    }
    /// <inheritdoc/>
    public double Sf(double x)
    {
        if (double.IsNaN(x)) return double.NaN;
        if (x <= LowerBound) return 1.0;
        if (x >= UpperBound) return 0.0;
        return 1.0 - (x - LowerBound) / Width;
    }
    /// <inheritdoc/>
    public double LogCdf(double x) => Math.Log(Cdf(x));
    /// <inheritdoc/>
    public double LogSf(double x) => Math.Log(Sf(x));
    /// <inheritdoc/>
    public double InvCdf(double p)
    {
        if (!(p >= 0 && p <= 1)) throw new ArgumentOutOfRangeException(nameof(p), $"p must be in [0,1], got {Guard.R(p)}.");
        return LowerBound + p * Width;
    }
    /// <inheritdoc/>
    public override string ToString() => $"uniform(minval={Guard.R(LowerBound)}, maxval={Guard.R(UpperBound)})";
}

/// <summary>
/// Normal N(mean, stddev²) truncated to [mean + a·stddev, mean + b·stddev] (scipy <c>truncnorm</c> convention:
/// a and b are in units of the PARENT stddev, relative to the mean; Keras cuts at a=-2, b=2).
/// <para>
/// Moments of the standardized law on [α,β] with Z = Φ(β)-Φ(α) (Johnson–Kotz):
/// M₀ = 1, M₁ = -(φ(β)-φ(α))/Z, M_k = (k-1)M_{k-2} - (β^{k-1}φ(β) - α^{k-1}φ(α))/Z; central moments follow
/// from the raw ones. For α=-2, β=2: variance 0.773741303549923, std 0.879625661034240 (the Keras constant),
/// kurtosis 2.365536717129650.
/// </para>
/// <para>CDF = mass(α, z)/Z where the mass of an interval is computed on whichever side avoids cancellation
/// (as scipy's <c>_log_gauss_mass</c>).</para>
/// </summary>
public sealed class TruncatedNormalDistribution : IUnivariateDistribution
{
    private readonly double _mu, _sigma, _a, _b, _z;
    private readonly double _m1, _var, _mu4, _mu6, _madStd;

    /// <summary>Creates the truncated normal; stddev &gt; 0, a &lt; b (may be infinite).</summary>
    public TruncatedNormalDistribution(double mean, double stddev, double a = -2, double b = 2)
    {
        Guard.Finite(mean, nameof(mean));
        if (!(stddev > 0) || !double.IsFinite(stddev))
            throw new ArgumentException($"stddev must be finite and > 0, got {Guard.R(stddev)}.", nameof(stddev));
        if (double.IsNaN(a) || double.IsNaN(b) || !(a < b))
            throw new ArgumentException($"truncation bounds must satisfy a < b, got a={Guard.R(a)}, b={Guard.R(b)}.", nameof(a));
        _mu = mean; _sigma = stddev; _a = a; _b = b;
        _z = Mass(a, b);
        if (!(_z > 0)) throw new ArgumentException($"the interval [a, b] = [{Guard.R(a)}, {Guard.R(b)}] has no normal mass in double precision.", nameof(b));

        // raw moments of the standardized truncated law
        double pa = double.IsInfinity(a) ? 0 : StandardNormal.Pdf(a);
        double pb = double.IsInfinity(b) ? 0 : StandardNormal.Pdf(b);
        double Term(int k) // (β^k φ(β) - α^k φ(α)) / Z
        {
            double tb = pb == 0 ? 0 : Math.Pow(b, k) * pb;
            double ta = pa == 0 ? 0 : Math.Pow(a, k) * pa;
            return (tb - ta) / _z;
        }
        var m = new double[7];
        m[0] = 1; m[1] = -Term(0);
        if (a == -b) m[1] = 0;
        for (int k = 2; k <= 6; k++) m[k] = (k - 1) * m[k - 2] - Term(k - 1);
        double c = m[1];
        _m1 = c;
        _var = m[2] - c * c;
        _mu4 = m[4] - 4 * c * m[3] + 6 * c * c * m[2] - 3 * c * c * c * c;
        _mu6 = m[6] - 6 * c * m[5] + 15 * c * c * m[4] - 20 * c * c * c * m[3] + 15 * Math.Pow(c, 4) * m[2] - 5 * Math.Pow(c, 6);
        // E|Y - c| = 2[(φ(c) - φ(β)) - c(Φ(β) - Φ(c))]/Z for the standardized law (c inside [α, β]).
        _madStd = 2 * ((StandardNormal.Pdf(c) - pb) - c * Mass(c, b)) / _z;
    }

    /// <summary>Mass Φ(hi) - Φ(lo) of the standard normal, evaluated on the side that avoids cancellation.</summary>
    internal static double Mass(double lo, double hi)
    {
        if (!(hi > lo)) return 0.0;
        if (hi <= 0) return StandardNormal.Cdf(hi) - StandardNormal.Cdf(lo);
        if (lo > 0) return StandardNormal.Cdf(-lo) - StandardNormal.Cdf(-hi);
        if (lo == -hi) return SpecialFunctions.Erf(hi * 0.70710678118654752440);
        return 1.0 - StandardNormal.Cdf(lo) - StandardNormal.Cdf(-hi);
    }

    /// <summary>Parent mean.</summary>
    public double ParentMean => _mu;
    /// <summary>Parent (pre-truncation) standard deviation.</summary>
    public double ParentStdDev => _sigma;
    /// <summary>Lower cut in parent stddev units.</summary>
    public double A => _a;
    /// <summary>Upper cut in parent stddev units.</summary>
    public double B => _b;
    /// <summary>Normal mass Φ(b)-Φ(a) kept by the truncation (0.9544997361036416 for ±2).</summary>
    public double NormalMass => _z;
    /// <inheritdoc/>
    public double Mean => _mu + _sigma * _m1;
    /// <inheritdoc/>
    public double Variance => _sigma * _sigma * _var;
    /// <inheritdoc/>
    public double StdDev => _sigma * Math.Sqrt(_var);
    /// <inheritdoc/>
    public double Kurtosis => _mu4 / (_var * _var);
    /// <summary>E[(X-E X)⁴] (for a=-2,b=2: 1.4161891248494627·stddev⁴).</summary>
    public double FourthCentralMoment => _mu4 * Math.Pow(_sigma, 4);
    /// <summary>E[(X-E X)⁶].</summary>
    public double SixthCentralMoment => _mu6 * Math.Pow(_sigma, 6);
    /// <summary>E[(X-μ)⁶]/σ⁶ about the truncated mean.</summary>
    public double SixthStandardizedMoment => _mu6 / (_var * _var * _var);
    /// <summary>
    /// Mean absolute deviation E|X - E X|. For the symmetric case (a = -b) this is
    /// 2σ(φ(0) - φ(b))/Z (0.7227897522452308·stddev for ±2); in general 2σ[(φ(c)-φ(β)) - c(Φ(β)-Φ(c))]/Z with c the
    /// standardized truncated mean.
    /// </summary>
    public double MeanAbsoluteDeviation => _sigma * _madStd;
    /// <inheritdoc/>
    public double LowerBound => _mu + _a * _sigma;
    /// <inheritdoc/>
    public double UpperBound => _mu + _b * _sigma;

    /// <inheritdoc/>
    public double Pdf(double x)
    {
        double s = (x - _mu) / _sigma;
        if (!(s >= _a && s <= _b)) return 0.0;
        return StandardNormal.Pdf(s) / (_z * _sigma);
    }
    /// <inheritdoc/>
    public double Cdf(double x)
    {
        if (double.IsNaN(x)) return double.NaN;
        double s = (x - _mu) / _sigma;
        if (s <= _a) return 0.0;
        if (s >= _b) return 1.0;
        return Math.Min(1.0, Mass(_a, s) / _z);
    }
    /// <inheritdoc/>
    public double Sf(double x)
    {
        if (double.IsNaN(x)) return double.NaN;
        double s = (x - _mu) / _sigma;
        if (s <= _a) return 1.0;
        if (s >= _b) return 0.0;
        return Math.Min(1.0, Mass(s, _b) / _z);
    }
    /// <inheritdoc/>
    public double LogCdf(double x)
    {
        double c = Cdf(x);
        if (c > 0.9) return StandardNormal.LogOnePlus(-Sf(x));
        return Math.Log(c);
    }
    /// <inheritdoc/>
    public double LogSf(double x)
    {
        double s = Sf(x);
        if (s > 0.9) return StandardNormal.LogOnePlus(-Cdf(x));
        return Math.Log(s);
    }
    /// <inheritdoc/>
    public double InvCdf(double p)
    {
        if (!(p >= 0 && p <= 1)) throw new ArgumentOutOfRangeException(nameof(p), $"p must be in [0,1], got {Guard.R(p)}.");
        if (p == 0) return LowerBound;
        if (p == 1) return UpperBound;
        double s;
        if (p <= 0.5)
            s = StandardNormal.InvCdf(StandardNormal.Cdf(_a) + p * _z);
        else
            s = -StandardNormal.InvCdf(StandardNormal.Cdf(-_b) + (1 - p) * _z);
        s = Math.Clamp(s, _a, _b);
        return _mu + _sigma * s;
    }
    /// <inheritdoc/>
    public override string ToString() => $"truncated_normal(mean={Guard.R(_mu)}, stddev={Guard.R(_sigma)}, a={Guard.R(_a)}, b={Guard.R(_b)})";
}
