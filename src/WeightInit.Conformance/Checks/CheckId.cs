namespace WeightInit.Conformance.Checks;

/// <summary>
/// The id of a check, the one place its name is spelled: the battery's checks (docs/statistics.md §5), the orthogonal
/// checks, the library-only checks and the seed checks. A check run on a framework's stored reference samples rather
/// than on the SUT's values is the same id <see cref="OnReference"/> ("reference variance"). Test names, reports and
/// drift baselines all read and write these texts, so <see cref="ToString"/> is the stable spelling.
/// </summary>
public readonly record struct CheckId
{
    private const string ReferencePrefix = "reference ";

    /// <summary>A check called <paramref name="name"/> (new checks, e.g. from an extension, may add their own).</summary>
    public CheckId(string name) : this(name, false) { }

    private CheckId(string name, bool onReference)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        OnReference = onReference;
    }

    /// <summary>The check's name, without the reference prefix.</summary>
    public string Name { get; }

    /// <summary>True when the check ran on the stored reference samples (a self-check of the reference data).</summary>
    public bool OnReference { get; }

    public static readonly CheckId Support = new("support");
    public static readonly CheckId MaxAbs = new("max|x|");
    public static readonly CheckId Mean = new("mean");
    public static readonly CheckId Variance = new("variance");
    public static readonly CheckId Ks = new("KS");
    public static readonly CheckId AndersonDarling = new("Anderson-Darling");
    public static readonly CheckId ChiSquare = new("chi-square(100)");
    public static readonly CheckId CramerVonMises = new("Cramer-von Mises");
    public static readonly CheckId TwoSample = new("two-sample KS vs reference");
    public static readonly CheckId Exact = new("exact values");
    public static readonly CheckId Orthonormal = new("orthonormal");
    public static readonly CheckId HaarKs = new("Haar KS of q[0,0]");
    public static readonly CheckId HaarMean = new("Haar mean of q[0,0]");
    public static readonly CheckId Parameters = new("derived parameters");
    public static readonly CheckId Golden = new("golden values");
    public static readonly CheckId SameSeed = new("same seed, same values");
    public static readonly CheckId NewSeed = new("different seeds, different values");

    /// <summary>Every check the engine itself produces, in battery order.</summary>
    public static IReadOnlyList<CheckId> Known { get; } =
    [
        Parameters, Support, MaxAbs, Mean, Variance, Ks, AndersonDarling, ChiSquare, CramerVonMises, TwoSample, Exact,
        Orthonormal, HaarKs, HaarMean, SameSeed, NewSeed, Golden,
    ];

    /// <summary>The same check on the reference samples.</summary>
    public CheckId OfReference() => new(Name, true);

    /// <summary>Reads the spelling <see cref="ToString"/> writes ("variance", "reference variance").</summary>
    public static CheckId Parse(string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        return text.StartsWith(ReferencePrefix, StringComparison.Ordinal) && text.Length > ReferencePrefix.Length
            ? new CheckId(text[ReferencePrefix.Length..], true)
            : new CheckId(text);
    }

    public override string ToString() => OnReference ? ReferencePrefix + Name : Name;
}
