using System.CommandLine;

namespace Harness.Commands;

/// <summary>The conformance-gate commands (check, golden, mutants, regenerate, drift, ...).</summary>
internal static class GateCommands
{
    public static IEnumerable<Command> Create() => [CheckCommand.Create(), DriftCommand.Create(), GoldenCommand.Create(), RegenerateCommand.Create(), MatrixCommand.Create(), EcosystemCommand.Create(), MutantsCommand.Create(), CalibrateCommand.Create(), MergeCommand.Create()];
}
