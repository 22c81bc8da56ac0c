using System.Globalization;
using System.Text.Json;
using WeightInit.Conformance.Checks;
using WeightInit.Conformance.Engine;

namespace WeightInit.Conformance.Reports;

/// <summary>One shard's report.json read back: the run (without plot data, which report.json does not keep) and its options.</summary>
public sealed record ShardReport(string Path, RunReport Run, ShardSpec? Shard, string? CatalogFingerprint, bool Thorough, string? Filter);

/// <summary>
/// <c>harness merge</c>: joins the report.json files of the shards of one run (<c>harness check --shard i/N</c>) into the
/// report of the whole run. Refuses, with one line naming the file, a report that is not a shard, shards of different
/// counts, a shard given twice or missing, a case in two shards, and reports of different catalogs, SUTs, reference data,
/// thresholds or options. The merged run lists the cases in catalog order, as an unsharded run does; its duration is the
/// longest shard's (the shards run side by side) and its start the earliest.
/// </summary>
public static class ReportMerge
{
    /// <summary>Reads one report.json written by <see cref="ReportJson"/>.</summary>
    /// <exception cref="ReportException">The file is missing, unreadable or not a harness report.</exception>
    public static ShardReport Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        try { text = File.ReadAllText(path); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        { throw new ReportException($"{path}: cannot read the report ({ex.Message})."); }
        try
        {
            using var doc = JsonDocument.Parse(text);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("schema", out var schema) || schema.GetString() != ReportJson.Schema)
                throw new ReportException($"{path}: not a harness report.json (expected \"schema\": \"{ReportJson.Schema}\").");
            var options = root.GetProperty("options");
            var thresholds = new GateThresholds(Num(options, "fail_p") ?? GateThresholds.Default.FailP, Num(options, "suspect_p") ?? GateThresholds.Default.SuspectP);
            ShardSpec? shard = options.TryGetProperty("shard", out var sh) && sh.ValueKind == JsonValueKind.String ? ShardSpec.Parse(sh.GetString()!) : null;
            string? fingerprint = options.TryGetProperty("catalog_sha256", out var fp) && fp.ValueKind == JsonValueKind.String ? fp.GetString() : null;
            bool thorough = options.GetProperty("thorough").GetBoolean();
            string? filter = options.TryGetProperty("filter", out var fi) && fi.ValueKind == JsonValueKind.String ? fi.GetString() : null;

            var cases = new List<CaseOutcome>();
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var c in root.GetProperty("cases").EnumerateArray())
            {
                string id = c.GetProperty("id").GetString()!;
                var checks = c.GetProperty("checks").EnumerateArray().Select(r => new CheckResult(id,
                    CheckId.Parse(r.GetProperty("check").GetString()!),
                    Enum.Parse<Verdict>(r.GetProperty("verdict").GetString()!, ignoreCase: true),
                    Num(r, "statistic"), Num(r, "p_value"), r.GetProperty("n").GetInt64(),
                    r.GetProperty("expected").GetString()!, r.GetProperty("observed").GetString()!, r.GetProperty("message").GetString()!)).ToArray();
                var s = c.GetProperty("statistics");
                var config = c.GetProperty("config");
                cases.Add(new CaseOutcome(id, c.GetProperty("title").GetString()!, c.GetProperty("initializer").GetString()!,
                    config.ValueKind == JsonValueKind.String ? config.GetString()! : config.GetRawText(),
                    c.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()).ToArray(),
                    DTypes.Parse(c.GetProperty("dtype").GetString()), c.GetProperty("law").GetString()!, c.GetProperty("n").GetInt64(), checks,
                    new CaseStatistics(Num(s, "variance_ratio"), Num(s, "ks_distance"), Num(s, "bound_hits") is double h ? (long)h : null, (long)(Num(s, "n") ?? 0)),
                    null, c.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null));
                if (c.TryGetProperty("reference_label", out var rl) && rl.ValueKind == JsonValueKind.String) labels[id] = rl.GetString()!;
            }
            var run = new RunReport(
                DateTimeOffset.Parse(root.GetProperty("started_utc").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal),
                TimeSpan.FromSeconds(Num(root, "duration_seconds") ?? 0), root.GetProperty("sut").GetString()!,
                Strings(root.GetProperty("environment")), Strings(root.GetProperty("reference")), thresholds, cases)
            {
                ReferenceLabels = labels,
            };
            return new ShardReport(path, run, shard, fingerprint, thorough, filter);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or ArgumentException or (WeightInitException and not ReportException))
        {
            throw new ReportException($"{path}: not a readable harness report.json ({ex.Message}).");
        }
    }

    /// <summary>Joins the shards (see the type's remarks) in the order of <paramref name="catalog"/>.</summary>
    /// <exception cref="ReportException">The shards do not form one whole run; the message names the file at fault.</exception>
    public static ShardReport Merge(IReadOnlyList<ShardReport> shards, CaseCatalog catalog, string catalogFingerprint)
    {
        ArgumentNullException.ThrowIfNull(shards);
        ArgumentNullException.ThrowIfNull(catalog);
        if (shards.Count == 0) throw new ReportException("harness merge: give the report.json of every shard.");
        var first = shards[0];
        var seen = new Dictionary<int, string>();
        var caseOwner = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var s in shards)
        {
            if (s.Shard is null) throw new ReportException($"{s.Path}: not a shard's report (it was written without --shard).");
            if (s.Shard.Count != first.Shard!.Count)
                throw new ReportException($"{s.Path}: shard {s.Shard} does not belong to a run of {first.Shard.Count} shards ({first.Path} is {first.Shard}).");
            if (seen.TryGetValue(s.Shard.Index, out var other))
                throw new ReportException($"{s.Path}: shard {s.Shard} overlaps {other}, which is the same shard.");
            seen[s.Shard.Index] = s.Path;
            if (s.CatalogFingerprint != catalogFingerprint)
                throw new ReportException($"{s.Path}: written for another case catalog ({s.CatalogFingerprint ?? "no catalog_sha256"}, the catalog in use is {catalogFingerprint}).");
            if (s.Run.Sut != first.Run.Sut)
                throw new ReportException($"{s.Path}: SUT '{s.Run.Sut}' differs from '{first.Run.Sut}' of {first.Path}.");
            if (!SameReference(s.Run.ReferenceProvenance, first.Run.ReferenceProvenance, out var key))
                throw new ReportException($"{s.Path}: reference data differ from {first.Path}'s (reference.{key}).");
            if (s.Run.Thresholds != first.Run.Thresholds || s.Thorough != first.Thorough || s.Filter != first.Filter)
                throw new ReportException($"{s.Path}: run options (thorough, filter, thresholds) differ from {first.Path}'s.");
            foreach (var c in s.Run.Cases)
            {
                if (!catalog.Contains(c.CaseId))
                    throw new ReportException($"{s.Path}: case '{c.CaseId}' is not in the catalog in use.");
                if (ShardSpec.Of(c.CaseId, s.Shard.Count) != s.Shard.Index)
                    throw new ReportException($"{s.Path}: case '{c.CaseId}' belongs to shard {ShardSpec.Of(c.CaseId, s.Shard.Count)}/{s.Shard.Count}, not {s.Shard}.");
                if (caseOwner.TryGetValue(c.CaseId, out var owner))
                    throw new ReportException($"{s.Path}: case '{c.CaseId}' is also in {owner} (overlapping shards).");
                caseOwner[c.CaseId] = s.Path;
            }
        }
        var missing = Enumerable.Range(1, first.Shard!.Count).Where(i => !seen.ContainsKey(i)).ToArray();
        if (missing.Length > 0)
            throw new ReportException($"{first.Path}: shard(s) {string.Join(", ", missing.Select(i => $"{i}/{first.Shard.Count}"))} of this run are missing.");

        var order = catalog.Cases.Select((c, i) => (c.Id, i)).ToDictionary(t => t.Id, t => t.i, StringComparer.Ordinal);
        var cases = shards.SelectMany(s => s.Run.Cases).OrderBy(c => order[c.CaseId]).ToArray();
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var s in shards) foreach (var (k, v) in s.Run.ReferenceLabels) labels[k] = v;
        var run = new RunReport(shards.Min(s => s.Run.StartedUtc), shards.Max(s => s.Run.Duration), first.Run.Sut, first.Run.Environment,
            first.Run.ReferenceProvenance, first.Run.Thresholds, cases)
        {
            ReferenceLabels = labels,
        };
        return new ShardReport("(merged)", run, null, catalogFingerprint, first.Thorough, first.Filter);
    }

    /// <summary>Reads, merges and writes the four reports of the whole run, with the drift table (as <see cref="CheckJob"/>).</summary>
    /// <param name="reports">The shards' report.json files.</param>
    /// <param name="catalogFolder">The case catalog the shards ran (its fingerprint must match theirs).</param>
    /// <param name="outFolder">Where the four reports go (written atomically).</param>
    /// <param name="baseline">Drift baseline as for <c>harness check</c>: a report.json, a reference-data folder, <c>reference</c> (default) or <c>none</c>.</param>
    /// <param name="driftAlpha">Significance level of a drift move.</param>
    public static CheckOutcome Run(IReadOnlyList<string> reports, string catalogFolder, string outFolder, string? baseline = null, double driftAlpha = DriftAnalysis.DefaultAlpha)
    {
        ArgumentNullException.ThrowIfNull(reports);
        if (!Directory.Exists(catalogFolder)) throw new CaseCatalogException(catalogFolder, null, "case-catalog folder not found.");
        var catalog = CaseCatalog.Load(catalogFolder);
        var fingerprint = CatalogFingerprint.Of(catalogFolder);
        string baselineSpec = baseline ?? CheckRequest.ReferenceBaseline;
        bool referenceBaseline = baselineSpec.Equals(CheckRequest.ReferenceBaseline, StringComparison.OrdinalIgnoreCase);
        bool noBaseline = baselineSpec.Equals(CheckRequest.NoBaseline, StringComparison.OrdinalIgnoreCase);
        FigureSet? figures = !referenceBaseline && !noBaseline ? DriftAnalysis.Load(baselineSpec, catalog) : null;
        ReportWriter.EnsureWritable(outFolder);

        var merged = Merge(reports.Select(Read).ToArray(), catalog, fingerprint);
        var run = merged.Run;
        DriftReport? drift = null;
        if (!noBaseline)
        {
            var current = DriftAnalysis.FromRun(run, catalog, $"{run.Sut} (this run)");
            figures ??= DriftAnalysis.FromRunReference(run, catalog);
            if (merged.Filter is not null)
                figures = figures with { Cases = figures.Cases.Where(kv => current.Cases.ContainsKey(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value) };
            drift = DriftAnalysis.Compare(figures, current, driftAlpha);
        }
        // The merged run is sorted against the SUT's expectations as harness check sorts it (the catalog's sibling folder).
        var dataRoot = Path.GetDirectoryName(Path.GetDirectoryName(Path.GetFullPath(catalogFolder).TrimEnd(Path.DirectorySeparatorChar)))!;
        var expectations = Expectations.ExpectationsFile.ForSut(dataRoot, run.Sut);
        var bundle = ReportBundle.Create(run, catalog, drift, merged.Thorough, merged.Filter) with
        {
            CatalogFingerprint = fingerprint,
            Expectations = expectations is null ? null : Expectations.ExpectationReport.Sort(run, expectations),
        };
        var files = ReportWriter.WriteAll(bundle, outFolder);
        return new CheckOutcome(bundle, Path.GetFullPath(outFolder), files);
    }

    /// <summary>Provenance equal except the local folder paths (each CI job checks out to its own path).</summary>
    private static bool SameReference(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b, out string key)
    {
        foreach (var k in a.Keys.Union(b.Keys).Order(StringComparer.Ordinal))
        {
            if (k == "folder" || k.EndsWith(".folder", StringComparison.Ordinal)) continue;
            if (a.GetValueOrDefault(k) != b.GetValueOrDefault(k)) { key = k; return false; }
        }
        key = "";
        return true;
    }

    private static Dictionary<string, string> Strings(JsonElement obj) =>
        obj.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText());

    private static double? Num(JsonElement obj, string name)
    {
        if (!obj.TryGetProperty(name, out var e)) return null;
        return e.ValueKind switch
        {
            JsonValueKind.Number => e.GetDouble(),
            JsonValueKind.String => e.GetString() switch
            {
                "NaN" => double.NaN,
                "Infinity" => double.PositiveInfinity,
                "-Infinity" => double.NegativeInfinity,
                var t => double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null,
            },
            _ => null,
        };
    }
}
