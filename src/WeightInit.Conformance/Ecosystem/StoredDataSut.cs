using WeightInit.Conformance.Sut;
using WeightInit.Testing;

namespace WeightInit.Conformance.Ecosystem;

/// <summary>
/// A framework's stored reference data (reference-data/&lt;framework&gt;/&lt;version&gt;) replayed as a system under test, so
/// the stored values get the same battery as a live implementation. The data holds, per case, the tensors drawn with the
/// catalog's seeds first, first + 1, … concatenated and cut at <see cref="ReferenceCase.Values"/> values
/// (reference-data/README.md); a replay can therefore only serve those seeds, and only as many values as were stored.
/// The ecosystem run draws each case with n = the stored count (<see cref="SampleSizeFor"/>), so the positions past the
/// stored prefix, which this SUT fills with NaN because no value exists for them, are never read by a statistical
/// check; the seed checks, which compare whole tensors, say nothing about stored data and are dropped by the run.
/// </summary>
public sealed class StoredDataSut : IFrameworkUnderTest
{
    private readonly ReferenceData _data;
    private readonly IReadOnlyList<ConformanceCase> _cases;

    /// <param name="data">The verified reference data (checked against <paramref name="catalog"/>).</param>
    /// <param name="catalog">The catalog whose cases the data holds.</param>
    /// <param name="framework">The framework the data was drawn from: the runner gives this SUT that framework's cases.</param>
    public StoredDataSut(ReferenceData data, CaseCatalog catalog, Framework framework)
    {
        _data = data ?? throw new ArgumentNullException(nameof(data));
        ArgumentNullException.ThrowIfNull(catalog);
        Implements = framework ?? throw new ArgumentNullException(nameof(framework));
        _cases = catalog.Cases.Where(c => data.Contains(c.Id)).ToArray();
        Label = $"{data.Manifest.Framework} {data.Manifest.FrameworkVersion} (stored)";
    }

    public Framework Implements { get; }

    /// <summary>The report name, e.g. <c>stored:keras-3.15.1</c> (no expectations file has this name: stored data is measured, not excused).</summary>
    public string Name => $"stored:{_data.Manifest.Framework}-{_data.Manifest.FrameworkVersion}";

    /// <summary>Column label: <c>keras 3.15.1 (stored)</c>.</summary>
    public string Label { get; }

    /// <summary>The data folder.</summary>
    public string Folder => _data.Directory;

    /// <summary>True when the data holds <paramref name="caseId"/>.</summary>
    public bool Holds(string caseId) => _data.Contains(caseId);

    /// <summary>
    /// The sample size a replay of <paramref name="c"/> can honour: every stored value, except for orthogonal schemes,
    /// whose checks need whole matrices, where only the complete tensors count (0 when not even one was stored).
    /// </summary>
    public long SampleSizeFor(ConformanceCase c, bool wholeTensors)
    {
        ArgumentNullException.ThrowIfNull(c);
        long stored = _data.Case(c.Id).Values;
        long per = c.Shape.Count;
        return wholeTensors && per > 0 ? stored / per * per : stored;
    }

    public Array Sample(string className, string configJson, int[] shape, long seed, string dtype) =>
        SampleBatch(className, configJson, shape, seed, 1, dtype);

    public Array SampleBatch(string className, string configJson, int[] shape, long firstSeed, int count, string dtype)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var c = Find(className, configJson, shape, dtype, firstSeed);
        var stored = _data.Values(c.Id);
        long per = c.Shape.Count;
        long offset = c.Seeds is null ? 0 : (firstSeed - c.Seeds.First) * per;
        long length = per * count;
        bool f32 = DTypes.Parse(dtype) == DType.Float32;
        Array result = f32 ? new float[length] : new double[length];
        for (long i = 0; i < length; i++)
        {
            long j = offset + i;
            // Past the stored prefix there is no value: NaN, never read by the run (n = stored), see the class comment.
            double v = j < stored.Shape.Count ? (stored.Single is { } s ? s[j] : stored.Double![j]) : double.NaN;
            if (f32) ((float[])result)[i] = (float)v; else ((double[])result)[i] = v;
        }
        return result;
    }

    private ConformanceCase Find(string className, string configJson, int[] shape, string dtype, long seed)
    {
        foreach (var c in _cases)
        {
            if (c.Initializer != className || c.ConfigJson != configJson || c.DType.Name() != dtype || !c.Shape.ToArray().SequenceEqual(shape)) continue;
            if (c.Seeds is null || (seed >= c.Seeds.First && seed < c.Seeds.First + Math.Max(c.Seeds.Count, 1) + 1)) return c;
        }
        throw new NotApplicableException($"{Label} holds no values for {className} {configJson} shape ({string.Join(", ", shape)}) {dtype} seed {seed}: stored data only exists for the catalog's cases and seeds.");
    }
}
