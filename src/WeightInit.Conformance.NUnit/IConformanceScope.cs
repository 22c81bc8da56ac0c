namespace WeightInit.Conformance.NUnit;

/// <summary>
/// Optional, on the SUT type of a fixture: the catalog cases it implements. An initializer library that covers only
/// some schemes (say HeNormal and GlorotUniform) implements this so that its gate runs those cases instead of failing
/// every scheme it never claimed; without it a fixture runs every case of its scope.
/// </summary>
public interface IConformanceScope
{
    /// <summary>Whether the fixture should run <paramref name="c"/> (e.g. <c>c.Initializer is "HeNormal" or "GlorotUniform"</c>).</summary>
    bool Covers(ConformanceCase c);
}
