using System.Globalization;
using System.Xml.Linq;
using WeightInit.Conformance.Checks;

namespace WeightInit.Conformance.Reports;

/// <summary>
/// <c>junit.xml</c>: one &lt;testsuite&gt; per case and one &lt;testcase&gt; per case × check (classname
/// <c>conformance.&lt;case&gt;</c>, name the check). Fail → &lt;failure&gt; with the diagnosis; a case that could not run →
/// one &lt;testcase name="run"&gt; with &lt;error&gt;; suspect and info checks pass, with their details in &lt;system-out&gt;.
/// </summary>
public static class JUnitReport
{
    public static string Write(ReportBundle b)
    {
        var run = b.Run;
        var suites = new XElement("testsuites",
            new XAttribute("name", $"weightinit-conformance {run.Sut}"),
            new XAttribute("tests", 0), new XAttribute("failures", 0), new XAttribute("errors", 0), new XAttribute("skipped", 0),
            new XAttribute("time", S(run.Duration.TotalSeconds)),
            new XAttribute("timestamp", run.StartedUtc.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture)));
        int tests = 0, failures = 0, errors = 0, skipped = 0;
        foreach (var c in run.Cases)
        {
            var suite = new XElement("testsuite", new XAttribute("name", c.CaseId));
            int t = 0, f = 0, e = 0, s = 0;
            foreach (var r in c.Checks)
            {
                var tc = new XElement("testcase", new XAttribute("classname", "conformance." + c.CaseId), new XAttribute("name", r.Check), new XAttribute("time", "0"));
                var sorted = b.Expectations?.Items.FirstOrDefault(i => i.CaseId == c.CaseId && i.Check == r.Check.ToString());
                if (r.Verdict == Verdict.Fail && sorted?.Kind == Expectations.FailureKind.Expected)
                    tc.Add(new XElement("system-out", Clean($"EXPECTED DIVERGENCE ({Path.GetFileName(b.Expectations!.File)}): {r}; evidence: {sorted.Entry!.Evidence}; upstream: {sorted.Entry.Upstream}")));
                else if (sorted?.Kind == Expectations.FailureKind.FixedUpstream && b.Strict)
                {
                    tc.Add(new XElement("failure", new XAttribute("message", Clean(sorted.Message)), new XAttribute("type", "FixedUpstream"), Clean(sorted.Message)));
                    f++;
                }
                else if (r.Verdict == Verdict.Fail)
                {
                    tc.Add(new XElement("failure", new XAttribute("message", Clean(r.Message)), new XAttribute("type", "ConformanceFailure"), Clean(r.ToString())));
                    f++;
                }
                tc.Add(new XElement("system-out", Clean((r.Verdict == Verdict.Suspect ? "SUSPECT (logged, does not fail): " : "") + r.ToString())));
                suite.Add(tc);
                t++;
            }
            if (c.NotApplicable is not null)
            {
                suite.Add(new XElement("testcase", new XAttribute("classname", "conformance." + c.CaseId), new XAttribute("name", "run"), new XAttribute("time", "0"),
                    new XElement("skipped", new XAttribute("message", Clean("not applicable: " + c.NotApplicable)))));
                t++; s++;
            }
            if (c.Error is not null)
            {
                suite.Add(new XElement("testcase", new XAttribute("classname", "conformance." + c.CaseId), new XAttribute("name", "run"), new XAttribute("time", "0"),
                    new XElement("error", new XAttribute("message", Clean(c.Error)), new XAttribute("type", "CaseError"), Clean(c.Error))));
                t++; e++;
            }
            suite.SetAttributeValue("tests", t);
            suite.SetAttributeValue("failures", f);
            suite.SetAttributeValue("errors", e);
            suite.SetAttributeValue("skipped", s);
            suite.SetAttributeValue("time", "0");
            suites.Add(suite);
            tests += t; failures += f; errors += e; skipped += s;
        }
        suites.SetAttributeValue("tests", tests);
        suites.SetAttributeValue("failures", failures);
        suites.SetAttributeValue("errors", errors);
        suites.SetAttributeValue("skipped", skipped);
        var doc = new XDocument(new XDeclaration("1.0", "utf-8", null), suites);
        using var writer = new Utf8StringWriter();
        doc.Save(writer);
        return writer + "\n";
    }

    private static string S(double seconds) => seconds.ToString("F3", CultureInfo.InvariantCulture);

    /// <summary>Removes characters XML 1.0 cannot carry.</summary>
    private static string Clean(string s) => new(s.Where(XmlConvertIsValid).ToArray());

    private static bool XmlConvertIsValid(char ch) => ch is '\t' or '\n' or '\r' || ch >= 0x20 && ch != 0xFFFE && ch != 0xFFFF;

    private sealed class Utf8StringWriter : StringWriter
    {
        public Utf8StringWriter() : base(CultureInfo.InvariantCulture) { }
        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;
    }
}
