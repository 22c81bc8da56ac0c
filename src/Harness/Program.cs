using System.CommandLine;
using Harness;
using Harness.Commands;

// `harness`: the command-line face of WeightInit Harness. Each sub-command lives in its own file
// under Commands/ and exposes `static Command Create()`.
var root = new RootCommand("WeightInit Harness: Keras-faithful weight initializers and the conformance harness that proves it.");
root.Subcommands.Add(ListCommand.Create());
root.Subcommands.Add(ParamsCommand.Create());
root.Subcommands.Add(SampleCommand.Create());
root.Subcommands.Add(StatsCommand.Create());
root.Subcommands.Add(DoctorCommand.Create());
foreach (var command in GateCommands.Create())
    root.Subcommands.Add(command);

return CommandRunner.Invoke(root, args);
