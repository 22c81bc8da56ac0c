using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using WeightInit.Conformance.Checks;
using WeightInit.Conformance.Engine;

namespace WeightInit.Conformance.Expectations;

/// <summary>
/// One known divergence of a system under test (a test262-style expectations entry): which cases and check, the verdict
/// and the diagnosis the gate gives, the measured evidence and the upstream reference. An entry is evidence, reviewed like
/// code: it never loosens a check, it only sorts a failure as expected.
/// </summary>
/// <param name="Cases">A case id, or a pattern with <c>*</c> wildcards (<c>he_normal-*</c>).</param>
/// <param name="Check">The check that fails (<see cref="CheckId"/> text), or null for a case that cannot run (verdict "error").</param>
/// <param name="Verdict"><c>fail</c> (a check fails) or <c>error</c> (the case cannot run).</param>
/// <param name="Diagnosis">Text the failure message must contain: the divergence is the one recorded, not another one.</param>
/// <param name="Evidence">What was measured (figures, n, p-values).</param>
/// <param name="Upstream">An issue URL, or the framework's source file and line.</param>
public sealed record ExpectedDivergence(string Cases, string? Check, string Verdict, string Diagnosis, string Evidence, string Upstream)
{
    private Regex Pattern => new("^" + Regex.Escape(Cases).Replace("\\*", ".*") + "$", RegexOptions.CultureInvariant);

    public bool MatchesCase(string caseId) => Pattern.IsMatch(caseId);

    /// <summary>Whether this entry describes <paramref name="check"/> of <paramref name="caseId"/> (the check alone, not its diagnosis).</summary>
    public bool Covers(string caseId, CheckId? check) =>
        MatchesCase(caseId) && (Check is null ? check is null : check is { } id && id.ToString() == Check);
}

/// <summary>
/// <c>conformance/expectations/&lt;sut&gt;.json</c>: the known divergences of one system under test
/// (format: conformance/expectations/README.md). Loading validates every entry; a bad file is a
/// <see cref="ConformanceDataException"/> naming the file and the entry.
/// </summary>
public sealed class ExpectationsFile
{
    public const string Schema = "weightinit-expectations/1";
    private static readonly string[] Keys = ["cases", "check", "verdict", "diagnosis", "evidence", "upstream"];

    private ExpectationsFile(string path, string sut, IReadOnlyList<ExpectedDivergence> entries)
    {
        Path = path;
        Sut = sut;
        Entries = entries;
    }

    /// <summary>The file read.</summary>
    public string Path { get; }

    /// <summary>The SUT the file is for (its <c>sut</c> field, equal to the SUT's report name).</summary>
    public string Sut { get; }

    public IReadOnlyList<ExpectedDivergence> Entries { get; }

    /// <summary>The folder of the expectations files under a repository root.</summary>
    public static string FolderOf(string repositoryRoot) => System.IO.Path.Combine(repositoryRoot, "conformance", "expectations");

    /// <summary>
    /// The expectations of the SUT reported as <paramref name="sutName"/>, or null when it has none. Only plain names
    /// (<c>tfjs</c>, <c>keras</c>, <c>torch</c>, <c>csharp</c>) have files; a <c>python:…</c> or <c>assembly:…</c> SUT has none.
    /// </summary>
    public static ExpectationsFile? ForSut(string repositoryRoot, string sutName)
    {
        if (!Regex.IsMatch(sutName, "^[a-z0-9][a-z0-9._-]*$")) return null;
        var path = System.IO.Path.Combine(FolderOf(repositoryRoot), sutName + ".json");
        return File.Exists(path) ? Load(path) : null;
    }

    /// <summary>Reads and validates an expectations file.</summary>
    public static ExpectationsFile Load(string path)
    {
        string text;
        try { text = File.ReadAllText(path); }
        catch (IOException ex) { throw new ConformanceDataException(path, $"cannot read the expectations file ({ex.Message}).", ex); }
        var root = JsonFields.ParseObject(text, m => new ConformanceDataException(path, m));
        var doc = new JsonFields(root, m => new ConformanceDataException(path, m));
        doc.OnlyKeys(["schema", "sut", "description", "expected"]);
        var schema = doc.String("schema");
        if (schema != Schema) throw new ConformanceDataException(path, $"schema '{schema}' is not {Schema}.");
        var sut = doc.String("sut");
        doc.String("description");
        var array = doc.Array("expected");
        var entries = new List<ExpectedDivergence>();
        for (int i = 0; i < array.Count; i++)
        {
            if (array[i] is not JsonObject o) throw new ConformanceDataException(path, $"expected[{i}] must be an object.");
            var f = new JsonFields(o, m => new ConformanceDataException(path, $"expected[{i}]: {m}"));
            f.OnlyKeys(Keys);
            var verdict = f.String("verdict");
            if (verdict is not ("fail" or "error")) throw new ConformanceDataException(path, $"expected[{i}]: verdict must be 'fail' or 'error', found '{verdict}'.");
            string? check = f.IsNull("check") ? null : f.String("check");
            if ((check is null) != (verdict == "error"))
                throw new ConformanceDataException(path, $"expected[{i}]: a 'fail' entry names its check; an 'error' entry has check null.");
            var entry = new ExpectedDivergence(f.String("cases"), check, verdict, f.String("diagnosis"), f.String("evidence"), f.String("upstream"));
            if (entry.Evidence.Trim().Length < 10 || entry.Upstream.Trim().Length < 5)
                throw new ConformanceDataException(path, $"expected[{i}] ({entry.Cases} · {check}): an entry needs its measured evidence and an upstream reference.");
            entries.Add(entry);
        }
        return new ExpectationsFile(path, sut, entries);
    }
}

/// <summary>How a run's failures sort against the expectations: expected, new, or a listed failure that now passes.</summary>
public enum FailureKind
{
    /// <summary>A listed divergence, failing as recorded.</summary>
    Expected,

    /// <summary>A failure no entry lists (or lists with another diagnosis): the gate fails.</summary>
    New,

    /// <summary>A listed failure that now passes: fixed upstream? (fails the gate only with --strict).</summary>
    FixedUpstream,
}

/// <summary>One sorted failure (or fixed entry).</summary>
public sealed record SortedFailure(string CaseId, string Check, FailureKind Kind, string Message, ExpectedDivergence? Entry);

/// <summary>The run's failures sorted against an expectations file.</summary>
public sealed record ExpectationReport(string? File, IReadOnlyList<SortedFailure> Items)
{
    public IEnumerable<SortedFailure> Expected => Items.Where(i => i.Kind == FailureKind.Expected);
    public IEnumerable<SortedFailure> New => Items.Where(i => i.Kind == FailureKind.New);
    public IEnumerable<SortedFailure> FixedUpstream => Items.Where(i => i.Kind == FailureKind.FixedUpstream);

    /// <summary>The gate's verdict with expectations: no new failure (and, when <paramref name="strict"/>, no fixed-upstream one).</summary>
    public bool Passed(bool strict) => !New.Any() && (!strict || !FixedUpstream.Any());

    /// <summary>Sorts every failed check and case error of <paramref name="run"/>; entries whose check now passes are fixed-upstream.</summary>
    public static ExpectationReport Sort(RunReport run, ExpectationsFile? expectations)
    {
        var entries = expectations?.Entries ?? [];
        var items = new List<SortedFailure>();
        foreach (var c in run.Cases)
        {
            if (c.Error is not null)
            {
                var e = entries.FirstOrDefault(x => x.Covers(c.CaseId, null) && c.Error.Contains(x.Diagnosis, StringComparison.OrdinalIgnoreCase));
                items.Add(new(c.CaseId, "case error", e is null ? FailureKind.New : FailureKind.Expected, c.Error, e));
            }
            foreach (var r in c.Checks)
            {
                var listed = entries.Where(x => x.Covers(c.CaseId, r.Check)).ToList();
                if (r.Verdict == Verdict.Fail)
                {
                    var e = listed.FirstOrDefault(x => r.Message.Contains(x.Diagnosis, StringComparison.OrdinalIgnoreCase));
                    string message = e is null && listed.Count > 0
                        ? $"{r.Message} (listed in the expectations, but with the diagnosis \"{listed[0].Diagnosis}\")"
                        : r.Message;
                    items.Add(new(c.CaseId, r.Check.ToString(), e is null ? FailureKind.New : FailureKind.Expected, message, e));
                }
                else if (listed.Count > 0 && r.Verdict is (Verdict.Pass or Verdict.Suspect))
                    items.Add(new(c.CaseId, r.Check.ToString(), FailureKind.FixedUpstream,
                        $"listed as an expected divergence (\"{listed[0].Diagnosis}\") but passes now: {r.Message}", listed[0]));
            }
        }
        return new ExpectationReport(expectations?.Path, items);
    }
}
