namespace WeightInit.Conformance.Engine;

/// <summary>
/// The one place that decides which reference data a case is checked against. By default every framework the catalog
/// references gets the folder this repository ships for it (<see cref="Framework.ShippedVersion"/>), and a case uses the
/// data of the first framework in its <c>reference</c> list; a case that lists none uses the main (Keras) data, which
/// simply has nothing for it. An override (<c>--reference DIR</c>) replaces all of that with one folder used for every case.
/// Every folder is loaded once, its sha256 verified and its cases checked against the catalog.
/// </summary>
public sealed class ReferenceStore
{
    private readonly IReadOnlyList<(Framework? Framework, ReferenceData Data)> _data;
    private readonly bool _single;

    private ReferenceStore(IReadOnlyList<(Framework?, ReferenceData)> data, bool single)
    {
        _data = data;
        _single = single;
    }

    /// <summary>No reference data: the battery runs against the theory alone.</summary>
    public static ReferenceStore None { get; } = new([], false);

    /// <summary>
    /// The shipped reference data under <paramref name="repositoryRoot"/>: Keras' is required, another framework's is
    /// used when its folder is present.
    /// </summary>
    /// <exception cref="ReferenceDataException">The Keras folder is missing, or a folder is corrupt or disagrees with the catalog.</exception>
    public static ReferenceStore Shipped(string repositoryRoot, CaseCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var list = new List<(Framework?, ReferenceData)>();
        foreach (var framework in Framework.All)
        {
            var folder = ReferenceData.ShippedFolderOf(repositoryRoot, framework);
            bool main = framework == Framework.Keras;
            if (!main && (!Directory.Exists(folder) || !catalog.Cases.Any(c => c.HasReference(framework)))) continue;
            if (!Directory.Exists(folder)) throw new ReferenceDataException(folder, null, "reference-data folder not found.");
            list.Add((framework, LoadChecked(folder, catalog)));
        }
        return new ReferenceStore(list, single: false);
    }

    /// <summary>Only the shipped data of <paramref name="framework"/> (e.g. the mutants run the Keras cases only).</summary>
    public static ReferenceStore ShippedFor(string repositoryRoot, CaseCatalog catalog, Framework framework) =>
        new([(framework, LoadChecked(ReferenceData.ShippedFolderOf(repositoryRoot, framework), catalog))], single: false);

    /// <summary>One folder, used for every case (<c>--reference DIR</c>).</summary>
    /// <exception cref="ReferenceDataException">The folder is missing, corrupt, or disagrees with the catalog.</exception>
    public static ReferenceStore Override(string folder, CaseCatalog catalog)
    {
        if (!Directory.Exists(folder)) throw new ReferenceDataException(folder, null, "reference-data folder not found.");
        var data = LoadChecked(folder, catalog);
        return new ReferenceStore([(data.SourceFramework, data)], single: true);
    }

    /// <summary>The shipped store, or the override when <paramref name="overrideFolder"/> is given.</summary>
    public static ReferenceStore Open(string repositoryRoot, CaseCatalog catalog, string? overrideFolder) =>
        overrideFolder is null ? Shipped(repositoryRoot, catalog) : Override(overrideFolder, catalog);

    /// <summary>The main data (Keras', or the override); null for <see cref="None"/>.</summary>
    public ReferenceData? Main => _data.Count == 0 ? null : _data[0].Data;

    /// <summary>Every loaded folder with its framework, main first.</summary>
    public IReadOnlyList<(Framework? Framework, ReferenceData Data)> All => _data;

    /// <summary>The data <paramref name="c"/> is checked against, or null when no loaded folder holds the case.</summary>
    public ReferenceData? For(ConformanceCase c)
    {
        ArgumentNullException.ThrowIfNull(c);
        ReferenceData? chosen = _single ? Main : null;
        if (!_single)
            foreach (var framework in c.References)
            {
                chosen = _data.FirstOrDefault(d => d.Framework == framework).Data;
                if (chosen is not null) break;
            }
        chosen ??= Main;
        return chosen is not null && chosen.Contains(c.Id) ? chosen : null;
    }

    /// <summary>
    /// The secondary references of <paramref name="c"/>: every other loaded framework the case lists under
    /// <c>reference</c> that holds data for it, in catalog order (e.g. TF.js for a Keras case; <see cref="For"/> still
    /// picks the first, Keras). Empty for an override (<c>--reference DIR</c> replaces every reference) and for a case
    /// that lists one framework.
    /// </summary>
    public IReadOnlyList<(Framework Framework, ReferenceData Data)> Secondary(ConformanceCase c)
    {
        ArgumentNullException.ThrowIfNull(c);
        if (_single) return [];
        var main = For(c);
        var list = new List<(Framework, ReferenceData)>();
        foreach (var framework in c.References)
        {
            var data = _data.FirstOrDefault(d => d.Framework == framework).Data;
            if (data is not null && data != main && data.Contains(c.Id)) list.Add((framework, data));
        }
        return list;
    }

    /// <summary>"keras 3.15.1": the label reports show for a case's reference data (null when it has none).</summary>
    public string? LabelFor(ConformanceCase c) => For(c) is { } data ? $"{data.Manifest.Framework} {data.Manifest.FrameworkVersion}" : null;

    /// <summary>
    /// The provenance block of reports: the main data's fields, then each further framework's as
    /// <c>&lt;framework&gt;.framework_version</c>, <c>.backend</c>, <c>.generated_utc</c> and <c>.folder</c>.
    /// </summary>
    public Dictionary<string, string> Provenance()
    {
        var p = new Dictionary<string, string>();
        if (Main is not { } main) return p;
        var m = main.Manifest;
        p["framework"] = m.Framework;
        p["framework_version"] = m.FrameworkVersion;
        p["backend"] = $"{m.Backend} {m.BackendVersion}";
        p["numpy_version"] = m.NumpyVersion ?? "";
        p["source_commit"] = m.SourceCommit ?? "";
        p["generated_utc"] = m.GeneratedUtc;
        p["command"] = m.Command;
        p["folder"] = main.Directory;
        foreach (var (_, data) in _data.Skip(1))
        {
            var o = data.Manifest;
            p[$"{o.Framework}.framework_version"] = o.FrameworkVersion;
            p[$"{o.Framework}.backend"] = $"{o.Backend} {o.BackendVersion}";
            p[$"{o.Framework}.generated_utc"] = o.GeneratedUtc;
            p[$"{o.Framework}.folder"] = data.Directory;
        }
        return p;
    }

    private static ReferenceData LoadChecked(string folder, CaseCatalog catalog)
    {
        var data = ReferenceData.Load(folder);
        data.CheckAgainst(catalog);
        return data;
    }
}
