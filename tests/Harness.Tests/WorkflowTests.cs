using System.Text;
using System.Text.RegularExpressions;
using NUnit.Framework;
using WeightInit.Conformance.Engine;
using YamlDotNet.RepresentationModel;

namespace Harness.Tests;

/// <summary>
/// The CI workflow cannot run here, so its shape is tested: it parses as YAML, the shard matrix covers 1..SHARDS, the
/// merge job waits for the shards and writes the job summary, and every command a step runs exists: repository scripts
/// and files, tools on PATH (or provided by the GitHub runner), and every <c>scripts/harness</c> command line parses
/// without error against the real command tree, options included.
/// </summary>
[TestFixture]
public sealed partial class WorkflowTests
{
    private static readonly string Root = ConformanceData.FindRepository(AppContext.BaseDirectory)
        ?? throw new DirectoryNotFoundException("No repository above the test binaries.");

    private static readonly string WorkflowPath = Path.Combine(Root, ".github", "workflows", "conformance.yml");

    /// <summary>Shell words that are builtins or keywords, not programs.</summary>
    private static readonly HashSet<string> ShellWords = ["if", "then", "else", "elif", "fi", "for", "do", "done", "[", "]", "test", "echo", "export", "cd", "set", "true", "false", "exit"];

    /// <summary>Programs the GitHub-hosted runner provides that a CI container here may lack.</summary>
    private static readonly HashSet<string> RunnerTools = ["sudo"];

    private static YamlMappingNode Load()
    {
        var yaml = new YamlStream();
        using var reader = new StreamReader(WorkflowPath, Encoding.UTF8);
        yaml.Load(reader);
        return (YamlMappingNode)yaml.Documents.Single().RootNode;
    }

    private static YamlMappingNode Map(YamlNode node, string key) => (YamlMappingNode)((YamlMappingNode)node).Children[new YamlScalarNode(key)];

    private static string? Scalar(YamlNode node, string key) =>
        ((YamlMappingNode)node).Children.TryGetValue(new YamlScalarNode(key), out var v) ? ((YamlScalarNode)v).Value : null;

    private static IEnumerable<(string Job, YamlMappingNode Step)> Steps(YamlMappingNode root) =>
        Map(root, "jobs").Children.SelectMany(job =>
            ((YamlSequenceNode)((YamlMappingNode)job.Value).Children[new YamlScalarNode("steps")]).Children
                .Select(step => (((YamlScalarNode)job.Key).Value!, (YamlMappingNode)step)));

    private static int Shards(YamlMappingNode root) => int.Parse(Scalar(Map(root, "env"), "SHARDS")!, System.Globalization.CultureInfo.InvariantCulture);

    [Test]
    public void The_shard_matrix_covers_every_shard_once_and_the_merge_job_waits_for_it()
    {
        var root = Load();
        int n = Shards(root);
        var shard = Map(Map(root, "jobs"), "shard");
        var matrix = (YamlSequenceNode)Map(Map(shard, "strategy"), "matrix").Children[new YamlScalarNode("shard")];
        Assert.That(matrix.Children.Select(x => int.Parse(((YamlScalarNode)x).Value!, System.Globalization.CultureInfo.InvariantCulture)), Is.EqualTo(Enumerable.Range(1, n)));
        var merge = Map(Map(root, "jobs"), "merge");
        Assert.That(Scalar(merge, "needs"), Is.EqualTo("shard"));
        Assert.That(Scalar(merge, "if"), Is.EqualTo("always()"), "the merge runs (and reports) even when a shard failed");
        var runs = Steps(root).Where(s => s.Job == "merge").Select(s => Scalar(s.Step, "run") ?? "").ToArray();
        Assert.That(runs.Any(r => r.Contains("scripts/harness merge", StringComparison.Ordinal)), "the merge job runs harness merge");
        Assert.That(runs.Any(r => r.Contains(">> \"$GITHUB_STEP_SUMMARY\"", StringComparison.Ordinal)), "the merge job appends the report to the job summary");
        var shardRuns = Steps(root).Where(s => s.Job == "shard").Select(s => Scalar(s.Step, "run") ?? "");
        Assert.That(shardRuns.Any(r => r.Contains("--shard \"${{ matrix.shard }}/$SHARDS\"", StringComparison.Ordinal)), "each shard job runs its own shard of SHARDS");
    }

    [Test]
    public void Every_action_is_pinned_to_a_major_version()
    {
        foreach (var (job, step) in Steps(Load()))
            if (Scalar(step, "uses") is { } uses)
                Assert.That(uses, Does.Match(@"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*@v\d+$"), $"job {job}");
    }

    [Test]
    public void Every_command_the_workflow_runs_exists()
    {
        var root = Load();
        var env = Map(root, "env").Children.ToDictionary(kv => ((YamlScalarNode)kv.Key).Value!, kv => ((YamlScalarNode)kv.Value).Value!);
        int commands = 0, harnessLines = 0;
        foreach (var (job, step) in Steps(root))
        {
            if (Scalar(step, "run") is not { } script) continue;
            string name = $"job {job}, step '{Scalar(step, "name") ?? script.Split('\n')[0]}'";
            var args = new List<string>();
            foreach (var rawLine in Substitute(script, env).Split('\n'))
            {
                var line = rawLine.Trim();
                if (line.Length == 0 || line.StartsWith('#')) continue;
                foreach (var segment in SplitCommands(line))
                {
                    var command = Keyword().Replace(segment.Trim(), "");
                    if (ArrayAssignment().Match(command) is { Success: true } a)
                    {
                        if (a.Groups[2].Value == "=") args.Clear();
                        args.AddRange(Words(a.Groups[3].Value));
                        continue;
                    }
                    if (command.StartsWith("[ ", StringComparison.Ordinal) || command.StartsWith("test ", StringComparison.Ordinal)) continue;   // a condition
                    var words = Words(command).SelectMany(w => w == "${args[@]}" ? args : [w]).ToList();
                    while (words.Count > 0 && EnvAssignment().IsMatch(words[0])) words.RemoveAt(0);
                    if (words.Count == 0 || ShellWords.Contains(words[0])) continue;   // a builtin: nothing to look up
                    commands++;
                    if (words[0] == "sudo") words = words.Skip(1).SkipWhile(w => w.StartsWith('-')).ToList();
                    string program = words[0];
                    if (program is "bash" or "sh") { AssertRepoFile(words[1], name); continue; }
                    if (program.Contains('/'))
                    {
                        AssertRepoFile(program, name);
                        if (program == "scripts/harness") { AssertHarnessParses(words.Skip(1).ToArray(), name); harnessLines++; }
                        continue;
                    }
                    Assert.That(RunnerTools.Contains(program) || OnPath(program), Is.True, $"{name}: '{program}' is neither on PATH nor a runner tool");
                    if (program == "dotnet")
                        foreach (var target in words.Where(w => w.EndsWith(".sln", StringComparison.Ordinal) || w.EndsWith(".csproj", StringComparison.Ordinal)))
                            AssertRepoFile(target, name);
                    if (program is "cat" or "cp")
                        Assert.That(words.Skip(1).First(w => !w.StartsWith('-')), Does.StartWith("artifacts/").Or.StartWith("baseline/"), $"{name}: {program} reads a file the workflow writes");
                }
            }
        }
        Assert.That(commands, Is.GreaterThan(8));
        Assert.That(harnessLines, Is.EqualTo(2), "harness check (per shard) and harness merge");
    }

    /// <summary>GitHub expressions and the workflow's env variables replaced by sample values.</summary>
    private static string Substitute(string script, IReadOnlyDictionary<string, string> env)
    {
        var s = Expression().Replace(script, m => m.Groups[1].Value.Trim() switch
        {
            "matrix.shard" => "1",
            "github.event_name" => "push",
            "inputs.thorough" => "false",
            _ => "x",
        });
        foreach (var (k, v) in env) s = s.Replace("$" + k, v, StringComparison.Ordinal);
        return s;
    }

    /// <summary>Splits a line into simple commands at &amp;&amp;, ||, ; and | outside quotes.</summary>
    private static List<string> SplitCommands(string line)
    {
        var parts = new List<string>();
        var current = new StringBuilder();
        char quote = '\0';
        for (int i = 0; i < line.Length; i++)
        {
            char ch = line[i];
            if (quote != '\0') { if (ch == quote) quote = '\0'; current.Append(ch); continue; }
            if (ch is '"' or '\'') { quote = ch; current.Append(ch); continue; }
            if (ch is ';' or '|' || (ch == '&' && i + 1 < line.Length && line[i + 1] == '&'))
            {
                if (i + 1 < line.Length && line[i + 1] == ch) i++;
                parts.Add(current.ToString());
                current.Clear();
                continue;
            }
            current.Append(ch);
        }
        parts.Add(current.ToString());
        return parts.Where(p => p.Trim().Length > 0).ToList();
    }

    /// <summary>Splits a command into words: double and single quotes group, and are removed.</summary>
    private static List<string> Words(string command)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        bool any = false;
        char quote = '\0';
        foreach (char ch in command)
        {
            if (quote != '\0') { if (ch == quote) quote = '\0'; else current.Append(ch); continue; }
            if (ch is '"' or '\'') { quote = ch; any = true; continue; }
            if (char.IsWhiteSpace(ch)) { if (any || current.Length > 0) words.Add(current.ToString()); current.Clear(); any = false; continue; }
            current.Append(ch);
        }
        if (any || current.Length > 0) words.Add(current.ToString());
        return words;
    }

    private static void AssertRepoFile(string relative, string where)
    {
        Assert.That(File.Exists(Path.Combine(Root, relative)), Is.True, $"{where}: {relative} does not exist in the repository");
    }

    /// <summary>Parses the arguments with the real harness command tree: an unknown command or option is an error.</summary>
    private static void AssertHarnessParses(string[] args, string where)
    {
        // Globs name the shards' reports that the merge job downloads: one sample file stands for them.
        args = args.Select(a => a.Contains('*') ? "artifacts/shards/shard-report-1/report.json" : a).ToArray();
        var parse = HarnessCli.BuildRoot().Parse(args);
        Assert.That(parse.Errors.Select(e => e.Message), Is.Empty, $"{where}: harness {string.Join(' ', args)}");
        Assert.That(parse.CommandResult.Command.Name, Is.AnyOf("check", "merge"), where);
    }

    private static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, program)));

    [GeneratedRegex(@"\$\{\{([^}]*)\}\}")]
    private static partial Regex Expression();

    [GeneratedRegex(@"^(\w+)(\+?=)\((.*)\)$")]
    private static partial Regex ArrayAssignment();

    [GeneratedRegex(@"^((if|then|else|elif|fi|do|done)\s+)+")]
    private static partial Regex Keyword();

    [GeneratedRegex(@"^\w+=")]
    private static partial Regex EnvAssignment();
}
