using WeightInit.Conformance.Checks;
using WeightInit.Conformance.Engine;
using WeightInit.Conformance.Reports;

namespace Harness.Commands;

/// <summary>
/// Progress of a run, one case at a time, for <c>harness check</c> and <c>harness ecosystem</c>: a bar on stderr when a
/// person is watching a terminal, one plain line per case on stdout otherwise (CI logs, redirected output). The
/// ecosystem runs one implementation after another and puts its name (the column) in front.
/// </summary>
internal sealed class CaseProgress(bool interactive, int barWidth = 30)
{
    private int _width;

    /// <summary>A terminal gets a progress bar; CI (CI=true) and redirected output get one plain line per case.</summary>
    internal static bool Interactive() =>
        !Console.IsOutputRedirected && !Console.IsErrorRedirected
        && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)
        && Environment.GetEnvironmentVariable("CI") != "1"
        && Environment.GetEnvironmentVariable("TERM") != "dumb";

    public void Report(CaseOutcome c, int done, int total) => Report(null, c, done, total);

    public void Report(string? column, CaseOutcome c, int done, int total)
    {
        string verdict = ReportBundle.CaseVerdict(c).ToUpperInvariant();
        string prefix = column is null ? "" : column + " ";
        if (!interactive)
        {
            int failed = c.Checks.Count(r => r.Verdict == Verdict.Fail);
            Console.WriteLine($"[{prefix}{done.ToString().PadLeft(total.ToString().Length)}/{total}] {verdict,-7} {c.CaseId} ({c.Checks.Count} checks{(failed > 0 ? $", {failed} failed" : "")})");
            return;
        }
        int filled = (int)Math.Round((double)barWidth * done / total);
        string line = $"\r{prefix}[{new string('#', filled)}{new string('-', barWidth - filled)}] {done}/{total} {verdict,-7} {c.CaseId}";
        int pad = Math.Max(0, _width - line.Length);
        _width = line.Length;
        Console.Error.Write(line + new string(' ', pad));
    }

    /// <summary>Clears the bar, so that the next line (a message, the next implementation, the summary) starts clean.</summary>
    public void Finish()
    {
        if (interactive && _width > 0) Console.Error.Write("\r" + new string(' ', _width) + "\r");
        _width = 0;
    }
}
