using System.CommandLine;
using Harness.Commands;

namespace Harness;

/// <summary>Builds the `harness` command tree. Each sub-command lives in its own file under Commands/.</summary>
public static class HarnessCli
{
    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("WeightInit Harness: Keras-faithful weight initializers and the conformance harness that proves it.");
        root.Subcommands.Add(ListCommand.Create());
        root.Subcommands.Add(ParamsCommand.Create());
        root.Subcommands.Add(SampleCommand.Create());
        root.Subcommands.Add(StatsCommand.Create());
        root.Subcommands.Add(DoctorCommand.Create());
        foreach (var command in GateCommands.Create())
            root.Subcommands.Add(command);
        return root;
    }

    /// <summary>Runs the tool in-process (used by Program and by the CLI tests).</summary>
    public static int Run(string[] args) => CommandRunner.Invoke(BuildRoot(), args);
}
