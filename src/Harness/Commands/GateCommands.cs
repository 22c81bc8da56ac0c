using System.CommandLine;

namespace Harness.Commands;

// Placeholder: the conformance-gate commands (check, regenerate, drift, ...) are registered here.
internal static class GateCommands
{
    public static IEnumerable<Command> Create() => Array.Empty<Command>();
}
